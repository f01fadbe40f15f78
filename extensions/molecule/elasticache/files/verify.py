"""Read the molecule-cache stack back with boto3 and assert what a security review asks for.

Usage: verify.py <endpoint-url>. Exits non-zero (an AssertionError naming the check) on the first miss.
"""

import sys

import boto3

NAME, PARAMETER, ZONE, RECORD = "molecule-cache", "/molecule/cache/auth-token", "molecule.internal.", "cache.molecule.internal."


def client(service):
    return boto3.client(service, region_name="eu-west-1", endpoint_url=sys.argv[1], aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106 - the emulator's


ec, ec2, ssm, kms, r53 = (client(s) for s in ("elasticache", "ec2", "ssm", "kms", "route53"))
group = ec.describe_replication_groups(ReplicationGroupId=NAME)["ReplicationGroups"][0]
primary = ec.describe_cache_clusters(CacheClusterId=group["MemberClusters"][0])["CacheClusters"][0]
key = kms.describe_key(KeyId=f"alias/{NAME}")["KeyMetadata"]["Arn"]

assert group["AtRestEncryptionEnabled"] and group["KmsKeyId"] == key, "at-rest encryption under the role's key"
assert group["TransitEncryptionEnabled"] and group["AuthTokenEnabled"], "TLS and AUTH"
assert (group["AutomaticFailover"], group["MultiAZ"], len(group["MemberClusters"])) == ("enabled", "enabled", 3), "failover, Multi-AZ, 2 replicas"
assert group["SnapshotRetentionLimit"] == 3, "snapshots"
assert primary["Engine"] == "valkey" and primary["EngineVersion"].startswith("8.0"), "engine"

subnet_group = ec.describe_cache_subnet_groups(CacheSubnetGroupName=primary["CacheSubnetGroupName"])["CacheSubnetGroups"][0]
vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["molecule-elasticache"]}])["Vpcs"][0]["VpcId"]
subnets = sorted(s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"])
assert sorted(s["SubnetIdentifier"] for s in subnet_group["Subnets"]) == subnets, "the subnet group covers the private subnets"

parameter_group = primary["CacheParameterGroup"]["CacheParameterGroupName"]
assert ec.describe_cache_parameter_groups(CacheParameterGroupName=parameter_group)["CacheParameterGroups"][0]["CacheParameterGroupFamily"] == "valkey8"
params = {p["ParameterName"]: p["ParameterValue"] for p in ec.describe_cache_parameters(CacheParameterGroupName=parameter_group, Source="user")["Parameters"]}
assert params == {"maxmemory-policy": "allkeys-lru"}, "parameter overrides"

[sg_id] = [sg["SecurityGroupId"] for sg in primary["SecurityGroups"]]
sg = ec2.describe_security_groups(GroupIds=[sg_id])["SecurityGroups"][0]
client_sg = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["molecule-cache-client"]}])["SecurityGroups"][0]["GroupId"]
rules = [(p["FromPort"], p["ToPort"], p["IpRanges"], [g["GroupId"] for g in p["UserIdGroupPairs"]]) for p in sg["IpPermissions"]]
assert rules == [(6379, 6379, [], [client_sg])], f"6379 only from the clients' group, got {rules}"
assert sg["IpPermissionsEgress"] == [], "no egress"

parameter = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [PARAMETER]}])["Parameters"][0]
assert parameter["Type"] == "SecureString" and parameter["KeyId"] in (key, f"alias/{NAME}", key.split("/")[-1]), "token under the key"

zones = [z for z in r53.list_hosted_zones()["HostedZones"] if z["Name"] == ZONE]
assert len(zones) == 1 and zones[0]["Config"]["PrivateZone"], f"one private zone {ZONE} (the prepared one, never a second), got {len(zones)}"
zone = zones[0]
record = next(r for r in r53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"] if r["Name"] == RECORD)
assert (record["Type"], record["ResourceRecords"][0]["Value"]) == ("CNAME", group["NodeGroups"][0]["PrimaryEndpoint"]["Address"]), "DNS record"
host = ssm.get_parameter(Name="/molecule/cache/host")["Parameter"]["Value"]
assert host == group["NodeGroups"][0]["PrimaryEndpoint"]["Address"], f"clients get the primary endpoint's own name (its TLS name), got {host}"
print("molecule-cache verified")
