"""The emulator's CodeDeploy: deployment configurations, deployment groups and ECS blue/green deployments that move,
as the CodeDeploy API reference and user guide document them (tools/emulator/patches/codedeploy.py)."""

import json
import re

import boto3
import pytest
from moto import mock_aws

from tools.emulator import patches
from tools.emulator.patches import codedeploy

REGION = "eu-west-1"
ROLE = "arn:aws:iam::123456789012:role/codedeploy"
EVENTS = list(codedeploy.ECS_EVENTS)


@pytest.fixture(scope="module", autouse=True)
def applied():
    return patches.apply_all()


class Clock:
    """A wall clock the test moves by hand."""

    def __init__(self):
        self.now = 1_800_000_000.0

    def __call__(self):
        return self.now

    def tick(self, seconds):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(codedeploy, "clock", fake)
    monkeypatch.setenv(codedeploy.STEP_ENV, "1")
    return fake


@pytest.fixture
def aws():
    with mock_aws():
        yield


@pytest.fixture
def cd(aws):
    return boto3.client("codedeploy", region_name=REGION)


def register(ecs, image="nginx:1.27", port=8080):
    return ecs.register_task_definition(
        family="web",
        cpu="256",
        memory="512",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        containerDefinitions=[{"name": "web", "image": image, "portMappings": [{"containerPort": port}]}],
    )["taskDefinition"]["taskDefinitionArn"]


TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def make_role(name, trust=None):
    document = json.dumps(trust or TRUST)
    return boto3.client("iam", region_name=REGION).create_role(RoleName=name, AssumeRolePolicyDocument=document)["Role"]["Arn"]


@pytest.fixture
def world(cd):
    """A CODE_DEPLOY service behind target group blue (production listener, weighted forward) and a test listener."""
    ec2 = boto3.client("ec2", region_name=REGION)
    elbv2 = boto3.client("elbv2", region_name=REGION)
    ecs = boto3.client("ecs", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))]
    lb = elbv2.create_load_balancer(Name="web", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
    tgs = {
        name: elbv2.create_target_group(Name=name, Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
        for name in ("blue", "green")
    }
    weighted = {"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": tgs["blue"], "Weight": 1}]}}
    prod = elbv2.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80, DefaultActions=[weighted])["Listeners"][0]["ListenerArn"]
    test = elbv2.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=8443, DefaultActions=[{"Type": "forward", "TargetGroupArn": tgs["blue"]}])[
        "Listeners"
    ][0]["ListenerArn"]
    ecs.create_cluster(clusterName="dito")
    make_role("codedeploy")
    first = register(ecs)
    ecs.create_service(
        cluster="dito",
        serviceName="web",
        taskDefinition=first,
        desiredCount=2,
        launchType="FARGATE",
        deploymentController={"type": "CODE_DEPLOY"},
        loadBalancers=[{"targetGroupArn": tgs["blue"], "containerName": "web", "containerPort": 8080}],
    )
    cd.create_application(applicationName="app", computePlatform="ECS")
    return {"ecs": ecs, "elbv2": elbv2, "tgs": tgs, "prod": prod, "test": test, "first": first}


def group_args(world, **overrides):
    args = {
        "applicationName": "app",
        "deploymentGroupName": "web",
        "serviceRoleArn": ROLE,
        "deploymentStyle": {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
        "blueGreenDeploymentConfiguration": {
            "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 5},
            "deploymentReadyOption": {"actionOnTimeout": "CONTINUE_DEPLOYMENT"},
        },
        "ecsServices": [{"clusterName": "dito", "serviceName": "web"}],
        "loadBalancerInfo": {
            "targetGroupPairInfoList": [
                {
                    "targetGroups": [{"name": "blue"}, {"name": "green"}],
                    "prodTrafficRoute": {"listenerArns": [world["prod"]]},
                    "testTrafficRoute": {"listenerArns": [world["test"]]},
                }
            ]
        },
        "autoRollbackConfiguration": {"enabled": True, "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_REQUEST"]},
        "alarmConfiguration": {"enabled": True, "ignorePollAlarmFailure": False, "alarms": [{"name": "web-5xx"}]},
    }
    args.update(overrides)
    return args


