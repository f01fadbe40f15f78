"""dito.chat.ecs_service (blue/green- and autoscaling-aware) against moto in-process."""

import boto3
import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError

from ansible_collections.dito.chat.plugins.modules import ecs_service

REGION = "eu-west-1"


@pytest.fixture
def stack(aws):
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24")["Subnet"]["SubnetId"] for i in (1, 2)]
    sg = ec2.create_security_group(GroupName="web-tasks", Description="tasks", VpcId=vpc)["GroupId"]
    ecs = boto3.client("ecs", region_name=REGION)
    ecs.create_cluster(clusterName="c")

    def revision(image):
        return ecs.register_task_definition(
            family="web",
            cpu="256",
            memory="512",
            networkMode="awsvpc",
            requiresCompatibilities=["FARGATE"],
            containerDefinitions=[{"name": "web", "image": image, "portMappings": [{"containerPort": 80}]}],
        )["taskDefinition"]["taskDefinitionArn"]

    elb = boto3.client("elbv2", region_name=REGION)
    blue, green = (
        elb.create_target_group(Name=f"web-{c}", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
        for c in ("blue", "green")
    )
    return {"ecs": ecs, "vpc": vpc, "subnets": subnets, "sg": sg, "revision": revision, "blue": blue, "green": green}


def service_args(stack, **extra):
    args = {
        "name": "web",
        "cluster": "c",
        "task_definition": stack["revision"]("nginx:1"),
        "desired_count": 2,
        "capacity_provider_strategy": [{"capacity_provider": "FARGATE"}],
        "subnets": stack["subnets"],
        "security_groups": ["web-tasks"],
        "vpc_id": stack["vpc"],
        "load_balancer": {"target_group_arn": stack["blue"], "alternate_target_group_arns": [stack["green"]], "container_name": "web", "container_port": 80},
        "deployment_controller": "CODE_DEPLOY",
        "health_check_grace_period_seconds": 60,
        "autoscaling": {"min_capacity": 2, "max_capacity": 6, "cpu_target": 60},
        "tags": {"service": "web"},
    }
    return {**args, **extra}


def test_code_deploy_service_lifecycle(stack, run_module):
    ecs = stack["ecs"]
    args = service_args(stack)
    planned = run_module(ecs_service.main, args, check_mode=True)
    assert planned["changed"] is True and ecs.list_services(cluster="c")["serviceArns"] == []

    made = run_module(ecs_service.main, args)
    assert made["changed"] is True and made["autoscaling"]["policies"] == ["web-cpu"]
    [held] = ecs.describe_services(cluster="c", services=["web"], include=["TAGS"])["services"]
    assert held["networkConfiguration"]["awsvpcConfiguration"]["securityGroups"] == [stack["sg"]]
    assert held["networkConfiguration"]["awsvpcConfiguration"]["assignPublicIp"] == "DISABLED"
    assert (held["deploymentController"]["type"], held["healthCheckGracePeriodSeconds"], held["enableExecuteCommand"]) == ("CODE_DEPLOY", 60, False)
    scaling = boto3.client("application-autoscaling", region_name=REGION)
    [target] = scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=["service/c/web"])["ScalableTargets"]
    assert (target["MinCapacity"], target["MaxCapacity"]) == (2, 6)
    assert run_module(ecs_service.main, args)["changed"] is False
    assert run_module(ecs_service.main, args, check_mode=True)["changed"] is False

    # CodeDeploy deploys a new revision behind green; autoscaling scales out to 4.
    deployed = stack["revision"]("nginx:2")
    task_set = ecs.create_task_set(
        cluster="c", service="web", taskDefinition=deployed, loadBalancers=[{"targetGroupArn": stack["green"], "containerName": "web", "containerPort": 80}]
    )["taskSet"]
    ecs.update_service_primary_task_set(cluster="c", service="web", primaryTaskSet=task_set["taskSetArn"])
    ecs.update_service(cluster="c", service="web", desiredCount=4)
    rerun = run_module(ecs_service.main, args)
    assert rerun["changed"] is False, rerun
    assert rerun["deferred"] == ["taskDefinition"] and rerun["warnings"]
    [held] = ecs.describe_services(cluster="c", services=["web"])["services"]
    assert (held["taskDefinition"], held["loadBalancers"][0]["targetGroupArn"], held["desiredCount"]) == (deployed, stack["green"], 4)
    # Naming the deployed revision, nothing differs at all.
    assert run_module(ecs_service.main, dict(args, task_definition=deployed))["deferred"] == []

    # What AWS accepts on a CODE_DEPLOY service is updated in place: grace period, autoscaling bounds, tags.
    result = run_module(
        ecs_service.main,
        dict(
            args,
            task_definition=deployed,
            health_check_grace_period_seconds=120,
            autoscaling={"min_capacity": 3, "max_capacity": 8, "cpu_target": 50},
            tags={"service": "web", "tier": "1"},
        ),
        diff=True,
    )
    assert result["changed"] is True and result["differences"] == ["healthCheckGracePeriodSeconds"]
    [held] = ecs.describe_services(cluster="c", services=["web"], include=["TAGS"])["services"]
    assert held["healthCheckGracePeriodSeconds"] == 120 and {t["key"] for t in held["tags"]} == {"service", "tier"}
    [target] = scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=["service/c/web"])["ScalableTargets"]
    assert (target["MinCapacity"], target["MaxCapacity"]) == (3, 8)
    [policy] = scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId="service/c/web")["ScalingPolicies"]
    assert policy["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 50.0

    assert run_module(ecs_service.main, {"name": "web", "cluster": "c", "state": "absent"})["changed"] is True
    assert scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"] == []
    assert run_module(ecs_service.main, {"name": "web", "cluster": "c", "state": "absent"})["changed"] is False


def test_rolling_service_takes_a_new_revision_and_a_count(stack, run_module):
    ecs = stack["ecs"]
    args = service_args(stack, deployment_controller="ECS", deployment_configuration={"circuit_breaker": True}, autoscaling=None, load_balancer=None)
    run_module(ecs_service.main, args)
    newer = stack["revision"]("nginx:3")
    result = run_module(ecs_service.main, dict(args, task_definition=newer, desired_count=3))
    assert result["changed"] is True and result["differences"] == ["desiredCount", "taskDefinition"] and result["deferred"] == []
    [held] = ecs.describe_services(cluster="c", services=["web"])["services"]
    assert (held["taskDefinition"], held["desiredCount"]) == (newer, 3)
    assert held["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}
    assert run_module(ecs_service.main, dict(args, task_definition=newer, desired_count=3))["changed"] is False


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"load_balancer": None}, "load_balancer is required with deployment_controller CODE_DEPLOY"),
        ({"deployment_configuration": {"circuit_breaker": True}}, "circuit_breaker works with deployment_controller ECS only"),
        ({"autoscaling": {"min_capacity": 5, "max_capacity": 2, "cpu_target": 60}}, "min_capacity must be between 0 and max_capacity"),
        ({"security_groups": ["no-such-group"]}, "security_groups"),
    ],
)
def test_bad_input_is_refused_before_any_change(stack, run_module, extra, message):
    result = run_module(ecs_service.main, service_args(stack, **extra))
    assert result["failed"] and message in result["msg"], result
    assert stack["ecs"].list_services(cluster="c")["serviceArns"] == []


