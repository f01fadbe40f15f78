"""module_utils/cloudwatch.py: the comparable form of an alarm."""

from ansible_collections.dito.chat.plugins.module_utils import cloudwatch as cw


def test_normalise_fills_defaults_and_orders():
    settings = {
        "Namespace": "AWS/ApplicationELB",
        "Dimensions": [{"Name": "TargetGroup", "Value": "tg"}, {"Name": "LoadBalancer", "Value": 1}],
        "Threshold": 5,
        "AlarmActions": ["b", "a"],
    }
    result = cw.normalise(settings)
    assert result["Dimensions"] == [{"Name": "LoadBalancer", "Value": "1"}, {"Name": "TargetGroup", "Value": "tg"}]
    assert result["Threshold"] == 5.0 and result["AlarmActions"] == ["a", "b"]
    assert (result["AlarmDescription"], result["TreatMissingData"], result["ActionsEnabled"], result["OKActions"]) == ("", "missing", True, [])


def test_differences():
    desired = {"Namespace": "N", "MetricName": "M", "Threshold": 1, "Period": 60}
    described = dict(desired, Threshold=1.0, AlarmArn="arn", StateValue="OK")
    assert cw.differences(described, desired) == []
    assert cw.differences(described, dict(desired, Period=300, AlarmActions=["sns"])) == ["AlarmActions", "Period"]
