"""site.yml on the local inventory against the emulator: outcomes, idempotence, check mode, bad input."""

import json

import pytest
import yaml

from tests.conftest import ROOT
from tests.integration import conftest
from tests.integration import test_cloudfront as cloudfront
from tests.integration.test_faults import vpc_id
from tools.listing import differences
from tools.listing import environment_part
from tools.listing import listing
from tools.listing import merged

SERVICES = ("frontend", "backend")


def repositories(client):
    ecr = client("ecr")
    return {r["repositoryName"]: r for r in ecr.describe_repositories()["repositories"]}


def test_site_converges(converged, client):
    """The first converge. That a re-run and a --check then change nothing is asserted by
    test_alb.py::test_a_rerun_after_codedeploy_deployed_to_green_changes_nothing, on the same stack after a
    deployment moved it (the harder case: two whole-stack runs less than asserting both cases)."""
    first = converged
    assert set(first.recap) == {*SERVICES, "platform", "redis"}, first
    assert all(first.recap[s]["changed"] >= 1 for s in (*SERVICES, "platform", "redis")), first

    ecr = client("ecr")
    repos = repositories(client)
    assert set(repos) == {f"dito/local/{s}" for s in SERVICES}
    for service in SERVICES:
        repo = repos[f"dito/local/{service}"]
        assert repo["imageTagMutability"] == "IMMUTABLE"
        assert repo["imageScanningConfiguration"]["scanOnPush"] is True
        assert repo["encryptionConfiguration"]["encryptionType"] == "AES256"
        rules = json.loads(ecr.get_lifecycle_policy(repositoryName=repo["repositoryName"])["lifecyclePolicyText"])["rules"]
        assert [(r["selection"]["tagStatus"], r["selection"]["countNumber"]) for r in rules] == [("untagged", 7), ("tagged", 30)]
        tags = {t["Key"]: t["Value"] for t in ecr.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]}
        assert tags == {"project": "dito", "environment": "local", "service": service, "owner": "devops", "cost-center": "chat"}
        with pytest.raises(ecr.exceptions.RepositoryPolicyNotFoundException):
            ecr.get_repository_policy(repositoryName=repo["repositoryName"])
        assert f"ecr_uri: {repo['repositoryUri']}" in first.out


def test_check_on_an_empty_account_completes_and_creates_nothing(fresh_account, playbook, client):
    plan = playbook("site.yml", "--check")
    assert plan.rc == 0 and plan.total("failed") == 0, plan
    # Each service plans its security groups, repository, log bucket, load balancer and target groups.
    assert all(plan.recap[s]["changed"] >= 5 for s in SERVICES), plan
    assert plan.recap["platform"]["changed"] >= 5 and plan.recap["redis"]["changed"] >= 5, plan
    assert repositories(client) == {}
    assert client("elasticache").describe_replication_groups()["ReplicationGroups"] == []
    assert {g["GroupName"] for g in client("ec2").describe_security_groups()["SecurityGroups"]} == {"default"}
    assert client("elbv2").describe_load_balancers()["LoadBalancers"] == [] and client("elbv2").describe_target_groups()["TargetGroups"] == []
    assert client("s3").list_buckets()["Buckets"] == []
    assert client("lambda").list_functions()["Functions"] == []
    assert client("events").list_rules()["Rules"] == []
    assert client("ecs").list_clusters()["clusterArns"] == []
    assert client("ecs").list_task_definition_families()["families"] == []
    assert client("servicediscovery").list_namespaces()["Namespaces"] == []
    assert client("codepipeline").list_pipelines()["pipelines"] == [] and client("codebuild").list_projects()["projects"] == []
    assert client("codeconnections").list_connections()["Connections"] == []
    assert client("cloudfront").list_distributions()["DistributionList"].get("Items", []) == []
    assert client("ssm").get_parameters(Names=["/dito/local/frontend/origin-verify"])["Parameters"] == []


