"""The pure helpers of plugins/module_utils/codedeploy.py: the request of an ECS blue/green deployment group, its
normalised form (what GetDeploymentGroup answers vs what the module asks), the differences, and the traffic
routing of a deployment configuration."""

import copy

import pytest

from ansible_collections.dito.chat.plugins.module_utils import codedeploy as cd

LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/dito/1/prod"
TEST_LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/dito/1/test"
ROLE = "arn:aws:iam::123456789012:role/dito-codedeploy"

PARAMS = {
    "service_role_arn": ROLE,
    "deployment_config_name": "CodeDeployDefault.ECSAllAtOnce",
    "ecs_cluster": "dito",
    "ecs_service": "backend",
    "target_groups": ["backend-blue", "backend-green"],
    "production_listener_arns": [LISTENER],
    "test_listener_arns": [TEST_LISTENER],
    "termination_wait_minutes": 5,
    "ready_wait_minutes": 0,
    "alarms": ["backend-5xx", "backend-unhealthy"],
    "ignore_poll_alarm_failure": False,
    "auto_rollback_events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
}

# What GetDeploymentGroup answers for the group PARAMS created, with the fields AWS adds and other orders.
AWS_GROUP = {
    "applicationName": "dito",
    "deploymentGroupId": "1c0f8c8a-3f5e-4a1b-9e55-2b7e0d6b7f10",
    "deploymentGroupName": "backend",
    "deploymentConfigName": "CodeDeployDefault.ECSAllAtOnce",
    "ec2TagFilters": [],
    "onPremisesInstanceTagFilters": [],
    "autoScalingGroups": [],
    "serviceRoleArn": ROLE,
    "triggerConfigurations": [],
    "alarmConfiguration": {"enabled": True, "ignorePollAlarmFailure": False, "alarms": [{"name": "backend-unhealthy"}, {"name": "backend-5xx"}]},
    "autoRollbackConfiguration": {"enabled": True, "events": ["DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_FAILURE"]},
    "deploymentStyle": {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
    "outdatedInstancesStrategy": "UPDATE",
    "blueGreenDeploymentConfiguration": {
        "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 5},
        "deploymentReadyOption": {"actionOnTimeout": "CONTINUE_DEPLOYMENT", "waitTimeInMinutes": 0},
    },
    "loadBalancerInfo": {
        "targetGroupPairInfoList": [
            {
                "targetGroups": [{"name": "backend-green"}, {"name": "backend-blue"}],
                "prodTrafficRoute": {"listenerArns": [LISTENER]},
                "testTrafficRoute": {"listenerArns": [TEST_LISTENER]},
            }
        ]
    },
    "ec2TagSet": {},
    "onPremisesTagSet": {},
    "computePlatform": "ECS",
    "ecsServices": [{"serviceName": "backend", "clusterName": "dito"}],
    "terminationHookEnabled": False,
    "lastSuccessfulDeployment": {"deploymentId": "d-ABC", "status": "Succeeded"},
}


def params(**overrides):
    return dict(copy.deepcopy(PARAMS), **overrides)


def aws_group(**overrides):
    return dict(copy.deepcopy(AWS_GROUP), **overrides)


def test_the_aws_requestis_ecs_blue_green_with_traffic_control():
    request = cd.group_request(PARAMS)
    assert request["deploymentStyle"] == {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"}
    assert request["ecsServices"] == [{"serviceName": "backend", "clusterName": "dito"}]
    assert request["loadBalancerInfo"] == {
        "targetGroupPairInfoList": [
            {
                "targetGroups": [{"name": "backend-blue"}, {"name": "backend-green"}],
                "prodTrafficRoute": {"listenerArns": [LISTENER]},
                "testTrafficRoute": {"listenerArns": [TEST_LISTENER]},
            }
        ]
    }
    assert request["blueGreenDeploymentConfiguration"] == {
        "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 5},
        "deploymentReadyOption": {"actionOnTimeout": "CONTINUE_DEPLOYMENT", "waitTimeInMinutes": 0},
    }
    assert request["alarmConfiguration"] == {
        "enabled": True,
        "ignorePollAlarmFailure": False,
        "alarms": [{"name": "backend-5xx"}, {"name": "backend-unhealthy"}],
    }
    assert request["autoRollbackConfiguration"] == {"enabled": True, "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]}
    assert request["serviceRoleArn"] == ROLE and request["deploymentConfigName"] == "CodeDeployDefault.ECSAllAtOnce"
    assert "applicationName" not in request and "deploymentGroupName" not in request


def test_without_a_test_listener_there_is_no_test_route():
    pair = cd.group_request(params(test_listener_arns=[]))["loadBalancerInfo"]["targetGroupPairInfoList"][0]
    assert "testTrafficRoute" not in pair


def test_ready_wait_zero_continues_at_once_and_more_stops_after_the_wait():
    assert cd.group_request(params(ready_wait_minutes=0))["blueGreenDeploymentConfiguration"]["deploymentReadyOption"] == {
        "actionOnTimeout": "CONTINUE_DEPLOYMENT",
        "waitTimeInMinutes": 0,
    }
    assert cd.group_request(params(ready_wait_minutes=30))["blueGreenDeploymentConfiguration"]["deploymentReadyOption"] == {
        "actionOnTimeout": "STOP_DEPLOYMENT",
        "waitTimeInMinutes": 30,
    }


def test_no_alarms_disable_the_alarm_configuration_and_no_events_the_rollback():
    request = cd.group_request(params(alarms=[], ignore_poll_alarm_failure=True, auto_rollback_events=[]))
    assert request["alarmConfiguration"] == {"enabled": False, "ignorePollAlarmFailure": False, "alarms": []}
    assert request["autoRollbackConfiguration"] == {"enabled": False, "events": []}


def test_the_current_pair_order_is_kept_when_it_is_the_same_pair():
    kept = cd.group_request(PARAMS, current_target_groups=["backend-green", "backend-blue"])
    assert kept["loadBalancerInfo"]["targetGroupPairInfoList"][0]["targetGroups"] == [{"name": "backend-green"}, {"name": "backend-blue"}]
    other = cd.group_request(PARAMS, current_target_groups=["backend-green", "old"])
    assert other["loadBalancerInfo"]["targetGroupPairInfoList"][0]["targetGroups"] == [{"name": "backend-blue"}, {"name": "backend-green"}]


def test_what_aws_answers_equals_what_was_asked():
    """Pair order, listener/alarm/event order and the fields AWS adds for EC2 groups take no part."""
    assert cd.group_differences(cd.normalised_group(AWS_GROUP), cd.normalised_group(cd.group_request(PARAMS))) == []


def test_a_disabled_alarm_configuration_equals_no_alarms_whatever_aws_keeps_in_it():
    asked = cd.normalised_group(cd.group_request(params(alarms=[], ignore_poll_alarm_failure=True)))
    for held in (
        {"enabled": False, "ignorePollAlarmFailure": True, "alarms": [{"name": "left-over"}]},
        {"enabled": False, "ignorePollAlarmFailure": False, "alarms": []},
        {},
        None,
    ):
        assert cd.group_differences(cd.normalised_group(aws_group(alarmConfiguration=held)), asked) == []
    group = aws_group()
    del group["alarmConfiguration"]
    assert cd.group_differences(cd.normalised_group(group), asked) == []


def test_a_disabled_rollback_equals_no_events():
    asked = cd.normalised_group(cd.group_request(params(auto_rollback_events=[])))
    for held in ({"enabled": False, "events": ["DEPLOYMENT_FAILURE"]}, {}, None):
        assert cd.group_differences(cd.normalised_group(aws_group(autoRollbackConfiguration=held)), asked) == []
    assert cd.group_differences(cd.normalised_group(AWS_GROUP), asked) == ["auto_rollback_events"]


def test_continue_deployment_ignores_the_wait_aws_answers():
    blue_green = copy.deepcopy(AWS_GROUP["blueGreenDeploymentConfiguration"])
    blue_green["deploymentReadyOption"]["waitTimeInMinutes"] = 15
    held = cd.normalised_group(aws_group(blueGreenDeploymentConfiguration=blue_green))
    assert held["ready_wait_minutes"] == 0 and held["ready_action"] == "CONTINUE_DEPLOYMENT"
    assert cd.group_differences(held, cd.normalised_group(cd.group_request(PARAMS))) == []
    assert cd.group_differences(held, cd.normalised_group(cd.group_request(params(ready_wait_minutes=15)))) == ["ready_action", "ready_wait_minutes"]


def test_a_ready_wait_change_is_a_difference():
    held = cd.normalised_group(cd.group_request(params(ready_wait_minutes=10)))
    assert cd.group_differences(held, cd.normalised_group(cd.group_request(params(ready_wait_minutes=20)))) == ["ready_wait_minutes"]


@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"termination_wait_minutes": 60}, ["termination_wait_minutes"]),
        ({"target_groups": ["backend-blue", "backend-new"]}, ["target_groups"]),
        ({"production_listener_arns": [TEST_LISTENER]}, ["production_listener_arns"]),
        ({"test_listener_arns": []}, ["test_listener_arns"]),
        ({"alarms": ["backend-5xx"]}, ["alarms"]),
        ({"ignore_poll_alarm_failure": True}, ["ignore_poll_alarm_failure"]),
        ({"auto_rollback_events": ["DEPLOYMENT_FAILURE"]}, ["auto_rollback_events"]),
        ({"deployment_config_name": "CodeDeployDefault.ECSCanary10Percent5Minutes"}, ["deployment_config_name"]),
        ({"service_role_arn": ROLE + "2", "ecs_service": "frontend"}, ["service_role_arn", "ecs_services"]),
    ],
)
def test_each_managed_field_is_compared(overrides, fields):
    assert cd.group_differences(cd.normalised_group(AWS_GROUP), cd.normalised_group(cd.group_request(params(**overrides)))) == fields