def appspec(task_definition, container="web", port=8080):
    content = {
        "version": 0.0,
        "Resources": [
            {
                "TargetService": {
                    "Type": "AWS::ECS::Service",
                    "Properties": {"TaskDefinition": task_definition, "LoadBalancerInfo": {"ContainerName": container, "ContainerPort": port}},
                }
            }
        ],
    }
    return {"revisionType": "AppSpecContent", "appSpecContent": {"content": json.dumps(content)}}


def deploy(cd, revision, **kwargs):
    return cd.create_deployment(applicationName="app", deploymentGroupName="web", revision=revision, **kwargs)["deploymentId"]


def target(cd, deployment_id):
    (found,) = cd.batch_get_deployment_targets(deploymentId=deployment_id, targetIds=["dito:web"])["deploymentTargets"]
    return found["ecsTarget"]


def forwarded(world, listener):
    (action,) = world["elbv2"].describe_listeners(ListenerArns=[world[listener]])["Listeners"][0]["DefaultActions"]
    entries = action.get("ForwardConfig", {}).get("TargetGroups") or [{"TargetGroupArn": action["TargetGroupArn"], "Weight": 1}]
    names = {arn: name for name, arn in world["tgs"].items()}
    return {names[e["TargetGroupArn"]]: e["Weight"] for e in entries}


def service(world):
    return world["ecs"].describe_services(cluster="dito", services=["web"])["services"][0]


# --- deployment configurations --------------------------------------------------------------------------------------


def test_predefined_deployment_configs_answer(cd):
    ecs = cd.get_deployment_config(deploymentConfigName="CodeDeployDefault.ECSCanary10Percent5Minutes")["deploymentConfigInfo"]
    assert ecs["computePlatform"] == "ECS"
    assert ecs["trafficRoutingConfig"] == {"type": "TimeBasedCanary", "timeBasedCanary": {"canaryPercentage": 10, "canaryInterval": 5}}
    assert cd.get_deployment_config(deploymentConfigName="CodeDeployDefault.ECSAllAtOnce")["deploymentConfigInfo"]["trafficRoutingConfig"] == {
        "type": "AllAtOnce"
    }
    server = cd.get_deployment_config(deploymentConfigName="CodeDeployDefault.OneAtATime")["deploymentConfigInfo"]
    assert (server["computePlatform"], server["minimumHealthyHosts"]) == ("Server", {"type": "HOST_COUNT", "value": 1})
    assert (
        cd.get_deployment_config(deploymentConfigName="CodeDeployDefault.LambdaLinear10PercentEvery1Minute")["deploymentConfigInfo"]["computePlatform"]
        == "Lambda"
    )
    with pytest.raises(cd.exceptions.DeploymentConfigDoesNotExistException):
        cd.get_deployment_config(deploymentConfigName="nope")


def test_custom_deployment_configs_are_created_listed_and_deleted(cd, world):
    routing = {"type": "TimeBasedLinear", "timeBasedLinear": {"linearPercentage": 25, "linearInterval": 1}}
    config_id = cd.create_deployment_config(deploymentConfigName="quarter", computePlatform="ECS", trafficRoutingConfig=routing)["deploymentConfigId"]
    info = cd.get_deployment_config(deploymentConfigName="quarter")["deploymentConfigInfo"]
    assert (info["deploymentConfigId"], info["computePlatform"], info["trafficRoutingConfig"]) == (config_id, "ECS", routing)
    listed = cd.list_deployment_configs()["deploymentConfigsList"]
    assert "quarter" in listed and "CodeDeployDefault.ECSAllAtOnce" in listed
    with pytest.raises(cd.exceptions.DeploymentConfigAlreadyExistsException):
        cd.create_deployment_config(deploymentConfigName="quarter", computePlatform="ECS", trafficRoutingConfig=routing)
    with pytest.raises(cd.exceptions.InvalidDeploymentConfigNameException):
        cd.create_deployment_config(deploymentConfigName="CodeDeployDefault.Mine", computePlatform="ECS")
    with pytest.raises(cd.exceptions.InvalidOperationException):
        cd.delete_deployment_config(deploymentConfigName="CodeDeployDefault.ECSAllAtOnce")
    cd.create_deployment_group(**group_args(world, deploymentConfigName="quarter"))
    with pytest.raises(cd.exceptions.DeploymentConfigInUseException):
        cd.delete_deployment_config(deploymentConfigName="quarter")
    cd.delete_deployment_group(applicationName="app", deploymentGroupName="web")
    cd.delete_deployment_config(deploymentConfigName="quarter")
    assert "quarter" not in cd.list_deployment_configs()["deploymentConfigsList"]