@pytest.mark.parametrize(
    "extra, names, host",
    [
        ({"ecr_keep_tagged_images": 0}, "ecr_keep_tagged_images", "frontend"),
        ({"ecr_untagged_expiry_days": -1}, "ecr_untagged_expiry_days", "frontend"),
        ({"ecr_image_tag_mutability": "SOMETIMES"}, "ecr_image_tag_mutability", "frontend"),
        ({"ecr_pull_account_ids": ["42"]}, "ecr_pull_account_ids", "frontend"),
        ({"site_project": "Dito Chat"}, "site_project", None),
        ({"site_private_subnet_ids": ["subnet-0123456789abcdef0"]}, "site_private_subnet_ids", "platform"),
        ({"lambda_alerts_timeout": 0}, "lambda_alerts_timeout", "platform"),
        ({"lambda_alerts_webhooks": [{"kind": "teams", "parameter": "/x"}]}, "lambda_alerts_webhooks", "platform"),
        ({"elasticache_replicas": 6}, "elasticache_replicas", "redis"),
        ({"elasticache_engine_version": "8.0"}, "elasticache_engine_version", "redis"),
        ({"elasticache_engine": "valkey", "elasticache_engine_version": "7.1"}, "elasticache_engine_version 7.1", "redis"),
        ({"elasticache_replicas": 0, "elasticache_automatic_failover": True}, "elasticache_automatic_failover", "redis"),
        ({"elasticache_snapshot_retention_days": 0}, "elasticache_snapshot_retention_days", "redis"),
        ({"site_public_subnet_ids": ["subnet-0123456789abcdef0"]}, "site_public_subnet_ids", "platform"),
        ({"alb_test_listener_port": 443}, "alb_test_listener_port", "frontend"),
        ({"alb_health_check": {"path": "healthz"}}, "alb_health_check.path", "frontend"),
        ({"ecs_service_cpu": 256, "ecs_service_memory": 4096}, "ecs_service_memory=4096", "backend"),
        ({"ecs_service_cpu": 300}, "ecs_service_cpu=300", "backend"),
        ({"ecs_service_autoscaling": {"min_capacity": 5, "max_capacity": 2, "cpu_target": 60}}, "ecs_service_autoscaling", "backend"),
        (
            {"ecs_service_autoscaling": {"min_capacity": 2, "max_capacity": 6, "requests_per_target": 500}},
            "requests_per_target tracks one target group",
            "backend",
        ),
        ({"ecs_service_cluster_tags": {"team": "chat"}}, "No longer read: ecs_service_cluster_tags", "backend"),
        ({"site_private_zone": "not a zone"}, "site_private_zone", "platform"),
        ({"platform_ecr_registry_scanning": {"type": "BASIC", "frequency": "CONTINUOUS_SCAN"}}, "CONTINUOUS_SCAN is ENHANCED only", "platform"),
        ({"platform_ecr_registry_scanning": {"type": "ENHANCED", "filters": ["Dito/*"]}}, "platform_ecr_registry_scanning needs", "platform"),
        ({"site_repository": "dito"}, "site_repository must be a GitHub repository owner/name", "frontend"),
        ({"site_pipeline_connection_arn": "arn:aws:iam::123456789012:role/x"}, "site_pipeline_connection_arn", "platform"),
        ({"codepipeline_build_timeout_minutes": 3}, "codepipeline_build_timeout_minutes", "frontend"),
        (
            {"site_cloudfront_certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd"},
            "site_cloudfront_certificate_arn must be the ARN of an ACM certificate in us-east-1",
            "frontend",
        ),
        ({"cloudfront_dynamic_paths": ["*"]}, "cloudfront_dynamic_paths", "frontend"),
        ({"cloudfront_web_acl_arn": "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/1"}, "cloudfront_web_acl_arn", "frontend"),
    ],
)
def test_invalid_input_stops_before_any_aws_call(empty_account, playbook, client, extra, names, host):
    """Each case on the host whose checks refuse it (--limit, as a run for one service would be): the checks are the
    same, and a run of one host costs about a tenth of a run of all four. The cases without a host, and the tests below,
    show that a refusal on one host stops every host."""
    run = playbook("site.yml", "-e", json.dumps(extra), *(["--limit", host] if host else []))
    assert run.rc != 0, run
    assert names in run.out, run
    assert "Make each repository present" not in run.out, run
    assert repositories(client) == {}
    # The distribution (disabled, deployed, then deleted), its secret and its log bucket (above) are gone.
    assert client("cloudfront").list_distributions()["DistributionList"].get("Items", []) == []
    assert client("ssm").get_parameters(Names=["/dito/local/frontend/origin-verify"])["Parameters"] == []
    assert client("lambda").list_functions()["Functions"] == []
    assert client("elasticache").describe_replication_groups()["ReplicationGroups"] == []


