"""Read the platform role's shared pieces back with boto3, and check the role's output fact against them.

Usage: verify.py <endpoint-url> <output-fact.json>. Exits non-zero (an AssertionError naming the check) on the first miss.
"""

import json
import sys

import boto3

CLUSTER, PRIVATE, PUBLIC, NAMESPACE, VPC = "molecule-platform", "platform.molecule.internal", "molecule.example", "svc.platform.molecule.internal", "dito-local"
TAGS = {"project": "molecule", "service": "platform"}


def client(service):
    return boto3.client(service, region_name="eu-west-1", endpoint_url=sys.argv[1], aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106 - the emulator's


ecs, ec2, r53, sd = (client(s) for s in ("ecs", "ec2", "route53", "servicediscovery"))
with open(sys.argv[2], encoding="utf-8") as handle:
    output = json.load(handle)
vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [VPC]}])["Vpcs"][0]["VpcId"]
zones = r53.list_hosted_zones()["HostedZones"]

# One private zone of the name (never a second), associated with the VPC.
private = [z for z in zones if z["Name"] == f"{PRIVATE}." and z["Config"]["PrivateZone"]]
assert len(private) == 1, f"one private zone {PRIVATE}, got {len(private)}"
private_id = private[0]["Id"].rsplit("/", 1)[-1]
assert r53.get_hosted_zone(Id=private_id)["VPCs"] == [{"VPCRegion": "eu-west-1", "VPCId": vpc}], "the private zone is the VPC's"

# The public zone is found, not made: still the one prepare made.
public = [z for z in zones if z["Name"] == f"{PUBLIC}."]
assert len(public) == 1 and not public[0]["Config"]["PrivateZone"], "the user's public zone, untouched"
public_id = public[0]["Id"].rsplit("/", 1)[-1]

[cluster] = ecs.describe_clusters(clusters=[CLUSTER], include=["SETTINGS", "TAGS"])["clusters"]
assert cluster["status"] == "ACTIVE", "cluster"
assert cluster["settings"] == [{"name": "containerInsights", "value": "enabled"}], "Container Insights"
assert sorted(cluster["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"], "capacity providers"
assert cluster["defaultCapacityProviderStrategy"] == [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}], "default strategy"
assert {t["key"]: t["value"] for t in cluster["tags"]} == TAGS, "cluster tags"

namespaces = [n for n in sd.list_namespaces()["Namespaces"] if n["Name"] == NAMESPACE]
assert len(namespaces) == 1 and namespaces[0]["Type"] == "DNS_PRIVATE", "one private DNS namespace"
namespace = namespaces[0]
tags = sd.list_tags_for_resource(ResourceARN=namespace["Arn"])["Tags"]
assert {t["Key"]: t["Value"] for t in tags} == TAGS, "namespace tags"

# The opt-in registry scanning: enhanced (Amazon Inspector), continuous, on the project's repositories.
scanning = client("ecr").get_registry_scanning_configuration()["scanningConfiguration"]
assert scanning == {
    "scanType": "ENHANCED",
    "rules": [{"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "molecule/*", "filterType": "WILDCARD"}]}],
}, f"registry scanning {scanning}"
rules = [{"scan_frequency": "CONTINUOUS_SCAN", "repository_filters": ["molecule/*"]}]

expected = {
    "region": "eu-west-1",
    "vpc_id": vpc,
    "private_zone": {"name": PRIVATE, "id": private_id},
    "public_zone": {"name": PUBLIC, "id": public_id},
    "cluster": {"name": CLUSTER, "arn": cluster["clusterArn"]},
    "namespace": {"name": NAMESPACE, "id": namespace["Id"], "arn": namespace["Arn"]},
    "ecr_registry_scanning": {"scan_type": "ENHANCED", "rules": rules},
}
assert output == expected, f"the output fact {output} is what AWS holds {expected}"
print("platform verified")