# --- deployment groups ----------------------------------------------------------------------------------------------


def test_deployment_groups_keep_every_field_and_default_to_ecs_all_at_once(cd, world):
    args = group_args(world)
    cd.create_deployment_group(**args)
    group = cd.get_deployment_group(applicationName="app", deploymentGroupName="web")["deploymentGroupInfo"]
    assert group["deploymentConfigName"] == "CodeDeployDefault.ECSAllAtOnce"
    for field in ("alarmConfiguration", "autoRollbackConfiguration", "blueGreenDeploymentConfiguration", "deploymentStyle", "loadBalancerInfo", "ecsServices"):
        assert group[field] == args[field], field
    assert "lastSuccessfulDeployment" not in group


def test_deployment_groups_are_updated_renamed_read_in_batches_and_deleted(cd, world):
    cd.create_deployment_group(**group_args(world, tags=[{"Key": "team", "Value": "chat"}]))
    cd.update_deployment_group(
        applicationName="app",
        currentDeploymentGroupName="web",
        newDeploymentGroupName="web2",
        deploymentConfigName="CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
        alarmConfiguration={"enabled": False, "alarms": []},
        autoRollbackConfiguration={"enabled": False},
        loadBalancerInfo={
            "targetGroupPairInfoList": [{"targetGroups": [{"name": "green"}, {"name": "blue"}], "prodTrafficRoute": {"listenerArns": [world["prod"]]}}]
        },
    )
    found = cd.batch_get_deployment_groups(applicationName="app", deploymentGroupNames=["web2", "web"])
    (group,) = found["deploymentGroupsInfo"]
    assert group["deploymentGroupName"] == "web2"
    assert group["deploymentConfigName"] == "CodeDeployDefault.ECSLinear10PercentEvery1Minutes"
    assert group["alarmConfiguration"]["enabled"] is False
    assert group["autoRollbackConfiguration"] == {"enabled": False}
    assert group["loadBalancerInfo"]["targetGroupPairInfoList"][0]["targetGroups"][0] == {"name": "green"}
    assert "web" in found["errorMessage"]
    arn = "arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:app/web2"
    assert cd.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "chat"}]
    cd.untag_resource(ResourceArn=arn, TagKeys=["team"])
    cd.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "prod"}])
    assert cd.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "env", "Value": "prod"}]
    cd.delete_deployment_group(applicationName="app", deploymentGroupName="web2")
    with pytest.raises(cd.exceptions.DeploymentGroupDoesNotExistException):
        cd.get_deployment_group(applicationName="app", deploymentGroupName="web2")


def test_delete_application_deletes_its_groups(cd, world):
    cd.create_deployment_group(**group_args(world))
    cd.tag_resource(ResourceArn="arn:aws:codedeploy:eu-west-1:123456789012:application:app", Tags=[{"Key": "a", "Value": "b"}])
    cd.delete_application(applicationName="app")
    with pytest.raises(cd.exceptions.ApplicationDoesNotExistException):
        cd.get_application(applicationName="app")
    cd.create_application(applicationName="app", computePlatform="ECS")
    assert cd.list_deployment_groups(applicationName="app")["deploymentGroups"] == []
    assert cd.list_tags_for_resource(ResourceArn="arn:aws:codedeploy:eu-west-1:123456789012:application:app")["Tags"] == []


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"ecsServices": [{"clusterName": "dito", "serviceName": "missing"}]}, "InvalidECSServiceException"),
        ({"deploymentConfigName": "nope"}, "DeploymentConfigDoesNotExistException"),
        ({"serviceRoleArn": ""}, "RoleRequiredException"),
        (
            {
                "loadBalancerInfo": {
                    "targetGroupPairInfoList": [{"targetGroups": [{"name": "blue"}, {"name": "gone"}], "prodTrafficRoute": {"listenerArns": ["x"]}}]
                }
            },
            "InvalidTargetGroupPairException",
        ),
        (
            {
                "loadBalancerInfo": {
                    "targetGroupPairInfoList": [
                        {
                            "targetGroups": [{"name": "blue"}, {"name": "green"}],
                            "prodTrafficRoute": {"listenerArns": ["arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/x/1/2"]},
                        }
                    ]
                }
            },
            "InvalidTargetGroupPairException",
        ),
        ({"deploymentStyle": {"deploymentType": "IN_PLACE", "deploymentOption": "WITHOUT_TRAFFIC_CONTROL"}}, "InvalidDeploymentStyleException"),
    ],
)
def test_ecs_deployment_groups_are_validated(cd, world, change, code):
    with pytest.raises(cd.exceptions.ClientError) as raised:
        cd.create_deployment_group(**group_args(world, **change))
    assert raised.value.response["Error"]["Code"] == code
    if "serviceRoleArn" in change:
        return  # UpdateDeploymentGroup leaves a field it is not given as it is
    cd.create_deployment_group(**group_args(world))
    with pytest.raises(cd.exceptions.ClientError) as raised:
        cd.update_deployment_group(applicationName="app", currentDeploymentGroupName="web", **change)
    assert raised.value.response["Error"]["Code"] == code


