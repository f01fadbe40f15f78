"""module_utils/ecs_services.py: comparing a service with the asked one (blue/green-aware)."""

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
