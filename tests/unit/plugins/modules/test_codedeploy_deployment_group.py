"""dito.chat.codedeploy_deployment_group against moto in-process with the emulator's CodeDeploy layer, which checks
what AWS checks: the tests that reach CreateDeploymentGroup / UpdateDeploymentGroup use a real CODE_DEPLOY ECS
service, its target groups, listeners and role (fixture ``ecs_blue_green``, tests/unit/plugins/modules/conftest.py).
"""

from unittest import mock

import boto3
import pytest
from ansible.module_utils.common import warnings
from botocore.client import BaseClient
from botocore.exceptions import ClientError

from ansible_collections.dito.chat.plugins.module_utils import iam_propagation
from ansible_collections.dito.chat.plugins.modules import codedeploy_deployment_group

REGION = "eu-west-1"
ARN = "arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:dito/backend"
# For the tests that end before CodeDeploy validates anything (bad input, missing application, other platform).
ARGS = {
    "application": "dito",
    "name": "backend",
    "service_role_arn": "arn:aws:iam::123456789012:role/dito-codedeploy",
    "ecs_cluster": "dito",
    "ecs_service": "backend",
    "target_groups": ["backend-blue", "backend-green"],
    "production_listener_arns": ["arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/dito/1/prod"],
    "test_listener_arns": ["arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/dito/1/test"],
    "tags": {"project": "dito"},
}
MUTATING = ("Create", "Update", "Delete", "Tag", "Untag")


@pytest.fixture
def world(ecs_blue_green):
    """The ECS service, its pair and listeners, and the CodeDeploy application ``dito``."""
    boto3.client("codedeploy", region_name=REGION).create_application(applicationName="dito", computePlatform="ECS")
    return ecs_blue_green


@pytest.fixture
def client(world):
    return boto3.client("codedeploy", region_name=REGION)


@pytest.fixture
def args(world):
    """The module's options for the group of ``world``."""
    return dict(
        ARGS,
        service_role_arn=world["role_arn"],
        ecs_cluster=world["cluster"],
        ecs_service=world["service"],
        target_groups=list(world["target_groups"]),
        production_listener_arns=[world["production_listener_arn"]],
        test_listener_arns=[world["test_listener_arn"]],
    )


def held(client):
    return client.get_deployment_group(applicationName="dito", deploymentGroupName="backend")["deploymentGroupInfo"]


def mutations(api_calls):
    return [c for c in api_calls if c[0] == "codedeploy" and c[1].startswith(MUTATING)]


