"""Redis on the local stack (role elasticache through site.yml): what AWS holds, in-place changes, refusals, secrecy."""

import yaml

from tests.conftest import ROOT

NAME = "dito-local-redis"
PARAMETER = "/dito/local/redis/auth-token"


def held(client):
    ec = client("elasticache")
    group = ec.describe_replication_groups(ReplicationGroupId=NAME)["ReplicationGroups"][0]
    primary = ec.describe_cache_clusters(CacheClusterId=group["MemberClusters"][0])["CacheClusters"][0]
    return group, primary


def network():
    return yaml.safe_load((ROOT / "inventories" / "local" / "group_vars" / "all" / "emulator_network.yml").read_text())


def test_redis_is_encrypted_authenticated_replicated_and_private(converged, client):
    group, primary = held(client)
    ec, ec2, ssm, kms = client("elasticache"), client("ec2"), client("ssm"), client("kms")
    key = kms.describe_key(KeyId=f"alias/{NAME}")["KeyMetadata"]["Arn"]
    assert (group["AtRestEncryptionEnabled"], group["KmsKeyId"], group["TransitEncryptionEnabled"], group["AuthTokenEnabled"]) == (True, key, True, True)
    assert (group["AutomaticFailover"], group["MultiAZ"], len(group["MemberClusters"])) == ("enabled", "enabled", 2)
    assert group["SnapshotRetentionLimit"] >= 1
    assert sorted(c["LogType"] for c in group["LogDeliveryConfigurations"]) == ["engine-log", "slow-log"]
    tags = {t["Key"]: t["Value"] for t in ec.list_tags_for_resource(ResourceName=group["ARN"])["TagList"]}
    assert tags == {"project": "dito", "environment": "local", "service": "redis", "owner": "devops", "cost-center": "chat"}

    subnets = ec.describe_cache_subnet_groups(CacheSubnetGroupName=primary["CacheSubnetGroupName"])["CacheSubnetGroups"][0]["Subnets"]
    assert sorted(s["SubnetIdentifier"] for s in subnets) == sorted(network()["site_private_subnet_ids"])
    family = ec.describe_cache_parameter_groups(CacheParameterGroupName=primary["CacheParameterGroup"]["CacheParameterGroupName"])
    assert family["CacheParameterGroups"][0]["CacheParameterGroupFamily"] == "redis7"

    # 6379 only from the back end's tasks group: no CIDR, no other source, no egress.
    [redis_sg] = [sg["SecurityGroupId"] for sg in primary["SecurityGroups"]]
    sg = ec2.describe_security_groups(GroupIds=[redis_sg])["SecurityGroups"][0]
    backend = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["dito-local-backend-tasks"]}])["SecurityGroups"][0]
    assert [
        (p["FromPort"], p["ToPort"], p["IpRanges"], p.get("Ipv6Ranges", []), [g["GroupId"] for g in p["UserIdGroupPairs"]]) for p in sg["IpPermissions"]
    ] == [(6379, 6379, [], [], [backend["GroupId"]])]
    assert sg["IpPermissionsEgress"] == []

    parameter = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [PARAMETER]}])["Parameters"][0]
    assert parameter["Type"] == "SecureString" and parameter["KeyId"] in (key, f"alias/{NAME}", key.split("/")[-1])

    zone = next(z for z in client("route53").list_hosted_zones()["HostedZones"] if z["Name"] == "local.dito.internal.")
    assert zone["Config"]["PrivateZone"] is True
    records = client("route53").list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
    [record] = [r for r in records if r["Name"] == "redis.local.dito.internal."]
    primary_address = group["NodeGroups"][0]["PrimaryEndpoint"]["Address"]
    assert (record["Type"], record["ResourceRecords"]) == ("CNAME", [{"Value": primary_address}])


def test_the_services_connect_to_the_name_the_tls_certificate_carries(converged, client):
    """REDIS_HOST is the primary endpoint's own address: ElastiCache's certificate names no CNAME of ours, so a client
    that verifies the host (Go, Node, .NET) would refuse redis.<private zone>."""
    group = held(client)[0]
    container = next(
        c
        for c in client("ecs").describe_task_definition(taskDefinition="dito-local-backend")["taskDefinition"]["containerDefinitions"]
        if any(s["name"] == "REDIS_HOST" for s in c.get("secrets", []))
    )
    [host_arn] = [s["valueFrom"] for s in container["secrets"] if s["name"] == "REDIS_HOST"]
    host = client("ssm").get_parameter(Name=host_arn.split(":parameter", 1)[1])["Parameter"]
    assert host["Value"] == group["NodeGroups"][0]["PrimaryEndpoint"]["Address"]
    assert host["Value"].endswith(".cache.amazonaws.com") and host["Type"] == "String"


def test_the_token_rotates_unseen_and_the_node_type_changes_in_place(converged_to_change, playbook, client):
    """One run, limited to the Redis host as an operator would run it, rotates the AUTH token (first step) and
    changes the node type: the group is modified in place, and neither token ever appears in the output."""
    ssm = client("ssm")
    first = converged_to_change  # the run that created the token, with -vvv --diff
    token = ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]["Value"]
    before = held(client)[0]

    run = playbook("site.yml", "--limit", "redis", "-vvv", "--diff", "-e", "elasticache_auth_token_rotate=true", "-e", "elasticache_node_type=cache.t4g.medium")
    assert run.rc == 0 and set(run.recap) == {"redis"}, run
    new_token = ssm.get_parameter(Name=PARAMETER, WithDecryption=True)["Parameter"]["Value"]
    assert len(token) == len(new_token) == 64 and new_token != token
    after = held(client)[0]
    assert after["AuthTokenLastModifiedDate"] > before["AuthTokenLastModifiedDate"]
    assert (after["ARN"], after["ReplicationGroupCreateTime"], after["CacheNodeType"]) == (
        before["ARN"],
        before["ReplicationGroupCreateTime"],
        "cache.t4g.medium",
    )
    # The first step only: the old token stays valid, the group says so, and the run warns until the SET.
    tags = {t["Key"]: t["Value"] for t in client("elasticache").list_tags_for_resource(ResourceName=after["ARN"])["TagList"]}
    assert tags["dito.chat:auth-token-rotation"] == "previous-token"
    assert "auth_token_update_strategy=set to retire it" in run.out
    for each in (first, run):
        assert token not in each.out and new_token not in each.out
    # That a second run changes nothing, and the SET step, are the module's unit tests (a whole site.yml run here).


def test_turning_at_rest_encryption_off_is_refused(converged, playbook, client, tmp_path):
    before = held(client)
    play = tmp_path / "at_rest_off.yml"
    play.write_text(
        yaml.safe_dump(
            [
                {
                    "name": "Ask for an unencrypted group",
                    "hosts": "localhost",
                    "connection": "local",
                    "gather_facts": False,
                    "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
                    "tasks": [
                        {
                            "name": "Turn at-rest encryption off",
                            "dito.chat.elasticache_replication_group": {
                                "replication_group_id": NAME,
                                "at_rest_encryption": False,
                                "region": "eu-west-1",
                                "endpoint_url": converged and client("ec2").meta.endpoint_url,
                                "access_key": "testing",
                                "secret_key": "testing",
                            },
                        }
                    ],
                }
            ]
        )
    )
    run = playbook(str(play), inventory="localhost,")
    assert run.rc != 0, run
    assert "at_rest_encryption: at-rest encryption can only be chosen when a replication group is created" in run.out, run
    assert "nothing was changed" in run.out and "allow_replacement" in run.out, run
    assert held(client) == before
