"""dito.chat.cloudwatch_alarm against moto in-process."""

import boto3
import pytest

from ansible_collections.dito.chat.plugins.modules import cloudwatch_alarm

ARGS = {
    "name": "alerts-errors",
    "namespace": "AWS/Lambda",
    "metric_name": "Errors",
    "dimensions": {"FunctionName": "alerts"},
    "threshold": 1,
    "treat_missing_data": "notBreaching",
    "tags": {"project": "dito", "service": "platform"},
}


@pytest.fixture
def cloudwatch(aws):
    return boto3.client("cloudwatch", region_name="eu-west-1")


def held(cloudwatch):
    alarm = cloudwatch.describe_alarms(AlarmNames=["alerts-errors"])["MetricAlarms"][0]
    tags = {t["Key"]: t["Value"] for t in cloudwatch.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"]}
    return alarm, tags


def test_create_tagged_then_nothing_to_do(cloudwatch, run_module):
    plan = run_module(cloudwatch_alarm.main, ARGS, check_mode=True)
    assert plan["changed"] is True and cloudwatch.describe_alarms()["MetricAlarms"] == []
    created = run_module(cloudwatch_alarm.main, ARGS)
    alarm, tags = held(cloudwatch)
    assert (alarm["MetricName"], alarm["Threshold"], alarm["TreatMissingData"], alarm["Statistic"]) == ("Errors", 1.0, "notBreaching", "Sum")
    assert tags == {"project": "dito", "service": "platform"}
    assert created["alarm"]["arn"] == alarm["AlarmArn"]
    assert run_module(cloudwatch_alarm.main, ARGS)["changed"] is False
    assert run_module(cloudwatch_alarm.main, ARGS, check_mode=True)["changed"] is False


def test_settings_and_tags_follow(cloudwatch, run_module):
    run_module(cloudwatch_alarm.main, ARGS)
    result = run_module(cloudwatch_alarm.main, dict(ARGS, threshold=5, tags={"project": "dito"}), diff=True)
    assert result["changed"] is True and result["differences"] == ["Threshold"]
    alarm, tags = held(cloudwatch)
    assert alarm["Threshold"] == 5.0 and tags == {"project": "dito"}


def test_absent(cloudwatch, run_module):
    run_module(cloudwatch_alarm.main, ARGS)
    assert run_module(cloudwatch_alarm.main, {"name": "alerts-errors", "state": "absent"})["changed"] is True
    assert cloudwatch.describe_alarms()["MetricAlarms"] == []
    assert run_module(cloudwatch_alarm.main, {"name": "alerts-errors", "state": "absent"})["changed"] is False
