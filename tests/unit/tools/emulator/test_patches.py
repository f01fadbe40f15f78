"""Each emulator compatibility patch returns what the AWS API reference documents."""

import json
import uuid
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import boto3
import pytest
from botocore.exceptions import ClientError
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


def rolling_service(ecs, breaker):
    ecs.create_cluster(clusterName="c")
    for image in ("nginx:1", "nginx:2", "nginx:dito-emulator-unhealthy-1"):
        ecs.register_task_definition(family="web", containerDefinitions=[{"name": "web", "image": image, "memory": 128}])
    ecs.create_service(
        cluster="c",
        serviceName="web",
        taskDefinition="web:1",
        desiredCount=2,
        deploymentConfiguration={"deploymentCircuitBreaker": {"enable": breaker, "rollback": breaker}},
    )

    def read():
        service = ecs.describe_services(cluster="c", services=["web"])["services"][0]
        return service, [(d["status"], d["taskDefinition"].rsplit("/", 1)[-1], d["rolloutState"], d["runningCount"]) for d in service["deployments"]]

    assert read()[1] == [("PRIMARY", "web:1", "COMPLETED", 2)]
    return read


@mock_aws
def test_rolling_deployments_roll_out():
    ecs = boto3.client("ecs", region_name="eu-west-1")
    read = rolling_service(ecs, breaker=True)
    updated = ecs.update_service(cluster="c", service="web", taskDefinition="web:2")["service"]
    ours = updated["deployments"][0]
    assert (ours["status"], ours["taskDefinition"], ours["rolloutState"]) == ("PRIMARY", updated["taskDefinition"], "IN_PROGRESS")
    assert [d["status"] for d in updated["deployments"]] == ["PRIMARY", "ACTIVE"]
    assert updated["taskDefinition"].endswith(":task-definition/web:2")  # the ARN, not the family:revision given
    service, deployments = read()
    assert deployments == [("PRIMARY", "web:2", "COMPLETED", 2)]
    assert (service["deployments"][0]["id"], service["runningCount"]) == (ours["id"], 2)
    ecs.update_service(cluster="c", service="web", desiredCount=3)  # a count change is no new deployment
    assert read()[1] == [("PRIMARY", "web:2", "COMPLETED", 3)]


@mock_aws
def test_rolling_deployments_roll_out_and_the_circuit_breaker_rolls_back():
    ecs = boto3.client("ecs", region_name="eu-west-1")
    read = rolling_service(ecs, breaker=True)
    failing = ecs.update_service(cluster="c", service="web", taskDefinition="web:3")["service"]["deployments"][0]["id"]
    service, deployments = read()
    assert deployments == [("PRIMARY", "web:1", "IN_PROGRESS", 0), ("ACTIVE", "web:3", "FAILED", 0)]
    failed = service["deployments"][1]
    assert (failed["id"], failed["rolloutStateReason"]) == (failing, "ECS deployment circuit breaker: tasks failed to start.")
    assert failed["failedTasks"] > 0 and service["taskDefinition"].endswith("/web:1")
    assert read()[1] == [("PRIMARY", "web:1", "COMPLETED", 2)]


@mock_aws
def test_rolling_deployments_roll_out_without_a_circuit_breaker_keep_trying():
    ecs = boto3.client("ecs", region_name="eu-west-1")
    read = rolling_service(ecs, breaker=False)
    ecs.update_service(cluster="c", service="web", taskDefinition="web:3")
    read()
    assert read()[1] == [("PRIMARY", "web:3", "IN_PROGRESS", 0), ("ACTIVE", "web:1", "COMPLETED", 2)]


@mock_aws
def test_create_service_keeps_strategy_deployment_configuration_and_flags():
    ecs = boto3.client("ecs", region_name="eu-west-1")
    ecs.create_cluster(clusterName="c")
    register(ecs, 256)
    config = {"maximumPercent": 200, "minimumHealthyPercent": 100, "deploymentCircuitBreaker": {"enable": True, "rollback": True}}
    ecs.create_service(
        cluster="c",
        serviceName="web",
        taskDefinition="web:1",
        desiredCount=1,
        capacityProviderStrategy=[{"capacityProvider": "FARGATE_SPOT", "weight": 2, "base": 1}],
        deploymentConfiguration=config,
        enableECSManagedTags=True,
        enableExecuteCommand=False,
    )
    service = ecs.describe_services(cluster="c", services=["web"])["services"][0]
    assert service["capacityProviderStrategy"] == [{"capacityProvider": "FARGATE_SPOT", "weight": 2, "base": 1}]
    assert service["deploymentConfiguration"] == config
    assert (service["enableECSManagedTags"], service["enableExecuteCommand"]) == (True, False)
    assert "launchType" not in service  # placed by the strategy


@mock_aws
def test_create_service_is_idempotent_by_client_token_and_a_taken_name_is_refused():
    ecs, ec2 = boto3.client("ecs", region_name="eu-west-1"), boto3.client("ec2", region_name="eu-west-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    ecs.create_cluster(clusterName="c")
    register(ecs, 256)
    request = {
        "cluster": "c",
        "serviceName": "web",
        "taskDefinition": "web:1",
        "desiredCount": 1,
        "launchType": "FARGATE",
        "networkConfiguration": {"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [sg]}},
    }
    first = ecs.create_service(**request, clientToken="run-1")["service"]
    # The same request again (a resend after a lost response): the service it made, untouched.
    again = ecs.create_service(**request, clientToken="run-1")["service"]
    assert again["serviceArn"] == first["serviceArn"] and again["deployments"] == first["deployments"]
    # Another token, or the same token with other parameters: the name is taken.
    for token, changes in (("run-2", {}), (None, {}), ("run-1", {"desiredCount": 2})):
        with pytest.raises(ecs.exceptions.InvalidParameterException, match="Creation of service was not idempotent"):
            ecs.create_service(**dict(request, **changes), **({"clientToken": token} if token else {}))
    [service] = ecs.describe_services(cluster="c", services=["web"])["services"]
    assert (service["deployments"][0]["id"], service["desiredCount"]) == (first["deployments"][0]["id"], 1)
    # A deleted (INACTIVE) service leaves the name free.
    ecs.delete_service(cluster="c", service="web", force=True)
    assert ecs.create_service(**request, clientToken="run-3")["service"]["deployments"][0]["id"] != first["deployments"][0]["id"]


@mock_aws
def test_application_load_balancers_report_their_regions_hosted_zone():
    for region, zone in (("eu-west-1", "Z32O12XQLNTSW2"), ("us-east-1", "Z35SXDOTRQ7X7K")):
        ec2, elb = boto3.client("ec2", region_name=region), boto3.client("elbv2", region_name=region)
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnets = [
            ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{region}{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))
        ]
        lb = elb.create_load_balancer(Name="web", Subnets=subnets)["LoadBalancers"][0]
        assert lb["CanonicalHostedZoneId"] == zone
        assert elb.describe_load_balancers(Names=["web"])["LoadBalancers"][0]["CanonicalHostedZoneId"] == zone


@mock_aws
def test_create_listener_is_idempotent_and_a_taken_port_is_refused():
    ec2, elb = boto3.client("ec2", region_name="eu-west-1"), boto3.client("elbv2", region_name="eu-west-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"eu-west-1{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))
    ]
    lb = elb.create_load_balancer(Name="web", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    forbidden = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "403", "ContentType": "text/plain"}}]
    first = elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=forbidden)["Listeners"][0]
    again = elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=forbidden)["Listeners"][0]
    assert again["ListenerArn"] == first["ListenerArn"]
    other = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}]
    with pytest.raises(ClientError) as refused:
        elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=other)
    assert refused.value.response["Error"]["Code"] == "DuplicateListener"
    assert [listener["ListenerArn"] for listener in elb.describe_listeners(LoadBalancerArn=lb)["Listeners"]] == [first["ListenerArn"]]
    second = elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=8080, DefaultActions=forbidden)["Listeners"][0]
    assert second["ListenerArn"] != first["ListenerArn"]


@mock_aws
def test_create_load_balancer_is_idempotent_and_a_taken_name_is_refused():
    ec2, elb = boto3.client("ec2", region_name="eu-west-1"), boto3.client("elbv2", region_name="eu-west-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"eu-west-1{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))
    ]
    group = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    first = elb.create_load_balancer(Name="web", Subnets=subnets, SecurityGroups=[group], Scheme="internet-facing")["LoadBalancers"][0]
    again = elb.create_load_balancer(Name="web", Subnets=list(reversed(subnets)), SecurityGroups=[group], Scheme="internet-facing")
    assert again["LoadBalancers"][0]["LoadBalancerArn"] == first["LoadBalancerArn"]
    assert len(elb.describe_load_balancers()["LoadBalancers"]) == 1
    with pytest.raises(ClientError) as refused:
        elb.create_load_balancer(Name="web", Subnets=subnets, SecurityGroups=[group], Scheme="internal")
    assert refused.value.response["Error"]["Code"] == "DuplicateLoadBalancerName"
    assert len(elb.describe_load_balancers()["LoadBalancers"]) == 1


@mock_aws
def test_create_target_group_is_idempotent_and_a_taken_name_is_refused():
    ec2, elb = boto3.client("ec2", region_name="eu-west-1"), boto3.client("elbv2", region_name="eu-west-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    request = {
        "Name": "web-blue",
        "Protocol": "HTTP",
        "Port": 8080,
        "VpcId": vpc,
        "TargetType": "ip",
        "HealthCheckPath": "/healthz",
        "HealthCheckIntervalSeconds": 15,
        "HealthyThresholdCount": 3,
        "Matcher": {"HttpCode": "200-299"},
    }
    first = elb.create_target_group(**request)["TargetGroups"][0]
    # The same request again (a resend after a lost response): the same target group.
    assert elb.create_target_group(**request)["TargetGroups"][0]["TargetGroupArn"] == first["TargetGroupArn"]
    for changes in ({"Port": 8081}, {"HealthCheckPath": "/"}, {"Matcher": {"HttpCode": "200"}}):
        with pytest.raises(ClientError) as refused:
            elb.create_target_group(**dict(request, **changes))
        assert refused.value.response["Error"]["Code"] == "DuplicateTargetGroupName"
    assert [g["TargetGroupArn"] for g in elb.describe_target_groups()["TargetGroups"]] == [first["TargetGroupArn"]]


@mock_aws
def test_deregistering_a_scalable_target_deletes_its_policies():
    aas, cw = boto3.client("application-autoscaling", region_name="eu-west-1"), boto3.client("cloudwatch", region_name="eu-west-1")
    fargate_service(boto3.client("ecs", region_name="eu-west-1"), boto3.client("ec2", region_name="eu-west-1"), "ECS")
    target = {"ServiceNamespace": "ecs", "ResourceId": "service/c/web", "ScalableDimension": "ecs:service:DesiredCount"}
    aas.register_scalable_target(**target, MinCapacity=1, MaxCapacity=4)
    aas.put_scaling_policy(
        **target,
        PolicyName="cpu",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 60.0,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
        },
    )
    assert len(cw.describe_alarms()["MetricAlarms"]) == 2  # target tracking made its high and low alarms
    aas.deregister_scalable_target(**target)
    assert aas.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"] == []
    assert cw.describe_alarms()["MetricAlarms"] == []