def test_create_is_idempotent_and_check_mode_safe(client, args, world, run_module, api_calls):
    planned = run_module(codedeploy_deployment_group.main, args, check_mode=True, diff=True)
    assert planned["changed"] is True and mutations(api_calls) == []
    assert planned["deployment_group"]["arn"] == ARN and planned["deployment_group"]["deployment_group_id"] is None
    assert planned["deployment_group"]["deployment_style"] == {"deployment_type": "BLUE_GREEN", "deployment_option": "WITH_TRAFFIC_CONTROL"}
    assert planned["diff"]["after"]["target_groups"] == ["backend-blue", "backend-green"]
    assert client.list_deployment_groups(applicationName="dito")["deploymentGroups"] == []

    created = run_module(codedeploy_deployment_group.main, args)
    assert created["changed"] is True
    group = held(client)
    assert group["serviceRoleArn"] == world["role_arn"] and group["computePlatform"] == "ECS"
    assert group["deploymentConfigName"] == "CodeDeployDefault.ECSAllAtOnce"
    assert group["deploymentStyle"] == {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"}
    assert group["ecsServices"] == [{"serviceName": "backend", "clusterName": "dito"}]
    pair = group["loadBalancerInfo"]["targetGroupPairInfoList"][0]
    assert [t["name"] for t in pair["targetGroups"]] == ["backend-blue", "backend-green"]
    assert pair["prodTrafficRoute"]["listenerArns"] == [world["production_listener_arn"]]
    assert pair["testTrafficRoute"]["listenerArns"] == [world["test_listener_arn"]]
    assert group["blueGreenDeploymentConfiguration"] == {
        "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 5},
        "deploymentReadyOption": {"actionOnTimeout": "CONTINUE_DEPLOYMENT", "waitTimeInMinutes": 0},
    }
    assert group["alarmConfiguration"] == {"enabled": False, "ignorePollAlarmFailure": False, "alarms": []}
    assert group["autoRollbackConfiguration"] == {"enabled": True, "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]}
    assert client.list_tags_for_resource(ResourceArn=ARN)["Tags"] == [{"Key": "project", "Value": "dito"}]
    assert created["deployment_group"]["deployment_group_id"] == group["deploymentGroupId"] and created["deployment_group"]["tags"] == {"project": "dito"}

    del api_calls[:]
    again = run_module(codedeploy_deployment_group.main, args)
    assert again["changed"] is False and mutations(api_calls) == []
    assert run_module(codedeploy_deployment_group.main, args, check_mode=True)["changed"] is False
    # After a deployment either target group may serve production: the pair in the other order is the same pair.
    swapped = dict(args, target_groups=["backend-green", "backend-blue"])
    assert run_module(codedeploy_deployment_group.main, swapped)["changed"] is False and mutations(api_calls) == []


def test_alarms_and_the_ready_wait_are_kept(client, args, run_module, api_calls):
    with_alarms = dict(args, alarms=["backend-5xx"], ignore_poll_alarm_failure=True, ready_wait_minutes=30)
    created = run_module(codedeploy_deployment_group.main, with_alarms)
    assert created["changed"] is True
    group = held(client)
    assert group["alarmConfiguration"] == {"enabled": True, "ignorePollAlarmFailure": True, "alarms": [{"name": "backend-5xx"}]}
    assert group["blueGreenDeploymentConfiguration"]["deploymentReadyOption"] == {"actionOnTimeout": "STOP_DEPLOYMENT", "waitTimeInMinutes": 30}
    assert created["deployment_group"]["alarm_configuration"]["alarms"] == [{"name": "backend-5xx"}]
    del api_calls[:]
    assert run_module(codedeploy_deployment_group.main, with_alarms)["changed"] is False and mutations(api_calls) == []


def test_a_difference_updates_every_field_keeping_the_pair_order(client, args, world, run_module, api_calls):
    run_module(codedeploy_deployment_group.main, args)
    group_id = held(client)["deploymentGroupId"]
    canary = {"type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": 10, "canaryInterval": 5}}
    client.create_deployment_config(deploymentConfigName="dito-canary", computePlatform="ECS", trafficRoutingConfig=canary)
    changed = dict(
        args,
        target_groups=["backend-green", "backend-blue"],
        deployment_config_name="dito-canary",
        test_listener_arns=[],
        termination_wait_minutes=60,
        ready_wait_minutes=30,
        alarms=["backend-latency", "backend-5xx"],
        ignore_poll_alarm_failure=True,
        auto_rollback_events=[],
    )
    del api_calls[:]
    planned = run_module(codedeploy_deployment_group.main, changed, check_mode=True, diff=True)
    assert planned["changed"] is True and mutations(api_calls) == []
    assert planned["diff"] == {
        "before": {
            "deployment_config_name": "CodeDeployDefault.ECSAllAtOnce",
            "test_listener_arns": [world["test_listener_arn"]],
            "termination_wait_minutes": 5,
            "ready_action": "CONTINUE_DEPLOYMENT",
            "ready_wait_minutes": 0,
            "alarms": [],
            "ignore_poll_alarm_failure": False,
            "auto_rollback_events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
        },
        "after": {
            "deployment_config_name": "dito-canary",
            "test_listener_arns": [],
            "termination_wait_minutes": 60,
            "ready_action": "STOP_DEPLOYMENT",
            "ready_wait_minutes": 30,
            "alarms": ["backend-5xx", "backend-latency"],
            "ignore_poll_alarm_failure": True,
            "auto_rollback_events": [],
        },
    }
    would_be = planned["deployment_group"]["blue_green_deployment_configuration"]["terminate_blue_instances_on_deployment_success"]
    assert would_be["termination_wait_time_in_minutes"] == 60
    assert held(client)["deploymentConfigName"] == "CodeDeployDefault.ECSAllAtOnce"

    updated = run_module(codedeploy_deployment_group.main, changed)
    assert updated["changed"] is True
    assert [c for c in mutations(api_calls) if c[1] == "UpdateDeploymentGroup"] == [("codedeploy", "UpdateDeploymentGroup")]
    group = held(client)
    expected = {
        "deploymentGroupId": group_id,
        "serviceRoleArn": world["role_arn"],
        "deploymentConfigName": "dito-canary",
        "computePlatform": "ECS",
        "ecsServices": [{"serviceName": "backend", "clusterName": "dito"}],
        "deploymentStyle": {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
        # The pair keeps the order the group held; the test route is gone.
        "loadBalancerInfo": {
            "targetGroupPairInfoList": [
                {
                    "targetGroups": [{"name": "backend-blue"}, {"name": "backend-green"}],
                    "prodTrafficRoute": {"listenerArns": [world["production_listener_arn"]]},
                }
            ]
        },
        "blueGreenDeploymentConfiguration": {
            "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 60},
            "deploymentReadyOption": {"actionOnTimeout": "STOP_DEPLOYMENT", "waitTimeInMinutes": 30},
        },
        "alarmConfiguration": {"enabled": True, "ignorePollAlarmFailure": True, "alarms": [{"name": "backend-latency"}, {"name": "backend-5xx"}]},
        "autoRollbackConfiguration": {"enabled": False, "events": []},
    }
    assert {k: group.get(k) for k in expected} == expected
    returned = updated["deployment_group"]
    assert returned["deployment_config_name"] == "dito-canary" and returned["auto_rollback_configuration"] == {"enabled": False, "events": []}
    assert client.list_tags_for_resource(ResourceArn=ARN)["Tags"] == [{"Key": "project", "Value": "dito"}]

    del api_calls[:]
    assert run_module(codedeploy_deployment_group.main, changed)["changed"] is False and mutations(api_calls) == []


def test_tags_alone_are_reconciled_without_an_update(client, args, run_module, api_calls):
    run_module(codedeploy_deployment_group.main, args)
    del api_calls[:]
    result = run_module(codedeploy_deployment_group.main, dict(args, tags={"project": "chat"}), diff=True)
    assert result["changed"] is True and result["diff"]["after"] == {"tags": {"project": "chat"}}
    assert ("codedeploy", "UpdateDeploymentGroup") not in api_calls
    assert client.list_tags_for_resource(ResourceArn=ARN)["Tags"] == [{"Key": "project", "Value": "chat"}]
    assert run_module(codedeploy_deployment_group.main, dict(args, tags=None))["deployment_group"]["tags"] == {"project": "chat"}


def test_a_group_of_another_platform_is_refused(aws, run_module, api_calls):
    client = boto3.client("codedeploy", region_name=REGION)
    client.create_application(applicationName="dito", computePlatform="Server")
    client.create_deployment_group(applicationName="dito", deploymentGroupName="backend", serviceRoleArn=ARGS["service_role_arn"])
    del api_calls[:]
    refused = run_module(codedeploy_deployment_group.main, ARGS)
    assert refused["failed"] is True and "deploys to Server" in refused["msg"] and mutations(api_calls) == []


def test_absent_deletes_an_existing_group_only(client, args, run_module, api_calls):
    run_module(codedeploy_deployment_group.main, args)
    absent = {"application": "dito", "name": "backend", "state": "absent"}
    del api_calls[:]
    assert run_module(codedeploy_deployment_group.main, absent, check_mode=True)["changed"] is True
    assert mutations(api_calls) == [] and client.list_deployment_groups(applicationName="dito")["deploymentGroups"] == ["backend"]

    assert run_module(codedeploy_deployment_group.main, absent)["changed"] is True
    assert client.list_deployment_groups(applicationName="dito")["deploymentGroups"] == []
    assert mutations(api_calls) == [("codedeploy", "DeleteDeploymentGroup")]
    assert run_module(codedeploy_deployment_group.main, absent)["changed"] is False
    assert run_module(codedeploy_deployment_group.main, dict(absent, name="other"))["changed"] is False
    assert run_module(codedeploy_deployment_group.main, dict(absent, application="nowhere"))["changed"] is False
    assert mutations(api_calls) == [("codedeploy", "DeleteDeploymentGroup")]


def test_aws_refusal_is_reported(client, args, world, run_module):
    """What CodeDeploy checks and the options cannot: a service not under CODE_DEPLOY control fails naming it."""
    ecs = boto3.client("ecs", region_name=REGION)
    ecs.create_service(cluster="dito", serviceName="rolling", taskDefinition=world["task_definition_arn"], desiredCount=0, launchType="FARGATE")
    failed = run_module(codedeploy_deployment_group.main, dict(args, ecs_service="rolling"))
    assert failed["failed"] is True and "CODE_DEPLOY" in failed["msg"]
    assert client.list_deployment_groups(applicationName="dito")["deploymentGroups"] == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"target_groups": ["backend-blue"]}, "target_groups: a blue/green pair is exactly two"),
        ({"target_groups": ["backend-blue", "backend-blue"]}, "target_groups"),
        ({"production_listener_arns": []}, "production_listener_arns: a traffic route has exactly one listener"),
        (
            {"production_listener_arns": ["arn:l/1", "arn:l/2"]},
            "production_listener_arns: a traffic route has exactly one listener (CodeDeploy TrafficRoute), got 2",
        ),
        ({"test_listener_arns": ["arn:l/1", "arn:l/2"]}, "test_listener_arns: a traffic route has at most one listener (CodeDeploy TrafficRoute), got 2"),
        ({"termination_wait_minutes": 2881}, "termination_wait_minutes: 2881 is not within 0..2880"),
        ({"ready_wait_minutes": -1}, "ready_wait_minutes"),
        ({"alarms": [f"a{i}" for i in range(11)]}, "alarms: AWS accepts at most 10"),
        ({"auto_rollback_events": ["DEPLOYMENT_SUCCESS"]}, "auto_rollback_events"),
        ({"ecs_service": None}, "ecs_service: required when state is present"),
        ({"service_role_arn": ""}, "service_role_arn: required"),
    ],
)
def test_bad_input_fails_before_any_aws_call(aws, run_module, api_calls, overrides, message):
    result = run_module(codedeploy_deployment_group.main, dict(ARGS, **overrides))
    assert result["failed"] is True and message in result["msg"] and api_calls == []


