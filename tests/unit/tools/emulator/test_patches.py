"""Each emulator compatibility patch returns what the AWS API reference documents."""

import json
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import boto3
import pytest
from moto import mock_aws

from tools.emulator import patches


@pytest.fixture(scope="module", autouse=True)
def applied():
    return patches.apply_all()


def test_every_patch_is_listed_and_applied(applied):
    assert applied == [p.__name__ for p in patches.PATCHES]
    assert all(getattr(p, "applied", False) for p in patches.PATCHES)


def register(ecs, cpu):
    return ecs.register_task_definition(
        family="web",
        cpu=str(cpu),
        memory="512",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        containerDefinitions=[{"name": "web", "image": "nginx"}],
    )["taskDefinition"]["revision"]


@mock_aws
def test_describe_task_definition_family_returns_latest_active():
    ecs = boto3.client("ecs", region_name="eu-west-1")
    revisions = [register(ecs, cpu) for cpu in (256, 512, 1024)]
    assert revisions == [1, 2, 3]
    ecs.deregister_task_definition(taskDefinition="web:3")

    latest = ecs.describe_task_definition(taskDefinition="web")["taskDefinition"]
    assert (latest["revision"], latest["status"], latest["cpu"]) == (2, "ACTIVE", "512")
    # A revision asked for by number stays describable when INACTIVE, as on AWS.
    assert ecs.describe_task_definition(taskDefinition="web:3")["taskDefinition"]["status"] == "INACTIVE"

    ecs.deregister_task_definition(taskDefinition="web:1")
    ecs.deregister_task_definition(taskDefinition="web:2")
    with pytest.raises(ecs.exceptions.ClientException):
        ecs.describe_task_definition(taskDefinition="web")


@mock_aws
def test_task_definitions_record_registered_at():
    ecs = boto3.client("ecs", region_name="eu-west-1")
    before = datetime.now(UTC) - timedelta(seconds=5)
    register(ecs, 256)
    registered = ecs.describe_task_definition(taskDefinition="web")["taskDefinition"]["registeredAt"]
    assert before <= registered <= datetime.now(UTC) + timedelta(seconds=5)


@mock_aws
def test_test_event_pattern_answers():
    events = boto3.client("events", region_name="eu-west-1")
    pattern = json.dumps({"source": ["aws.codepipeline"], "detail": {"pipeline": [{"prefix": "dito-"}], "state": ["FAILED"]}})
    event = {
        "id": "1",
        "account": "123456789012",
        "source": "aws.codepipeline",
        "time": "2026-11-28T03:00:00Z",
        "region": "eu-west-1",
        "resources": [],
        "detail-type": "CodePipeline Pipeline Execution State Change",
        "detail": {"pipeline": "dito-backend", "state": "FAILED"},
    }
    assert events.test_event_pattern(EventPattern=pattern, Event=json.dumps(event))["Result"] is True
    event["detail"]["state"] = "SUCCEEDED"
    assert events.test_event_pattern(EventPattern=pattern, Event=json.dumps(event))["Result"] is False
    event["detail"] = {"pipeline": "other", "state": "FAILED"}
    assert events.test_event_pattern(EventPattern=pattern, Event=json.dumps(event))["Result"] is False


@mock_aws
def test_schedule_key_deletion_accepts_key_arn():
    kms = boto3.client("kms", region_name="eu-west-1")
    key = kms.create_key()["KeyMetadata"]
    kms.schedule_key_deletion(KeyId=key["Arn"], PendingWindowInDays=7)
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"


def fargate_service(ecs, ec2, controller):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    ecs.create_cluster(clusterName="c")
    register(ecs, 256)
    register(ecs, 512)
    return ecs.create_service(
        cluster="c",
        serviceName="web",
        taskDefinition="web:1",
        desiredCount=1,
        launchType="FARGATE",
        deploymentController={"type": controller},
        healthCheckGracePeriodSeconds=60,
        networkConfiguration={"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [sg]}},
    )["service"]


@mock_aws
def test_update_cluster_settings_answers():
    ecs = boto3.client("ecs", region_name="eu-west-1")
    ecs.create_cluster(clusterName="c", settings=[{"name": "containerInsights", "value": "disabled"}])
    cluster = ecs.update_cluster_settings(cluster="c", settings=[{"name": "containerInsights", "value": "enhanced"}])["cluster"]
    assert cluster["settings"] == [{"name": "containerInsights", "value": "enhanced"}]
    assert ecs.describe_clusters(clusters=["c"])["clusters"][0]["settings"] == [{"name": "containerInsights", "value": "enhanced"}]


@mock_aws
def test_services_keep_health_check_grace_period():
    ecs, ec2 = boto3.client("ecs", region_name="eu-west-1"), boto3.client("ec2", region_name="eu-west-1")
    assert fargate_service(ecs, ec2, "ECS")["healthCheckGracePeriodSeconds"] == 60
    ecs.update_service(cluster="c", service="web", healthCheckGracePeriodSeconds=90)
    assert ecs.describe_services(cluster="c", services=["web"])["services"][0]["healthCheckGracePeriodSeconds"] == 90


@mock_aws
def test_code_deploy_services_refuse_a_new_task_definition():
    ecs, ec2 = boto3.client("ecs", region_name="eu-west-1"), boto3.client("ec2", region_name="eu-west-1")
    fargate_service(ecs, ec2, "CODE_DEPLOY")
    with pytest.raises(ecs.exceptions.InvalidParameterException, match="CODE_DEPLOY"):
        ecs.update_service(cluster="c", service="web", taskDefinition="web:2")
    ecs.update_service(cluster="c", service="web", desiredCount=3)  # what CodeDeploy services may change
    service = ecs.describe_services(cluster="c", services=["web"])["services"][0]
    assert service["desiredCount"] == 3 and service["taskDefinition"].endswith(":1")


@mock_aws
def test_application_load_balancers_have_default_attributes():
    ec2, elb = boto3.client("ec2", region_name="eu-west-1"), boto3.client("elbv2", region_name="eu-west-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"eu-west-1{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))
    ]
    arn = elb.create_load_balancer(Name="web", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    attrs = {a["Key"]: a["Value"] for a in elb.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]}
    assert attrs["access_logs.s3.enabled"] == "false"
    assert attrs["idle_timeout.timeout_seconds"] == "60"
    assert attrs["routing.http2.enabled"] == "true"
    assert attrs["routing.http.drop_invalid_header_fields.enabled"] == "false"
    assert attrs["load_balancing.cross_zone.enabled"] == "true"
    elb.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[{"Key": "idle_timeout.timeout_seconds", "Value": "120"}])
    attrs = {a["Key"]: a["Value"] for a in elb.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]}
    assert attrs["idle_timeout.timeout_seconds"] == "120"
