"""module_utils/appautoscaling.py: target-tracking policies of an ECS service."""

from ansible_collections.dito.chat.plugins.module_utils import appautoscaling as aas


def test_resource_id():
    assert aas.resource_id("dito-prod", "web") == "service/dito-prod/web"


def test_target_tracking():
    assert aas.target_tracking("ALBRequestCountPerTarget", 100, "300", 60, "app/lb/1/targetgroup/tg/2") == {
        "TargetValue": 100.0,
        "PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget", "ResourceLabel": "app/lb/1/targetgroup/tg/2"},
        "ScaleInCooldown": 300,
        "ScaleOutCooldown": 60,
        "DisableScaleIn": False,
    }


def test_tracking_differs_reads_aws_omissions_as_defaults():
    wanted = aas.target_tracking("ECSServiceAverageCPUUtilization", 60, 300, 60)
    described = {"PolicyType": "TargetTrackingScaling", "TargetTrackingScalingPolicyConfiguration": {k: v for k, v in wanted.items() if k != "DisableScaleIn"}}
    described["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] = 60
    assert aas.tracking_differs(described, wanted) is False
    assert aas.tracking_differs(described, dict(wanted, TargetValue=50.0)) is True
    assert aas.tracking_differs(None, wanted) is True
    assert aas.tracking_differs(dict(described, PolicyType="StepScaling"), wanted) is True