@mock_aws
def test_put_scaling_policy_updates_the_policy_of_that_name():
    aas, cw = boto3.client("application-autoscaling", region_name="eu-west-1"), boto3.client("cloudwatch", region_name="eu-west-1")
    fargate_service(boto3.client("ecs", region_name="eu-west-1"), boto3.client("ec2", region_name="eu-west-1"), "ECS")
    target = {"ServiceNamespace": "ecs", "ResourceId": "service/c/web", "ScalableDimension": "ecs:service:DesiredCount"}
    aas.register_scalable_target(**target, MinCapacity=1, MaxCapacity=4)

    def put(value):
        return aas.put_scaling_policy(
            **target,
            PolicyName="cpu",
            PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration={
                "TargetValue": value,
                "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
            },
        )

    first = put(60.0)
    # The same put again (a resend after a lost response), then a change: one policy, one pair of alarms.
    assert put(60.0)["PolicyARN"] == first["PolicyARN"]
    assert put(70.0)["PolicyARN"] == first["PolicyARN"]
    [policy] = aas.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"]
    assert policy["PolicyARN"] == first["PolicyARN"] and policy["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 70.0
    alarms = cw.describe_alarms()["MetricAlarms"]
    assert len(alarms) == 2 and {a["AlarmName"] for a in alarms} == {a["AlarmName"] for a in policy["Alarms"]}


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


def access_log_attributes(bucket, prefix):
    return [
        {"Key": "access_logs.s3.enabled", "Value": "true"},
        {"Key": "access_logs.s3.bucket", "Value": bucket},
        {"Key": "access_logs.s3.prefix", "Value": prefix},
    ]


def log_bucket_policy(bucket, principal, resource):
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                },
                {"Effect": "Allow", "Principal": principal, "Action": "s3:PutObject", "Resource": resource},
            ],
        }
    )


@pytest.mark.parametrize(
    ("region", "principal"),
    [("eu-west-1", {"AWS": "arn:aws:iam::156460612806:root"}), ("me-central-1", {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"})],
)
@mock_aws
def test_enabling_access_logs_checks_the_bucket_policy_and_writes_the_test_file(region, principal):
    ec2, elb, s3 = (boto3.client(s, region_name=region) for s in ("ec2", "elbv2", "s3"))
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{region}{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))]
    arn = elb.create_load_balancer(Name="web", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]

    def enable(prefix="web"):
        with pytest.raises(elb.exceptions.ClientError) as refused:
            elb.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=access_log_attributes("web-logs", prefix))
        return refused.value.response["Error"]

    assert enable()["Code"] == "InvalidConfigurationRequest"  # no such bucket
    s3.create_bucket(Bucket="web-logs", CreateBucketConfiguration={"LocationConstraint": region})
    assert enable() == {
        "Type": "Sender",
        "Code": "InvalidConfigurationRequest",
        "Message": "Access Denied for bucket: web-logs. Please check S3bucket permission",
    }
    # The grant of the bucket's root (what s3_log_bucket wrote before), while the load balancer writes under its prefix.
    s3.put_bucket_policy(Bucket="web-logs", Policy=log_bucket_policy("web-logs", principal, "arn:aws:s3:::web-logs/AWSLogs/123456789012/*"))
    assert enable()["Message"] == "Access Denied for bucket: web-logs. Please check S3bucket permission"
    # Another region's principal on the right key.
    other = {"AWS": "arn:aws:iam::127311923021:root"} if "AWS" in principal else {"AWS": "arn:aws:iam::156460612806:root"}
    s3.put_bucket_policy(Bucket="web-logs", Policy=log_bucket_policy("web-logs", other, "arn:aws:s3:::web-logs/web/AWSLogs/123456789012/*"))
    assert enable()["Message"] == "Access Denied for bucket: web-logs. Please check S3bucket permission"
    assert s3.list_objects_v2(Bucket="web-logs").get("Contents", []) == []

    s3.put_bucket_policy(Bucket="web-logs", Policy=log_bucket_policy("web-logs", principal, "arn:aws:s3:::web-logs/web/AWSLogs/123456789012/*"))
    elb.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=access_log_attributes("web-logs", "web"))
    attrs = {a["Key"]: a["Value"] for a in elb.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]}
    assert (attrs["access_logs.s3.enabled"], attrs["access_logs.s3.bucket"], attrs["access_logs.s3.prefix"]) == ("true", "web-logs", "web")
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="web-logs")["Contents"]] == ["web/AWSLogs/123456789012/ELBAccessLogTestFile"]
    # Turning logs off needs no permission.
    s3.delete_bucket_policy(Bucket="web-logs")
    elb.modify_load_balancer_attributes(LoadBalancerArn=arn, Attributes=[{"Key": "access_logs.s3.enabled", "Value": "false"}])


