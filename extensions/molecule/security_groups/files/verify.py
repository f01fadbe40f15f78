"""Read the molecule service's security groups back with boto3, and check the role's output fact against them.

Usage: verify.py <endpoint-url> <output-fact.json>. Exits non-zero (an AssertionError naming the check) on the first miss.
"""

import json
import sys

import boto3

ALB, TASKS, VPC = "molecule-sg-alb", "molecule-sg-tasks", "dito-local"
TAGS = {"project": "molecule", "service": "web"}


def client(service):
    return boto3.client(service, region_name="eu-west-1", endpoint_url=sys.argv[1], aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106 - the emulator's


def rules(permissions):
    """(protocol, from, to, sources, description) per source, sorted: the shape of the rules, whatever their order."""
    found = []
    for p in permissions:
        span = (p["IpProtocol"], p.get("FromPort"), p.get("ToPort"))
        found += [(*span, r["CidrIp"], r.get("Description")) for r in p.get("IpRanges", [])]
        found += [(*span, r["CidrIpv6"], r.get("Description")) for r in p.get("Ipv6Ranges", [])]
        found += [(*span, r["GroupId"], r.get("Description")) for r in p.get("UserIdGroupPairs", [])]
    return sorted(found)


ec2 = client("ec2")
with open(sys.argv[2], encoding="utf-8") as handle:
    output = json.load(handle)
vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [VPC]}])["Vpcs"][0]["VpcId"]
found = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": [ALB, TASKS]}])["SecurityGroups"]
groups = {g["GroupName"]: g for g in found}
assert sorted(groups) == [ALB, TASKS] and len(found) == 2, f"one group of each name, got {[g['GroupName'] for g in found]}"
alb, tasks = groups[ALB], groups[TASKS]

web = "Web clients"
assert rules(alb["IpPermissions"]) == sorted(
    [("tcp", 80, 80, "0.0.0.0/0", web), ("tcp", 443, 443, "0.0.0.0/0", web), ("tcp", 80, 80, "::/0", web), ("tcp", 443, 443, "::/0", web)]
), f"the load balancer's group admits 80 and 443 from anywhere, got {rules(alb['IpPermissions'])}"
assert rules(alb["IpPermissionsEgress"]) == [("tcp", 8080, 8080, "10.42.0.0/16", "To the tasks")], "its egress is the container port only"
assert rules(tasks["IpPermissions"]) == [("tcp", 8080, 8080, alb["GroupId"], "From its load balancer only")], (
    f"the tasks admit 8080 from the load balancer's group only, got {rules(tasks['IpPermissions'])}"
)
assert rules(tasks["IpPermissionsEgress"]) == [("-1", None, None, "0.0.0.0/0", None)], "the tasks keep the AWS default egress"
for name, group in groups.items():
    assert {t["Key"]: t["Value"] for t in group.get("Tags", [])} == {**TAGS, "Name": name}, f"tags of {name}"

assert output == {ALB: alb["GroupId"], TASKS: tasks["GroupId"]}, f"the output fact {output} names the groups' ids"
print("security groups verified")