def test_a_service_without_a_name_is_refused(empty_account, playbook, client, local_inventory):
    hosts = yaml.safe_load((local_inventory / "hosts.yml").read_text())
    hosts["all"]["children"]["dito_services"]["hosts"]["worker"] = {"site_service": {"port": 8080}}
    (local_inventory / "hosts.yml").write_text(yaml.safe_dump(hosts))
    run = playbook("site.yml", inventory=local_inventory)
    assert run.rc != 0, run
    assert "missing required arguments: name found in site_service" in run.out, run
    assert repositories(client) == {}


def test_a_port_out_of_range_is_refused(empty_account, playbook, client, local_inventory):
    hosts = yaml.safe_load((local_inventory / "hosts.yml").read_text())
    hosts["all"]["children"]["dito_services"]["hosts"]["backend"]["site_service"]["port"] = 70000
    (local_inventory / "hosts.yml").write_text(yaml.safe_dump(hosts))
    run = playbook("site.yml", inventory=local_inventory)
    assert run.rc != 0 and "site_service.port" in run.out, run
    assert repositories(client) == {} and client("elbv2").describe_load_balancers()["LoadBalancers"] == []


def test_a_third_service_is_an_inventory_change(converged_to_change, playbook, client, local_inventory):
    """Adding a service, and removing it again (teardown limited to its host), are inventory changes."""
    hosts = yaml.safe_load((local_inventory / "hosts.yml").read_text())
    worker = {"name": "worker", "pipeline": {"directory": "worker", "test_commands": ["make test"]}}
    hosts["all"]["children"]["dito_services"]["hosts"]["worker"] = {"site_service": worker}
    (local_inventory / "hosts.yml").write_text(yaml.safe_dump(hosts))

    run = playbook("site.yml", inventory=local_inventory)
    assert run.rc == 0, run
    assert run.recap["worker"]["changed"] >= 1 and run.recap["frontend"]["changed"] == 0, run
    assert "dito/local/worker" in repositories(client)
    # Its pipeline, with the shared connection and bucket, started by changes under worker/ only.
    pipeline = client("codepipeline").get_pipeline(name="dito-local-worker")["pipeline"]
    assert pipeline["triggers"][0]["gitConfiguration"]["push"][0]["filePaths"] == {"includes": ["worker/**"]}
    assert len(client("codeconnections").list_connections()["Connections"]) == 1
    assert client("ecs").describe_services(cluster="dito-local", services=["dito-local-worker"])["services"][0]["status"] == "ACTIVE"

    gone = playbook("teardown.yml", "--limit", "worker", "-e", "confirm=local", inventory=local_inventory)
    assert gone.rc == 0 and set(gone.recap) == {"worker"}, gone
    assert "dito/local/worker" not in repositories(client)
    assert [s["status"] for s in client("ecs").describe_services(cluster="dito-local", services=["dito-local-worker"])["services"]] in ([], ["INACTIVE"])
    assert client("elbv2").describe_load_balancers(Names=["dito-local-frontend"])["LoadBalancers"]
    assert sorted(p["name"] for p in client("codepipeline").list_pipelines()["pipelines"]) == ["dito-local-backend", "dito-local-frontend"]
    assert not [p for p in client("codebuild").list_projects()["projects"] if p.startswith("dito-local-worker")]


def test_turning_cloudfront_off_makes_the_alb_the_edge_again(converged_to_change, playbook, client, local_inventory):
    """The last changer of the shared stack (teardown, the destroyer after it, removes the rest either way): with
    site_service.cloudfront false the next run opens the load balancer to the web, lets its listener forward everything,
    points the name at it, and deletes the distribution, its origin name and secret. (That the off state then re-runs
    with changed=0 and --check changed=0 was measured by hand: a fourth whole run is not worth its minutes here.)"""
    hosts_file = local_inventory / "hosts.yml"
    hosts = yaml.safe_load(hosts_file.read_text())
    hosts["all"]["children"]["dito_services"]["hosts"]["frontend"]["site_service"]["cloudfront"] = False
    hosts_file.write_text(yaml.safe_dump(hosts))
    off = playbook("site.yml", "--limit", "frontend", inventory=local_inventory)
    assert off.rc == 0, off
    ec2, elb = client("ec2"), client("elbv2")
    assert cloudfront.alb_ingress(ec2) == {(80, ("0.0.0.0/0", "::/0")), (443, ("0.0.0.0/0", "::/0")), (8443, ("10.42.0.0/16",))}
    lb, listener, rules = cloudfront.production_listener(elb)
    assert listener["DefaultActions"][0]["Type"] == "forward" and rules == []
    public = cloudfront.records(client, "chat.dito.local.")
    assert set(public) == {"A"} and public["A"]["AliasTarget"]["DNSName"].rstrip(".").lower() == lb["DNSName"].lower()
    assert public["A"]["AliasTarget"]["EvaluateTargetHealth"] is True
    assert cloudfront.records(client, "chat-origin.dito.local.") == {}
    assert cloudfront.distributions(client) == {}
    assert client("ssm").get_parameters(Names=[cloudfront.SECRET_PARAMETER])["Parameters"] == []


