"""Read the molecule alias record back with boto3, and check the role's output fact against it.

Usage: verify.py <endpoint-url> <output-fact.json>. Exits non-zero (an AssertionError naming the check) on the first miss.
"""

import json
import sys

import boto3

ZONE, RECORD, TARGET, TARGET_ZONE = (
    "route53.molecule.internal.",
    "web.route53.molecule.internal",
    "internal-molecule-web-1.eu-west-1.elb.amazonaws.com",
    "Z32O12XQLNTSW2",
)


def client(service):
    return boto3.client(service, region_name="eu-west-1", endpoint_url=sys.argv[1], aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106 - the emulator's


def names(zone_id):
    """The zone's records other than its own NS and SOA: (name, type, alias target)."""
    sets = r53.list_resource_record_sets(HostedZoneId=zone_id)["ResourceRecordSets"]
    return sorted((s["Name"], s["Type"], s.get("AliasTarget")) for s in sets if s["Name"] != ZONE)


r53 = client("route53")
with open(sys.argv[2], encoding="utf-8") as handle:
    output = json.load(handle)
zones = {z["Config"]["PrivateZone"]: z["Id"].rsplit("/", 1)[-1] for z in r53.list_hosted_zones()["HostedZones"] if z["Name"] == ZONE}
assert sorted(zones) == [False, True], "the prepared private zone and its public namesake"

records = names(zones[True])
assert [(name, kind) for name, kind, _alias in records] == [(f"{RECORD}.", "A"), (f"{RECORD}.", "AAAA")], f"A and AAAA in the private zone, got {records}"
for _name, kind, alias in records:
    assert alias is not None, f"{kind} is an alias"
    target = (alias["HostedZoneId"], alias["DNSName"].rstrip(".").lower(), alias["EvaluateTargetHealth"])
    assert target == (TARGET_ZONE, TARGET, True), f"{kind} aliases the load balancer, evaluating its health, got {target}"
assert names(zones[False]) == [], "nothing in the public zone of the same name"

assert output == {"zone_id": zones[True], "record": RECORD, "types": ["A", "AAAA"], "origin_record": None}, f"the output fact {output}"
print(f"{RECORD} verified")