def test_another_deployment_style_is_a_difference():
    held = cd.normalised_group(aws_group(deploymentStyle={"deploymentType": "IN_PLACE", "deploymentOption": "WITHOUT_TRAFFIC_CONTROL"}))
    assert cd.group_differences(held, cd.normalised_group(cd.group_request(PARAMS))) == ["deployment_style"]


def test_the_arns_are_in_the_region_s_partition():
    assert cd.application_arn("eu-west-1", "123456789012", "dito") == "arn:aws:codedeploy:eu-west-1:123456789012:application:dito"
    assert (
        cd.deployment_group_arn("cn-north-1", "123456789012", "dito", "backend") == "arn:aws-cn:codedeploy:cn-north-1:123456789012:deploymentgroup:dito/backend"
    )


def test_predefined_configurations_are_recognised():
    assert cd.is_predefined_config("CodeDeployDefault.ECSAllAtOnce")
    assert not cd.is_predefined_config("dito-canary") and not cd.is_predefined_config("codedeploydefault-x")


@pytest.mark.parametrize(
    ("option", "aws_request"),
    [
        ({"type": "AllAtOnce", "percentage": None, "interval_minutes": None}, {"type": "AllAtOnce"}),
        (
            {"type": "TimeBasedCanary", "percentage": 10, "interval_minutes": 5},
            {"type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": 10, "canaryInterval": 5}},
        ),
        (
            {"type": "TimeBasedLinear", "percentage": 20, "interval_minutes": 1},
            {"type": "TimeBasedLinear", "timeBasedLinear": {"linearPercentage": 20, "linearInterval": 1}},
        ),
    ],
)
def test_traffic_routing_round_trips(option, aws_request):
    assert cd.traffic_routing_request(option) == aws_request
    assert cd.traffic_routing_option(aws_request) == option


def test_config_differences_name_each_field():
    held = {"computePlatform": "ECS", "trafficRoutingConfig": {"type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": 10, "canaryInterval": 5}}}
    assert cd.config_differences(held, "ECS", {"type": "TimeBasedCanary", "percentage": 10, "interval_minutes": 5}) == []
    assert cd.config_differences(held, "Lambda", {"type": "TimeBasedCanary", "percentage": 10, "interval_minutes": 15}) == [
        ("compute_platform", "ECS", "Lambda"),
        ("interval_minutes", 5, 15),
    ]
    assert cd.config_differences(held, "ECS", {"type": "AllAtOnce", "percentage": None, "interval_minutes": None}) == [
        ("type", "TimeBasedCanary", "AllAtOnce"),
        ("percentage", 10, None),
        ("interval_minutes", 5, None),
    ]


def test_tags_convert_both_ways():
    assert cd.tags_dict([{"Key": "a", "Value": "1"}, {"Key": "b"}]) == {"a": "1", "b": ""}
    assert cd.tags_list({"a": "1"}) == [{"Key": "a", "Value": "1"}]
    assert cd.tags_list(None) == [] and cd.tags_dict(None) == {}