def test_a_missing_application_completes_in_check_mode_and_fails_naming_it(aws, run_module):
    planned = run_module(codedeploy_deployment_group.main, ARGS, check_mode=True)
    assert planned["changed"] is True and planned["deployment_group"]["application_name"] == "dito"
    failed = run_module(codedeploy_deployment_group.main, ARGS)
    assert failed["failed"] is True and "ApplicationDoesNotExist" in str(failed.get("error", failed["msg"]))


@pytest.fixture
def role_propagating(monkeypatch):
    """CreateDeploymentGroup / UpdateDeploymentGroup answer what CodeDeploy answers for a role IAM has not propagated
    yet, twice per operation, then pass to the emulator; the retry's sleeps made short."""
    monkeypatch.setattr(iam_propagation, "DELAY", 0.01)
    monkeypatch.setattr(iam_propagation, "MAX_DELAY", 0.01)
    refused = []
    original = BaseClient._make_api_call

    def propagating(self, operation_name, api_params):
        if operation_name in ("CreateDeploymentGroup", "UpdateDeploymentGroup") and refused.count(operation_name) < 2:
            refused.append(operation_name)
            message = f"AWS CodeDeploy does not have the permissions required to assume the role {api_params['serviceRoleArn']}."
            raise ClientError({"Error": {"Code": "InvalidRoleException", "Message": message}}, operation_name)
        return original(self, operation_name, api_params)

    with mock.patch.object(BaseClient, "_make_api_call", propagating):
        yield refused


