"""Fixtures shared by the module tests of this folder (moto in-process: see tests/unit/conftest.py)."""

import boto3
import pytest


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
