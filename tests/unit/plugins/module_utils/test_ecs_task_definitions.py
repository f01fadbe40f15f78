"""module_utils/ecs_task_definitions.py: the normalisation that makes re-registration idempotent."""

import pytest

from ansible_collections.dito.chat.plugins.module_utils import ecs_task_definitions as td

ARN = "arn:aws:ecs:eu-west-1:123456789012:task-definition/dito-web:12"


def test_arn_family_and_revision():
    assert td.arn_family(ARN) == "dito-web" and td.arn_revision(ARN) == 12


@pytest.mark.parametrize(
    "value, kind, expected",
    [
        ("1 vCPU", "cpu", "1024"),
        ("0.25 vcpu", "cpu", "256"),
        ("256", "cpu", "256"),
        (512, "memory", "512"),
        ("2 GB", "memory", "2048"),
        ("512 MiB", "memory", "512"),
        (None, "cpu", None),
        ("", "memory", None),
        ("lots", "cpu", "lots"),
    ],
)
def test_normalise_units(value, kind, expected):
    assert td.normalise_units(value, kind) == expected


def test_normalise_container_fills_what_aws_adds_and_orders_what_it_reorders():
    container = {
        "name": "web",
        "image": "nginx",
        "cpu": 0,
        "environment": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}],
        "portMappings": [{"containerPort": 8080}, {"containerPort": 80, "protocol": "tcp"}],
        "command": ["b", "a"],
        "mountPoints": [],
        "dockerLabels": {"z": "1", "a": "2"},
    }
    assert td.normalise_container(container, "awsvpc") == {
        "name": "web",
        "image": "nginx",
        "essential": True,
        "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
        "portMappings": [
            {"containerPort": 80, "hostPort": 80, "protocol": "tcp"},
            {"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"},
        ],
        "command": ["b", "a"],
        "dockerLabels": {"a": "2", "z": "1"},
    }
    # Outside awsvpc the host port is not implied.
    assert td.normalise_container({"name": "w", "portMappings": [{"containerPort": 80}]}, "bridge")["portMappings"] == [
        {"containerPort": 80, "protocol": "tcp"}
    ]


REQUEST = {
    "cpu": "0.25 vCPU",
    "memory": "0.5 GB",
    "networkMode": "awsvpc",
    "requiresCompatibilities": ["FARGATE"],
    "containerDefinitions": [{"name": "web", "image": "nginx:1", "portMappings": [{"containerPort": 80}]}],
}
DESCRIBED = {
    "taskDefinitionArn": ARN,
    "revision": 12,
    "status": "ACTIVE",
    "cpu": "256",
    "memory": "512",
    "networkMode": "awsvpc",
    "requiresCompatibilities": ["FARGATE"],
    "compatibilities": ["EC2", "FARGATE"],
    "volumes": [],
    "placementConstraints": [],
    "enableFaultInjection": False,
    "containerDefinitions": [
        {"name": "web", "image": "nginx:1", "cpu": 0, "essential": True, "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}]}
    ],
}


def test_a_described_revision_equals_the_request_that_made_it():
    assert td.normalise(DESCRIBED) == td.normalise(REQUEST)
    assert td.differences(DESCRIBED, REQUEST) == []


def test_differences_name_the_fields():
    changed = dict(REQUEST, memory="1024", containerDefinitions=[{"name": "web", "image": "nginx:2", "portMappings": [{"containerPort": 80}]}])
    assert td.differences(DESCRIBED, changed) == ["containerDefinitions", "memory"]


def test_network_mode_defaults_to_bridge():
    assert td.normalise({"containerDefinitions": []})["networkMode"] == "bridge"


def test_summary():
    result = td.summary(dict(DESCRIBED, tags=[{"key": "project", "value": "dito"}]))
    assert result["family"] is None and result["revision"] == 12 and result["task_definition_arn"] == ARN
    assert result["containers"] == [{"name": "web", "image": "nginx:1"}] and result["tags"] == {"project": "dito"}