def propagation_warnings(result):
    return [str(w) for w in result.get("warnings", []) if "IAM to propagate" in str(w)]


@pytest.fixture(autouse=True)
def no_warnings_of_earlier_runs():
    """Ansible keeps a module's warnings in a process-wide list that a failed run leaves filled."""
    warnings._global_warnings.clear()


def test_a_service_role_made_moments_ago_is_waited_for_with_one_warning(client, args, world, run_module, role_propagating):
    created = run_module(codedeploy_deployment_group.main, args)
    assert "failed" not in created, created["msg"]
    assert created["changed"] is True and held(client)["serviceRoleArn"] == world["role_arn"]
    assert role_propagating == ["CreateDeploymentGroup"] * 2
    assert len(propagation_warnings(created)) == 1 and f"IAM to propagate the role {world['role_arn']}" in propagation_warnings(created)[0]

    updated = run_module(codedeploy_deployment_group.main, dict(args, termination_wait_minutes=30))
    assert "failed" not in updated, updated["msg"]
    assert role_propagating[2:] == ["UpdateDeploymentGroup"] * 2 and len(propagation_warnings(updated)) == 1
    assert held(client)["blueGreenDeploymentConfiguration"]["terminateBlueInstancesOnDeploymentSuccess"]["terminationWaitTimeInMinutes"] == 30