def test_an_ecs_service_belongs_to_one_deployment_group(cd, world):
    cd.create_deployment_group(**group_args(world))
    with pytest.raises(cd.exceptions.ECSServiceMappingLimitExceededException):
        cd.create_deployment_group(**group_args(world, deploymentGroupName="other"))


def test_code_deploy_services_start_with_a_primary_task_set(world):
    (task_set,) = service(world)["taskSets"]
    assert (task_set["status"], task_set["taskDefinition"]) == ("PRIMARY", world["first"])
    assert task_set["loadBalancers"][0]["targetGroupArn"] == world["tgs"]["blue"]


# --- deployments ----------------------------------------------------------------------------------------------------


def run_to_end(cd, deployment_id, clock, limit=60):
    for _attempt in range(limit):
        status = cd.get_deployment(deploymentId=deployment_id)["deploymentInfo"]["status"]
        if status not in codedeploy.ACTIVE_STATUSES:
            return status
        clock.tick(1)
    raise AssertionError("the deployment did not end")


def test_a_deployment_moves_traffic_and_replaces_the_task_set(cd, world, clock):
    cd.create_deployment_group(**group_args(world))
    second = register(world["ecs"], "nginx:1.28")
    deployment_id = deploy(cd, appspec(second))
    assert cd.get_deployment(deploymentId=deployment_id)["deploymentInfo"]["status"] == "Created"
    assert re.fullmatch(r"d-[A-Z0-9]{9}", deployment_id)
    with pytest.raises(cd.exceptions.DeploymentNotStartedException):
        cd.list_deployment_targets(deploymentId=deployment_id)
    with pytest.raises(cd.exceptions.DeploymentLimitExceededException):
        deploy(cd, appspec(second))

    clock.tick(1 + 3)  # started, BeforeInstall, Install, AfterInstall done
    assert cd.get_deployment(deploymentId=deployment_id)["deploymentInfo"]["status"] == "InProgress"
    assert cd.list_deployment_targets(deploymentId=deployment_id)["targetIds"] == ["dito:web"]
    ecs_target = target(cd, deployment_id)
    assert [(e["lifecycleEventName"], e["status"]) for e in ecs_target["lifecycleEvents"]][:5] == [
        ("BeforeInstall", "Succeeded"),
        ("Install", "Succeeded"),
        ("AfterInstall", "Succeeded"),
        ("AllowTestTraffic", "InProgress"),
        ("AfterAllowTestTraffic", "Pending"),
    ]
    sets = {s["taskSetLabel"]: s for s in ecs_target["taskSetsInfo"]}
    assert (sets["BLUE"]["targetGroup"]["name"], sets["BLUE"]["trafficWeight"]) == ("blue", 100.0)
    assert (sets["GREEN"]["targetGroup"]["name"], sets["GREEN"]["trafficWeight"]) == ("green", 0.0)
    assert forwarded(world, "test") == {"blue": 1}

    clock.tick(1)  # AllowTestTraffic
    assert forwarded(world, "test") == {"green": 1}
    assert forwarded(world, "prod") == {"blue": 1}
    clock.tick(3)  # AfterAllowTestTraffic, BeforeAllowTraffic, AllowTraffic
    assert forwarded(world, "prod") == {"green": 1}
    assert service(world)["taskDefinition"] == world["first"]  # the termination wait keeps the original
    clock.tick(1 + 4)
    assert cd.get_deployment(deploymentId=deployment_id)["deploymentInfo"]["status"] == "InProgress"
    clock.tick(1)  # five minutes of termination wait, a step each
    info = cd.get_deployment(deploymentId=deployment_id)["deploymentInfo"]
    assert info["status"] == "Succeeded"
    assert info["revision"]["appSpecContent"]["sha256"]
    ecs_service = service(world)
    assert ecs_service["taskDefinition"] == second
    assert ecs_service["loadBalancers"][0]["targetGroupArn"] == world["tgs"]["green"]
    assert [(s["status"], s["taskDefinition"]) for s in ecs_service["taskSets"]] == [("PRIMARY", second)]
    assert [e["status"] for e in target(cd, deployment_id)["lifecycleEvents"]] == ["Succeeded"] * 8
    single = cd.get_deployment_target(deploymentId=deployment_id, targetId="dito:web")["deploymentTarget"]["ecsTarget"]
    assert (single["status"], [s["taskSetLabel"] for s in single["taskSetsInfo"]]) == ("Succeeded", ["GREEN"])
    group = cd.get_deployment_group(applicationName="app", deploymentGroupName="web")["deploymentGroupInfo"]
    assert group["lastSuccessfulDeployment"]["deploymentId"] == deployment_id
    assert group["lastAttemptedDeployment"]["deploymentId"] == deployment_id
    clock.tick(100)  # stable once done
    assert cd.get_deployment(deploymentId=deployment_id)["deploymentInfo"] == info

    # The next deployment goes the other way: green is now the original.
    third = register(world["ecs"], "nginx:1.29")
    assert run_to_end(cd, deploy(cd, appspec(third)), clock) == "Succeeded"
    assert forwarded(world, "prod") == {"blue": 1}
    assert service(world)["loadBalancers"][0]["targetGroupArn"] == world["tgs"]["blue"]


