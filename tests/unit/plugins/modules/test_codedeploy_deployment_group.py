"""dito.chat.codedeploy_deployment_group against moto in-process.

moto 5.2.5 keeps no alarmConfiguration and has no Update/DeleteDeploymentGroup: the tests that need them replace
the wrapper by a mock recording the request (marked "re-point": once the emulator's CodeDeploy patch lands they
are to assert what in-process moto holds instead).
"""

from unittest import mock

import boto3
import pytest

from ansible_collections.dito.chat.plugins.module_utils import codedeploy as cd
from ansible_collections.dito.chat.plugins.modules import codedeploy_deployment_group

REGION = "eu-west-1"
ARN = "arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:dito/backend"
LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/dito/1/prod"
TEST_LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/dito/1/test"
ARGS = {
    "application": "dito",
    "name": "backend",
    "service_role_arn": "arn:aws:iam::123456789012:role/dito-codedeploy",
    "ecs_cluster": "dito",
    "ecs_service": "backend",
    "target_groups": ["backend-blue", "backend-green"],
    "production_listener_arns": [LISTENER],
    "test_listener_arns": [TEST_LISTENER],
    "tags": {"project": "dito"},
}
MUTATING = ("Create", "Update", "Delete", "Tag", "Untag")


@pytest.fixture
def client(aws):
    client = boto3.client("codedeploy", region_name=REGION)
    client.create_application(applicationName="dito", computePlatform="ECS")
    return client


def mutations(api_calls):
    return [c for c in api_calls if c[0] == "codedeploy" and c[1].startswith(MUTATING)]