# What teardown.yml keeps of the environment on purpose: the Redis AUTH token and the webhook URL (the back end may still
# run with the one, the other may be the user's) with the keys that encrypt them and their aliases, the pipelines' key
# waiting for its deletion date, and the task definitions' revisions (INACTIVE, as ECS keeps them: those of every
# service the environment had, test_a_third_service_is_an_inventory_change's worker included).
KEPT_BY_TEARDOWN = {
    "kms keys": {
        "Artifacts of the pipelines (dito-local-pipeline-artifacts) PendingDeletion",
        "Data at rest and AUTH token of dito-local-redis Enabled",
        "Webhook URLs of dito-local-pipeline-alerts Enabled",
    },
    "kms aliases": {"alias/dito-local-pipeline-alerts", "alias/dito-local-pipelines", "alias/dito-local-redis"},
    "ssm parameters": {"/dito/local/alerts/slack", "/dito/local/redis/auth-token"},
}
# What the account held before site.yml: the public zone (its NS and SOA records) and the VPC's default group.
THE_USERS = {
    "route53 zones": {"dito.local. private=False": 1},
    "route53 records": {"dito.local. dito.local. NS": 1, "dito.local. dito.local. SOA": 1},
    "security groups": {"default": 1},
    "security group rules": {"default egress -1 -1--1 0.0.0.0/0": 1},
}


def test_teardown_removes_every_repository(converged_to_destroy, playbook, client, emulator_endpoint):
    """Removes everything of the environment but what it keeps on purpose, and nothing else: the user's public zone
    and, when test_faults built one beside it, the other environment of the account stay as they were."""
    beside = conftest.environment_beside()
    down = playbook("teardown.yml", "-e", "confirm=local")
    # Each service: its load balancer, target groups, log bucket, repository, then its security groups.
    assert down.rc == 0 and all(down.recap[s]["changed"] >= 5 for s in SERVICES), down
    found = listing(emulator_endpoint, vpc_id())
    left = environment_part(found)
    rest = {kind: {name: n for name, n in names.items() if name not in left.get(kind, {})} for kind, names in found.items()}
    revisions = set(left.pop("task definition revisions", {}))
    assert {kind: set(names) for kind, names in left.items()} == KEPT_BY_TEARDOWN
    assert {"dito-local-backend", "dito-local-frontend"} <= revisions <= {"dito-local-backend", "dito-local-frontend", "dito-local-worker"}
    assert differences(merged(THE_USERS, beside["part"] if beside else {}), rest) == []
    if beside:
        assert client("elbv2").describe_load_balancers(Names=[f"dito-{beside['environment']}-frontend"])["LoadBalancers"]
    # The AUTH token stays (the back end may still run with it) unless elasticache_delete_auth_token.
    assert client("ssm").get_parameter(Name="/dito/local/redis/auth-token")["Parameter"]["Type"] == "SecureString"
    ecs = client("ecs")
    assert [c["status"] for c in ecs.describe_clusters(clusters=["dito-local"])["clusters"]] in ([], ["INACTIVE"])
    assert not [a for a in ecs.list_task_definitions(status="ACTIVE")["taskDefinitionArns"] if "/dito-local-" in a]
    # The pipelines' key waits for its deletion date.
    assert client("kms").describe_key(KeyId="alias/dito-local-pipelines")["KeyMetadata"]["KeyState"] == "PendingDeletion"
    # The webhook parameter stays (it may be the user's) unless lambda_alerts_delete_parameters.
    assert client("ssm").get_parameter(Name="/dito/local/alerts/slack")["Parameter"]["Type"] == "SecureString"
    assert playbook("teardown.yml", "-e", "confirm=local").total("changed") == 0