def rolling_args(stack, **extra):
    rolling = {
        "deployment_controller": "ECS",
        "deployment_configuration": {"circuit_breaker": True},
        "load_balancer": {"target_group_arn": stack["blue"], "container_name": "web", "container_port": 80},
    }
    return service_args(stack, **{**rolling, **extra})


def test_a_rolling_service_takes_a_new_revision_with_only_name_cluster_and_task_definition(stack, run_module, api_calls):
    ecs = stack["ecs"]
    run_module(ecs_service.main, rolling_args(stack, enable_execute_command=True, propagate_tags="TASK_DEFINITION"))
    ecs.update_service(cluster="c", service="web", desiredCount=5)  # autoscaling scaled out
    [before] = ecs.describe_services(cluster="c", services=["web"], include=["TAGS"])["services"]
    newer = stack["revision"]("nginx:3")
    minimal = {"name": "web", "cluster": "c", "task_definition": newer, "wait": True}

    api_calls.clear()
    planned = run_module(ecs_service.main, minimal, check_mode=True)
    assert planned["changed"] is True and planned["differences"] == ["taskDefinition"]
    assert [op for _service, op in api_calls if op not in ("DescribeServices", "ListTagsForResource")] == []

    result = run_module(ecs_service.main, minimal)
    assert result["changed"] is True and result["differences"] == ["taskDefinition"] and result["deferred"] == []
    assert result["service"]["task_definition"] == newer
    assert result["deployment"]["state"] == "stable", result["deployment"]
    assert result["deployment"]["message"].endswith("COMPLETED: 5/5 tasks running, 0 failed")
    [after] = ecs.describe_services(cluster="c", services=["web"], include=["TAGS"])["services"]
    assert after["taskDefinition"] == newer
    assert [(d["status"], d["taskDefinition"], d["rolloutState"]) for d in after["deployments"]] == [("PRIMARY", newer, "COMPLETED")]
    assert after["deployments"][0]["id"] == result["deployment"]["id"]
    unchanged = ("desiredCount", "networkConfiguration", "loadBalancers", "deploymentConfiguration", "propagateTags", "enableExecuteCommand", "tags")
    assert {k: after.get(k) for k in unchanged} == {k: before.get(k) for k in unchanged}
    assert (after["desiredCount"], after["enableExecuteCommand"], after["propagateTags"]) == (5, True, "TASK_DEFINITION")
    scaling = boto3.client("application-autoscaling", region_name=REGION)
    [target] = scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=["service/c/web"])["ScalableTargets"]
    assert (target["MinCapacity"], target["MaxCapacity"]) == (2, 6)
    again = run_module(ecs_service.main, minimal)
    assert (again["changed"], again["deployment"]["state"]) == (False, "stable")


