"""Fixtures shared by the module tests of this folder (moto in-process: see tests/unit/conftest.py)."""

import contextlib
import json
from unittest import mock

import boto3
import pytest
from botocore.client import BaseClient
from botocore.exceptions import ClientError


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
