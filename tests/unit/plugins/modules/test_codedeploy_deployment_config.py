"""dito.chat.codedeploy_deployment_config against moto in-process with the emulator's CodeDeploy layer
(Create/Get/List/DeleteDeploymentConfig, the predefined configurations, DeploymentConfigInUseException)."""

import boto3
import pytest
from botocore.exceptions import ClientError

from ansible_collections.dito.chat.plugins.modules import codedeploy_deployment_config
from ansible_collections.dito.chat.plugins.modules import codedeploy_deployment_group

REGION = "eu-west-1"
CANARY = {"type": "TimeBasedCanary", "percentage": 10, "interval_minutes": 5}
CANARY_AWS = {"type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": 10, "canaryInterval": 5}}
MUTATING = ("Create", "Delete")


@pytest.fixture
def client(aws):
    return boto3.client("codedeploy", region_name=REGION)


def held(client, name="dito-canary"):
    """The configuration's deploymentConfigInfo, or None when AWS has none of that name."""
    try:
        return client.get_deployment_config(deploymentConfigName=name)["deploymentConfigInfo"]
    except ClientError as e:
        assert e.response["Error"]["Code"] == "DeploymentConfigDoesNotExistException"
        return None


def custom_configs(client):
    return [n for n in client.list_deployment_configs()["deploymentConfigsList"] if not n.startswith("CodeDeployDefault.")]


def mutations(api_calls):
    return [c for c in api_calls if c[0] == "codedeploy" and c[1].startswith(MUTATING)]


def test_create_sends_the_traffic_routing_and_returns_it(client, run_module):
    result = run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "traffic_routing": CANARY})
    assert result["changed"] is True
    config = held(client)
    assert config["computePlatform"] == "ECS" and config["trafficRoutingConfig"] == CANARY_AWS
    returned = result["deployment_config"]
    assert returned["traffic_routing"] == CANARY and returned["traffic_routing_config"]["time_based_canary"] == {"canary_percentage": 10, "canary_interval": 5}
    assert returned["deployment_config_id"] == config["deploymentConfigId"] and returned["deployment_config_name"] == "dito-canary"


@pytest.mark.parametrize(
    ("routing", "expected"),
    [
        (
            {"type": "TimeBasedLinear", "percentage": 20, "interval_minutes": 3},
            {"type": "TimeBasedLinear", "timeBasedLinear": {"linearPercentage": 20, "linearInterval": 3}},
        ),
        ({"type": "AllAtOnce"}, {"type": "AllAtOnce"}),
    ],
)
def test_other_routings_are_created_and_then_unchanged(client, run_module, routing, expected):
    args = {"name": "dito-canary", "traffic_routing": routing}
    assert run_module(codedeploy_deployment_config.main, args)["changed"] is True
    assert held(client)["trafficRoutingConfig"] == expected
    again = run_module(codedeploy_deployment_config.main, args)
    assert again["changed"] is False and again["deployment_config"]["traffic_routing"]["type"] == routing["type"]


def test_check_mode_creates_nothing(client, run_module, api_calls):
    result = run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "traffic_routing": CANARY}, check_mode=True, diff=True)
    assert result["changed"] is True and result["deployment_config"]["traffic_routing"] == CANARY
    assert result["diff"]["after"] == {"compute_platform": "ECS", "traffic_routing": CANARY}
    assert mutations(api_calls) == [] and held(client) is None and custom_configs(client) == []


def test_the_same_settings_change_nothing(client, run_module, api_calls):
    client.create_deployment_config(deploymentConfigName="dito-canary", computePlatform="ECS", trafficRoutingConfig=CANARY_AWS)
    del api_calls[:]
    result = run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "traffic_routing": CANARY})
    assert result["changed"] is False and result["deployment_config"]["compute_platform"] == "ECS" and mutations(api_calls) == []
    assert run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "traffic_routing": CANARY}, check_mode=True)["changed"] is False