def test_an_unhealthy_replacement_fails_and_a_rollback_deployment_restores_the_last_good_revision(cd, world, clock):
    cd.create_deployment_group(**group_args(world))
    good = register(world["ecs"], "nginx:1.28")
    first_id = deploy(cd, appspec(good))
    assert run_to_end(cd, first_id, clock) == "Succeeded"
    first = cd.get_deployment(deploymentId=first_id)["deploymentInfo"]
    before = service(world)
    bad = register(world["ecs"], "registry.local:5000/web:dito-emulator-unhealthy-1")
    deployment_id = deploy(cd, appspec(bad))
    clock.tick(1 + 2)  # started, BeforeInstall; Install fails
    info = cd.get_deployment(deploymentId=deployment_id)["deploymentInfo"]
    assert info["status"] == "Failed"
    assert info["errorInformation"]["code"] == "ECS_UPDATE_ERROR"
    rollback_id = info["rollbackInfo"]["rollbackDeploymentId"]
    assert rollback_id != deployment_id and "in progress" in info["rollbackInfo"]["rollbackMessage"]
    events = {e["lifecycleEventName"]: e["status"] for e in target(cd, deployment_id)["lifecycleEvents"]}
    assert (events["Install"], events["AllowTraffic"]) == ("Failed", "Skipped")

    # The rollback is a deployment of its own, on the last successful revision; it does the rollback's work.
    rollback = cd.get_deployment(deploymentId=rollback_id)["deploymentInfo"]
    assert (rollback["creator"], rollback["deploymentGroupName"]) == ("codeDeployRollback", "web")
    assert rollback["rollbackInfo"]["rollbackTriggeringDeploymentId"] == deployment_id
    assert rollback["revision"]["appSpecContent"]["sha256"] == first["revision"]["appSpecContent"]["sha256"]
    assert rollback["status"] in ("Created", "InProgress")
    assert len(service(world)["taskSets"]) == 2  # the replacement task set is still there
    with pytest.raises(cd.exceptions.DeploymentLimitExceededException):
        deploy(cd, appspec(good))
    assert run_to_end(cd, rollback_id, clock) == "Succeeded"
    assert [e["lifecycleEventName"] for e in target(cd, rollback_id)["lifecycleEvents"]] == ["BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic"]
    assert "succeeded" in cd.get_deployment(deploymentId=deployment_id)["deploymentInfo"]["rollbackInfo"]["rollbackMessage"]
    after = service(world)
    assert (after["taskDefinition"], after["loadBalancers"]) == (before["taskDefinition"], before["loadBalancers"])
    assert [s["taskDefinition"] for s in after["taskSets"]] == [good]
    assert forwarded(world, "prod") == {"green": 1}
    group = cd.get_deployment_group(applicationName="app", deploymentGroupName="web")["deploymentGroupInfo"]
    assert group["lastSuccessfulDeployment"]["deploymentId"] == rollback_id  # "the most recent successful deployment"
    assert group["lastAttemptedDeployment"]["deploymentId"] == rollback_id
    assert group["targetRevision"] == first["revision"] | {"appSpecContent": {"content": first["revision"]["appSpecContent"]["content"]}}


