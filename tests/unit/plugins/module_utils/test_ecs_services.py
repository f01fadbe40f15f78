"""module_utils/ecs_services.py: comparing a service with the asked one (blue/green-aware)."""

from unittest import mock

import pytest

from ansible_collections.dito.chat.plugins.module_utils import ecs_services as services

BLUE, GREEN, STRAY = "arn:tg/blue", "arn:tg/green", "arn:tg/stray"
LB = [{"targetGroupArn": BLUE, "containerName": "web", "containerPort": 80}]


def test_load_balancer_satisfied_on_either_group_of_the_pair():
    assert services.load_balancer_satisfied(LB, LB, [GREEN])
    assert services.load_balancer_satisfied([dict(LB[0], targetGroupArn=GREEN)], LB, [GREEN])
    assert not services.load_balancer_satisfied([dict(LB[0], targetGroupArn=STRAY)], LB, [GREEN])
    assert not services.load_balancer_satisfied([dict(LB[0], containerPort=8080)], LB, [GREEN])
    assert not services.load_balancer_satisfied([], LB, [])
    assert services.load_balancer_satisfied(None, [], [])


def test_network_normalised():
    network = {"awsvpcConfiguration": {"subnets": ["b", "a"], "securityGroups": ["sg-2", "sg-1"]}}
    assert services.network_normalised(network) == {"subnets": ["a", "b"], "securityGroups": ["sg-1", "sg-2"], "assignPublicIp": "DISABLED"}
    assert services.network_normalised(None) == {"subnets": [], "securityGroups": [], "assignPublicIp": "DISABLED"}


def test_deployment_configuration_compares_the_asked_keys_only():
    current = {"maximumPercent": 200, "minimumHealthyPercent": 100, "deploymentCircuitBreaker": {"enable": True, "rollback": True}}
    assert not services.deployment_configuration_differs(current, {"deploymentCircuitBreaker": {"enable": True}})
    assert services.deployment_configuration_differs(current, {"maximumPercent": 150})
    assert services.deployment_configuration_differs(None, {"deploymentCircuitBreaker": {"enable": True}})


CURRENT = {
    "desiredCount": 4,
    "taskDefinition": "arn:td/web:3",
    "loadBalancers": [dict(LB[0], targetGroupArn=GREEN)],
    "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["s1"], "securityGroups": ["sg-1"], "assignPublicIp": "DISABLED"}},
    "deploymentController": {"type": "CODE_DEPLOY"},
    "healthCheckGracePeriodSeconds": 60,
    "propagateTags": "SERVICE",
    "enableECSManagedTags": True,
    "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}],
}
REQUEST = {
    "desiredCount": 2,
    "loadBalancers": LB,
    "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["s1"], "securityGroups": ["sg-1"], "assignPublicIp": "DISABLED"}},
    "deploymentController": {"type": "CODE_DEPLOY"},
    "healthCheckGracePeriodSeconds": 60,
    "propagateTags": "SERVICE",
    "enableECSManagedTags": True,
    "enableExecuteCommand": False,
    "capacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}],
}


def test_service_differences_with_autoscaling_keep_the_count():
    assert services.service_differences(CURRENT, REQUEST, [GREEN], keep_desired_count=True) == {}
    assert services.service_differences(CURRENT, REQUEST, [GREEN], keep_desired_count=False) == {"desiredCount": (4, 2)}


def test_service_differences_report_have_and_want():
    request = dict(REQUEST, taskDefinition="arn:td/web:4", healthCheckGracePeriodSeconds=120, enableExecuteCommand=True)
    diffs = services.service_differences(CURRENT, request, [GREEN], keep_desired_count=True)
    assert diffs == {
        "taskDefinition": ("arn:td/web:3", "arn:td/web:4"),
        "healthCheckGracePeriodSeconds": (60, 120),
        "enableExecuteCommand": (False, True),
    }


