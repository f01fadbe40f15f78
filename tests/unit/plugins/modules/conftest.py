"""Fixtures shared by the module tests of this folder (moto in-process: see tests/unit/conftest.py)."""

import contextlib
import json
from unittest import mock

import boto3
import pytest
from botocore import handlers
from botocore.awsrequest import AWSResponse
from botocore.client import BaseClient
from botocore.exceptions import ClientError
from botocore.exceptions import ConnectionClosedError
from moto.core.botocore_stubber import MockRawResponse
from moto.core.models import botocore_stubber as moto_stubber


@pytest.fixture
def iam_propagating(monkeypatch):
    """The emulator's IAM propagation fault mode, closed by the module's first retry sleep: every attempt before the
    module sleeps is refused (its role is "younger than propagation"), every attempt after is accepted, whatever the
    machine's load (a window of seconds closed before the module's first call on a loaded CI machine, CI of 3acb496
    and of fa79cb3). Sleeps are cut to 10 ms."""
    import time

    from moto.core.config import default_user_config

    config = default_user_config.setdefault("iam", {})
    monkeypatch.setitem(config, "propagation_seconds", 3600)
    real_sleep = time.sleep

    def sleep(seconds):
        config["propagation_seconds"] = 0
        real_sleep(min(seconds, 0.01))

    monkeypatch.setattr(time, "sleep", sleep)


@pytest.fixture
def lb(aws):
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"eu-west-1{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))
    ]
    sg = ec2.create_security_group(GroupName="alb", Description="alb", VpcId=vpc)["GroupId"]
    elb = boto3.client("elbv2", region_name="eu-west-1")
    elb.arn = elb.create_load_balancer(Name="dito", Subnets=subnets, SecurityGroups=[sg], Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    elb.vpc = vpc
    acm = boto3.client("acm", region_name="eu-west-1")
    elb.certs = [acm.request_certificate(DomainName=d)["CertificateArn"] for d in ("chat.example.com", "chat2.example.com")]
    return elb


@pytest.fixture
def ec(aws):
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    client = boto3.client("elasticache", region_name="eu-west-1")
    client.subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24")["Subnet"]["SubnetId"] for i in (1, 2)]
    return client


@pytest.fixture
def ecr(aws):
    return boto3.client("ecr", region_name="eu-west-1")


@pytest.fixture
def ecs_blue_green(aws):
    """What an ECS blue/green deployment group needs, as CodeDeploy checks it: a Fargate service with the CODE_DEPLOY
    deployment controller (cluster ``dito``, service ``backend``, task definition ``backend:1``, container
    ``backend`` on port 8080) behind target group ``backend-blue``; the pair's other target group ``backend-green``;
    an ALB with a production listener (80) and a test listener (8443), both forwarding to blue; and an IAM role
    CodeDeploy can assume. Returns names and ARNs."""
    region = "eu-west-1"
    ec2 = boto3.client("ec2", region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{region}{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))]
    sg = ec2.create_security_group(GroupName="backend", Description="backend", VpcId=vpc)["GroupId"]
    elb = boto3.client("elbv2", region_name=region)
    lb = elb.create_load_balancer(Name="dito-cd", Subnets=subnets, SecurityGroups=[sg], Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    target_groups = ["backend-blue", "backend-green"]
    tg_arns = {
        name: elb.create_target_group(Name=name, Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
        for name in target_groups
    }

    def listener(port):
        forward = [{"Type": "forward", "TargetGroupArn": tg_arns["backend-blue"]}]
        return elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=port, DefaultActions=forward)["Listeners"][0]["ListenerArn"]

    production, test = listener(80), listener(8443)
    ecs = boto3.client("ecs", region_name=region)
    cluster = ecs.create_cluster(clusterName="dito")["cluster"]["clusterArn"]
    task_definition = ecs.register_task_definition(
        family="backend",
        cpu="256",
        memory="512",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        containerDefinitions=[{"name": "backend", "image": "nginx:1.27", "portMappings": [{"containerPort": 8080}]}],
    )["taskDefinition"]["taskDefinitionArn"]
    service = ecs.create_service(
        cluster="dito",
        serviceName="backend",
        taskDefinition=task_definition,
        desiredCount=1,
        launchType="FARGATE",
        deploymentController={"type": "CODE_DEPLOY"},
        networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [sg], "assignPublicIp": "DISABLED"}},
        loadBalancers=[{"targetGroupArn": tg_arns["backend-blue"], "containerName": "backend", "containerPort": 8080}],
    )["service"]["serviceArn"]
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    role = boto3.client("iam", region_name=region).create_role(RoleName="dito-codedeploy", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    return {
        "region": region,
        "vpc_id": vpc,
        "subnet_ids": subnets,
        "security_group_id": sg,
        "load_balancer_arn": lb,
        "target_groups": target_groups,
        "target_group_arns": tg_arns,
        "production_listener_arn": production,
        "test_listener_arn": test,
        "cluster": "dito",
        "cluster_arn": cluster,
        "service": "backend",
        "service_arn": service,
        "task_definition_arn": task_definition,
        "container_name": "backend",
        "container_port": 8080,
        "role_arn": role,
    }


class Faults:
    """Transient failures that botocore meets for real, below its retry handler (so the ``needs-retry`` event
    fires and botocore's standard retry mode decides, as against AWS):

    - ``throttle(service, operation, times, code)``: the first ``times`` attempts are answered HTTP 400 with that
      error (the service's throttling error by default) and never reach moto (nothing happens in the account);
    - ``lose_response(service, operation, times)``: the first ``times`` attempts reach moto (the write happens),
      then the connection is closed before the answer arrives (ConnectionClosedError).

    ``service`` is botocore's event name of the service (``ecs``, ``servicediscovery``, ``codedeploy``); the
    JSON protocol's error shape is used. ``met`` counts the faults injected by (service, operation, kind)."""

    def __init__(self):
        self.rules = {}
        self.met = {}

    def _add(self, service, operation, kind, times):
        self.met.setdefault((service, operation, kind), 0)
        self.rules.setdefault(f"before-send.{service}.{operation}", []).append((kind, times))

    def throttle(self, service, operation, times=1, code="ThrottlingException"):
        self._add(service, operation, code, times)

    def lose_response(self, service, operation, times=1):
        self._add(service, operation, "connection lost", times)

    def _due(self, event_name):
        service, operation = event_name.split(".")[1:3]
        for kind, times in self.rules.get(event_name, []):
            if self.met[(service, operation, kind)] < times:
                self.met[(service, operation, kind)] += 1
                return kind
        return None

    def gate(self, stubber):
        """moto's before-send handler behind the faults."""

        def send(event_name, request, **kwargs):
            kind = self._due(event_name)
            if kind is None:
                return stubber(event_name=event_name, request=request, **kwargs)
            if kind != "connection lost":
                body = json.dumps({"__type": kind, "message": f"{kind} injected by the test"}).encode()
                return AWSResponse(request.url, 400, {"Content-Type": "application/x-amz-json-1.1"}, MockRawResponse(body))
            stubber(event_name=event_name, request=request, **kwargs)
            raise ConnectionClosedError(endpoint_url=request.url)

        return send


@pytest.fixture
def faults(monkeypatch):
    """Faults (see the class) in every boto3 session made while the test runs; botocore in the standard retry mode
    with 10 attempts, as the playbooks run modules. Sessions take their handlers from botocore's BUILTIN_HANDLERS,
    where moto put its stubber: the test's list puts the faults in front of it."""
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "10")
    injected = Faults()
    gated = [(spec[0], injected.gate(spec[1]), *spec[2:]) if spec[1] is moto_stubber else spec for spec in handlers.BUILTIN_HANDLERS]
    assert sum(spec[1] is moto_stubber for spec in handlers.BUILTIN_HANDLERS) == 1
    monkeypatch.setattr(handlers, "BUILTIN_HANDLERS", gated)
    return injected