def test_stop_deployment_rolls_back_by_a_rollback_deployment(cd, world, clock):
    cd.create_deployment_group(**group_args(world))
    deployment_id = deploy(cd, appspec(register(world["ecs"], "nginx:1.28")))
    clock.tick(1 + 7)  # through AllowTraffic
    assert forwarded(world, "prod") == {"green": 1}
    assert cd.stop_deployment(deploymentId=deployment_id, autoRollbackEnabled=True)["status"] == "Succeeded"
    info = cd.get_deployment(deploymentId=deployment_id)["deploymentInfo"]
    assert (info["status"], info["errorInformation"]["code"]) == ("Stopped", "MANUAL_STOP")
    rollback_id = info["rollbackInfo"]["rollbackDeploymentId"]
    assert forwarded(world, "prod") == {"green": 1}  # the rollback deployment moves it back, step by step
    assert run_to_end(cd, rollback_id, clock) == "Succeeded"
    assert len(cd.list_deployments(applicationName="app", deploymentGroupName="web")["deployments"]) == 2
    rollback = cd.get_deployment(deploymentId=rollback_id)["deploymentInfo"]
    # no successful deployment before: the rollback deploys the original task set's task definition
    assert json.loads(rollback["revision"]["appSpecContent"]["content"])["Resources"][0]["TargetService"]["Properties"]["TaskDefinition"] == world["first"]
    assert forwarded(world, "prod") == {"blue": 1}
    assert forwarded(world, "test") == {"blue": 1}
    assert [s["taskDefinition"] for s in service(world)["taskSets"]] == [world["first"]]
    with pytest.raises(cd.exceptions.DeploymentAlreadyCompletedException):
        cd.stop_deployment(deploymentId=deployment_id)


def test_stop_without_rollback_creates_no_rollback_deployment(cd, world, clock):
    cd.create_deployment_group(**group_args(world, autoRollbackConfiguration={"enabled": False}))
    deployment_id = deploy(cd, appspec(register(world["ecs"], "nginx:1.28")))
    clock.tick(1 + 5)  # test traffic on green
    cd.stop_deployment(deploymentId=deployment_id)
    info = cd.get_deployment(deploymentId=deployment_id)["deploymentInfo"]
    assert info["status"] == "Stopped" and "rollbackInfo" not in info
    assert cd.list_deployments(applicationName="app", deploymentGroupName="web")["deployments"] == [deployment_id]