def test_update_request_defers_what_only_codedeploy_changes():
    request = dict(REQUEST, taskDefinition="arn:td/web:4", healthCheckGracePeriodSeconds=120)
    diffs = services.service_differences(CURRENT, request, [GREEN], keep_desired_count=True)
    assert services.update_request(diffs, request, code_deploy=True) == ({"healthCheckGracePeriodSeconds": 120}, ["taskDefinition"])
    assert services.update_request(diffs, request, code_deploy=False) == ({"taskDefinition": "arn:td/web:4", "healthCheckGracePeriodSeconds": 120}, [])
    switch = {"deploymentController": ("CODE_DEPLOY", "ECS")}
    assert services.update_request(switch, dict(request, deploymentController={"type": "ECS"}), code_deploy=True) == (
        {"deploymentController": {"type": "ECS"}},
        [],
    )


def deployment(id_, status, rollout=None, running=2, desired=2, **extra):
    found = {"id": id_, "status": status, "taskDefinition": f"arn:aws:ecs:eu-west-1:123456789012:task-definition/web:{id_[-1]}"}
    found.update(runningCount=running, desiredCount=desired, failedTasks=0, **extra)
    if rollout:
        found["rolloutState"] = rollout
    return found


def rolling(*deployments):
    return {"status": "ACTIVE", "deploymentController": {"type": "ECS"}, "deployments": list(deployments)}


@pytest.mark.parametrize(
    "service, deployment_id, state",
    [
        (rolling(deployment("d2", "PRIMARY", "COMPLETED")), "d2", "stable"),
        (rolling(deployment("d2", "PRIMARY", "COMPLETED")), None, "stable"),
        (rolling(deployment("d2", "PRIMARY", "IN_PROGRESS", running=1), deployment("d1", "ACTIVE", "COMPLETED")), "d2", "waiting"),
        (rolling(deployment("d3", "PRIMARY", "IN_PROGRESS"), deployment("d2", "ACTIVE", "FAILED", rolloutStateReason="breaker")), "d2", "failed"),
        (rolling(deployment("d3", "PRIMARY", "COMPLETED")), "d2", "failed"),  # rolled back and drained
        (rolling(deployment("d2", "PRIMARY")), None, "stable"),  # no rolloutState: one deployment, all running
        (rolling(deployment("d2", "PRIMARY", running=1)), None, "waiting"),
        (rolling(deployment("d2", "PRIMARY"), deployment("d1", "ACTIVE")), None, "waiting"),
        ({"status": "DRAINING", "deployments": []}, None, "failed"),
        (None, None, "failed"),
        ({"status": "ACTIVE", "deploymentController": {"type": "CODE_DEPLOY"}, "taskSets": [{"stabilityStatus": "STEADY_STATE"}]}, None, "stable"),
        ({"status": "ACTIVE", "deploymentController": {"type": "CODE_DEPLOY"}, "taskSets": [{"stabilityStatus": "STEADY_STATE"}] * 2}, None, "waiting"),
    ],
)
def test_rollout_status(service, deployment_id, state):
    assert services.rollout_status(service, deployment_id)[0] == state


def test_a_failed_rollout_names_the_circuit_breakers_reason():
    service = rolling(deployment("d3", "PRIMARY", "IN_PROGRESS"), deployment("d2", "ACTIVE", "FAILED", running=0, rolloutStateReason="tasks failed to start."))
    assert services.rollout_status(service, "d2") == ("failed", "deployment d2 (web:2) FAILED: 0/2 tasks running, 0 failed: tasks failed to start.")


def test_wait_until_stable_polls_until_the_deadline():
    reads = iter([rolling(deployment("d2", "PRIMARY", "IN_PROGRESS", running=0))] * 3 + [rolling(deployment("d2", "PRIMARY", "COMPLETED"))])
    client = mock.Mock()
    client.describe_services.side_effect = lambda **kw: {"services": [next(reads)]}
    now, slept = [0.0], []

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    state, _message, service = services.wait_until_stable(client, "c", "web", "d2", 600, sleep, lambda: now[0])
    assert service["deployments"][0]["rolloutState"] == "COMPLETED"
    assert (state, slept) == ("stable", [15, 15, 15])
    reads = iter([rolling(deployment("d2", "PRIMARY", "IN_PROGRESS", running=0))] * 5)
    now[0], slept[:] = 0.0, []
    assert services.wait_until_stable(client, "c", "web", "d2", 20, sleep, lambda: now[0])[0] == "timeout"
    assert slept == [15, 5]