def test_create_is_idempotent_and_check_mode_safe(client, run_module, api_calls):
    planned = run_module(codedeploy_deployment_group.main, ARGS, check_mode=True, diff=True)
    assert planned["changed"] is True and mutations(api_calls) == []
    assert planned["deployment_group"]["arn"] == ARN and planned["deployment_group"]["deployment_group_id"] is None
    assert planned["deployment_group"]["deployment_style"] == {"deployment_type": "BLUE_GREEN", "deployment_option": "WITH_TRAFFIC_CONTROL"}
    assert planned["diff"]["after"]["target_groups"] == ["backend-blue", "backend-green"]
    assert client.list_deployment_groups(applicationName="dito")["deploymentGroups"] == []

    created = run_module(codedeploy_deployment_group.main, ARGS)
    assert created["changed"] is True
    held = client.get_deployment_group(applicationName="dito", deploymentGroupName="backend")["deploymentGroupInfo"]
    assert held["deploymentConfigName"] == "CodeDeployDefault.ECSAllAtOnce"
    assert held["deploymentStyle"] == {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"}
    assert held["ecsServices"] == [{"serviceName": "backend", "clusterName": "dito"}]
    pair = held["loadBalancerInfo"]["targetGroupPairInfoList"][0]
    assert [t["name"] for t in pair["targetGroups"]] == ["backend-blue", "backend-green"]
    assert pair["prodTrafficRoute"]["listenerArns"] == [LISTENER] and pair["testTrafficRoute"]["listenerArns"] == [TEST_LISTENER]
    assert held["blueGreenDeploymentConfiguration"]["terminateBlueInstancesOnDeploymentSuccess"]["terminationWaitTimeInMinutes"] == 5
    assert held["autoRollbackConfiguration"] == {"enabled": True, "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]}
    assert client.list_tags_for_resource(ResourceArn=ARN)["Tags"] == [{"Key": "project", "Value": "dito"}]
    assert created["deployment_group"]["deployment_group_id"] == held["deploymentGroupId"] and created["deployment_group"]["tags"] == {"project": "dito"}

    del api_calls[:]
    again = run_module(codedeploy_deployment_group.main, ARGS)
    assert again["changed"] is False and mutations(api_calls) == []
    assert run_module(codedeploy_deployment_group.main, ARGS, check_mode=True)["changed"] is False
    # After a deployment either target group may serve production: the pair in the other order is the same pair.
    swapped = dict(ARGS, target_groups=["backend-green", "backend-blue"], test_listener_arns=[TEST_LISTENER])
    assert run_module(codedeploy_deployment_group.main, swapped)["changed"] is False and mutations(api_calls) == []


def test_alarms_are_sent_on_create(client, run_module):
    """re-point: assert GetDeploymentGroup's alarmConfiguration once the emulator keeps it."""
    args = dict(ARGS, alarms=["backend-5xx"], ignore_poll_alarm_failure=True, ready_wait_minutes=30)
    with mock.patch.object(cd, "create_deployment_group", wraps=cd.create_deployment_group) as create:
        assert run_module(codedeploy_deployment_group.main, args)["changed"] is True
    settings = create.call_args.args[3]
    assert settings["alarmConfiguration"] == {"enabled": True, "ignorePollAlarmFailure": True, "alarms": [{"name": "backend-5xx"}]}
    held = client.get_deployment_group(applicationName="dito", deploymentGroupName="backend")["deploymentGroupInfo"]
    assert held["blueGreenDeploymentConfiguration"]["deploymentReadyOption"] == {"actionOnTimeout": "STOP_DEPLOYMENT", "waitTimeInMinutes": 30}


def test_a_difference_updates_every_field_keeping_the_pair_order(client, run_module, api_calls):
    """re-point: drop the mock and read the group back once the emulator has UpdateDeploymentGroup."""
    run_module(codedeploy_deployment_group.main, ARGS)
    changed = dict(ARGS, target_groups=["backend-green", "backend-blue"], termination_wait_minutes=60, auto_rollback_events=[])
    with mock.patch.object(cd, "update_deployment_group") as update:
        planned = run_module(codedeploy_deployment_group.main, changed, check_mode=True, diff=True)
        update.assert_not_called()
        assert planned["changed"] is True
        assert planned["diff"] == {
            "before": {"termination_wait_minutes": 5, "auto_rollback_events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]},
            "after": {"termination_wait_minutes": 60, "auto_rollback_events": []},
        }
        would_be = planned["deployment_group"]["blue_green_deployment_configuration"]["terminate_blue_instances_on_deployment_success"]
        assert would_be["termination_wait_time_in_minutes"] == 60

        assert run_module(codedeploy_deployment_group.main, changed)["changed"] is True
    update.assert_called_once()
    application, name, settings = update.call_args.args[1:]
    assert (application, name) == ("dito", "backend")
    assert settings == cd.group_request(
        dict(changed, deployment_config_name="CodeDeployDefault.ECSAllAtOnce", ready_wait_minutes=0, alarms=[], ignore_poll_alarm_failure=False),
        ["backend-blue", "backend-green"],
    )
    assert settings["loadBalancerInfo"]["targetGroupPairInfoList"][0]["targetGroups"] == [{"name": "backend-blue"}, {"name": "backend-green"}]
    assert settings["autoRollbackConfiguration"] == {"enabled": False, "events": []}


def test_tags_alone_are_reconciled_without_an_update(client, run_module, api_calls):
    run_module(codedeploy_deployment_group.main, ARGS)
    del api_calls[:]
    result = run_module(codedeploy_deployment_group.main, dict(ARGS, tags={"project": "chat"}), diff=True)
    assert result["changed"] is True and result["diff"]["after"] == {"tags": {"project": "chat"}}
    assert ("codedeploy", "UpdateDeploymentGroup") not in api_calls
    assert client.list_tags_for_resource(ResourceArn=ARN)["Tags"] == [{"Key": "project", "Value": "chat"}]
    assert run_module(codedeploy_deployment_group.main, dict(ARGS, tags=None))["deployment_group"]["tags"] == {"project": "chat"}


def test_a_group_of_another_platform_is_refused(aws, run_module, api_calls):
    client = boto3.client("codedeploy", region_name=REGION)
    client.create_application(applicationName="dito", computePlatform="Server")
    client.create_deployment_group(applicationName="dito", deploymentGroupName="backend", serviceRoleArn=ARGS["service_role_arn"])
    del api_calls[:]
    refused = run_module(codedeploy_deployment_group.main, ARGS)
    assert refused["failed"] is True and "deploys to Server" in refused["msg"] and mutations(api_calls) == []


def test_absent_deletes_an_existing_group_only(client, run_module):
    """re-point: drop the mock and check ListDeploymentGroups once the emulator has DeleteDeploymentGroup."""
    run_module(codedeploy_deployment_group.main, ARGS)
    absent = {"application": "dito", "name": "backend", "state": "absent"}
    with mock.patch.object(cd, "delete_deployment_group") as delete:
        assert run_module(codedeploy_deployment_group.main, absent, check_mode=True)["changed"] is True
        delete.assert_not_called()
        assert run_module(codedeploy_deployment_group.main, absent)["changed"] is True
        delete.assert_called_once_with(mock.ANY, "dito", "backend")
        assert run_module(codedeploy_deployment_group.main, dict(absent, name="other"))["changed"] is False
        assert run_module(codedeploy_deployment_group.main, dict(absent, application="nowhere"))["changed"] is False
        delete.assert_called_once()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"target_groups": ["backend-blue"]}, "target_groups: a blue/green pair is exactly two"),
        ({"target_groups": ["backend-blue", "backend-blue"]}, "target_groups"),
        ({"production_listener_arns": []}, "production_listener_arns"),
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