def test_other_settings_fail_naming_each_difference(client, run_module, api_calls):
    client.create_deployment_config(deploymentConfigName="dito-canary", computePlatform="ECS", trafficRoutingConfig=CANARY_AWS)
    del api_calls[:]
    linear = {"type": "TimeBasedLinear", "percentage": 20, "interval_minutes": 5}
    result = run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "traffic_routing": linear})
    assert result["failed"] is True
    assert "type is 'TimeBasedCanary', asked 'TimeBasedLinear'" in result["msg"] and "percentage is 10, asked 20" in result["msg"]
    assert "interval_minutes" not in result["msg"] and "cannot update" in result["msg"]
    assert mutations(api_calls) == [] and held(client)["trafficRoutingConfig"] == CANARY_AWS


def test_absent_deletes_an_existing_configuration_only(client, run_module, api_calls):
    client.create_deployment_config(deploymentConfigName="dito-canary", computePlatform="ECS", trafficRoutingConfig=CANARY_AWS)
    del api_calls[:]
    assert run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "state": "absent"}, check_mode=True)["changed"] is True
    assert mutations(api_calls) == [] and held(client) is not None

    assert run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "state": "absent"})["changed"] is True
    assert held(client) is None and custom_configs(client) == [] and mutations(api_calls) == [("codedeploy", "DeleteDeploymentConfig")]
    assert run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "state": "absent"})["changed"] is False
    assert mutations(api_calls) == [("codedeploy", "DeleteDeploymentConfig")]


def test_a_configuration_in_use_is_not_deleted(client, ecs_blue_green, run_module):
    """AWS refuses to delete a configuration a deployment group uses (DeploymentConfigInUseException): the module fails."""
    world = ecs_blue_green
    run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "traffic_routing": CANARY})
    client.create_application(applicationName="dito", computePlatform="ECS")
    group = {
        "application": "dito",
        "name": "backend",
        "service_role_arn": world["role_arn"],
        "deployment_config_name": "dito-canary",
        "ecs_cluster": world["cluster"],
        "ecs_service": world["service"],
        "target_groups": world["target_groups"],
        "production_listener_arns": [world["production_listener_arn"]],
    }
    assert run_module(codedeploy_deployment_group.main, group)["changed"] is True
    refused = run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "state": "absent"})
    assert refused["failed"] is True and "DeploymentConfigInUse" in str(refused.get("error", refused["msg"]))
    assert held(client)["trafficRoutingConfig"] == CANARY_AWS


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"name": "CodeDeployDefault.ECSAllAtOnce", "traffic_routing": {"type": "AllAtOnce"}}, "name: CodeDeployDefault.ECSAllAtOnce is a predefined"),
        ({"name": "CodeDeployDefault.ECSAllAtOnce", "state": "absent"}, "predefined configuration"),
        ({"name": "x", "traffic_routing": {"type": "AllAtOnce", "percentage": 10}}, "traffic_routing: percentage has no meaning for AllAtOnce"),
        ({"name": "x", "traffic_routing": {"type": "TimeBasedCanary", "interval_minutes": 5}}, "traffic_routing.percentage"),
        ({"name": "x", "traffic_routing": {"type": "TimeBasedLinear", "percentage": 100, "interval_minutes": 5}}, "traffic_routing.percentage"),
        ({"name": "x", "traffic_routing": {"type": "TimeBasedLinear", "percentage": 10, "interval_minutes": 0}}, "traffic_routing.interval_minutes"),
        ({"name": "x"}, "traffic_routing"),
    ],
)
def test_bad_input_fails_before_any_aws_call(aws, run_module, api_calls, args, message):
    result = run_module(codedeploy_deployment_config.main, args)
    assert result["failed"] is True and message in result["msg"] and api_calls == []


def test_a_lost_create_response_is_recognised_on_the_resend(client, run_module, lost_response):
    """CreateDeploymentConfig's resend answers DeploymentConfigAlreadyExistsException: the module reads it back."""
    doubled = lost_response("CreateDeploymentConfig")
    result = run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "traffic_routing": CANARY})
    assert doubled == [("codedeploy", "CreateDeploymentConfig")]
    assert result["changed"] is True and "failed" not in result
    config = held(client)
    assert result["deployment_config"]["deployment_config_id"] == config["deploymentConfigId"] and config["trafficRoutingConfig"] == CANARY_AWS
    assert custom_configs(client) == ["dito-canary"]