@mock_aws
def test_bucket_policy_conditions_are_evaluated():
    s3 = boto3.client("s3", region_name="eu-west-1")
    s3.create_bucket(Bucket="web-logs", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::web-logs", "arn:aws:s3:::web-logs/*"]}
    statements = [
        # The TLS-only statement of every hardened bucket: a request over TLS is not concerned.
        dict(deny, Condition={"Bool": {"aws:SecureTransport": "false"}}),
        # A statement without a condition still applies.
        dict(deny, Action="s3:DeleteObject", Resource="arn:aws:s3:::web-logs/kept/*"),
    ]
    s3.put_bucket_policy(Bucket="web-logs", Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    for key in ("AWSLogs/123456789012/x.log", "kept/y.log"):
        s3.put_object(Bucket="web-logs", Key=key, Body=b"x")
    answer = s3.delete_objects(Bucket="web-logs", Delete={"Objects": [{"Key": "AWSLogs/123456789012/x.log"}, {"Key": "kept/y.log"}], "Quiet": True})
    assert [(e["Key"], e["Code"]) for e in answer.get("Errors", [])] == [("kept/y.log", "AccessDenied")]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="web-logs")["Contents"]] == ["kept/y.log"]
    # A condition that holds for a TLS request applies.
    statements[0]["Condition"] = {"Bool": {"aws:SecureTransport": "true"}}
    s3.put_bucket_policy(Bucket="web-logs", Policy=json.dumps({"Version": "2012-10-17", "Statement": statements[:1]}))
    answer = s3.delete_objects(Bucket="web-logs", Delete={"Objects": [{"Key": "kept/y.log"}], "Quiet": True})
    assert [e["Code"] for e in answer.get("Errors", [])] == ["AccessDenied"]


# ElastiCache (Redis OSS / Valkey, cluster mode disabled)


def elasticache_network():
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"eu-west-1{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))
    ]
    sg = ec2.create_security_group(GroupName="redis", Description="redis", VpcId=vpc)["GroupId"]
    ec = boto3.client("elasticache", region_name="eu-west-1")
    ec.create_cache_subnet_group(CacheSubnetGroupName="sn", CacheSubnetGroupDescription="d", SubnetIds=subnets)
    ec.create_cache_parameter_group(CacheParameterGroupName="pg", CacheParameterGroupFamily="redis7", Description="d")
    return ec, sg


def create_group(ec, sg, **extra):
    args = dict(
        ReplicationGroupId="r",
        ReplicationGroupDescription="d",
        Engine="redis",
        EngineVersion="7.1",
        CacheNodeType="cache.t4g.small",
        NumCacheClusters=2,
        AutomaticFailoverEnabled=True,
        CacheParameterGroupName="pg",
        CacheSubnetGroupName="sn",
        SecurityGroupIds=[sg],
        TransitEncryptionEnabled=True,
        AuthToken="x" * 32,
    )
    return ec.create_replication_group(**{k: v for k, v in {**args, **extra}.items() if v is not None})["ReplicationGroup"]


@mock_aws
def test_replication_groups_honour_num_cache_clusters():
    ec, sg = elasticache_network()
    assert create_group(ec, sg, NumCacheClusters=3)["MemberClusters"] == ["r-001", "r-002", "r-003"]
    with pytest.raises(ec.exceptions.ClientError, match="InvalidParameterCombination"):
        create_group(ec, sg, ReplicationGroupId="solo", NumCacheClusters=1)


@mock_aws
def test_auth_tokens_and_engine_versions_are_checked():
    """AUTH tokens take letters, digits and ! & # $ ^ < > - only; Valkey starts at 7.2 (ElastiCache user guide)."""
    ec, sg = elasticache_network()
    for token in ("with.dots.is.refused.by.aws", "x" * 15, "@" * 20):
        with pytest.raises(ec.exceptions.ClientError, match="InvalidParameterValue"):
            create_group(ec, sg, ReplicationGroupId="bad-token", AuthToken=token)
    with pytest.raises(ec.exceptions.ClientError, match=r"Cannot find version 7\.1 for valkey"):
        create_group(ec, sg, ReplicationGroupId="old-valkey", Engine="valkey", EngineVersion="7.1")
    create_group(ec, sg, AuthToken="Aa1!&#$^<>-" + "b" * 10)
    create_group(ec, sg, ReplicationGroupId="valkey", Engine="valkey", EngineVersion="7.2")
    with pytest.raises(ec.exceptions.ClientError, match="InvalidParameterValue"):
        ec.modify_replication_group(ReplicationGroupId="r", AuthToken="rotated/with/slashes/x", AuthTokenUpdateStrategy="ROTATE", ApplyImmediately=True)
    with pytest.raises(ec.exceptions.ClientError, match=r"Cannot find version 7\.0 for valkey"):
        ec.modify_replication_group(ReplicationGroupId="valkey", EngineVersion="7.0", ApplyImmediately=True)


@mock_aws
def test_replication_groups_keep_log_delivery_configurations():
    ec, sg = elasticache_network()
    request = {
        "LogType": "slow-log",
        "DestinationType": "cloudwatch-logs",
        "DestinationDetails": {"CloudWatchLogsDetails": {"LogGroup": "lg"}},
        "LogFormat": "json",
        "Enabled": True,
    }
    logs = create_group(ec, sg, LogDeliveryConfigurations=[request])["LogDeliveryConfigurations"]
    assert logs == [{**{k: v for k, v in request.items() if k != "Enabled"}, "Status": "active", "Message": "Log delivery configuration is active."}]


@mock_aws
def test_replication_group_members_are_cache_clusters():
    ec, sg = elasticache_network()
    create_group(ec, sg)
    member = ec.describe_cache_clusters(CacheClusterId="r-002")["CacheClusters"][0]
    assert member["ReplicationGroupId"] == "r"
    assert member["EngineVersion"] == "7.1"
    assert member["CacheParameterGroup"]["CacheParameterGroupName"] == "pg"
    assert member["CacheSubnetGroupName"] == "sn"
    assert member["SecurityGroups"] == [{"SecurityGroupId": sg, "Status": "active"}]
    ec.delete_replication_group(ReplicationGroupId="r")
    with pytest.raises(ec.exceptions.CacheClusterNotFoundFault):
        ec.describe_cache_clusters(CacheClusterId="r-001")


@mock_aws
def test_modify_replication_group_applies_every_documented_field():
    ec, sg = elasticache_network()
    created = create_group(
        ec,
        sg,
        LogDeliveryConfigurations=[
            {
                "LogType": "slow-log",
                "DestinationType": "cloudwatch-logs",
                "DestinationDetails": {"CloudWatchLogsDetails": {"LogGroup": "lg"}},
                "LogFormat": "json",
            }
        ],
    )
    ec.create_cache_parameter_group(CacheParameterGroupName="pg2", CacheParameterGroupFamily="redis7", Description="d")
    group = ec.modify_replication_group(
        ReplicationGroupId="r",
        ApplyImmediately=True,
        CacheNodeType="cache.t4g.medium",
        CacheParameterGroupName="pg2",
        PreferredMaintenanceWindow="sun:03:00-sun:04:00",
        SnapshotWindow="01:00-02:00",
        AutoMinorVersionUpgrade=False,
        AuthToken="y" * 32,
        AuthTokenUpdateStrategy="ROTATE",
        LogDeliveryConfigurations=[{"LogType": "slow-log", "Enabled": False}],
    )["ReplicationGroup"]
    assert (group["CacheNodeType"], group["SnapshotWindow"], group["AutoMinorVersionUpgrade"]) == ("cache.t4g.medium", "01:00-02:00", False)
    assert group["LogDeliveryConfigurations"] == []
    assert group["AuthTokenLastModifiedDate"] > created["AuthTokenLastModifiedDate"]
    member = ec.describe_cache_clusters(CacheClusterId="r-001")["CacheClusters"][0]
    assert (member["CacheParameterGroup"]["CacheParameterGroupName"], member["PreferredMaintenanceWindow"]) == ("pg2", "sun:03:00-sun:04:00")


@mock_aws
def test_replica_count_changes():
    ec, sg = elasticache_network()
    create_group(ec, sg)
    grown = ec.increase_replica_count(ReplicationGroupId="r", NewReplicaCount=3, ApplyImmediately=True)["ReplicationGroup"]
    assert grown["MemberClusters"] == ["r-001", "r-002", "r-003", "r-004"]
    shrunk = ec.decrease_replica_count(ReplicationGroupId="r", NewReplicaCount=1, ApplyImmediately=True)["ReplicationGroup"]
    assert shrunk["MemberClusters"] == ["r-001", "r-002"]
    assert len(ec.describe_cache_clusters()["CacheClusters"]) == 2
    with pytest.raises(ec.exceptions.ClientError, match="InvalidReplicationGroupState"):
        ec.decrease_replica_count(ReplicationGroupId="r", NewReplicaCount=0, ApplyImmediately=True)
    with pytest.raises(ec.exceptions.ClientError, match="InvalidParameterValue"):
        ec.increase_replica_count(ReplicationGroupId="r", NewReplicaCount=6, ApplyImmediately=True)


@mock_aws
def test_deletes_finish():
    ec, sg = elasticache_network()
    create_group(ec, sg)
    assert ec.delete_replication_group(ReplicationGroupId="r")["ReplicationGroup"]["Status"] == "deleting"
    ec.get_waiter("replication_group_deleted").wait(ReplicationGroupId="r", WaiterConfig={"Delay": 1, "MaxAttempts": 2})
    assert ec.describe_replication_groups()["ReplicationGroups"] == []


@mock_aws
def test_cache_subnet_groups_can_be_modified_and_deleted():
    ec, sg = elasticache_network()
    subnets = [s["SubnetIdentifier"] for s in ec.describe_cache_subnet_groups(CacheSubnetGroupName="sn")["CacheSubnetGroups"][0]["Subnets"]]
    modified = ec.modify_cache_subnet_group(CacheSubnetGroupName="sn", CacheSubnetGroupDescription="new", SubnetIds=subnets[:1])["CacheSubnetGroup"]
    assert (modified["CacheSubnetGroupDescription"], [s["SubnetIdentifier"] for s in modified["Subnets"]]) == ("new", subnets[:1])
    create_group(ec, sg)
    with pytest.raises(ec.exceptions.ClientError, match="CacheSubnetGroupInUse"):
        ec.delete_cache_subnet_group(CacheSubnetGroupName="sn")
    ec.delete_replication_group(ReplicationGroupId="r")
    ec.delete_cache_subnet_group(CacheSubnetGroupName="sn")
    with pytest.raises(ec.exceptions.CacheSubnetGroupNotFoundFault):
        ec.describe_cache_subnet_groups(CacheSubnetGroupName="sn")


@mock_aws
def test_cache_parameter_groups():
    ec, sg = elasticache_network()
    arn = ec.describe_cache_parameter_groups(CacheParameterGroupName="pg")["CacheParameterGroups"][0]["ARN"]
    assert arn.endswith(":parametergroup:pg")
    ec.add_tags_to_resource(ResourceName=arn, Tags=[{"Key": "project", "Value": "dito"}])
    assert ec.list_tags_for_resource(ResourceName=arn)["TagList"] == [{"Key": "project", "Value": "dito"}]
    with pytest.raises(ec.exceptions.CacheParameterGroupAlreadyExistsFault):
        ec.create_cache_parameter_group(CacheParameterGroupName="pg", CacheParameterGroupFamily="redis7", Description="d")
    with pytest.raises(ec.exceptions.ClientError, match="InvalidParameterValue"):
        ec.create_cache_parameter_group(CacheParameterGroupName="bad", CacheParameterGroupFamily="redis9", Description="d")
    ec.modify_cache_parameter_group(
        CacheParameterGroupName="pg",
        ParameterNameValues=[{"ParameterName": "maxmemory-policy", "ParameterValue": "allkeys-lru"}, {"ParameterName": "timeout", "ParameterValue": "300"}],
    )
    ec.reset_cache_parameter_group(CacheParameterGroupName="pg", ParameterNameValues=[{"ParameterName": "timeout"}])
    assert ec.describe_cache_parameters(CacheParameterGroupName="pg", Source="user")["Parameters"][0]["ParameterName"] == "maxmemory-policy"
    assert len(ec.describe_cache_parameters(CacheParameterGroupName="pg", Source="user")["Parameters"]) == 1
    create_group(ec, sg)
    with pytest.raises(ec.exceptions.InvalidCacheParameterGroupStateFault):
        ec.delete_cache_parameter_group(CacheParameterGroupName="pg")
    ec.delete_replication_group(ReplicationGroupId="r")
    ec.delete_cache_parameter_group(CacheParameterGroupName="pg")
    with pytest.raises(ec.exceptions.CacheParameterGroupNotFoundFault):
        ec.describe_cache_parameter_groups(CacheParameterGroupName="pg")


@mock_aws
def test_replication_groups_report_the_kms_key_arn():
    ec, sg = elasticache_network()
    kms = boto3.client("kms", region_name="eu-west-1")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/redis", TargetKeyId=key["KeyId"])
    assert create_group(ec, sg, AtRestEncryptionEnabled=True, KmsKeyId="alias/redis")["KmsKeyId"] == key["Arn"]
    assert create_group(ec, sg, ReplicationGroupId="by-id", AtRestEncryptionEnabled=True, KmsKeyId=key["KeyId"])["KmsKeyId"] == key["Arn"]
    with pytest.raises(ec.exceptions.ClientError, match="InvalidParameterValue"):
        create_group(ec, sg, ReplicationGroupId="unknown", AtRestEncryptionEnabled=True, KmsKeyId="alias/none")


LAMBDA_TRUST = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
)


def lambda_zip():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def create_lambda(awslambda, role_arn, **extra):
    return awslambda.create_function(FunctionName="fn", Runtime="python3.12", Handler="handler.handler", Role=role_arn, Code={"ZipFile": lambda_zip()}, **extra)


@pytest.fixture
def iam_propagation():
    """Turn the fault mode on (through the moto-api config, as a test against the server would), then off."""
    from moto.core.config import default_user_config
    from moto.moto_api._internal.models import moto_api_backend

    def set_seconds(seconds):
        moto_api_backend.set_config({"iam": {"propagation_seconds": seconds}})

    yield set_seconds
    default_user_config["iam"].pop("propagation_seconds", None)


@mock_aws
def test_new_roles_cannot_be_assumed_while_iam_propagates(iam_propagation, monkeypatch):
    from tools.emulator.patches import awslambda as lambda_patches

    iam = boto3.client("iam", region_name="eu-west-1")
    awslambda = boto3.client("lambda", region_name="eu-west-1")
    old = iam.create_role(RoleName="old", AssumeRolePolicyDocument=LAMBDA_TRUST)["Role"]["Arn"]
    # Off by default: a role made a moment ago is assumable at once, as moto has it.
    create_lambda(awslambda, old)
    awslambda.delete_function(FunctionName="fn")

    iam_propagation(30)
    from moto.moto_api._internal.models import moto_api_backend as api

    assert api.get_config()["iam"] == {"propagation_seconds": 30}
    new = iam.create_role(RoleName="new", AssumeRolePolicyDocument=LAMBDA_TRUST)["Role"]["Arn"]
    with pytest.raises(awslambda.exceptions.InvalidParameterValueException, match=r"^.*The role defined for the function cannot be assumed by Lambda\.$"):
        create_lambda(awslambda, new)
    assert awslambda.list_functions()["Functions"] == []
    with pytest.raises(awslambda.exceptions.InvalidParameterValueException, match=r"cannot be assumed by Lambda"):
        create_lambda(awslambda, old)  # "old" is also younger than 30 s
    # Once the role is older than the window, both calls go through.
    iam_propagation(0.5)
    import time

    time.sleep(0.6)
    create_lambda(awslambda, new)
    iam_propagation(30)  # a wide window again, so a loaded machine cannot close it before the next call
    newer = iam.create_role(RoleName="newer", AssumeRolePolicyDocument=LAMBDA_TRUST)["Role"]["Arn"]
    with pytest.raises(awslambda.exceptions.InvalidParameterValueException, match=r"cannot be assumed by Lambda"):
        awslambda.update_function_configuration(FunctionName="fn", Role=newer)
    awslambda.update_function_configuration(FunctionName="fn", Timeout=9)  # no role in the request: nothing to assume
    # A reset returns to the start value (the environment's, else off).
    from moto.moto_api._internal.models import moto_api_backend

    iam_propagation(30)
    moto_api_backend.reset()
    assert lambda_patches.propagation_seconds() == 0
    monkeypatch.setenv("DITO_EMULATOR_IAM_PROPAGATION_SECONDS", "7")
    assert lambda_patches.propagation_seconds() == 7


@mock_aws
def test_update_function_configuration_applies_the_kms_key():
    iam = boto3.client("iam", region_name="eu-west-1")
    awslambda = boto3.client("lambda", region_name="eu-west-1")
    key = boto3.client("kms", region_name="eu-west-1").create_key()["KeyMetadata"]["Arn"]
    create_lambda(awslambda, iam.create_role(RoleName="r", AssumeRolePolicyDocument=LAMBDA_TRUST)["Role"]["Arn"])
    assert awslambda.update_function_configuration(FunctionName="fn", KMSKeyArn=key)["KMSKeyArn"] == key
    assert awslambda.get_function(FunctionName="fn")["Configuration"]["KMSKeyArn"] == key
    awslambda.update_function_configuration(FunctionName="fn", KMSKeyArn="")
    assert "KMSKeyArn" not in awslambda.get_function(FunctionName="fn")["Configuration"]


@mock_aws
def test_put_function_event_invoke_config_overwrites():
    iam = boto3.client("iam", region_name="eu-west-1")
    awslambda = boto3.client("lambda", region_name="eu-west-1")
    create_lambda(awslambda, iam.create_role(RoleName="r", AssumeRolePolicyDocument=LAMBDA_TRUST)["Role"]["Arn"])
    queue = "arn:aws:sqs:eu-west-1:123456789012:failed"
    awslambda.put_function_event_invoke_config(FunctionName="fn", MaximumRetryAttempts=2)
    awslambda.put_function_event_invoke_config(FunctionName="fn", MaximumRetryAttempts=1, DestinationConfig={"OnFailure": {"Destination": queue}})
    held = awslambda.get_function_event_invoke_config(FunctionName="fn")
    assert (held["MaximumRetryAttempts"], held["DestinationConfig"]["OnFailure"]["Destination"]) == (1, queue)
    assert len(awslambda.list_function_event_invoke_configs(FunctionName="fn")["FunctionEventInvokeConfigs"]) == 1


@mock_aws
def test_add_permission_refuses_a_statement_id_in_use():
    iam, awslambda = boto3.client("iam", region_name="eu-west-1"), boto3.client("lambda", region_name="eu-west-1")
    role = iam.create_role(RoleName="alerts", AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}))["Role"]["Arn"]
    create_lambda(awslambda, role)
    permission = {"FunctionName": "fn", "StatementId": "eventbridge", "Action": "lambda:InvokeFunction", "Principal": "events.amazonaws.com"}
    awslambda.add_permission(**permission)
    # The same permission again (a resend after a lost response): refused, one statement.
    with pytest.raises(awslambda.exceptions.ResourceConflictException) as refused:
        awslambda.add_permission(**permission)
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert [s["Sid"] for s in json.loads(awslambda.get_policy(FunctionName="fn")["Policy"])["Statement"]] == ["eventbridge"]
    awslambda.add_permission(**dict(permission, StatementId="other"))
    assert len(json.loads(awslambda.get_policy(FunctionName="fn")["Policy"])["Statement"]) == 2


def held_tokens(group_id):
    """The credentials the emulated group accepts, oldest first (None: unauthenticated access)."""
    from moto.elasticache.models import elasticache_backends

    return elasticache_backends["123456789012"]["eu-west-1"].replication_groups[group_id].auth_tokens


@mock_aws
def test_auth_token_rotation_keeps_both_tokens_until_set():
    """ROTATE keeps the previous token (or no-AUTH access) beside the new one until SET (ElastiCache user guide, AUTH)."""
    ec, sg = elasticache_network()
    first, second, third = ("a" * 32, "b" * 32, "c" * 32)
    create_group(ec, sg, AuthToken=first)
    assert held_tokens("r") == [first]
    with pytest.raises(ec.exceptions.ClientError, match=r"InvalidParameterCombination.*SET strategy is allowed only after ROTATE"):
        ec.modify_replication_group(ReplicationGroupId="r", AuthToken=second, AuthTokenUpdateStrategy="SET", ApplyImmediately=True)
    assert held_tokens("r") == [first]

    rotated = ec.modify_replication_group(ReplicationGroupId="r", AuthToken=second, AuthTokenUpdateStrategy="ROTATE", ApplyImmediately=True)["ReplicationGroup"]
    assert rotated["AuthTokenEnabled"] is True and held_tokens("r") == [first, second]
    ec.modify_replication_group(ReplicationGroupId="r", AuthToken=third, ApplyImmediately=True)  # ROTATE is the default
    assert held_tokens("r") == [second, third]
    done = ec.modify_replication_group(ReplicationGroupId="r", AuthToken=third, AuthTokenUpdateStrategy="SET", ApplyImmediately=True)["ReplicationGroup"]
    assert done["AuthTokenEnabled"] is True and done["AuthTokenLastModifiedDate"] >= rotated["AuthTokenLastModifiedDate"]
    assert held_tokens("r") == [third]
    with pytest.raises(ec.exceptions.ClientError, match="InvalidParameterCombination"):
        ec.modify_replication_group(ReplicationGroupId="r", AuthToken=first, AuthTokenUpdateStrategy="SET", ApplyImmediately=True)
    with pytest.raises(ec.exceptions.ClientError, match=r"InvalidParameterCombination.*RBAC"):
        ec.modify_replication_group(ReplicationGroupId="r", AuthTokenUpdateStrategy="DELETE", ApplyImmediately=True)
    assert held_tokens("r") == [third]


@mock_aws
def test_enabling_auth_with_rotate_stays_open_until_set():
    """AUTH added to a group without it (ROTATE) still admits unauthenticated clients until SET."""
    ec, sg = elasticache_network()
    open_group = create_group(ec, sg, AuthToken=None)
    assert open_group["AuthTokenEnabled"] is False and held_tokens("r") == [None]
    with pytest.raises(ec.exceptions.ClientError, match="InvalidParameterCombination"):
        ec.modify_replication_group(ReplicationGroupId="r", AuthToken="a" * 32, AuthTokenUpdateStrategy="SET", ApplyImmediately=True)
    rotated = ec.modify_replication_group(ReplicationGroupId="r", AuthToken="a" * 32, AuthTokenUpdateStrategy="ROTATE", ApplyImmediately=True)
    assert rotated["ReplicationGroup"]["AuthTokenEnabled"] is True and held_tokens("r") == [None, "a" * 32]
    ec.modify_replication_group(ReplicationGroupId="r", AuthToken="a" * 32, AuthTokenUpdateStrategy="SET", ApplyImmediately=True)
    assert held_tokens("r") == ["a" * 32]
    create_group(ec, sg, ReplicationGroupId="old", EngineVersion="5.0.5", CacheParameterGroupName=None)
    with pytest.raises(ec.exceptions.ClientError, match=r"InvalidParameterCombination.*5\.0\.6"):
        ec.modify_replication_group(ReplicationGroupId="old", AuthToken="b" * 32, AuthTokenUpdateStrategy="ROTATE", ApplyImmediately=True)


@mock_aws
def test_delete_replication_group_takes_a_final_snapshot():
    ec, sg = elasticache_network()
    create_group(ec, sg)
    ec.delete_replication_group(ReplicationGroupId="r", FinalSnapshotIdentifier="r-final-1")
    [snapshot] = ec.describe_snapshots(SnapshotName="r-final-1")["Snapshots"]
    assert (snapshot["ReplicationGroupId"], snapshot["SnapshotStatus"], snapshot["CacheNodeType"]) == ("r", "available", "cache.t4g.small")
    assert ec.describe_replication_groups()["ReplicationGroups"] == []

    create_group(ec, sg)
    with pytest.raises(ec.exceptions.SnapshotAlreadyExistsFault):
        ec.delete_replication_group(ReplicationGroupId="r", FinalSnapshotIdentifier="r-final-1")
    assert len(ec.describe_replication_groups()["ReplicationGroups"]) == 1


@mock_aws
def test_security_groups_need_an_existing_vpc():
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    with pytest.raises(ec2.exceptions.ClientError, match=r"InvalidVpcID\.NotFound"):
        ec2.create_security_group(GroupName="web", Description="web", VpcId="vpc-0123456789abcdef0")
    assert [g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]] == ["default"]
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="web", Description="web", VpcId=vpc)["GroupId"]
    assert ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"][0]["VpcId"] == vpc


@mock_aws
def test_private_zones_of_one_name_conflict_in_a_vpc():
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    vpc, other = (ec2.create_vpc(CidrBlock=c)["Vpc"]["VpcId"] for c in ("10.0.0.0/16", "10.1.0.0/16"))
    route53 = boto3.client("route53", region_name="eu-west-1")

    def private_zone(reference, vpc_id, name="prod.dito.internal"):
        config = {"Comment": reference, "PrivateZone": True}
        return route53.create_hosted_zone(Name=name, CallerReference=reference, HostedZoneConfig=config, VPC={"VPCRegion": "eu-west-1", "VPCId": vpc_id})

    first = private_zone("first", vpc)["HostedZone"]["Id"]
    with pytest.raises(route53.exceptions.ConflictingDomainExists):
        private_zone("second", vpc)
    # The same name in another VPC, another name in the same VPC, and a public zone of that name are fine.
    in_other = private_zone("other-vpc", other)["HostedZone"]["Id"]
    private_zone("other-name", vpc, name="staging.dito.internal")
    route53.create_hosted_zone(Name="prod.dito.internal", CallerReference="public")
    with pytest.raises(route53.exceptions.ConflictingDomainExists):
        route53.associate_vpc_with_hosted_zone(HostedZoneId=in_other, VPC={"VPCRegion": "eu-west-1", "VPCId": vpc})
    zones = route53.list_hosted_zones_by_vpc(VPCId=vpc, VPCRegion="eu-west-1")["HostedZoneSummaries"]
    assert sorted(z["Name"] for z in zones) == ["prod.dito.internal.", "staging.dito.internal."]
    assert first.endswith(next(z["HostedZoneId"] for z in zones if z["Name"] == "prod.dito.internal."))


@mock_aws
def test_a_caller_reference_creates_one_hosted_zone():
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    route53 = boto3.client("route53", region_name="eu-west-1")
    request = {"Name": "prod.dito.internal", "CallerReference": "prod.dito.internal-1", "HostedZoneConfig": {"Comment": "c", "PrivateZone": True}}
    first = route53.create_hosted_zone(**request, VPC={"VPCRegion": "eu-west-1", "VPCId": vpc})["HostedZone"]
    # The same request again (a resend after a lost response), and the same reference for a public zone of another name.
    with pytest.raises(route53.exceptions.HostedZoneAlreadyExists) as resent:
        route53.create_hosted_zone(**request, VPC={"VPCRegion": "eu-west-1", "VPCId": vpc})
    assert resent.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(route53.exceptions.HostedZoneAlreadyExists):
        route53.create_hosted_zone(Name="other.example", CallerReference="prod.dito.internal-1")
    assert [z["Id"] for z in route53.list_hosted_zones()["HostedZones"]] == [first["Id"]]
    route53.create_hosted_zone(Name="other.example", CallerReference="another")
    assert len(route53.list_hosted_zones()["HostedZones"]) == 2


@mock_aws
def test_a_caller_reference_is_never_used_again():
    route53 = boto3.client("route53", region_name="eu-west-1")
    zone = route53.create_hosted_zone(Name="prod.dito.example", CallerReference="prod.dito.example")["HostedZone"]["Id"]
    route53.delete_hosted_zone(Id=zone)
    # A teardown, then a create with the reference of the deleted zone: refused, as the reference must be unique.
    with pytest.raises(route53.exceptions.HostedZoneAlreadyExists):
        route53.create_hosted_zone(Name="prod.dito.example", CallerReference="prod.dito.example")
    assert route53.list_hosted_zones()["HostedZones"] == []
    route53.create_hosted_zone(Name="prod.dito.example", CallerReference="prod.dito.example-2")
    assert len(route53.list_hosted_zones()["HostedZones"]) == 1


def private_dns_namespace(sd, ec2, name="svc.prod.dito.internal"):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    operation = sd.get_operation(OperationId=sd.create_private_dns_namespace(Name=name, Vpc=vpc)["OperationId"])["Operation"]
    return sd.get_namespace(Id=operation["Targets"]["NAMESPACE"])["Namespace"]


@mock_aws
def test_deleting_a_dns_namespace_deletes_its_hosted_zone():
    sd, r53 = boto3.client("servicediscovery", region_name="eu-west-1"), boto3.client("route53", region_name="eu-west-1")
    namespace = private_dns_namespace(sd, boto3.client("ec2", region_name="eu-west-1"))
    zone = namespace["Properties"]["DnsProperties"]["HostedZoneId"].rsplit("/", 1)[-1]
    other = r53.create_hosted_zone(Name="other.internal", CallerReference="other")["HostedZone"]["Id"].rsplit("/", 1)[-1]
    assert {z["Id"].rsplit("/", 1)[-1] for z in r53.list_hosted_zones()["HostedZones"]} == {zone, other}

    sd.delete_namespace(Id=namespace["Id"])
    assert [z["Id"].rsplit("/", 1)[-1] for z in r53.list_hosted_zones()["HostedZones"]] == [other]


@mock_aws
def test_creator_request_ids_make_cloud_map_creates_idempotent():
    sd = boto3.client("servicediscovery", region_name="eu-west-1")
    vpc = boto3.client("ec2", region_name="eu-west-1").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    first = sd.create_private_dns_namespace(Name="svc.dito.internal", Vpc=vpc, CreatorRequestId="request-1")["OperationId"]
    # The same request again: the same operation. Another request for the name: NamespaceAlreadyExists, naming it.
    assert sd.create_private_dns_namespace(Name="svc.dito.internal", Vpc=vpc, CreatorRequestId="request-1")["OperationId"] == first
    namespace_id = sd.get_operation(OperationId=first)["Operation"]["Targets"]["NAMESPACE"]
    with pytest.raises(sd.exceptions.NamespaceAlreadyExists) as refused:
        sd.create_private_dns_namespace(Name="svc.dito.internal", Vpc=vpc, CreatorRequestId="request-2")
    assert (refused.value.response["NamespaceId"], refused.value.response["CreatorRequestId"]) == (namespace_id, "request-1")
    assert len(sd.list_namespaces()["Namespaces"]) == 1

    request = {"Name": "backend", "NamespaceId": namespace_id, "DnsConfig": {"DnsRecords": [{"Type": "A", "TTL": 10}]}}
    service = sd.create_service(CreatorRequestId="service-1", **request)["Service"]
    assert sd.create_service(CreatorRequestId="service-1", **request)["Service"]["Id"] == service["Id"]
    with pytest.raises(sd.exceptions.ServiceAlreadyExists) as refused:
        sd.create_service(CreatorRequestId="service-2", **request)
    assert refused.value.response["ServiceId"] == service["Id"]
    assert [s["Id"] for s in sd.list_services()["Services"]] == [service["Id"]]


@mock_aws
def test_private_dns_namespaces_of_other_names_share_a_vpc():
    sd = boto3.client("servicediscovery", region_name="eu-west-1")
    vpc = boto3.client("ec2", region_name="eu-west-1").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for name in ("svc.staging.dito.internal", "svc.production.dito.internal"):
        sd.create_private_dns_namespace(Name=name, Vpc=vpc, CreatorRequestId=name)
    assert sorted(n["Name"] for n in sd.list_namespaces()["Namespaces"]) == ["svc.production.dito.internal", "svc.staging.dito.internal"]
    # The same name in the same VPC is still refused, and nothing was lost on the way.
    with pytest.raises(sd.exceptions.NamespaceAlreadyExists):
        sd.create_private_dns_namespace(Name="svc.staging.dito.internal", Vpc=vpc, CreatorRequestId="another")
    assert len(sd.list_namespaces()["Namespaces"]) == 2


@mock_aws
def test_list_services_and_namespaces_honour_their_filters():
    sd = boto3.client("servicediscovery", region_name="eu-west-1")
    vpc = boto3.client("ec2", region_name="eu-west-1").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ids = {}
    for env in ("staging", "production"):
        operation = sd.create_private_dns_namespace(Name=f"svc.{env}.dito.internal", Vpc=vpc)["OperationId"]
        ids[env] = sd.get_operation(OperationId=operation)["Operation"]["Targets"]["NAMESPACE"]
        sd.create_service(Name="backend", NamespaceId=ids[env], DnsConfig={"DnsRecords": [{"Type": "A", "TTL": 10}]})
    sd.create_http_namespace(Name="api")
    for env in ("staging", "production"):
        listed = sd.list_services(Filters=[{"Name": "NAMESPACE_ID", "Values": [ids[env]], "Condition": "EQ"}])["Services"]
        assert [sd.get_service(Id=s["Id"])["Service"]["NamespaceId"] for s in listed] == [ids[env]]
    both = sd.list_services(Filters=[{"Name": "NAMESPACE_ID", "Values": list(ids.values()), "Condition": "IN"}])["Services"]
    assert len(both) == 2 and len(sd.list_services()["Services"]) == 2
    private = sd.list_namespaces(Filters=[{"Name": "TYPE", "Values": ["DNS_PRIVATE"], "Condition": "EQ"}])["Namespaces"]
    assert sorted(n["Name"] for n in private) == ["svc.production.dito.internal", "svc.staging.dito.internal"]
    named = sd.list_namespaces(Filters=[{"Name": "NAME", "Values": ["svc.st"], "Condition": "BEGINS_WITH"}])["Namespaces"]
    assert [n["Name"] for n in named] == ["svc.staging.dito.internal"]


@mock_aws
def test_namespaces_with_services_cannot_be_deleted():
    sd = boto3.client("servicediscovery", region_name="eu-west-1")
    namespace = private_dns_namespace(sd, boto3.client("ec2", region_name="eu-west-1"))
    service = sd.create_service(Name="backend", NamespaceId=namespace["Id"], DnsConfig={"DnsRecords": [{"Type": "A", "TTL": 10}]})["Service"]
    with pytest.raises(sd.exceptions.ResourceInUse):
        sd.delete_namespace(Id=namespace["Id"])
    assert sd.get_namespace(Id=namespace["Id"])["Namespace"]["Name"] == "svc.prod.dito.internal"

    sd.delete_service(Id=service["Id"])
    sd.delete_namespace(Id=namespace["Id"])
    assert sd.list_namespaces()["Namespaces"] == []


@mock_aws
def test_deleting_a_hosted_zone_needs_only_its_apex_soa_and_ns_left():
    r53 = boto3.client("route53", region_name="eu-west-1")
    zone = r53.create_hosted_zone(Name="prod.dito.internal", CallerReference="z")["HostedZone"]["Id"]
    delegation = {"Name": "team.prod.dito.internal", "Type": "NS", "TTL": 60, "ResourceRecords": [{"Value": "ns-1.example.net."}]}
    r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": delegation}]})
    with pytest.raises(r53.exceptions.HostedZoneNotEmpty):
        r53.delete_hosted_zone(Id=zone)

    r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": "DELETE", "ResourceRecordSet": delegation}]})
    r53.delete_hosted_zone(Id=zone)  # the apex SOA and NS go with the zone
    assert r53.list_hosted_zones()["HostedZones"] == []


@mock_aws
def test_connections_are_served_on_both_endpoints():
    new, old = (boto3.client(s, region_name="eu-west-1") for s in ("codeconnections", "codestar-connections"))
    arn = new.create_connection(ConnectionName="dito-github", ProviderType="GitHub")["ConnectionArn"]
    assert arn.startswith("arn:aws:codeconnections:eu-west-1:123456789012:connection/")
    # The other endpoint sees the same connection, by either ARN form, PENDING until the console handshake.
    other_form = arn.replace(":codeconnections:", ":codestar-connections:")
    assert old.get_connection(ConnectionArn=other_form)["Connection"] == {
        "ConnectionName": "dito-github",
        "ConnectionArn": arn,
        "ProviderType": "GitHub",
        "OwnerAccountId": "123456789012",
        "ConnectionStatus": "PENDING",
    }
    old.delete_connection(ConnectionArn=other_form)
    with pytest.raises(new.exceptions.ResourceNotFoundException):
        new.get_connection(ConnectionArn=arn)


def pipeline_role(iam, name, services):
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": services}, "Action": "sts:AssumeRole"}]}
    return iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]


def pipeline_declaration(name, role_arn, approval=True):
    def action(action_name, category, provider, **extra):
        return dict({"name": action_name, "actionTypeId": {"category": category, "owner": "AWS", "provider": provider, "version": "1"}}, **extra)

    source = action("Source", "Source", "CodeStarSourceConnection", outputArtifacts=[{"name": "src"}])
    source["configuration"] = {"ConnectionArn": "arn:aws:codeconnections:eu-west-1:123456789012:connection/x", "FullRepositoryId": "o/r", "BranchName": "main"}
    stages = [{"name": "Source", "actions": [source]}, {"name": "Build", "actions": [action("Build", "Build", "CodeBuild", inputArtifacts=[{"name": "src"}])]}]
    if approval:
        stages.append({"name": "Approval", "actions": [action("Approve", "Approval", "Manual")]})
    stages.append({"name": "Deploy", "actions": [action("Deploy", "Deploy", "CodeDeployToECS", inputArtifacts=[{"name": "src"}])]})
    return {"name": name, "roleArn": role_arn, "artifactStore": {"type": "S3", "location": "artifacts"}, "stages": stages, "pipelineType": "V2"}


@mock_aws
def test_pipeline_roles_may_trust_a_list_of_services():
    iam, cp = boto3.client("iam", region_name="eu-west-1"), boto3.client("codepipeline", region_name="eu-west-1")
    listed = pipeline_role(iam, "listed", ["codebuild.amazonaws.com", "codepipeline.amazonaws.com"])
    cp.create_pipeline(pipeline=pipeline_declaration("p", listed))
    assert cp.get_pipeline(name="p")["pipeline"]["roleArn"] == listed

    other = pipeline_role(iam, "other", ["codebuild.amazonaws.com"])
    with pytest.raises(cp.exceptions.InvalidStructureException, match="not authorized to perform AssumeRole"):
        cp.create_pipeline(pipeline=pipeline_declaration("q", other))
    with pytest.raises(cp.exceptions.InvalidStructureException, match="not authorized to perform AssumeRole"):
        cp.update_pipeline(pipeline=pipeline_declaration("p", other))
    assert cp.get_pipeline(name="p")["pipeline"]["version"] == 1


def stage_states(cp, name):
    return {s["stageName"]: s for s in cp.get_pipeline_state(name=name)["stageStates"]}


def only_execution(cp, name):
    executions = cp.list_pipeline_executions(pipelineName=name)["pipelineExecutionSummaries"]
    assert len(executions) == 1
    return executions[0]


@mock_aws
def test_creating_a_pipeline_starts_an_execution():
    iam, cp = boto3.client("iam", region_name="eu-west-1"), boto3.client("codepipeline", region_name="eu-west-1")
    cp.create_pipeline(pipeline=pipeline_declaration("p", pipeline_role(iam, "r", "codepipeline.amazonaws.com"), approval=False))
    first = only_execution(cp, "p")
    assert (first["status"], first["trigger"]["triggerType"]) == ("Succeeded", "CreatePipeline")
    execution = cp.get_pipeline_execution(pipelineName="p", pipelineExecutionId=first["pipelineExecutionId"])["pipelineExecution"]
    assert execution["trigger"]["triggerType"] == "CreatePipeline"
    started = cp.start_pipeline_execution(name="p")["pipelineExecutionId"]
    assert cp.get_pipeline_execution(pipelineName="p", pipelineExecutionId=started)["pipelineExecution"]["trigger"]["triggerType"] == "StartPipelineExecution"


@mock_aws
def test_a_pipeline_name_in_use_is_refused_as_pipeline_name_in_use():
    iam, cp = boto3.client("iam", region_name="eu-west-1"), boto3.client("codepipeline", region_name="eu-west-1")
    declaration = pipeline_declaration("p", pipeline_role(iam, "r", "codepipeline.amazonaws.com"), approval=False)
    cp.create_pipeline(pipeline=declaration)
    with pytest.raises(ClientError) as refused:
        cp.create_pipeline(pipeline=declaration)
    assert refused.value.response["Error"]["Code"] == "PipelineNameInUseException"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert [p["name"] for p in cp.list_pipelines()["pipelines"]] == ["p"] and len(
        cp.list_pipeline_executions(pipelineName="p")["pipelineExecutionSummaries"]
    ) == 1


@mock_aws
def test_get_pipeline_state_answers():
    iam, cp = boto3.client("iam", region_name="eu-west-1"), boto3.client("codepipeline", region_name="eu-west-1")
    role = pipeline_role(iam, "r", "codepipeline.amazonaws.com")
    cp.create_pipeline(pipeline=pipeline_declaration("p", role, approval=False))
    state = cp.get_pipeline_state(name="p")
    assert (state["pipelineName"], state["pipelineVersion"]) == ("p", 1)
    assert [s["stageName"] for s in state["stageStates"]] == ["Source", "Build", "Deploy"]
    assert all(s["inboundTransitionState"]["enabled"] for s in state["stageStates"])

    execution = cp.start_pipeline_execution(name="p")["pipelineExecutionId"]
    states = stage_states(cp, "p")
    assert {n: (s["latestExecution"]["pipelineExecutionId"], s["latestExecution"]["status"]) for n, s in states.items()} == {
        n: (execution, "Succeeded") for n in ("Source", "Build", "Deploy")
    }
    assert states["Build"]["actionStates"][0]["actionName"] == "Build" and states["Build"]["actionStates"][0]["latestExecution"]["status"] == "Succeeded"
    with pytest.raises(cp.exceptions.PipelineNotFoundException):
        cp.get_pipeline_state(name="nowhere")

    # A stage that no execution reached has no latestExecution: the first execution waits at its approval.
    cp.create_pipeline(pipeline=pipeline_declaration("q", role))
    waiting = stage_states(cp, "q")
    assert waiting["Approval"]["latestExecution"]["status"] == "InProgress"
    assert "latestExecution" not in waiting["Deploy"] and "latestExecution" not in waiting["Deploy"]["actionStates"][0]


@mock_aws
def test_manual_approvals_wait_for_a_result():
    iam, cp = boto3.client("iam", region_name="eu-west-1"), boto3.client("codepipeline", region_name="eu-west-1")
    cp.create_pipeline(pipeline=pipeline_declaration("p", pipeline_role(iam, "r", "codepipeline.amazonaws.com")))
    execution = cp.list_pipeline_executions(pipelineName="p")["pipelineExecutionSummaries"][-1]["pipelineExecutionId"]
    assert cp.get_pipeline_execution(pipelineName="p", pipelineExecutionId=execution)["pipelineExecution"]["status"] == "InProgress"
    states = stage_states(cp, "p")
    assert states["Build"]["latestExecution"]["status"] == "Succeeded"
    waiting = states["Approval"]["actionStates"][0]["latestExecution"]
    assert states["Approval"]["latestExecution"]["status"] == "InProgress" and waiting["status"] == "InProgress" and waiting["token"]

    approve = {"pipelineName": "p", "stageName": "Approval", "actionName": "Approve", "result": {"summary": "ok", "status": "Approved"}}
    with pytest.raises(cp.exceptions.InvalidApprovalTokenException):
        cp.put_approval_result(**approve, token=str(uuid.uuid4()))
    with pytest.raises(cp.exceptions.StageNotFoundException):
        cp.put_approval_result(**dict(approve, stageName="Nope"), token=waiting["token"])
    with pytest.raises(cp.exceptions.ActionNotFoundException):
        cp.put_approval_result(**dict(approve, actionName="Nope"), token=waiting["token"])
    assert cp.put_approval_result(**approve, token=waiting["token"])["approvedAt"]
    with pytest.raises(cp.exceptions.ApprovalAlreadyCompletedException):
        cp.put_approval_result(**approve, token=waiting["token"])
    assert cp.get_pipeline_execution(pipelineName="p", pipelineExecutionId=execution)["pipelineExecution"]["status"] == "Succeeded"
    states = stage_states(cp, "p")
    assert states["Approval"]["actionStates"][0]["latestExecution"]["summary"] == "ok" and states["Deploy"]["latestExecution"]["status"] == "Succeeded"

    rejected = cp.start_pipeline_execution(name="p")["pipelineExecutionId"]
    token = stage_states(cp, "p")["Approval"]["actionStates"][0]["latestExecution"]["token"]
    cp.put_approval_result(**dict(approve, result={"summary": "no", "status": "Rejected"}), token=token)
    assert cp.get_pipeline_execution(pipelineName="p", pipelineExecutionId=rejected)["pipelineExecution"]["status"] == "Failed"
    states = stage_states(cp, "p")
    assert states["Approval"]["latestExecution"] == {"pipelineExecutionId": rejected, "status": "Failed", "type": "STANDARD"}
    # Deploy still shows the approved execution: the rejected one never reached it.
    assert states["Deploy"]["latestExecution"]["pipelineExecutionId"] == execution


CODEBUILD_TRUST = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
)


def codebuild_project(codebuild, role, name="dito-build", **fields):
    request = {
        "name": name,
        "source": {"type": "GITHUB", "location": "https://github.com/dito/chat.git"},
        "artifacts": {"type": "NO_ARTIFACTS"},
        "environment": {"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_SMALL"},
        "serviceRole": role,
    }
    request.update(fields)
    return codebuild.create_project(**request)["project"]


def codebuild_role(name="dito-codebuild", trust=CODEBUILD_TRUST):
    return boto3.client("iam", region_name="eu-west-1").create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]


@mock_aws
def test_codepipeline_sources_and_artifacts_need_no_location():
    codebuild = boto3.client("codebuild", region_name="eu-west-1")
    role = codebuild_role()
    pipeline = {"source": {"type": "CODEPIPELINE", "buildspec": "buildspec.yml"}, "artifacts": {"type": "CODEPIPELINE"}}
    codebuild_project(codebuild, role, **pipeline)
    codebuild_project(codebuild, role, name="no-source", source={"type": "NO_SOURCE", "buildspec": "version: 0.2\n"})
    held = codebuild.batch_get_projects(names=["dito-build"])["projects"][0]
    assert (held["source"]["type"], held["artifacts"]["type"]) == ("CODEPIPELINE", "CODEPIPELINE")
    # The types that read from or write to a place still need it.
    with pytest.raises(codebuild.exceptions.InvalidInputException, match="source location is required"):
        codebuild_project(codebuild, role, name="github", source={"type": "GITHUB"})
    with pytest.raises(codebuild.exceptions.InvalidInputException, match="artifacts location is required"):
        codebuild_project(codebuild, role, name="s3", artifacts={"type": "S3"})


@mock_aws
def test_compute_types_of_the_api_reference_are_accepted():
    codebuild = boto3.client("codebuild", region_name="eu-west-1")
    role = codebuild_role()
    environment = {"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_XLARGE"}
    assert codebuild_project(codebuild, role, environment=environment)["environment"]["computeType"] == "BUILD_GENERAL1_XLARGE"
    lambda_environment = {
        "type": "LINUX_LAMBDA_CONTAINER",
        "image": "aws/codebuild/amazonlinux-x86_64-lambda-standard:nodejs20",
        "computeType": "BUILD_LAMBDA_1GB",
    }
    codebuild_project(codebuild, role, name="on-lambda", environment=lambda_environment)
    with pytest.raises(codebuild.exceptions.InvalidInputException, match="Invalid compute type provided: BUILD_GENERAL1_HUGE"):
        codebuild_project(codebuild, role, name="huge", environment=dict(environment, computeType="BUILD_GENERAL1_HUGE"))
    assert sorted(codebuild.list_projects()["projects"]) == ["dito-build", "on-lambda"]


@mock_aws
def test_service_roles_must_be_assumable_by_codebuild(iam_propagation):
    codebuild = boto3.client("codebuild", region_name="eu-west-1")
    missing = "arn:aws:iam::123456789012:role/nobody"
    with pytest.raises(codebuild.exceptions.InvalidInputException, match=rf"^.*CodeBuild is not authorized to perform: sts:AssumeRole on {missing}$"):
        codebuild_project(codebuild, missing)
    lambda_role = codebuild_role("for-lambda", LAMBDA_TRUST)
    with pytest.raises(codebuild.exceptions.InvalidInputException, match="not authorized to perform: sts:AssumeRole"):
        codebuild_project(codebuild, lambda_role)
    assert codebuild.list_projects()["projects"] == []
    role = codebuild_role()
    codebuild_project(codebuild, role)
    with pytest.raises(codebuild.exceptions.InvalidInputException, match="not authorized to perform: sts:AssumeRole"):
        codebuild.update_project(name="dito-build", serviceRole=lambda_role)
    # IAM propagation fault mode: a role younger than the window is refused too.
    iam_propagation(30)
    with pytest.raises(codebuild.exceptions.InvalidInputException, match="not authorized to perform: sts:AssumeRole"):
        codebuild_project(codebuild, codebuild_role("newer"), name="other")
    assert codebuild.batch_get_projects(names=["dito-build"])["projects"][0]["serviceRole"] == role


@mock_aws
def test_projects_keep_every_field_with_aws_defaults():
    codebuild = boto3.client("codebuild", region_name="eu-west-1")
    role = codebuild_role()
    key = "arn:aws:kms:eu-west-1:123456789012:key/0b7f2a4e-0000-4000-8000-000000000001"
    cache = {"type": "LOCAL", "modes": ["LOCAL_DOCKER_LAYER_CACHE"]}
    logs = {"cloudWatchLogs": {"status": "ENABLED", "groupName": "/dito/codebuild"}}
    environment = {"type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_SMALL", "privilegedMode": True}
    codebuild_project(
        codebuild,
        role,
        encryptionKey=key,
        cache=cache,
        logsConfig=logs,
        environment=environment,
        timeoutInMinutes=30,
        queuedTimeoutInMinutes=60,
        concurrentBuildLimit=2,
    )
    held = codebuild.batch_get_projects(names=["dito-build"])["projects"][0]
    assert (held["encryptionKey"], held["cache"], held["concurrentBuildLimit"]) == (key, cache, 2)
    assert (held["timeoutInMinutes"], held["queuedTimeoutInMinutes"], held["environment"]["privilegedMode"]) == (30, 60, True)
    assert held["logsConfig"] == {
        "cloudWatchLogs": {"status": "ENABLED", "groupName": "/dito/codebuild"},
        "s3Logs": {"status": "DISABLED", "encryptionDisabled": False},
    }

    variables = [{"name": "STAGE", "value": "prod"}]
    minimal = dict(environment, environmentVariables=variables)
    del minimal["privilegedMode"]
    codebuild_project(codebuild, role, name="plain", environment=minimal, source={"type": "CODEPIPELINE"}, artifacts={"type": "CODEPIPELINE"})
    plain = codebuild.batch_get_projects(names=["plain"])["projects"][0]
    assert plain["encryptionKey"] == "arn:aws:kms:eu-west-1:123456789012:alias/aws/s3"
    assert (plain["timeoutInMinutes"], plain["queuedTimeoutInMinutes"], plain["cache"]) == (60, 480, {"type": "NO_CACHE"})
    assert "concurrentBuildLimit" not in plain
    assert (plain["environment"]["privilegedMode"], plain["environment"]["imagePullCredentialsType"]) == (False, "CODEBUILD")
    assert plain["environment"]["environmentVariables"] == [{"name": "STAGE", "value": "prod", "type": "PLAINTEXT"}]
    assert plain["artifacts"] == {"type": "CODEPIPELINE", "name": "plain", "packaging": "NONE", "encryptionDisabled": False}
    assert plain["logsConfig"]["cloudWatchLogs"] == {"status": "ENABLED"} and plain["logsConfig"]["s3Logs"]["status"] == "DISABLED"


@mock_aws
def test_update_project_applies_every_field():
    codebuild = boto3.client("codebuild", region_name="eu-west-1")
    role = codebuild_role()
    codebuild_project(codebuild, role, description="first", tags=[{"key": "project", "value": "dito"}], concurrentBuildLimit=2)
    environment = {"type": "ARM_CONTAINER", "image": "aws/codebuild/amazonlinux2-aarch64-standard:3.0", "computeType": "BUILD_GENERAL1_LARGE"}
    updated = codebuild.update_project(
        name="dito-build",
        environment=environment,
        timeoutInMinutes=20,
        cache={"type": "LOCAL", "modes": ["LOCAL_SOURCE_CACHE"]},
        tags=[{"key": "team", "value": "chat"}],
    )["project"]
    assert updated["environment"]["computeType"] == "BUILD_GENERAL1_LARGE" and updated["timeoutInMinutes"] == 20
    held = codebuild.batch_get_projects(names=["dito-build"])["projects"][0]
    assert (held["environment"]["type"], held["environment"]["privilegedMode"]) == ("ARM_CONTAINER", False)
    assert (held["description"], held["concurrentBuildLimit"], held["tags"]) == ("first", 2, [{"key": "team", "value": "chat"}])
    assert held["cache"] == {"type": "LOCAL", "modes": ["LOCAL_SOURCE_CACHE"]}

    codebuild.update_project(
        name="dito-build", tags=[], concurrentBuildLimit=-1, description="second", source={"type": "CODEPIPELINE"}, artifacts={"type": "CODEPIPELINE"}
    )
    held = codebuild.batch_get_projects(names=["dito-build"])["projects"][0]
    assert (held["tags"], held["description"], held["source"]["type"]) == ([], "second", "CODEPIPELINE")
    assert "concurrentBuildLimit" not in held
    with pytest.raises(codebuild.exceptions.InvalidInputException, match="Invalid compute type"):
        codebuild.update_project(name="dito-build", environment=dict(environment, computeType="TINY"))
    with pytest.raises(codebuild.exceptions.ResourceNotFoundException, match="project/nowhere"):
        codebuild.update_project(name="nowhere", description="x")


# ---------------------------------------------------------------------------------------------------
# The edge (issue 15): CloudFront's prefix list, Route 53 aliases to CloudFront, ALB rule conditions

CLOUDFRONT_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing"


def cloudfront_prefix_list(ec2):
    by_name = ec2.describe_managed_prefix_lists(Filters=[{"Name": "prefix-list-name", "Values": [CLOUDFRONT_PREFIX_LIST]}])["PrefixLists"]
    assert len(by_name) == 1
    return by_name[0]


@mock_aws
def test_aws_managed_prefix_lists_report_their_weight_as_max_entries():
    for region in ("eu-west-1", "us-east-1", "ap-southeast-2"):
        ec2 = boto3.client("ec2", region_name=region)
        found = cloudfront_prefix_list(ec2)
        assert (found["OwnerId"], found["AddressFamily"], found["MaxEntries"], found["Version"]) == ("AWS", "IPv4", 55, 1)
        by_id = ec2.describe_managed_prefix_lists(Filters=[{"Name": "prefix-list-id", "Values": [found["PrefixListId"]]}])["PrefixLists"]
        assert [p["PrefixListName"] for p in by_id] == [CLOUDFRONT_PREFIX_LIST]
        entries = ec2.get_managed_prefix_list_entries(PrefixListId=found["PrefixListId"])["Entries"]
        assert "130.176.0.0/18" in {e["Cidr"] for e in entries}


@mock_aws
def test_get_managed_prefix_list_entries_of_an_unknown_list_is_not_found():
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    with pytest.raises(ec2.exceptions.ClientError, match=r"InvalidPrefixListID\.NotFound"):
        ec2.get_managed_prefix_list_entries(PrefixListId="pl-0123456789abcdef0")


def https_from(prefix_list_id=None, cidrs=(), port=443):
    permission = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port}
    if prefix_list_id:
        permission["PrefixListIds"] = [{"PrefixListId": prefix_list_id}]
    if cidrs:
        permission["IpRanges"] = [{"CidrIp": c} for c in cidrs]
    return [permission]


@mock_aws
def test_security_group_rules_count_prefix_list_weights_and_need_an_existing_list():
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="alb", Description="alb", VpcId=vpc)["GroupId"]
    with pytest.raises(ec2.exceptions.ClientError, match=r"InvalidPrefixListID\.NotFound"):
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=https_from("pl-0123456789abcdef0"))

    # CloudFront's list weighs 55: five more rules fit (60), a sixth does not, in either order.
    cloudfront = cloudfront_prefix_list(ec2)["PrefixListId"]
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=https_from(cloudfront))
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=https_from(cidrs=[f"10.1.{i}.0/24" for i in range(5)]))
    with pytest.raises(ec2.exceptions.ClientError, match="RulesPerSecurityGroupLimitExceeded"):
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=https_from(cidrs=["10.2.0.0/24"]))
    other = ec2.create_security_group(GroupName="other", Description="other", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=other, IpPermissions=https_from(cidrs=[f"10.1.{i}.0/24" for i in range(6)]))
    with pytest.raises(ec2.exceptions.ClientError, match="RulesPerSecurityGroupLimitExceeded"):
        ec2.authorize_security_group_ingress(GroupId=other, IpPermissions=https_from(cloudfront))

    # A customer-managed list counts as its MaxEntries.
    custom = ec2.create_managed_prefix_list(PrefixListName="office", AddressFamily="IPv4", MaxEntries=30)["PrefixList"]["PrefixListId"]
    third = ec2.create_security_group(GroupName="third", Description="third", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=third, IpPermissions=https_from(custom, port=80))
    ec2.authorize_security_group_ingress(GroupId=third, IpPermissions=https_from(custom, port=443))
    with pytest.raises(ec2.exceptions.ClientError, match="RulesPerSecurityGroupLimitExceeded"):
        ec2.authorize_security_group_ingress(GroupId=third, IpPermissions=https_from(cidrs=["10.3.0.0/24"]))


@mock_aws
def test_prefix_list_rules_keep_their_description():
    """amazon.aws.ec2_security_group compares rule descriptions: a prefix-list rule that lost its description was updated
    on every run, and the update (answered without Return) failed the module."""
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName="alb", Description="alb", VpcId=vpc)["GroupId"]
    cloudfront = cloudfront_prefix_list(ec2)["PrefixListId"]
    permission = {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": cloudfront, "Description": "CloudFront only"}]}
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[permission])

    def held():
        [rule] = ec2.describe_security_groups(GroupIds=[group])["SecurityGroups"][0]["IpPermissions"]
        return rule["PrefixListIds"]

    assert held() == [{"PrefixListId": cloudfront, "Description": "CloudFront only"}]
    permission["PrefixListIds"][0]["Description"] = "CloudFront's origin-facing servers"
    assert ec2.update_security_group_rule_descriptions_ingress(GroupId=group, IpPermissions=[permission])["Return"] is True
    assert held() == [{"PrefixListId": cloudfront, "Description": "CloudFront's origin-facing servers"}]


def record_change(name, alias_target):
    return {"Changes": [{"Action": "UPSERT", "ResourceRecordSet": {"Name": name, "Type": "A", "AliasTarget": alias_target}}]}


@mock_aws
def test_alias_records_to_cloudfront_cannot_evaluate_target_health():
    route53 = boto3.client("route53", region_name="eu-west-1")
    zone = route53.create_hosted_zone(Name="example.com", CallerReference="edge")["HostedZone"]["Id"]
    cloudfront = {"HostedZoneId": "Z2FDTNDATAQYW2", "DNSName": "d111111abcdef8.cloudfront.net", "EvaluateTargetHealth": True}
    with pytest.raises(route53.exceptions.InvalidChangeBatch, match="EvaluateTargetHealth"):
        route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch=record_change("chat.example.com", cloudfront))
    route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch=record_change("chat.example.com", dict(cloudfront, EvaluateTargetHealth=False)))
    # An ALB target may evaluate its health.
    alb = {"HostedZoneId": "Z32O12XQLNTSW2", "DNSName": "dito-123.eu-west-1.elb.amazonaws.com", "EvaluateTargetHealth": True}
    route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch=record_change("origin.example.com", alb))
    names = {r["Name"] for r in route53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"]}
    assert {"chat.example.com.", "origin.example.com."} <= names


def alb_listener(elb, ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    zones = ((1, "a"), (2, "b"))
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"eu-west-1{z}")["Subnet"]["SubnetId"] for i, z in zones]
    lb = elb.create_load_balancer(Name="edge", Subnets=subnets, Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    group = elb.create_target_group(Name="blue", Protocol="HTTP", Port=80, VpcId=vpc, TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
    forbidden = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "403", "ContentType": "text/plain"}}]
    listener = elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=forbidden)["Listeners"][0]["ListenerArn"]
    return listener, [{"Type": "forward", "TargetGroupArn": group}]


@mock_aws
def test_rules_keep_to_the_condition_value_and_wildcard_quotas():
    elb = boto3.client("elbv2", region_name="eu-west-1")
    listener, forward = alb_listener(elb, boto3.client("ec2", region_name="eu-west-1"))
    header = {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Origin-Verify", "Values": ["s3cr3t"]}}
    paths = {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*", "/ws*", "/a", "/b"]}}
    rule = elb.create_rule(ListenerArn=listener, Priority=1, Conditions=[header, paths], Actions=forward)["Rules"][0]
    # The header condition round-trips (HttpHeaderConfig).
    held = elb.describe_rules(RuleArns=[rule["RuleArn"]])["Rules"][0]["Conditions"]
    assert {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Origin-Verify", "Values": ["s3cr3t"]}} in held

    six = {"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*", "/ws*", "/a", "/b", "/c"]}}
    with pytest.raises(elb.exceptions.ClientError, match="'5' condition values"):
        elb.create_rule(ListenerArn=listener, Priority=2, Conditions=[header, six], Actions=forward)
    with pytest.raises(elb.exceptions.ClientError, match="'5' condition values"):
        elb.modify_rule(RuleArn=rule["RuleArn"], Conditions=[header, six])
    wild = {"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": "X-Origin-Verify", "Values": ["a*b*c?d*e?f*"]}}
    with pytest.raises(elb.exceptions.ClientError, match="'5' wildcards"):
        elb.create_rule(ListenerArn=listener, Priority=3, Conditions=[wild], Actions=forward)


# ---------------------------------------------------------------------------------------------------------------
# CloudFront

CF_CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CF_ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
CF_SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03"


def cf_config(reference="web", **extra):
    config = {
        "CallerReference": reference,
        "Comment": reference,
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "alb",
                    "DomainName": "origin.example.com",
                    "CustomHeaders": {"Quantity": 1, "Items": [{"HeaderName": "X-Origin-Verify", "HeaderValue": "s3cr3t-value-long"}]},
                    "CustomOriginConfig": {
                        "HTTPPort": 80,
                        "HTTPSPort": 443,
                        "OriginProtocolPolicy": "https-only",
                        "OriginSslProtocols": {"Quantity": 1, "Items": ["TLSv1.2"]},
                    },
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "alb",
            "ViewerProtocolPolicy": "redirect-to-https",
            "CachePolicyId": CF_CACHING_OPTIMIZED,
            "ResponseHeadersPolicyId": CF_SECURITY_HEADERS,
            "Compress": True,
        },
        "CacheBehaviors": {
            "Quantity": 1,
            "Items": [
                {
                    "PathPattern": "/api/*",
                    "TargetOriginId": "alb",
                    "ViewerProtocolPolicy": "https-only",
                    "CachePolicyId": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
                    "OriginRequestPolicyId": CF_ALL_VIEWER_EXCEPT_HOST,
                    "ResponseHeadersPolicyId": CF_SECURITY_HEADERS,
                }
            ],
        },
        "HttpVersion": "http2and3",
        "IsIPV6Enabled": True,
        "WebACLId": "arn:aws:wafv2:us-east-1:123456789012:global/webacl/dito/abc",
    }
    config.update(extra)
    return config


@mock_aws
def test_managed_policies_are_listed():
    cf = boto3.client("cloudfront", region_name="us-east-1")
    names = {i["CachePolicy"]["CachePolicyConfig"]["Name"]: i["CachePolicy"]["Id"] for i in cf.list_cache_policies(Type="managed")["CachePolicyList"]["Items"]}
    assert names["Managed-CachingOptimized"] == CF_CACHING_OPTIMIZED
    assert names["Managed-CachingDisabled"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    assert cf.list_cache_policies(Type="custom")["CachePolicyList"]["Quantity"] == 0
    requests = cf.list_origin_request_policies(Type="managed")["OriginRequestPolicyList"]["Items"]
    assert {"Managed-AllViewerExceptHostHeader": CF_ALL_VIEWER_EXCEPT_HOST}.items() <= {
        i["OriginRequestPolicy"]["OriginRequestPolicyConfig"]["Name"]: i["OriginRequestPolicy"]["Id"] for i in requests
    }.items()
    got = cf.get_response_headers_policy(Id=CF_SECURITY_HEADERS)["ResponseHeadersPolicy"]["ResponseHeadersPolicyConfig"]
    assert got["Name"] == "Managed-SecurityHeadersPolicy"
    assert got["SecurityHeadersConfig"]["StrictTransportSecurity"]["AccessControlMaxAgeSec"] == 31536000
    with pytest.raises(ClientError, match="NoSuchCachePolicy"):
        cf.get_cache_policy(Id="00000000-0000-0000-0000-000000000000")


@mock_aws
def test_distribution_configs_round_trip():
    cf = boto3.client("cloudfront", region_name="us-east-1")
    created = cf.create_distribution(DistributionConfig=cf_config())["Distribution"]
    config = cf.get_distribution_config(Id=created["Id"])["DistributionConfig"]
    assert (config["HttpVersion"], config["IsIPV6Enabled"], config["WebACLId"]) == (
        "http2and3",
        True,
        "arn:aws:wafv2:us-east-1:123456789012:global/webacl/dito/abc",
    )
    origin = config["Origins"]["Items"][0]
    assert origin["CustomHeaders"]["Items"] == [{"HeaderName": "X-Origin-Verify", "HeaderValue": "s3cr3t-value-long"}]
    assert origin["CustomOriginConfig"]["OriginSslProtocols"] == {"Quantity": 1, "Items": ["TLSv1.2"]}
    default = config["DefaultCacheBehavior"]
    assert (default["CachePolicyId"], default["ResponseHeadersPolicyId"], default["Compress"]) == (CF_CACHING_OPTIMIZED, CF_SECURITY_HEADERS, True)
    assert "ForwardedValues" not in default
    [api] = config["CacheBehaviors"]["Items"]
    assert (api["PathPattern"], api["OriginRequestPolicyId"], api["ResponseHeadersPolicyId"], api["Compress"]) == (
        "/api/*",
        CF_ALL_VIEWER_EXCEPT_HOST,
        CF_SECURITY_HEADERS,
        False,
    )
    assert config["Logging"] == {"Enabled": False, "IncludeCookies": False, "Bucket": "", "Prefix": ""}
    summary = cf.list_distributions()["DistributionList"]["Items"][0]
    assert (summary["HttpVersion"], summary["Comment"]) == ("http2and3", "web")


@mock_aws
def test_etags_change_and_if_match_is_checked():
    cf = boto3.client("cloudfront", region_name="us-east-1")
    created = cf.create_distribution(DistributionConfig=cf_config())
    dist_id, etag = created["Distribution"]["Id"], created["ETag"]
    with pytest.raises(ClientError, match="PreconditionFailed"):
        cf.update_distribution(Id=dist_id, IfMatch="E0000000000000", DistributionConfig=cf_config(Comment="new"))
    updated = cf.update_distribution(Id=dist_id, IfMatch=etag, DistributionConfig=cf_config(Comment="new"))
    assert updated["ETag"] != etag and cf.get_distribution_config(Id=dist_id)["ETag"] == updated["ETag"]
    with pytest.raises(ClientError, match="PreconditionFailed"):
        cf.update_distribution(Id=dist_id, IfMatch=etag, DistributionConfig=cf_config(Comment="again"))


@mock_aws
def test_distributions_deploy_then_only_disabled_ones_are_deleted(monkeypatch):
    from moto.core.config import default_user_config

    from tools.emulator.patches import cloudfront

    now = [1000.0]
    monkeypatch.setattr(cloudfront, "clock", lambda: now[0])
    monkeypatch.setitem(default_user_config, "cloudfront", {"deploy_seconds": 60})
    cf = boto3.client("cloudfront", region_name="us-east-1")
    created = cf.create_distribution(DistributionConfig=cf_config())
    dist_id = created["Distribution"]["Id"]
    assert cf.get_distribution(Id=dist_id)["Distribution"]["Status"] == "InProgress"
    with pytest.raises(ClientError, match="DistributionNotDisabled"):
        cf.delete_distribution(Id=dist_id, IfMatch=created["ETag"])
    disabled = cf.update_distribution(Id=dist_id, IfMatch=created["ETag"], DistributionConfig=cf_config(Enabled=False))
    with pytest.raises(ClientError, match="DistributionNotDisabled"):  # disabled, not yet deployed
        cf.delete_distribution(Id=dist_id, IfMatch=disabled["ETag"])
    now[0] += 61
    assert cf.get_distribution(Id=dist_id)["Distribution"]["Status"] == "Deployed"
    cf.delete_distribution(Id=dist_id, IfMatch=disabled["ETag"])
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 0


@mock_aws
def test_distribution_configs_are_checked():
    cf = boto3.client("cloudfront", region_name="us-east-1")
    unknown = cf_config()
    unknown["DefaultCacheBehavior"]["ResponseHeadersPolicyId"] = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(ClientError, match="NoSuchResponseHeadersPolicy"):
        cf.create_distribution(DistributionConfig=unknown)
    both = cf_config()
    both["DefaultCacheBehavior"]["ForwardedValues"] = {"QueryString": False, "Cookies": {"Forward": "none"}}
    with pytest.raises(ClientError, match="InvalidArgument"):
        cf.create_distribution(DistributionConfig=both)
    regional = boto3.client("acm", region_name="eu-west-1").request_certificate(DomainName="chat.example.com")["CertificateArn"]
    global_cert = boto3.client("acm", region_name="us-east-1").request_certificate(DomainName="*.example.com")["CertificateArn"]
    aliases = {"Quantity": 1, "Items": ["chat.example.com"]}
    for arn, names in ((regional, aliases), (global_cert, {"Quantity": 1, "Items": ["a.b.example.com"]}), (global_cert.replace("-", "0"), aliases)):
        viewer = {"ACMCertificateArn": arn, "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}
        with pytest.raises(ClientError, match="InvalidViewerCertificate"):
            cf.create_distribution(DistributionConfig=cf_config(Aliases=names, ViewerCertificate=viewer))
    with pytest.raises(ClientError, match="InvalidViewerCertificate"):
        cf.create_distribution(DistributionConfig=cf_config(Aliases=aliases))
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="enforced-logs")
    s3.put_bucket_ownership_controls(Bucket="enforced-logs", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    s3.create_bucket(Bucket="acl-logs")
    s3.put_bucket_ownership_controls(Bucket="acl-logs", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
    logging = {"Enabled": True, "IncludeCookies": False, "Bucket": "enforced-logs.s3.amazonaws.com", "Prefix": "web/"}
    with pytest.raises(ClientError, match="does not enable ACL access"):
        cf.create_distribution(DistributionConfig=cf_config(Logging=logging))
    viewer = {"ACMCertificateArn": global_cert, "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": "TLSv1.2_2021"}
    created = cf.create_distribution(
        DistributionConfig=cf_config(Aliases=aliases, ViewerCertificate=viewer, Logging=dict(logging, Bucket="acl-logs.s3.amazonaws.com"))
    )
    config = cf.get_distribution_config(Id=created["Distribution"]["Id"])["DistributionConfig"]
    assert config["Logging"]["Bucket"] == "acl-logs.s3.amazonaws.com"
    assert config["ViewerCertificate"]["ACMCertificateArn"] == global_cert
    grants = s3.get_bucket_acl(Bucket="acl-logs")["Grants"]
    assert {
        "Grantee": {"ID": "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0", "DisplayName": "awslogsdelivery", "Type": "CanonicalUser"},
        "Permission": "FULL_CONTROL",
    } in grants


@mock_aws
def test_a_distribution_caller_reference_is_never_used_again(monkeypatch):
    """CloudFront API reference, DistributionConfig, CallerReference: "If CallerReference is a value that you already
    sent in a previous request to create a distribution, CloudFront returns a DistributionAlreadyExists error" - the
    reference of a deleted distribution too, with or without tags, whatever the content; a new reference creates."""
    from moto.core.config import default_user_config
    from moto.moto_api._internal.models import moto_api_backend

    monkeypatch.setitem(default_user_config, "cloudfront", {"deploy_seconds": 0})
    cf = boto3.client("cloudfront", region_name="us-east-1")
    created = cf.create_distribution(DistributionConfig=cf_config("web#1"))
    dist_id = created["Distribution"]["Id"]
    disabled = cf.update_distribution(Id=dist_id, IfMatch=created["ETag"], DistributionConfig=cf_config("web#1", Enabled=False))
    cf.delete_distribution(Id=dist_id, IfMatch=disabled["ETag"])
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 0
    # A teardown, then a create with the reference of the deleted distribution: refused, the same content or not.
    for config in (cf_config("web#1"), cf_config("web#1", Enabled=False, Comment="another")):
        with pytest.raises(cf.exceptions.DistributionAlreadyExists) as refused:
            cf.create_distribution(DistributionConfig=config)
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    with pytest.raises(cf.exceptions.DistributionAlreadyExists):
        cf.create_distribution_with_tags(DistributionConfigWithTags={"DistributionConfig": cf_config("web#1"), "Tags": {"Items": []}})
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 0
    # A new reference creates. The emulator remembers the references of the distributions it made: the reference does
    # not say whether a request refused for its content uses its reference up, and the module never sends one again.
    cf.create_distribution(DistributionConfig=cf_config("web#2"))
    with pytest.raises(ClientError, match="InvalidViewerCertificate"):
        cf.create_distribution(DistributionConfig=cf_config("web#3", Aliases={"Quantity": 1, "Items": ["chat.example.com"]}))
    cf.create_distribution(DistributionConfig=cf_config("web#3"))
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 2
    # The emulator's reset forgets the references with the distributions.
    moto_api_backend.reset()
    cf.create_distribution(DistributionConfig=cf_config("web#1"))
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 1


@mock_aws
def test_assume_role_refuses_a_role_that_does_not_exist():
    sts, iam = boto3.client("sts", region_name="eu-west-1"), boto3.client("iam", region_name="eu-west-1")
    with pytest.raises(ClientError) as refused:
        sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/dito-deployer", RoleSessionName="dito-local-site")
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}
    arn = iam.create_role(RoleName="dito-deployer", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    assumed = sts.assume_role(RoleArn=arn, RoleSessionName="dito-local-site")["AssumedRoleUser"]["Arn"]
    assert assumed == "arn:aws:sts::123456789012:assumed-role/dito-deployer/dito-local-site"