@pytest.fixture
def resent(monkeypatch):
    """``resent("CreateCluster", ...)``: each call of those operations is made twice and the caller gets the second
    answer (or error): the first attempt happened, its response was lost, and botocore's retry got this answer.
    Returns the list of (operation, second answer or error) seen."""
    seen = []
    original = BaseClient._make_api_call

    def arm(*operations):
        def twice(self, operation_name, api_params):
            if operation_name not in operations:
                return original(self, operation_name, api_params)
            original(self, operation_name, api_params)
            try:
                answer = original(self, operation_name, api_params)
            except ClientError as e:
                seen.append((operation_name, e.response["Error"]["Code"]))
                raise
            seen.append((operation_name, "answered"))
            return answer

        monkeypatch.setattr(BaseClient, "_make_api_call", twice)
        return seen

    return arm


@pytest.fixture
def warning_lines():
    """The text of a module result's warnings (ansible-core 2.19+ returns them as WarningSummary mappings)."""

    def lines(result):
        return [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])]

    return lines


@pytest.fixture
def lost_response():
    """Lose the response of the named operations, as a connection error would: each call of one of them is sent
    twice and the caller sees the second answer (or its error). That is what botocore's retry does when the first
    attempt reached AWS and its answer never came back. Returns the list of (service, operation) calls doubled, so a
    test proves the fault happened."""
    doubled = []
    original = BaseClient._make_api_call

    def install(*operations):
        def twice(self, operation_name, api_params):
            if operation_name not in operations:
                return original(self, operation_name, api_params)
            doubled.append((self.meta.service_model.service_name, operation_name))
            with contextlib.suppress(ClientError):
                original(self, operation_name, api_params)
            return original(self, operation_name, api_params)

        patcher = mock.patch.object(BaseClient, "_make_api_call", twice)
        patcher.start()
        patchers.append(patcher)
        return doubled

    patchers = []
    yield install
    for patcher in reversed(patchers):
        patcher.stop()