def test_ready_wait_holds_until_continue_or_stops(cd, world, clock):
    ready = {
        "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 0},
        "deploymentReadyOption": {"actionOnTimeout": "STOP_DEPLOYMENT", "waitTimeInMinutes": 10},
    }
    cd.create_deployment_group(**group_args(world, blueGreenDeploymentConfiguration=ready))
    second = register(world["ecs"], "nginx:1.28")
    deployment_id = deploy(cd, appspec(second))
    with pytest.raises(cd.exceptions.DeploymentIsNotInReadyStateException):
        cd.continue_deployment(deploymentId=deployment_id, deploymentWaitType="READY_WAIT")
    clock.tick(1 + 5 + 3)
    assert cd.get_deployment(deploymentId=deployment_id)["deploymentInfo"]["status"] == "Ready"
    assert target(cd, deployment_id)["status"] == "Ready"
    assert forwarded(world, "prod") == {"blue": 1}
    cd.continue_deployment(deploymentId=deployment_id, deploymentWaitType="READY_WAIT")
    assert run_to_end(cd, deployment_id, clock) == "Succeeded"
    assert service(world)["taskDefinition"] == second

    late = deploy(cd, appspec(register(world["ecs"], "nginx:1.29")))
    clock.tick(1 + 5 + 10)
    info = cd.get_deployment(deploymentId=late)["deploymentInfo"]
    assert (info["status"], info["errorInformation"]["code"]) == ("Stopped", "TIMEOUT")
    assert run_to_end(cd, info["rollbackInfo"]["rollbackDeploymentId"], clock) == "Succeeded"
    assert service(world)["taskDefinition"] == second
    assert forwarded(world, "test") == {"green": 1}


def test_canary_shifts_by_weight(cd, world, clock):
    cd.create_deployment_group(**group_args(world, deploymentConfigName="CodeDeployDefault.ECSCanary10Percent5Minutes"))
    deployment_id = deploy(cd, appspec(register(world["ecs"], "nginx:1.28")))
    clock.tick(1 + 6)  # AllowTraffic has begun
    assert forwarded(world, "prod") == {"blue": 90, "green": 10}
    assert {s["taskSetLabel"]: s["trafficWeight"] for s in target(cd, deployment_id)["taskSetsInfo"]} == {"BLUE": 90.0, "GREEN": 10.0}
    clock.tick(6)
    assert forwarded(world, "prod") == {"green": 1}


def test_appspec_is_checked(cd, world, clock):
    cd.create_deployment_group(**group_args(world))
    second = register(world["ecs"], "nginx:1.28")
    for revision in (appspec(second, container="api"), appspec(second, port=9999), appspec(second.replace("web:", "gone:"))):
        with pytest.raises(cd.exceptions.InvalidRevisionException):
            deploy(cd, revision)
    assert cd.list_deployments(applicationName="app", deploymentGroupName="web")["deployments"] == []


def test_step_seconds_come_from_config_or_environment(monkeypatch):
    from moto.moto_api._internal.models import moto_api_backend

    monkeypatch.setenv(codedeploy.STEP_ENV, "2.5")
    assert codedeploy.step_seconds() == 2.5
    moto_api_backend.set_config({"codedeploy": {"step_seconds": 0.1}})
    assert codedeploy.step_seconds() == 0.1
    assert moto_api_backend.get_config()["codedeploy"] == {"step_seconds": 0.1}
    moto_api_backend.reset()
    assert codedeploy.step_seconds() == 2.5


def test_linear_shifts_in_steps_and_continue_ends_the_termination_wait(cd, world, clock):
    cd.create_deployment_group(**group_args(world, deploymentConfigName="CodeDeployDefault.ECSLinear10PercentEvery1Minutes"))
    second = register(world["ecs"], "nginx:1.28")
    deployment_id = deploy(cd, appspec(second))
    clock.tick(1 + 6)  # AllowTraffic has begun: 10 percent, then 10 more each minute (a step each)
    assert forwarded(world, "prod") == {"blue": 90, "green": 10}
    clock.tick(3)
    assert forwarded(world, "prod") == {"blue": 60, "green": 40}
    with pytest.raises(cd.exceptions.InvalidDeploymentStatusException):
        cd.continue_deployment(deploymentId=deployment_id, deploymentWaitType="TERMINATION_WAIT")
    clock.tick(6 + 1 + 1)  # 100 percent, AfterAllowTraffic
    assert forwarded(world, "prod") == {"green": 1}
    info = cd.list_deployments(applicationName="app", deploymentGroupName="web", includeOnlyStatuses=["InProgress"])
    assert info["deployments"] == [deployment_id]
    cd.continue_deployment(deploymentId=deployment_id, deploymentWaitType="TERMINATION_WAIT")
    assert cd.get_deployment(deploymentId=deployment_id)["deploymentInfo"]["status"] == "Succeeded"
    assert service(world)["taskDefinition"] == second