def test_a_role_codedeploy_never_can_assume_fails_after_the_wait(client, args, run_module, monkeypatch):
    monkeypatch.setattr(iam_propagation, "DELAY", 0.01)
    monkeypatch.setattr(iam_propagation, "MAX_DELAY", 0.01)
    calls = []
    original = BaseClient._make_api_call

    def never(self, operation_name, api_params):
        if operation_name == "CreateDeploymentGroup":
            calls.append(operation_name)
            raise ClientError(
                {"Error": {"Code": "InvalidRoleException", "Message": "AWS CodeDeploy does not have the permissions required to assume the role r."}},
                operation_name,
            )
        return original(self, operation_name, api_params)

    with mock.patch.object(BaseClient, "_make_api_call", never):
        failed = run_module(codedeploy_deployment_group.main, args)
    assert failed["failed"] is True and "InvalidRoleException" in str(failed.get("error")) + failed["msg"]
    assert len(calls) == 1 + iam_propagation.ATTEMPTS


def test_emulator_a_role_younger_than_iam_propagation_is_waited_for(client, args, world, run_module, iam_propagating):
    """The emulator's IAM propagation fault mode refuses the role of ``world`` until the module's retry sleeps
    (iam_propagating: a window of seconds was closed before the module ran on a loaded CI machine)."""
    created = run_module(codedeploy_deployment_group.main, args)
    assert created["changed"] is True and "failed" not in created, created["msg"]
    assert held(client)["serviceRoleArn"] == world["role_arn"] and len(propagation_warnings(created)) == 1


def test_a_lost_create_response_is_recognised_on_the_resend(client, args, run_module, lost_response):
    """CreateDeploymentGroup's resend answers DeploymentGroupAlreadyExistsException: the module reads the group back."""
    doubled = lost_response("CreateDeploymentGroup")
    created = run_module(codedeploy_deployment_group.main, args)
    assert doubled == [("codedeploy", "CreateDeploymentGroup")]
    assert created["changed"] is True and "failed" not in created
    assert created["deployment_group"]["deployment_group_id"] == held(client)["deploymentGroupId"] and created["deployment_group"]["arn"] == ARN
    assert client.list_deployment_groups(applicationName="dito")["deploymentGroups"] == ["backend"]
    assert run_module(codedeploy_deployment_group.main, args)["changed"] is False
