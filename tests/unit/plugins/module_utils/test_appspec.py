"""module_utils/appspec.py: parsing, patching and validating an ECS AppSpec, without AWS."""

import pytest

from ansible_collections.dito.chat.plugins.module_utils import appspec


def test_parse_tells_json_from_yaml_and_render_round_trips():
    data, fmt = appspec.parse('{"version": 0.0, "Resources": []}')
    assert (data, fmt) == ({"version": 0.0, "Resources": []}, "json")
    data, fmt = appspec.parse("version: 0.0\nResources: []\n")
    assert fmt == "yaml" and appspec.parse(appspec.render(data, "yaml"))[0] == data
    assert appspec.parse(appspec.render(data, "json"))[0] == data


def test_parse_names_bad_json():
    with pytest.raises(appspec.AppSpecError, match="not valid JSON"):
        appspec.parse("{not json")


def test_patch_sets_only_what_is_given_on_a_skeleton():
    data = appspec.patch(
        None,
        {
            "task_definition": "<TASK_DEFINITION>",
            "container_name": "web",
            "container_port": 80,
            "network_configuration": {"subnets": ["s1"], "security_groups": ["sg-1"], "assign_public_ip": False},
            "capacity_provider_strategy": [{"capacity_provider": "FARGATE", "base": None, "weight": None}],
            "hooks": {"AfterAllowTraffic": "fn-b", "BeforeInstall": "fn-a"},
        },
    )
    props = data["Resources"][0][appspec.DEFAULT_RESOURCE_NAME]["Properties"]
    assert props["TaskDefinition"] == "<TASK_DEFINITION>" and props["LoadBalancerInfo"] == {"ContainerName": "web", "ContainerPort": 80}
    assert props["NetworkConfiguration"] == {"AwsvpcConfiguration": {"Subnets": ["s1"], "SecurityGroups": ["sg-1"], "AssignPublicIp": "DISABLED"}}
    assert props["CapacityProviderStrategy"] == [{"Base": 0, "CapacityProvider": "FARGATE", "Weight": 1}]
    # Hooks in ECS lifecycle order.
    assert data["Hooks"] == [{"BeforeInstall": "fn-a"}, {"AfterAllowTraffic": "fn-b"}]
    appspec.validate(data)


def test_patch_keeps_what_it_is_not_asked_to_change():
    original = appspec.patch(None, {"task_definition": "td", "container_name": "web", "container_port": 80, "hooks": {"BeforeInstall": "a"}})
    patched = appspec.patch(original, {"task_definition": "td2", "hooks": {"AfterInstall": "b"}})
    props = patched["Resources"][0][appspec.DEFAULT_RESOURCE_NAME]["Properties"]
    assert props["TaskDefinition"] == "td2" and props["LoadBalancerInfo"]["ContainerName"] == "web"
    assert patched["Hooks"] == [{"BeforeInstall": "a"}, {"AfterInstall": "b"}]
    assert original["Resources"][0][appspec.DEFAULT_RESOURCE_NAME]["Properties"]["TaskDefinition"] == "td"


@pytest.mark.parametrize(
    "data, message",
    [
        ([], "mapping at the top level"),
        ({"version": 1, "Resources": []}, "version must be 0.0"),
        ({"version": 0.0, "Resources": []}, "Resources must be a list"),
        ({"version": 0.0, "Resources": [{"S": {"Type": "AWS::Lambda::Function"}}]}, "Type must be AWS::ECS::Service"),
    ],
)
def test_validate_names_the_first_problem(data, message):
    with pytest.raises(appspec.AppSpecError, match=message):
        appspec.validate(data)
