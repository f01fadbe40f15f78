"""What an account holds, by name: the listing that the fault runs compare between a clean converge and a converge
that was throttled, failed, lost responses and was killed halfway (tests/integration/test_faults.py, tools/faults.py).

Ids that AWS makes up (zone ids, security-group ids, ARNs with random suffixes) differ from one converge to another, so
every resource is listed by its name, and counted: two resources of one name (two private zones, two keys behind one
alias's description) show as a count of 2. Every kind of resource that site.yml makes is listed, with the parts that a
retried create could double: record sets, listeners and rules, security-group rules, task-definition revisions,
CodeDeploy deployments, KMS keys.
"""

import collections
import re

import boto3
from botocore.config import Config

REGION = "eu-west-1"
RETRIES = Config(retries={"mode": "standard", "max_attempts": 10})
# Application Auto Scaling names the alarms of a target-tracking policy with a random UUID.
_UUID = re.compile(r"-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# dito.chat.cloudfront_distribution writes a distribution's CallerReference as "<name>#<UTC time of the create>"
# (REFERENCE_STAMP there): the time differs from one converge to another, the name does not.
_REFERENCE_STAMP = re.compile(r"[0-9]{8}T[0-9]{6}\.[0-9]{3}Z")


def _pages(client, operation, key, **kwargs):
    if client.can_paginate(operation):
        for page in client.get_paginator(operation).paginate(**kwargs):
            yield from page.get(key, [])
    else:
        yield from getattr(client, operation)(**kwargs).get(key, [])


def _batches(items, size):
    return [items[i : i + size] for i in range(0, len(items), size)]


def _referenced(rule):
    return rule.get("ReferencedGroupInfo", {}).get("GroupId")


def distribution_name(reference):
    """A distribution's name from its CallerReference: without the "#<stamp>" of the time of its create, when it has one."""
    base, separator, stamp = reference.rpartition("#")
    return base if separator and base and _REFERENCE_STAMP.fullmatch(stamp) else reference


def _count(names):
    return dict(sorted(collections.Counter(names).items()))


def listing(endpoint, vpc_id):
    """A dict of resource kind -> {name: count} (or a sorted list where order and content matter)."""

    def client(service, region=REGION):
        # Retried like the playbooks' calls, should the fault layer still be on.
        return boto3.client(service, region_name=region, endpoint_url=endpoint, config=RETRIES)

    out = {}
    route53 = client("route53")
    zones = list(_pages(route53, "list_hosted_zones", "HostedZones"))
    out["route53 zones"] = _count(f"{z['Name']} private={z['Config']['PrivateZone']}" for z in zones)
    out["route53 records"] = _count(
        f"{z['Name']} {r['Name']} {r['Type']}" for z in zones for r in _pages(route53, "list_resource_record_sets", "ResourceRecordSets", HostedZoneId=z["Id"])
    )

    elb = client("elbv2")
    balancers = list(_pages(elb, "describe_load_balancers", "LoadBalancers"))
    out["load balancers"] = _count(b["LoadBalancerName"] for b in balancers)
    listeners = [(b["LoadBalancerName"], li) for b in balancers for li in _pages(elb, "describe_listeners", "Listeners", LoadBalancerArn=b["LoadBalancerArn"])]
    out["listeners"] = _count(f"{name}:{li['Port']}" for name, li in listeners)
    out["listener rules"] = _count(
        f"{name}:{li['Port']} priority {r['Priority']}" for name, li in listeners for r in elb.describe_rules(ListenerArn=li["ListenerArn"])["Rules"]
    )
    out["target groups"] = _count(t["TargetGroupName"] for t in _pages(elb, "describe_target_groups", "TargetGroups"))

    ec2 = client("ec2")
    # A prefix list by its name: the AWS-managed lists' ids differ between regions (and between emulator resets).
    prefix_lists = {p["PrefixListId"]: p["PrefixListName"] for p in _pages(ec2, "describe_managed_prefix_lists", "PrefixLists")}
    groups = list(_pages(ec2, "describe_security_groups", "SecurityGroups", Filters=[{"Name": "vpc-id", "Values": [vpc_id]}]))
    names = {g["GroupId"]: g["GroupName"] for g in groups}
    out["security groups"] = _count(g["GroupName"] for g in groups)
    out["security group rules"] = _count(
        f"{names.get(r['GroupId'], r['GroupId'])} {'egress' if r['IsEgress'] else 'ingress'} {r['IpProtocol']} {r.get('FromPort')}-{r.get('ToPort')} "
        f"{r.get('CidrIpv4') or prefix_lists.get(r.get('PrefixListId'), r.get('PrefixListId')) or names.get(_referenced(r), 'group')}"
        for r in _pages(ec2, "describe_security_group_rules", "SecurityGroupRules")
        if r["GroupId"] in names
    )

    elasticache = client("elasticache")
    out["replication groups"] = _count(g["ReplicationGroupId"] for g in _pages(elasticache, "describe_replication_groups", "ReplicationGroups"))
    out["cache clusters"] = _count(c["CacheClusterId"] for c in _pages(elasticache, "describe_cache_clusters", "CacheClusters"))
    out["cache subnet groups"] = _count(g["CacheSubnetGroupName"] for g in _pages(elasticache, "describe_cache_subnet_groups", "CacheSubnetGroups"))
    out["cache parameter groups"] = _count(
        g["CacheParameterGroupName"]
        for g in _pages(elasticache, "describe_cache_parameter_groups", "CacheParameterGroups")
        if not g["CacheParameterGroupName"].startswith("default.")
    )

    ecs = client("ecs")
    # Active ones: a deleted cluster or service stays visible as INACTIVE for a while.
    clusters = [c for c in _pages(ecs, "list_clusters", "clusterArns") if ecs.describe_clusters(clusters=[c])["clusters"][0]["status"] == "ACTIVE"]
    out["ecs clusters"] = _count(c.rsplit("/", 1)[1] for c in clusters)
    out["ecs services"] = _count(
        f"{c.rsplit('/', 1)[1]}/{s['serviceName']}"
        for c in clusters
        for arns in _batches(list(_pages(ecs, "list_services", "serviceArns", cluster=c)), 10)
        for s in ecs.describe_services(cluster=c, services=arns)["services"]
        if s["status"] != "INACTIVE"
    )
    # One revision per content: the same content registered twice (a resent RegisterTaskDefinition) shows as two.
    out["task definition revisions"] = _count(
        a.rsplit("/", 1)[1].rsplit(":", 1)[0]
        for status in ("ACTIVE", "INACTIVE")
        for a in _pages(ecs, "list_task_definitions", "taskDefinitionArns", status=status)
    )

    ecr = client("ecr")
    out["ecr repositories"] = _count(r["repositoryName"] for r in _pages(ecr, "describe_repositories", "repositories"))

    kms = client("kms")
    keys = [kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"] for k in _pages(kms, "list_keys", "Keys")]
    out["kms keys"] = _count(f"{k['Description']} {k['KeyState']}" for k in keys if k["KeyManager"] == "CUSTOMER")
    out["kms aliases"] = _count(
        a["AliasName"] for a in _pages(kms, "list_aliases", "Aliases") if "TargetKeyId" in a and not a["AliasName"].startswith("alias/aws/")
    )

    out["log groups"] = _count(g["logGroupName"] for g in _pages(client("logs"), "describe_log_groups", "logGroups"))
    iam = client("iam")
    roles = [r["RoleName"] for r in _pages(iam, "list_roles", "Roles") if not r["Path"].startswith("/aws-service-role/")]
    out["iam roles"] = _count(roles)
    out["iam inline policies"] = _count(f"{r} {p}" for r in roles for p in _pages(iam, "list_role_policies", "PolicyNames", RoleName=r))
    out["iam attached policies"] = _count(
        f"{r} {p['PolicyName']}" for r in roles for p in _pages(iam, "list_attached_role_policies", "AttachedPolicies", RoleName=r)
    )
    out["ssm parameters"] = _count(p["Name"] for p in _pages(client("ssm"), "describe_parameters", "Parameters"))
    out["s3 buckets"] = _count(b["Name"] for b in client("s3").list_buckets()["Buckets"])
    out["sqs queues"] = _count(u.rsplit("/", 1)[1] for u in client("sqs").list_queues().get("QueueUrls", []))
    out["lambda functions"] = _count(f["FunctionName"] for f in _pages(client("lambda"), "list_functions", "Functions"))
    events = client("events")
    rules = list(_pages(events, "list_rules", "Rules"))
    out["event rules"] = _count(r["Name"] for r in rules)
    out["event targets"] = _count(f"{r['Name']} {t['Id']}" for r in rules for t in _pages(events, "list_targets_by_rule", "Targets", Rule=r["Name"]))
    out["alarms"] = _count(_UUID.sub("-<uuid>", a["AlarmName"]) for a in _pages(client("cloudwatch"), "describe_alarms", "MetricAlarms"))
    autoscaling = client("application-autoscaling")
    out["scalable targets"] = _count(t["ResourceId"] for t in _pages(autoscaling, "describe_scalable_targets", "ScalableTargets", ServiceNamespace="ecs"))
    out["scaling policies"] = _count(p["PolicyName"] for p in _pages(autoscaling, "describe_scaling_policies", "ScalingPolicies", ServiceNamespace="ecs"))

    sd = client("servicediscovery")
    out["cloud map namespaces"] = _count(n["Name"] for n in _pages(sd, "list_namespaces", "Namespaces"))
    # A service by its namespace's name: two environments' namespaces each hold a "backend".
    out["cloud map services"] = _count(
        f"{n['Name']}/{s['Name']}"
        for n in _pages(sd, "list_namespaces", "Namespaces")
        for s in _pages(sd, "list_services", "Services", Filters=[{"Name": "NAMESPACE_ID", "Values": [n["Id"]], "Condition": "EQ"}])
    )

    cloudfront = client("cloudfront", "us-east-1")
    items = cloudfront.list_distributions()["DistributionList"].get("Items", [])
    out["cloudfront distributions"] = _count(
        distribution_name(cloudfront.get_distribution_config(Id=d["Id"])["DistributionConfig"]["CallerReference"]) for d in items
    )

    codebuild = client("codebuild")
    out["codebuild projects"] = _count(_pages(codebuild, "list_projects", "projects"))
    out["pipelines"] = _count(p["name"] for p in _pages(client("codepipeline"), "list_pipelines", "pipelines"))
    out["connections"] = _count(c["ConnectionName"] for c in _pages(client("codestar-connections"), "list_connections", "Connections"))

    codedeploy = client("codedeploy")
    applications = list(_pages(codedeploy, "list_applications", "applications"))
    out["codedeploy applications"] = _count(applications)
    groups = [(a, g) for a in applications for g in _pages(codedeploy, "list_deployment_groups", "deploymentGroups", applicationName=a)]
    out["codedeploy deployment groups"] = _count(f"{a}/{g}" for a, g in groups)
    # Deployments per group: a resent CreateDeployment, or a re-run that did not attach, shows as one more.
    out["codedeploy deployments"] = _count(
        f"{a}/{g}" for a, g in groups for deployment in _pages(codedeploy, "list_deployments", "deployments", applicationName=a, deploymentGroupName=g)
    )
    out["codedeploy deployment configs"] = _count(
        c for c in _pages(codedeploy, "list_deployment_configs", "deploymentConfigsList") if not c.startswith("CodeDeployDefault.")
    )
    return out


def renamed(name, environment, first="local"):
    """The name that the environment `environment` gives to what `first` names `name`: site.yml puts the environment in
    every name (dito-<env>-..., /dito/<env>/..., dito/<env>/<service>, <env>.dito.internal), and the second
    environment's inventory of the tests names its public front end chat-<env>.<zone> instead of chat.<zone> (one
    public zone, two environments). A name that does not change is shared (the public zone, the default group)."""
    name = re.sub(rf"(?<=[-/]){first}(?=[-/:]|$)", environment, name)
    name = re.sub(rf"(?<![\w-]){first}(?=\.dito\.internal)", environment, name)
    return re.sub(r"(?<![\w-])chat(?=(-origin)?\.dito\.local\.)", f"chat-{environment}", name)


def environment_part(found, first="local"):
    """The part of a listing that belongs to the environment `first` (the names a second environment renames)."""
    part = {kind: {name: n for name, n in names.items() if renamed(name, "other", first) != name} for kind, names in found.items()}
    return {kind: names for kind, names in part.items() if names}


def as_environment(found, environment, first="local"):
    """The listing of what `first` holds, as the environment `environment` would name it."""
    return {kind: {renamed(name, environment, first): n for name, n in names.items()} for kind, names in environment_part(found, first).items()}


def merged(*listings):
    """Listings added up, kind by kind and name by name."""
    out = {}
    for found in listings:
        for kind, names in found.items():
            for name, n in names.items():
                out.setdefault(kind, {})[name] = out.get(kind, {}).get(name, 0) + n
    return out


def differences(expected, actual):
    """Lines saying what differs between two listings (empty when they agree)."""
    lines = []
    for kind in sorted(set(expected) | set(actual)):
        want, have = expected.get(kind, {}), actual.get(kind, {})
        for name in sorted(set(want) | set(have)):
            if want.get(name, 0) != have.get(name, 0):
                lines.append(f"{kind}: {name}: expected {want.get(name, 0)}, found {have.get(name, 0)}")
    return lines