def test_wait_fails_naming_the_circuit_breakers_reason_and_the_service_rolls_back(stack, run_module):
    ecs = stack["ecs"]
    first = run_module(ecs_service.main, rolling_args(stack, wait=True))
    assert first["deployment"]["state"] == "stable"
    old = first["service"]["task_definition"]
    broken = stack["revision"]("nginx:dito-emulator-unhealthy-1")
    result = run_module(ecs_service.main, {"name": "web", "cluster": "c", "task_definition": broken, "wait": True})
    assert result["failed"] is True and result["changed"] is True
    assert result["deployment"]["state"] == "failed"
    assert result["msg"].startswith("failed waiting for service web to be stable: deployment ecs-svc/")
    assert result["msg"].endswith("FAILED: 0/2 tasks running, 2 failed: ECS deployment circuit breaker: tasks failed to start.")
    [held] = ecs.describe_services(cluster="c", services=["web"])["services"]
    assert held["taskDefinition"] == old


def test_wait_times_out_when_tasks_never_start_without_a_circuit_breaker(stack, run_module, monkeypatch):
    monkeypatch.setattr(ecs_service.services, "POLL_SECONDS", 0.05)
    run_module(ecs_service.main, rolling_args(stack, deployment_configuration={"circuit_breaker": False}))
    broken = stack["revision"]("nginx:dito-emulator-unhealthy-1")
    result = run_module(ecs_service.main, {"name": "web", "cluster": "c", "task_definition": broken, "wait": True, "wait_timeout": 1})
    assert result["failed"] is True and result["deployment"]["state"] == "timeout"
    assert result["msg"].startswith("timed out after 1 s waiting for service web to be stable: deployment ecs-svc/")
    assert "IN_PROGRESS: 0/2 tasks running" in result["msg"]


