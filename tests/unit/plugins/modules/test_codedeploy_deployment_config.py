"""dito.chat.codedeploy_deployment_config against a botocore Stubber (requests checked against the CodeDeploy
service model). moto 5.2.5 has no Get/Create/DeleteDeploymentConfig: once the emulator's CodeDeploy patch lands,
these tests are to be re-pointed at in-process moto (fixture ``aws``)."""

import datetime
from unittest import mock

import boto3
import pytest
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from botocore.stub import Stubber

from ansible_collections.dito.chat.plugins.modules import codedeploy_deployment_config

CANARY = {"type": "TimeBasedCanary", "percentage": 10, "interval_minutes": 5}
CANARY_AWS = {"type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": 10, "canaryInterval": 5}}


def info(routing=None, platform="ECS"):
    return {
        "deploymentConfigId": "0f0c3e4a-5d5e-4b9a-9a3c-1f2e3d4c5b6a",
        "deploymentConfigName": "dito-canary",
        "computePlatform": platform,
        "createTime": datetime.datetime(2026, 11, 30, tzinfo=datetime.UTC),
        "trafficRoutingConfig": routing or CANARY_AWS,
    }


@pytest.fixture
def stub():
    client = boto3.client("codedeploy", region_name="eu-west-1")
    with Stubber(client) as stubber, mock.patch.object(AnsibleAWSModule, "client", return_value=client):
        yield stubber
        stubber.assert_no_pending_responses()


def missing(stub):
    stub.add_client_error(
        "get_deployment_config", "DeploymentConfigDoesNotExistException", http_status_code=400, expected_params={"deploymentConfigName": "dito-canary"}
    )


def test_create_sends_the_traffic_routing_and_returns_it(stub, run_module):
    missing(stub)
    stub.add_response(
        "create_deployment_config",
        {"deploymentConfigId": "0f0c3e4a-5d5e-4b9a-9a3c-1f2e3d4c5b6a"},
        {"deploymentConfigName": "dito-canary", "computePlatform": "ECS", "trafficRoutingConfig": CANARY_AWS},
    )
    stub.add_response("get_deployment_config", {"deploymentConfigInfo": info()}, {"deploymentConfigName": "dito-canary"})
    result = run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "traffic_routing": CANARY})
    assert result["changed"] is True
    config = result["deployment_config"]
    assert config["traffic_routing"] == CANARY and config["traffic_routing_config"]["time_based_canary"] == {"canary_percentage": 10, "canary_interval": 5}
    assert config["deployment_config_id"] == "0f0c3e4a-5d5e-4b9a-9a3c-1f2e3d4c5b6a"


def test_check_mode_creates_nothing(stub, run_module):
    missing(stub)  # and no other call: the Stubber fails on any unexpected one
    result = run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "traffic_routing": CANARY}, check_mode=True, diff=True)
    assert result["changed"] is True and result["deployment_config"]["traffic_routing"] == CANARY
    assert result["diff"]["after"] == {"compute_platform": "ECS", "traffic_routing": CANARY}


def test_the_same_settings_change_nothing(stub, run_module):
    stub.add_response("get_deployment_config", {"deploymentConfigInfo": info()}, {"deploymentConfigName": "dito-canary"})
    result = run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "traffic_routing": CANARY})
    assert result["changed"] is False and result["deployment_config"]["compute_platform"] == "ECS"


def test_other_settings_fail_naming_each_difference(stub, run_module):
    stub.add_response("get_deployment_config", {"deploymentConfigInfo": info()}, {"deploymentConfigName": "dito-canary"})
    linear = {"type": "TimeBasedLinear", "percentage": 20, "interval_minutes": 5}
    result = run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "traffic_routing": linear})
    assert result["failed"] is True
    assert "type is 'TimeBasedCanary', asked 'TimeBasedLinear'" in result["msg"] and "percentage is 10, asked 20" in result["msg"]
    assert "interval_minutes" not in result["msg"] and "cannot update" in result["msg"]


def test_absent_deletes_an_existing_configuration_only(stub, run_module):
    stub.add_response("get_deployment_config", {"deploymentConfigInfo": info()}, {"deploymentConfigName": "dito-canary"})
    stub.add_response("delete_deployment_config", {}, {"deploymentConfigName": "dito-canary"})
    assert run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "state": "absent"})["changed"] is True
    missing(stub)
    assert run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "state": "absent"})["changed"] is False
    stub.add_response("get_deployment_config", {"deploymentConfigInfo": info()}, {"deploymentConfigName": "dito-canary"})
    assert run_module(codedeploy_deployment_config.main, {"name": "dito-canary", "state": "absent"}, check_mode=True)["changed"] is True


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
def test_bad_input_fails_before_any_aws_call(stub, run_module, args, message):
    result = run_module(codedeploy_deployment_config.main, args)
    assert result["failed"] is True and message in result["msg"]
