"""The services on ECS Fargate (role ecs_service through site.yml): what AWS holds after a converge."""

import json

import yaml

from tests.conftest import ROOT

SERVICES = {"frontend": 80, "backend": 8080}
TAGS = {"project": "dito", "environment": "local", "owner": "devops", "cost-center": "chat"}


def network():
    return yaml.safe_load((ROOT / "inventories" / "local" / "group_vars" / "all" / "emulator_network.yml").read_text())


def tags_of(items, key="key", value="value"):
    return {t[key]: t[value] for t in items}


def test_cluster_and_namespace(converged, client):
    ecs = client("ecs")
    [cluster] = ecs.describe_clusters(clusters=["dito-local"], include=["SETTINGS", "TAGS"])["clusters"]
    assert cluster["settings"] == [{"name": "containerInsights", "value": "enabled"}]
    assert sorted(cluster["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]
    assert tags_of(cluster["tags"]) == dict(TAGS, service="platform")

    sd = client("servicediscovery")
    [namespace] = [n for n in sd.list_namespaces()["Namespaces"] if n["Name"] == "svc.local.dito.internal"]
    assert namespace["Type"] == "DNS_PRIVATE"
    services = {s["Name"]: s for s in sd.list_services()["Services"]}
    assert set(services) == set(SERVICES)
    assert all(s["DnsConfig"]["DnsRecords"] == [{"Type": "A", "TTL": 10}] for s in services.values())


def test_services_run_private_blue_green_and_autoscaled(converged, client):
    ecs, ec2, elb = client("ecs"), client("ec2"), client("elbv2")
    net = network()
    registries = {s["Name"]: s["Arn"] for s in client("servicediscovery").list_services()["Services"]}
    groups = {g["GroupId"]: g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]}
    scaling = client("application-autoscaling")
    for service, port in SERVICES.items():
        [held] = ecs.describe_services(cluster="dito-local", services=[f"dito-local-{service}"], include=["TAGS"])["services"]
        assert held["deploymentController"] == {"type": "CODE_DEPLOY"}
        assert [(s["capacityProvider"], s["weight"]) for s in held["capacityProviderStrategy"]] == [("FARGATE", 1)]
        vpc = held["networkConfiguration"]["awsvpcConfiguration"]
        assert sorted(vpc["subnets"]) == sorted(net["site_private_subnet_ids"])
        assert vpc["assignPublicIp"] == "DISABLED"
        assert [groups[g] for g in vpc["securityGroups"]] == [f"dito-local-{service}-tasks"]
        blue = elb.describe_target_groups(Names=[f"dito-local-{service}-blue"])["TargetGroups"][0]["TargetGroupArn"]
        assert held["loadBalancers"] == [{"targetGroupArn": blue, "containerName": service, "containerPort": port}]
        assert held["healthCheckGracePeriodSeconds"] == 60
        assert held["serviceRegistries"] == [{"registryArn": registries[service]}]
        assert (held["desiredCount"], held["enableExecuteCommand"], held["propagateTags"]) == (2, False, "SERVICE")
        assert tags_of(held["tags"]) == dict(TAGS, service=service)

        resource = f"service/dito-local/dito-local-{service}"
        [target] = scaling.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[resource])["ScalableTargets"]
        assert (target["MinCapacity"], target["MaxCapacity"]) == (2, 6)
        [policy] = scaling.describe_scaling_policies(ServiceNamespace="ecs", ResourceId=resource)["ScalingPolicies"]
        config = policy["TargetTrackingScalingPolicyConfiguration"]
        assert (policy["PolicyName"], config["TargetValue"], config["PredefinedMetricSpecification"]["PredefinedMetricType"]) == (
            f"dito-local-{service}-cpu",
            60.0,
            "ECSServiceAverageCPUUtilization",
        )


