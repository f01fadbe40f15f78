"""Read the molecule-web service back with boto3 and assert what a security review asks for.

Usage: verify.py <endpoint-url>. Exits non-zero (an AssertionError naming the check) on the first miss.
"""

import sys

import boto3

NAME, CLUSTER = "molecule-web", "molecule"


def client(service):
    return boto3.client(service, region_name="eu-west-1", endpoint_url=sys.argv[1], aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106 - the emulator's


ecs, ec2, iam, sd, aas, logs, ssm = (client(s) for s in ("ecs", "ec2", "iam", "servicediscovery", "application-autoscaling", "logs", "ssm"))

[cluster] = ecs.describe_clusters(clusters=[CLUSTER], include=["SETTINGS", "TAGS"])["clusters"]
assert cluster["settings"] == [{"name": "containerInsights", "value": "enabled"}], "Container Insights"
assert sorted(cluster["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"], "capacity providers"
assert cluster["tags"] == [{"key": "project", "value": "molecule"}], "the cluster's tags (platform_tags)"

[service] = ecs.describe_services(cluster=CLUSTER, services=[NAME], include=["TAGS"])["services"]
assert service["deploymentController"] == {"type": "ECS"}, "rolling deployments"
assert service["deploymentConfiguration"]["deploymentCircuitBreaker"] == {"enable": True, "rollback": True}, "circuit breaker"
assert service.get("loadBalancers", []) == [], "no load balancer asked for"
network = service["networkConfiguration"]["awsvpcConfiguration"]
vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["molecule-ecs"]}])["Vpcs"][0]["VpcId"]
assert sorted(network["subnets"]) == sorted(s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]), "subnets"
assert network["assignPublicIp"] == "DISABLED", "no public IP"
assert not service["enableExecuteCommand"], "ECS Exec off"
namespace = next(n for n in sd.list_namespaces()["Namespaces"] if n["Name"] == "svc.molecule.internal")
[registry] = [s for s in sd.list_services()["Services"] if s["Name"] == "web"]
assert service["serviceRegistries"] == [{"registryArn": registry["Arn"]}] and namespace["Type"] == "DNS_PRIVATE", "Cloud Map"

td = ecs.describe_task_definition(taskDefinition=NAME)["taskDefinition"]
[container] = td["containerDefinitions"]
assert (td["cpu"], td["memory"], td["networkMode"]) == ("512", "2048", "awsvpc"), "task size"
assert container["readonlyRootFilesystem"] and not container["privileged"], "read-only root, not privileged"
assert container["environment"] == [{"name": "LOG_LEVEL", "value": "info"}], "environment"
secret = ssm.get_parameter(Name="/molecule/web/api-key")["Parameter"]["ARN"]
assert container["secrets"] == [{"name": "API_KEY", "valueFrom": secret}], "the secret by ARN, never its value"

policy = iam.get_role_policy(RoleName=f"{NAME}-execution", PolicyName=f"{NAME}-execution")["PolicyDocument"]
statements = {s["Sid"]: s for s in policy["Statement"]}
assert "PullOwnRepository" not in statements and "EcrToken" not in statements, "no ECR rights without a repository"
assert statements["OwnSecrets"]["Resource"] == [secret], "reads its own secret only"

[target] = aas.describe_scalable_targets(ServiceNamespace="ecs", ResourceIds=[f"service/{CLUSTER}/{NAME}"])["ScalableTargets"]
assert (target["MinCapacity"], target["MaxCapacity"]) == (1, 3), "autoscaling bounds"
[group] = logs.describe_log_groups(logGroupNamePrefix=f"/ecs/{NAME}")["logGroups"]
assert group["retentionInDays"] == 30, "log retention"
print(f"{NAME} verified")