def test_each_shared_piece_is_made_once_by_the_platform_role(converged, client):
    """The private zone, the cluster and the namespace have one owner (roles/platform): one module invocation each in
    a converge (read from the -vvv output), one zone of the name, and the roles' outputs reach the summary."""
    import re

    for module in ("route53_zone", "ecs_cluster", "cloudmap_namespace"):
        # (Each invocation logs two EXEC lines, the chmod and the run: count the runs.)
        invocations = re.findall(rf"EXEC .*/python[0-9.]* \S+/AnsiballZ_{module}\.py", converged.out)
        assert len(invocations) == 1, (module, invocations)
    zones = [z for z in client("route53").list_hosted_zones()["HostedZones"] if z["Name"] == "local.dito.internal."]
    assert len(zones) == 1 and zones[0]["Config"]["PrivateZone"], zones
    for line in (
        "cluster: dito-local",
        "private_zone: local.dito.internal",
        "discovery_namespace: svc.local.dito.internal",
        "redis_record: redis.local.dito.internal",
        "discovery_name: backend.svc.local.dito.internal",
        "dns_name: chat.dito.local",
        "production_traffic_on:",
    ):
        assert line in converged.out, line


def test_a_redis_port_set_for_the_redis_host_reaches_the_services(local_inventory, tmp_path):
    """elasticache_port in group_vars/dito_redis (where the example inventory sizes Redis) is the REDIS_PORT of the
    Redis clients, although service hosts do not load that group's variables. No AWS call."""
    import subprocess

    from tests.conftest import ROOT

    (local_inventory / "group_vars" / "dito_redis").mkdir()
    (local_inventory / "group_vars" / "dito_redis" / "main.yml").write_text("elasticache_port: 6380\n")
    play = tmp_path / "show.yml"
    play.write_text(
        yaml.safe_dump(
            [
                {
                    "hosts": "backend:frontend",
                    "gather_facts": False,
                    "vars_files": [str(ROOT / "playbooks" / "vars" / "composition.yml")],
                    "tasks": [{"ansible.builtin.debug": {"msg": "{{ {'environment': ecs_service_environment, 'secrets': ecs_service_secrets} | to_json }}"}}],
                }
            ]
        )
    )
    proc = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "ansible-playbook"), str(play), "-i", str(local_inventory)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**__import__("os").environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_STDOUT_CALLBACK": "json"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads(proc.stdout)["plays"][0]["tasks"][0]["hosts"]
    backend = json.loads(results["backend"]["msg"])
    assert backend["environment"] == {"REDIS_PORT": "6380", "REDIS_TLS": "true"}
    assert backend["secrets"] == {"REDIS_HOST": "/dito/local/redis/host", "REDIS_AUTH_TOKEN": "/dito/local/redis/auth-token"}
    assert json.loads(results["frontend"]["msg"]) == {"environment": {}, "secrets": {}}


# The actions that AWS grants on no narrower resource than "*" (Service Authorization Reference): the only ones a
# pipeline's role may hold on "*".
STAR_RESOURCE_ONLY = {"ecr:GetAuthorizationToken", "ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"}


def loose_statements(document):
    """What a policy grants too widely: a "*" action (or service:*), "*" resources for anything but
    STAR_RESOURCE_ONLY, iam:PassRole without a resource or on "*"."""
    found = []
    for statement in document["Statement"]:
        actions = [statement["Action"]] if isinstance(statement["Action"], str) else statement["Action"]
        resources = [statement.get("Resource", [])] if isinstance(statement.get("Resource", []), str) else statement.get("Resource", [])
        if any(a == "*" or a.endswith(":*") for a in actions):
            found.append(("wildcard action", statement))
        if "*" in resources and not set(actions) <= STAR_RESOURCE_ONLY:
            found.append(("* resource", statement))
        if "iam:PassRole" in actions and (not resources or "*" in resources):
            found.append(("PassRole without a resource", statement))
    return found


def test_loose_statements_are_found():
    """The check below can fail."""
    assert [found[0] for found in loose_statements({"Statement": [{"Action": "*", "Resource": "*"}]})] == ["wildcard action", "* resource"]
    assert [found[0] for found in loose_statements({"Statement": [{"Action": ["iam:PassRole"]}]})] == ["PassRole without a resource"]
    assert loose_statements({"Statement": [{"Action": ["ecr:GetAuthorizationToken"], "Resource": ["*"]}]}) == []