def test_task_definitions_are_hardened_and_read_secrets_from_ssm(converged, client):
    ecs, ssm = client("ecs"), client("ssm")
    for service, port in SERVICES.items():
        td = ecs.describe_task_definition(taskDefinition=f"dito-local-{service}")["taskDefinition"]
        assert (td["networkMode"], td["requiresCompatibilities"], td["cpu"], td["memory"]) == ("awsvpc", ["FARGATE"], "256", "512")
        assert td["executionRoleArn"].endswith(f":role/dito-local-{service}-execution")
        assert td["taskRoleArn"].endswith(f":role/dito-local-{service}-task")
        [container] = td["containerDefinitions"]
        assert container["image"] == f"123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/local/{service}:latest"
        assert container["portMappings"][0]["containerPort"] == port
        assert (container["readonlyRootFilesystem"], container["privileged"]) == (True, False)
        scratch = container["mountPoints"][0]
        assert (scratch["sourceVolume"], scratch["containerPath"], td["volumes"]) == ("scratch-tmp", "/tmp", [{"name": "scratch-tmp"}])  # noqa: S108
        assert container["logConfiguration"]["options"] == {
            "awslogs-group": f"/ecs/dito-local-{service}",
            "awslogs-region": "eu-west-1",
            "awslogs-stream-prefix": service,
            # A CloudWatch Logs hiccup never stalls the application (AWS's recommendation).
            "mode": "non-blocking",
            "max-buffer-size": "25m",
        }
        secrets = {s["name"]: s["valueFrom"] for s in container.get("secrets", [])}
        if service == "backend":
            assert secrets == {
                "REDIS_AUTH_TOKEN": "arn:aws:ssm:eu-west-1:123456789012:parameter/dito/local/redis/auth-token",
                "REDIS_HOST": "arn:aws:ssm:eu-west-1:123456789012:parameter/dito/local/redis/host",
            }
            # The primary endpoint's own name, which ElastiCache's TLS certificate carries (not the private zone's CNAME).
            redis = client("elasticache").describe_replication_groups(ReplicationGroupId="dito-local-redis")["ReplicationGroups"][0]
            assert ssm.get_parameter(Name="/dito/local/redis/host")["Parameter"]["Value"] == redis["NodeGroups"][0]["PrimaryEndpoint"]["Address"]
        else:
            assert secrets == {}
        assert "REDIS" not in json.dumps(container.get("environment", [])) or service == "backend"
    groups = {g["logGroupName"]: g for g in client("logs").describe_log_groups(logGroupNamePrefix="/ecs/")["logGroups"]}
    assert {name: g["retentionInDays"] for name, g in groups.items()} == {f"/ecs/dito-local-{s}": 30 for s in SERVICES}


def test_roles_are_scoped_to_the_service(converged, client):
    iam = client("iam")
    for service in SERVICES:
        role = iam.get_role(RoleName=f"dito-local-{service}-execution")["Role"]
        trust = role["AssumeRolePolicyDocument"]["Statement"][0]
        assert trust["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
        assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
        policy = iam.get_role_policy(RoleName=role["RoleName"], PolicyName=role["RoleName"])["PolicyDocument"]
        statements = {s["Sid"]: s for s in policy["Statement"]}
        # Only the ECR token (which has no resource-level permission) is on "*"; nothing is an administration action.
        assert [sid for sid, s in statements.items() if "*" in s["Resource"]] == ["EcrToken"]
        assert all(not a.endswith("*") for s in statements.values() for a in s["Action"])
        assert statements["PullOwnRepository"]["Resource"] == [f"arn:aws:ecr:eu-west-1:123456789012:repository/dito/local/{service}"]
        assert statements["OwnLogs"]["Resource"] == [f"arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/dito-local-{service}:log-stream:*"]
        if service == "backend":
            assert sorted(statements["OwnSecrets"]["Resource"]) == [
                "arn:aws:ssm:eu-west-1:123456789012:parameter/dito/local/redis/auth-token",
                "arn:aws:ssm:eu-west-1:123456789012:parameter/dito/local/redis/host",
            ]
            condition = statements["DecryptOwnSecretsThroughSsm"]["Condition"]["StringEquals"]
            assert condition["kms:ViaService"] == "ssm.eu-west-1.amazonaws.com"
            assert sorted(condition["kms:EncryptionContext:PARAMETER_ARN"]) == sorted(statements["OwnSecrets"]["Resource"])
        else:
            assert "OwnSecrets" not in statements
        task_role = f"dito-local-{service}-task"
        assert iam.list_role_policies(RoleName=task_role)["PolicyNames"] == []
        assert iam.list_attached_role_policies(RoleName=task_role)["AttachedPolicies"] == []


def test_alarms_watch_each_target_group(converged, client):
    cw, elb = client("cloudwatch"), client("elbv2")
    alarms = {a["AlarmName"]: a for a in cw.describe_alarms(AlarmNamePrefix="dito-local-")["MetricAlarms"]}
    for service in SERVICES:
        lb = elb.describe_load_balancers(Names=[f"dito-local-{service}"])["LoadBalancers"][0]["LoadBalancerArn"]
        for color in ("blue", "green"):
            tg = elb.describe_target_groups(Names=[f"dito-local-{service}-{color}"])["TargetGroups"][0]["TargetGroupArn"]
            dimensions = {"LoadBalancer": lb.split(":loadbalancer/")[1], "TargetGroup": tg.split(":")[-1]}
            for kind, metric in (("5xx", "HTTPCode_Target_5XX_Count"), ("unhealthy", "UnHealthyHostCount")):
                alarm = alarms[f"dito-local-{service}-{kind}-{color}"]
                assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/ApplicationELB", metric)
                assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]} == dimensions