def test_the_original_target_group_is_the_primary_task_sets(cd, world, clock):
    """User Guide, "Before you begin an Amazon ECS deployment": the original target group is the one of the
    service's PRIMARY task set, whatever the production listener forwards to."""
    world["elbv2"].modify_listener(ListenerArn=world["prod"], DefaultActions=[{"Type": "forward", "TargetGroupArn": world["tgs"]["green"]}])
    cd.create_deployment_group(**group_args(world))
    deployment_id = deploy(cd, appspec(register(world["ecs"], "nginx:1.28")))
    clock.tick(1 + 3)
    sets = {s["taskSetLabel"]: s["targetGroup"]["name"] for s in target(cd, deployment_id)["taskSetsInfo"]}
    assert sets == {"BLUE": "blue", "GREEN": "green"}
    assert run_to_end(cd, deployment_id, clock) == "Succeeded"
    assert service(world)["loadBalancers"][0]["targetGroupArn"] == world["tgs"]["green"]


def test_a_traffic_route_has_one_listener_at_most(cd, world):
    other = world["elbv2"].create_listener(
        LoadBalancerArn=world["elbv2"].describe_listeners(ListenerArns=[world["test"]])["Listeners"][0]["LoadBalancerArn"],
        Protocol="HTTP",
        Port=9443,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": world["tgs"]["blue"]}],
    )["Listeners"][0]["ListenerArn"]
    for route in ("prodTrafficRoute", "testTrafficRoute"):
        pair = group_args(world)["loadBalancerInfo"]["targetGroupPairInfoList"][0]
        pair[route] = {"listenerArns": [world["test"] if route == "prodTrafficRoute" else world["prod"], other]}
        with pytest.raises(cd.exceptions.InvalidTargetGroupPairException):
            cd.create_deployment_group(**group_args(world, loadBalancerInfo={"targetGroupPairInfoList": [pair]}))


MESSAGE = "AWS CodeDeploy does not have the permissions required to assume the role {}."


def test_the_service_role_must_exist_and_trust_codedeploy(cd, world):
    ecs_trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    for arn in ("arn:aws:iam::123456789012:role/missing", make_role("ecs-only", ecs_trust)):
        with pytest.raises(cd.exceptions.InvalidRoleException, match=re.escape(MESSAGE.format(arn))):
            cd.create_deployment_group(**group_args(world, serviceRoleArn=arn))
    cd.create_deployment_group(**group_args(world))
    with pytest.raises(cd.exceptions.InvalidRoleException):
        cd.update_deployment_group(applicationName="app", currentDeploymentGroupName="web", serviceRoleArn="arn:aws:iam::123456789012:role/ecs-only")


def test_iam_propagation_fault_mode_applies_to_codedeploy(cd, world, monkeypatch):
    from plugins.module_utils.iam_propagation import CODEDEPLOY
    from plugins.module_utils.iam_propagation import role_not_yet_assumable

    monkeypatch.setenv("DITO_EMULATOR_IAM_PROPAGATION_SECONDS", "3600")
    fresh = make_role("fresh")
    with pytest.raises(cd.exceptions.InvalidRoleException) as raised:
        cd.create_deployment_group(**group_args(world, serviceRoleArn=fresh))
    assert role_not_yet_assumable(raised.value, CODEDEPLOY)
    monkeypatch.setenv("DITO_EMULATOR_IAM_PROPAGATION_SECONDS", "0")
    cd.create_deployment_group(**group_args(world, serviceRoleArn=fresh))


def test_a_stopped_rollback_deployment_is_not_rolled_back(cd, world, clock):
    cd.create_deployment_group(**group_args(world))
    deployment_id = deploy(cd, appspec(register(world["ecs"], "registry.local:5000/web:dito-emulator-unhealthy-1")))
    clock.tick(1 + 2)
    rollback_id = cd.get_deployment(deploymentId=deployment_id)["deploymentInfo"]["rollbackInfo"]["rollbackDeploymentId"]
    cd.stop_deployment(deploymentId=rollback_id, autoRollbackEnabled=True)
    assert cd.get_deployment(deploymentId=rollback_id)["deploymentInfo"]["status"] == "Stopped"
    assert sorted(cd.list_deployments(applicationName="app", deploymentGroupName="web")["deployments"]) == sorted([deployment_id, rollback_id])