def test_an_omitted_controller_leaves_a_code_deploy_service_as_it_is(stack, run_module, api_calls):
    ecs = stack["ecs"]
    run_module(ecs_service.main, service_args(stack))
    api_calls.clear()
    result = run_module(ecs_service.main, {"name": "web", "cluster": "c", "task_definition": stack["revision"]("nginx:2"), "wait": True})
    assert result["changed"] is False and result["deferred"] == ["taskDefinition"] and result["warnings"]
    assert result["deployment"]["state"] == "stable"
    assert [op for _service, op in api_calls if not op.startswith(("Describe", "List", "Register"))] == []
    [held] = ecs.describe_services(cluster="c", services=["web"])["services"]
    assert (held["deploymentController"]["type"], held["desiredCount"], held["taskDefinition"].endswith("web:1")) == ("CODE_DEPLOY", 2, True)


# ---------------------------------------------------------------------------------------------------
# A lost CreateService response: the resend must not make a second service, nor fail.


def create_attempts(monkeypatch, second_answer=None):
    """Each CreateService is made twice (the first response is lost). The caller gets the second answer, or
    ``second_answer`` raised as ECS's error. Returns the clientToken of each attempt."""
    tokens = []
    original = BaseClient._make_api_call

    def twice(self, operation_name, api_params):
        if operation_name != "CreateService":
            return original(self, operation_name, api_params)
        tokens.append(api_params.get("clientToken"))
        original(self, operation_name, api_params)
        tokens.append(api_params.get("clientToken"))
        if second_answer:
            raise ClientError({"Error": {"Code": "InvalidParameterException", "Message": second_answer}}, operation_name)
        return original(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", twice)
    return tokens


def services_named(ecs, name="web"):
    arns = ecs.list_services(cluster="c")["serviceArns"]
    return [s for s in ecs.describe_services(cluster="c", services=arns)["services"] if s["serviceName"] == name and s["status"] == "ACTIVE"] if arns else []


def test_a_resent_create_carries_the_same_client_token_and_leaves_one_service(stack, run_module, monkeypatch):
    tokens = create_attempts(monkeypatch)
    result = run_module(ecs_service.main, rolling_args(stack))
    assert result["changed"] is True and "failed" not in result, result.get("msg")
    # ECS recognises the resend by its token: both attempts carry the same one, unique to this run (36 characters).
    assert len(tokens) == 2 and tokens[0] == tokens[1] and len(tokens[0]) == 36
    assert len(services_named(stack["ecs"])) == 1
    first = tokens[0]
    stack["ecs"].delete_service(cluster="c", service="web", force=True)
    run_module(ecs_service.main, rolling_args(stack))
    assert len(tokens) == 4 and tokens[2] != first  # ECS asks for a unique token per request: a new one after a delete


def test_a_resent_create_answered_not_idempotent_carries_on_with_the_service(stack, run_module, monkeypatch):
    create_attempts(monkeypatch, second_answer="Creation of service was not idempotent.")
    args = rolling_args(stack)
    result = run_module(ecs_service.main, args)
    assert result["changed"] is True and "failed" not in result, result.get("msg")
    [service] = services_named(stack["ecs"])
    assert result["service"]["service_arn"] == service["serviceArn"] and result["service"]["status"] == "ACTIVE"
    assert run_module(ecs_service.main, args)["changed"] is False


def test_a_throttled_create_is_retried_and_reported(stack, run_module, faults, warning_lines):
    faults.throttle("ecs", "CreateService", times=1)
    result = run_module(ecs_service.main, rolling_args(stack))
    assert result["changed"] is True and "failed" not in result, result.get("msg")
    assert len(services_named(stack["ecs"])) == 1
    assert result["retries"] == [{"service": "ecs", "operation": "CreateService", "error": "ThrottlingException", "count": 1}]
    assert "Retried 1 AWS request: ecs CreateService ThrottlingException x1" in warning_lines(result)
