"""Read a representative resource of each role of the stack back with boto3.

Usage: verify.py <endpoint-url> <expected-json>, where expected-json lists what each host's roles should have made
(default/verify.yml gathers it from the inventory): {"platform": {...}}, {"redis": {...}}, {"service": {...}} per host.
Exits non-zero (an AssertionError naming the check) on the first miss.
"""

import json
import sys

import boto3


def client(service):
    return boto3.client(service, region_name="eu-west-1", endpoint_url=sys.argv[1], aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106 - the emulator's


def by_kind(hosts, kind):
    return [h[kind] for h in hosts if kind in h]


def zone_ids(name, private):
    """The ids of the hosted zones called name, of that kind (public or private)."""
    return [z["Id"].rsplit("/", 1)[-1] for z in zones if z["Name"] == f"{name.rstrip('.')}." and z["Config"]["PrivateZone"] == private]


def record(zone_id, name, kind):
    found = [s for s in r53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"] if s["Name"] == f"{name}." and s["Type"] == kind]
    assert len(found) == 1, f"one {kind} record {name}, got {len(found)}"
    return found[0]


def forwards_to(action):
    groups = (action.get("ForwardConfig") or {}).get("TargetGroups")
    return {g["TargetGroupArn"] for g in groups} if groups else {action["TargetGroupArn"]}


hosts = json.loads(sys.argv[2])
[platform] = by_kind(hosts, "platform")
[redis] = by_kind(hosts, "redis")
services = by_kind(hosts, "service")
assert services, "at least one service"
ec2, ecs, r53, sd, lam, events, ec, ecr, elb = (
    client(s) for s in ("ec2", "ecs", "route53", "servicediscovery", "lambda", "events", "elasticache", "ecr", "elbv2")
)
zones = r53.list_hosted_zones()["HostedZones"]

# platform: one private zone of its name (never a second), the VPC's; the user's public zone found, not duplicated;
# the cluster; the namespace.
private_zones = zone_ids(platform["private_zone"], True)
assert len(private_zones) == 1, f"one private zone {platform['private_zone']}, got {len(private_zones)}"
private_zone = private_zones[0]
assert platform["vpc_id"] in [v["VPCId"] for v in r53.get_hosted_zone(Id=private_zone)["VPCs"]], "the private zone is the VPC's"
public_zones = zone_ids(platform["public_zone"], False)
assert len(public_zones) == 1, f"the user's public zone {platform['public_zone']}, once"
public_zone = public_zones[0]
[cluster] = ecs.describe_clusters(clusters=[platform["cluster"]], include=["SETTINGS"])["clusters"]
assert cluster["status"] == "ACTIVE" and sorted(cluster["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"], "the cluster"
assert cluster["settings"] == [{"name": "containerInsights", "value": "enabled"}], "Container Insights"
namespaces = [n for n in sd.list_namespaces()["Namespaces"] if n["Name"] == platform["namespace"]]
assert len(namespaces) == 1 and namespaces[0]["Type"] == "DNS_PRIVATE", f"one private DNS namespace {platform['namespace']}"

# lambda_alerts: the function, and the rule that targets it.
function = lam.get_function(FunctionName=platform["alerts_function"])["Configuration"]["FunctionArn"]
targets = events.list_targets_by_rule(Rule=platform["alerts_function"])["Targets"]
assert [t["Arn"].split(":function:")[-1].split(":")[0] for t in targets] == [platform["alerts_function"]], "the rule targets the function"
assert function.split(":function:")[-1].split(":")[0] == platform["alerts_function"], "the alerts function"

# elasticache: the replication group, encrypted, and its name in the private zone.
[group] = ec.describe_replication_groups(ReplicationGroupId=redis["name"])["ReplicationGroups"]
assert group["AtRestEncryptionEnabled"] and group["TransitEncryptionEnabled"] and group["AuthTokenEnabled"], "Redis encrypted, with AUTH"
primary = group["NodeGroups"][0]["PrimaryEndpoint"]["Address"]
cnames = [s for s in r53.list_resource_record_sets(HostedZoneId=private_zone)["ResourceRecordSets"] if s["Type"] == "CNAME"]
assert [s["ResourceRecords"][0]["Value"] for s in cnames] == [primary], "Redis's name in the private zone"

for svc in services:
    name = svc["name"]
    # security_groups: both groups, in the VPC.
    found = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [platform["vpc_id"]]}, {"Name": "group-name", "Values": svc["security_groups"]}])
    assert sorted(g["GroupName"] for g in found["SecurityGroups"]) == sorted(svc["security_groups"]), f"{name}: security groups"

    # ecr: the repository, hardened and tagged for its service.
    [repo] = ecr.describe_repositories(repositoryNames=[svc["repository"]])["repositories"]
    assert repo["imageTagMutability"] == "IMMUTABLE" and repo["imageScanningConfiguration"]["scanOnPush"], f"{name}: repository hardened"
    tags = {t["Key"]: t["Value"] for t in ecr.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]}
    assert tags.get("service") == name, f"{name}: repository tagged"

    # alb: the load balancer, both target groups, the production listener on the pair.
    [lb] = elb.describe_load_balancers(Names=[svc["alb"]])["LoadBalancers"]
    pair = {g["TargetGroupName"]: g["TargetGroupArn"] for g in elb.describe_target_groups(Names=[f"{svc['alb']}-blue", f"{svc['alb']}-green"])["TargetGroups"]}
    assert sorted(pair) == [f"{svc['alb']}-blue", f"{svc['alb']}-green"], f"{name}: blue and green target groups"
    listeners = elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
    forwards = [forwards_to(a) for li in listeners for a in li["DefaultActions"] if a["Type"] == "forward"]
    assert forwards and all(f <= set(pair.values()) for f in forwards), f"{name}: listeners forward to the pair"

    # ecs_service: the service in the cluster, behind the pair, registered in Cloud Map.
    [service] = ecs.describe_services(cluster=svc["cluster"], services=[svc["ecs_service"]])["services"]
    assert service["status"] == "ACTIVE", f"{name}: ECS service"
    [balanced] = service["loadBalancers"]
    assert balanced["targetGroupArn"] in pair.values(), f"{name}: behind its target group"
    assert len(service["serviceRegistries"]) == 1, f"{name}: in Cloud Map"

    # route53: the alias to the load balancer, in the public zone or the private one.
    [zone] = zone_ids(svc["zone"], svc["private"])
    assert zone == (private_zone if svc["private"] else public_zone), f"{name}: the record's zone"
    alias = record(zone, svc["record"], "A")["AliasTarget"]
    assert (alias["DNSName"].rstrip(".").lower(), alias["HostedZoneId"]) == (lb["DNSName"].lower(), lb["CanonicalHostedZoneId"]), (
        f"{name}: alias to its load balancer"
    )

print(f"stack verified: {len(services)} services, Redis, alerts, platform")
