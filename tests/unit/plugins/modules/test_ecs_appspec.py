"""dito.chat.ecs_appspec: render, patch, validate; files change only when the content does."""

import json
from pathlib import Path

import pytest
import yaml

from ansible_collections.dito.chat.plugins.modules import ecs_appspec

ARN = "arn:aws:ecs:eu-west-1:123456789012:task-definition/dito-backend:7"

USER_JSON = {
    "version": 0.0,
    "Resources": [
        {
            "TargetService": {
                "Type": "AWS::ECS::Service",
                "Properties": {
                    "TaskDefinition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/dito-backend:6",
                    "LoadBalancerInfo": {"ContainerName": "backend", "ContainerPort": 8080},
                    "PlatformVersion": "1.4.0",
                },
            }
        }
    ],
    "Hooks": [{"AfterAllowTestTraffic": "dito-smoke-test"}],
}

USER_YAML = """\
version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: backend
          ContainerPort: 8080
Hooks:
  - BeforeInstall: dito-before-install
"""


def write(path, text):
    path.write_text(text)
    return path


def test_patching_json_changes_only_the_task_definition_and_is_idempotent(tmp_path, run_module):
    path = write(tmp_path / "AppSpec.json", json.dumps(USER_JSON, indent=4))
    first = run_module(ecs_appspec.main, {"path": str(path), "task_definition": ARN})
    assert first["changed"] is True and first["format"] == "json"
    written = json.loads(path.read_text())
    expected = json.loads(json.dumps(USER_JSON))
    expected["Resources"][0]["TargetService"]["Properties"]["TaskDefinition"] = ARN
    assert written == expected
    assert first["appspec"] == expected and json.loads(first["content"]) == expected
    mtime = path.stat().st_mtime_ns
    second = run_module(ecs_appspec.main, {"path": str(path), "task_definition": ARN})
    assert second["changed"] is False
    assert path.stat().st_mtime_ns == mtime


def test_yaml_round_trip_keeps_the_users_keys(tmp_path, run_module):
    path = write(tmp_path / "appspec.yaml", USER_YAML)
    result = run_module(ecs_appspec.main, {"path": str(path), "hooks": {"AfterAllowTraffic": "dito-after"}, "platform_version": "LATEST"})
    assert result["changed"] is True and result["format"] == "yaml"
    data = yaml.safe_load(path.read_text())
    props = data["Resources"][0]["TargetService"]["Properties"]
    assert props["TaskDefinition"] == "<TASK_DEFINITION>"
    assert props["PlatformVersion"] == "LATEST"
    assert data["Hooks"] == [{"BeforeInstall": "dito-before-install"}, {"AfterAllowTraffic": "dito-after"}]
    assert run_module(ecs_appspec.main, {"path": str(path), "hooks": {"AfterAllowTraffic": "dito-after"}})["changed"] is False


def test_a_reformatted_file_with_the_same_data_is_no_change(tmp_path, run_module):
    path = write(tmp_path / "appspec.yml", USER_YAML.replace("  - TargetService", "- TargetService").replace("\n      ", "\n    "))
    assert yaml.safe_load(path.read_text()) == yaml.safe_load(USER_YAML)
    assert run_module(ecs_appspec.main, {"path": str(path), "use_placeholder": True})["changed"] is False


def test_render_new_file_with_placeholder_and_every_property(tmp_path, run_module):
    path = tmp_path / "appspec.json"
    args = {
        "path": str(path),
        "use_placeholder": True,
        "container_name": "frontend",
        "container_port": 80,
        "platform_version": "LATEST",
        "network_configuration": {"subnets": ["subnet-1", "subnet-2"], "security_groups": ["sg-1"]},
        "capacity_provider_strategy": [{"capacity_provider": "FARGATE", "base": 1}, {"capacity_provider": "FARGATE_SPOT", "weight": 3}],
        "hooks": {"AfterAllowTraffic": "b", "BeforeInstall": "a"},
    }
    plan = run_module(ecs_appspec.main, args, check_mode=True)
    assert plan["changed"] is True and not path.exists()
    result = run_module(ecs_appspec.main, args)
    data = json.loads(path.read_text())
    assert data == result["appspec"]
    props = data["Resources"][0]["TargetService"]["Properties"]
    assert data["version"] == 0.0
    assert props == {
        "TaskDefinition": "<TASK_DEFINITION>",
        "LoadBalancerInfo": {"ContainerName": "frontend", "ContainerPort": 80},
        "PlatformVersion": "LATEST",
        "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": ["subnet-1", "subnet-2"], "SecurityGroups": ["sg-1"], "AssignPublicIp": "DISABLED"}},
        "CapacityProviderStrategy": [
            {"Base": 1, "CapacityProvider": "FARGATE", "Weight": 1},
            {"Base": 0, "CapacityProvider": "FARGATE_SPOT", "Weight": 3},
        ],
    }
    assert data["Hooks"] == [{"BeforeInstall": "a"}, {"AfterAllowTraffic": "b"}]
    assert run_module(ecs_appspec.main, args)["changed"] is False


def test_content_in_memory_for_create_deployment(run_module):
    result = run_module(ecs_appspec.main, {"content": USER_YAML, "task_definition": ARN, "format": "json"})
    # Nothing is written, so nothing changed on the host; the content differs from the one given.
    assert result["changed"] is False and result["differs"] is True
    assert json.loads(result["content"])["Resources"][0]["TargetService"]["Properties"]["TaskDefinition"] == ARN


def test_backup_and_diff(tmp_path, run_module):
    path = write(tmp_path / "AppSpec.json", json.dumps(USER_JSON))
    result = run_module(ecs_appspec.main, {"path": str(path), "task_definition": ARN, "backup": True}, diff=True)
    assert json.loads(Path(result["backup_file"]).read_text()) == USER_JSON
    assert ARN in result["diff"]["after"] and ARN not in result["diff"]["before"]


MALFORMED = [
    ("version: 0.0\nResources: [unclosed\n", {}, "neither valid JSON nor valid YAML"),
    ("just words", {}, "must be a mapping at the top level"),
    ('{"version": 0.0,', {}, "not valid JSON"),
    (USER_YAML.replace("Hooks:", "  - Other:\n      Type: AWS::ECS::Service\nHooks:"), {}, "exactly one resource"),
    (USER_YAML.replace("          ContainerName: backend\n", ""), {}, "LoadBalancerInfo.ContainerName is required"),
    (USER_YAML.replace("ContainerPort: 8080", "ContainerPort: '8080'"), {}, "ContainerPort must be an integer"),
    (USER_YAML.replace("BeforeInstall:", "BeforeDeploy:"), {}, "'BeforeDeploy' is not an ECS lifecycle hook"),
    (USER_YAML, {"hooks": {"ValidateService": "x"}}, "'ValidateService' is not an ECS lifecycle hook"),
    (USER_YAML.replace("version: 0.0", "version: 1.0"), {}, "version must be 0.0"),
    (USER_YAML.replace("AWS::ECS::Service", "AWS::Lambda::Function"), {}, "Type must be AWS::ECS::Service"),
]


@pytest.mark.parametrize("text, extra, message", MALFORMED)
def test_malformed_input_fails_by_name_and_leaves_the_file_untouched(tmp_path, run_module, text, extra, message):
    path = write(tmp_path / "appspec.yaml", text)
    before = path.read_bytes()
    result = run_module(ecs_appspec.main, dict({"path": str(path), "task_definition": ARN}, **extra))
    assert result["failed"] is True
    assert message in result["msg"], result["msg"]
    assert "nothing was written" in result["msg"]
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["appspec.yaml"]