def test_each_service_has_its_pipeline(converged, client):
    """What the codepipeline role made for each service, read back, and every policy it wrote checked for wildcards."""
    cp, cb, iam, s3, kms = (client(s) for s in ("codepipeline", "codebuild", "iam", "s3", "kms"))
    [connection] = client("codeconnections").list_connections()["Connections"]
    assert (connection["ConnectionName"], connection["ConnectionStatus"], connection["ProviderType"]) == ("dito-local-github", "PENDING", "GitHub")
    assert "complete its handshake" in converged.out, converged
    key = kms.describe_key(KeyId="alias/dito-local-pipelines")["KeyMetadata"]["Arn"]
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is True
    bucket = "dito-local-pipeline-artifacts"
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key}
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())
    inventory = yaml.safe_load((ROOT / "inventories" / "local" / "hosts.yml").read_text())["all"]["children"]["dito_services"]["hosts"]
    for service in SERVICES:
        name = f"dito-local-{service}"
        pipeline = cp.get_pipeline(name=name)["pipeline"]
        assert (pipeline["pipelineType"], pipeline["executionMode"]) == ("V2", "QUEUED")
        assert [stage["name"] for stage in pipeline["stages"]] == ["Source", "Test", "Build", "Deploy"]
        assert pipeline["artifactStore"] == {"type": "S3", "location": bucket, "encryptionKey": {"id": key, "type": "KMS"}}
        push = [{"branches": {"includes": ["main"]}, "filePaths": {"includes": [f"{service}/**"]}}]
        assert pipeline["triggers"] == [{"providerType": "CodeStarSourceConnection", "gitConfiguration": {"sourceActionName": "Source", "push": push}}]
        source = pipeline["stages"][0]["actions"][0]["configuration"]
        assert (source["ConnectionArn"], source["FullRepositoryId"], source["BranchName"]) == (connection["ConnectionArn"], "dito-chat/dito", "main")
        deploy = pipeline["stages"][-1]["actions"][0]
        assert deploy["actionTypeId"]["provider"] == "CodeDeployToECS"
        assert (deploy["configuration"]["ApplicationName"], deploy["configuration"]["DeploymentGroupName"]) == (name, name)
        assert client("codedeploy").get_deployment_group(applicationName=name, deploymentGroupName=name)["deploymentGroupInfo"]
        tags = {t["key"]: t["value"] for t in cp.list_tags_for_resource(resourceArn=cp.get_pipeline(name=name)["metadata"]["pipelineArn"])["tags"]}
        assert tags["service"] == service and tags["environment"] == "local"

        projects = {p["name"]: p for p in cb.batch_get_projects(names=[f"{name}-test", f"{name}-build"])["projects"]}
        test, build = projects[f"{name}-test"], projects[f"{name}-build"]
        assert (test["environment"]["privilegedMode"], build["environment"]["privilegedMode"]) == (False, True)
        assert test["encryptionKey"] == build["encryptionKey"] == key
        commands = yaml.safe_load(test["source"]["buildspec"])["phases"]["build"]["commands"]
        assert commands[1:] == inventory[service]["site_service"]["pipeline"]["test_commands"]
        assert set(yaml.safe_load(build["source"]["buildspec"])["artifacts"]["files"]) == {"imageDetail.json", "taskdef.json", "appspec.yaml"}
        variables = {v["name"]: v["value"] for v in build["environment"]["environmentVariables"]}
        assert variables["REPOSITORY_URI"] == repositories(client)[f"dito/local/{service}"]["repositoryUri"] and variables["TASK_FAMILY"] == name

        sources = {
            f"{name}-test": ("codebuild", f"arn:aws:codebuild:eu-west-1:123456789012:project/{name}-test"),
            f"{name}-build": ("codebuild", f"arn:aws:codebuild:eu-west-1:123456789012:project/{name}-build"),
            f"{name}-pipeline": ("codepipeline", f"arn:aws:codepipeline:eu-west-1:123456789012:{name}"),
        }
        for role, (principal, source) in sources.items():
            trust = iam.get_role(RoleName=role)["Role"]["AssumeRolePolicyDocument"]["Statement"]
            # Its service, for this account and the one project or pipeline that uses it (the confused-deputy guards).
            condition = {"StringEquals": {"aws:SourceAccount": "123456789012"}, "ArnLike": {"aws:SourceArn": source}}
            assert [(s["Principal"]["Service"], s["Condition"]) for s in trust] == [(f"{principal}.amazonaws.com", condition)]
            for policy in iam.list_role_policies(RoleName=role)["PolicyNames"]:
                document = iam.get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]
                assert loose_statements(document) == [], (role, policy)
