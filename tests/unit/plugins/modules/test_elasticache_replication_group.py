"""dito.chat.elasticache_replication_group against moto in-process (with the emulator's ElastiCache layer)."""

import time

import boto3
import pytest

from ansible_collections.dito.chat.plugins.modules import elasticache_replication_group as module

TOKEN = "a-first-token-of-32-characters!!"  # noqa: S105 - a test value


@pytest.fixture
def ec(aws):
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"eu-west-1{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))
    ]
    client = boto3.client("elasticache", region_name="eu-west-1")
    client.create_cache_subnet_group(CacheSubnetGroupName="redis", CacheSubnetGroupDescription="d", SubnetIds=subnets)
    client.create_cache_parameter_group(CacheParameterGroupName="redis7", CacheParameterGroupFamily="redis7", Description="d")
    client.sg = [ec2.create_security_group(GroupName=n, Description=n, VpcId=vpc)["GroupId"] for n in ("redis", "other")]
    kms = boto3.client("kms", region_name="eu-west-1")
    client.key = kms.create_key()["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName="alias/redis", TargetKeyId=client.key)
    client.ssm = boto3.client("ssm", region_name="eu-west-1")
    client.ssm.put_parameter(Name="/dito/redis/auth", Value=TOKEN, Type="SecureString", KeyId=client.key)
    return client


def args(ec, **extra):
    base = {
        "replication_group_id": "dito-test-redis",
        "engine": "redis",
        "engine_version": "7.1",
        "cache_node_type": "cache.t4g.small",
        "replicas": 1,
        "automatic_failover": True,
        "multi_az": True,
        "kms_key_id": "alias/redis",
        "auth_token_parameter": "/dito/redis/auth",
        "parameter_group": "redis7",
        "subnet_group": "redis",
        "security_group_ids": [ec.sg[0]],
        "snapshot_retention_limit": 1,
        "maintenance_window": "sun:05:00-sun:06:00",
        "log_delivery": [{"log_type": "slow-log", "log_group": "/aws/elasticache/dito-test-redis/slow-log"}],
        "tags": {"project": "dito", "service": "redis"},
    }
    return {k: v for k, v in {**base, **extra}.items() if v is not None}


def held(ec):
    group = ec.describe_replication_groups(ReplicationGroupId="dito-test-redis")["ReplicationGroups"][0]
    primary = ec.describe_cache_clusters(CacheClusterId=group["MemberClusters"][0])["CacheClusters"][0]
    return group, primary


def test_create_reads_back_then_nothing_to_do(ec, run_module, api_calls):
    plan = run_module(module.main, args(ec), check_mode=True)
    assert plan["changed"] is True and plan["primary_endpoint"] is None
    assert ec.describe_replication_groups()["ReplicationGroups"] == []

    created = run_module(module.main, args(ec))
    group, primary = held(ec)
    assert created["changed"] is True
    assert (group["AtRestEncryptionEnabled"], group["TransitEncryptionEnabled"], group["AuthTokenEnabled"]) == (True, True, True)
    assert (group["AutomaticFailover"], group["MultiAZ"], len(group["MemberClusters"])) == ("enabled", "enabled", 2)
    assert group["KmsKeyId"].endswith(ec.key.split("/")[-1])
    assert primary["SecurityGroups"] == [{"SecurityGroupId": ec.sg[0], "Status": "active"}]
    assert (primary["CacheSubnetGroupName"], primary["CacheParameterGroup"]["CacheParameterGroupName"]) == ("redis", "redis7")
    assert created["primary_endpoint"]["address"] == group["NodeGroups"][0]["PrimaryEndpoint"]["Address"]
    assert created["settings"]["replicas"] == 1 and created["tags"] == {"project": "dito", "service": "redis"}
    assert TOKEN not in str(created)

    api_calls.clear()
    again = run_module(module.main, args(ec))
    assert again["changed"] is False and again["differences"] == []
    # The group, its primary member, its tags, the token parameter's date, and the KMS alias resolution.
    assert sorted(call[1] for call in api_calls) == sorted(
        ["DescribeReplicationGroups", "DescribeCacheClusters", "ListTagsForResource", "GetParameter", "DescribeKey"]
    )
    assert run_module(module.main, args(ec), check_mode=True)["changed"] is False


def test_node_type_and_more_change_in_place(ec, run_module):
    run_module(module.main, args(ec))
    arn = held(ec)[0]["ARN"]
    wanted = args(ec, cache_node_type="cache.t4g.medium", replicas=2, security_group_ids=ec.sg, log_delivery=[], tags={"project": "dito"})
    plan = run_module(module.main, wanted, check_mode=True, diff=True)
    assert plan["changed"] is True
    assert plan["differences"] == ["cache_node_type", "log_delivery", "replicas", "security_group_ids"]
    assert plan["diff"]["after"]["cache_node_type"] == "cache.t4g.medium"
    assert held(ec)[0]["CacheNodeType"] == "cache.t4g.small"

    changed = run_module(module.main, wanted)
    group, primary = held(ec)
    assert changed["changed"] is True and changed["replaced"] is False
    assert (group["ARN"], group["CacheNodeType"], len(group["MemberClusters"]), group["LogDeliveryConfigurations"]) == (arn, "cache.t4g.medium", 3, [])
    assert sorted(sg["SecurityGroupId"] for sg in primary["SecurityGroups"]) == sorted(ec.sg)
    assert {t["Key"] for t in ec.list_tags_for_resource(ResourceName=arn)["TagList"]} == {"project"}
    assert run_module(module.main, wanted)["changed"] is False

    fewer = args(ec, replicas=0, automatic_failover=False, multi_az=False, cache_node_type="cache.t4g.medium", security_group_ids=ec.sg, log_delivery=[])
    assert run_module(module.main, fewer)["changed"] is True
    group = held(ec)[0]
    assert (len(group["MemberClusters"]), group["AutomaticFailover"]) == (1, "disabled")


def test_refuses_what_aws_cannot_change_in_place(ec, run_module):
    run_module(module.main, args(ec))
    before = held(ec)
    refused = run_module(module.main, args(ec, at_rest_encryption=False, kms_key_id=None))
    assert refused["failed"] is True and refused["changed"] is False
    assert "at_rest_encryption" in refused["msg"] and "allow_replacement" in refused["msg"]
    for other in ({"subnet_group": "elsewhere"}, {"port": 6380}, {"engine_version": "6.2"}):
        result = run_module(module.main, args(ec, **other))
        assert result["failed"] is True, other
    assert held(ec) == before


def test_replacement_when_allowed(ec, run_module):
    run_module(module.main, args(ec))
    plan = run_module(module.main, args(ec, port=6380, allow_replacement=True), check_mode=True)
    assert plan["changed"] is True and plan["replaced"] is True and held(ec)[0]["NodeGroups"][0]["PrimaryEndpoint"]["Port"] == 6379
    replaced = run_module(module.main, args(ec, port=6380, allow_replacement=True))
    assert replaced["replaced"] is True and held(ec)[0]["NodeGroups"][0]["PrimaryEndpoint"]["Port"] == 6380


def test_token_rotates_when_the_parameter_is_newer(ec, run_module):
    run_module(module.main, args(ec))
    first = held(ec)[0]["AuthTokenLastModifiedDate"]
    time.sleep(1.1)
    ec.ssm.put_parameter(Name="/dito/redis/auth", Value="a-second-token-of-32-characters!", Type="SecureString", KeyId=ec.key, Overwrite=True)
    plan = run_module(module.main, args(ec), check_mode=True)
    assert plan["changed"] is True and plan["auth_token_applied"] is True
    rotated = run_module(module.main, args(ec))
    assert rotated["auth_token_applied"] is True and held(ec)[0]["AuthTokenLastModifiedDate"] > first
    assert "a-second-token" not in str(rotated)
    assert run_module(module.main, args(ec))["changed"] is False


def test_invalid_options_fail_before_any_call(ec, run_module, api_calls):
    cases = {
        "replicas must be between 0 and 5": {"replicas": 6},
        "automatic_failover needs at least one replica": {"replicas": 0},
        "needs transit_encryption": {"transit_encryption": False},
        "auth_token is not a valid AUTH token": {"auth_token_parameter": None, "auth_token": "short"},
        "replication_group_id must be": {"replication_group_id": "Bad_Name"},
    }
    for message, extra in cases.items():
        result = run_module(module.main, args(ec, **extra))
        assert result["failed"] is True and message in result["msg"], result["msg"]
        assert "short" not in result["msg"]
    assert api_calls == []


@pytest.mark.parametrize("token", ["sixteen.chars.with.dots", "with spaces in the token", "percent%percent%percent", "at@at@at@at@at@at@"])
def test_a_token_with_characters_elasticache_refuses_fails_before_any_call(ec, run_module, api_calls, token):
    """ElastiCache allows letters, digits and only ! & # $ ^ < > - (user guide, AUTH)."""
    result = run_module(module.main, args(ec, auth_token_parameter=None, auth_token=token))
    assert result["failed"] is True and "! & # $ ^ < > -" in result["msg"]
    assert token not in result["msg"] and api_calls == []


def test_missing_token_parameter_fails_clearly(ec, run_module):
    result = run_module(module.main, args(ec, auth_token_parameter="/nope"))  # noqa: S106 - a parameter name
    assert result["failed"] is True and "/nope" in result["msg"]
    assert ec.describe_replication_groups()["ReplicationGroups"] == []


def test_delete(ec, run_module):
    run_module(module.main, args(ec))
    assert run_module(module.main, {"replication_group_id": "dito-test-redis", "state": "absent"}, check_mode=True)["changed"] is True
    assert len(ec.describe_replication_groups()["ReplicationGroups"]) == 1
    assert run_module(module.main, {"replication_group_id": "dito-test-redis", "state": "absent"})["changed"] is True
    assert ec.describe_replication_groups()["ReplicationGroups"] == []
    assert run_module(module.main, {"replication_group_id": "dito-test-redis", "state": "absent"})["changed"] is False


def accepted(group_id="dito-test-redis"):
    """What the emulated group accepts, oldest first (None: unauthenticated connections)."""
    from moto.elasticache.models import elasticache_backends

    return elasticache_backends["123456789012"]["eu-west-1"].replication_groups[group_id].auth_tokens


def group_tags(ec):
    return {t["Key"]: t["Value"] for t in ec.list_tags_for_resource(ResourceName=held(ec)[0]["ARN"])["TagList"]}


SECOND = "a-second-token-of-32-characters!"
SET_STEP = {"auth_token_update_strategy": "set"}  # the second step of a token change


def test_rotate_keeps_the_old_token_until_set_retires_it(ec, run_module):
    run_module(module.main, args(ec))
    time.sleep(1.1)
    ec.ssm.put_parameter(Name="/dito/redis/auth", Value=SECOND, Type="SecureString", KeyId=ec.key, Overwrite=True)
    refused = run_module(module.main, args(ec, **SET_STEP))
    assert refused["failed"] is True and "AWS allows SET only after ROTATE" in refused["msg"] and "newer" in refused["msg"]
    assert accepted() == [TOKEN]

    rotated = run_module(module.main, args(ec))
    assert (rotated["changed"], rotated["auth_token_update"], rotated["auth_token_rotation_pending"]) == (True, "rotate", True)
    assert accepted() == [TOKEN, SECOND] and group_tags(ec)["dito.chat:auth-token-rotation"] == "previous-token"
    assert "dito.chat:auth-token-rotation" not in rotated["tags"] and "previous AUTH token" in str(rotated["warnings"])
    again = run_module(module.main, args(ec))  # purge_tags keeps the record; the warning stays until SET
    assert again["changed"] is False and again["auth_token_rotation_pending"] is True
    assert "dito.chat:auth-token-rotation" in group_tags(ec)

    plan = run_module(module.main, args(ec, **SET_STEP), check_mode=True)
    assert (plan["changed"], plan["auth_token_update"], plan["auth_token_rotation_pending"]) == (True, "set", False)
    assert accepted() == [TOKEN, SECOND]
    done = run_module(module.main, args(ec, **SET_STEP))
    assert (done["changed"], done["auth_token_update"], done["auth_token_rotation_pending"]) == (True, "set", False)
    assert accepted() == [SECOND] and "dito.chat:auth-token-rotation" not in group_tags(ec)
    assert SECOND not in str(done) and TOKEN not in str(rotated)
    assert run_module(module.main, args(ec, **SET_STEP))["changed"] is False


def test_auth_added_to_an_open_group_stays_open_until_set(ec, run_module):
    run_module(module.main, args(ec, auth_token_parameter=None))
    assert held(ec)[0]["AuthTokenEnabled"] is False and accepted() == [None]
    refused = run_module(module.main, args(ec, **SET_STEP))
    assert refused["failed"] is True and "has no AUTH token yet" in refused["msg"] and accepted() == [None]

    rotated = run_module(module.main, args(ec))
    assert (rotated["auth_token_update"], held(ec)[0]["AuthTokenEnabled"]) == ("rotate", True)
    assert accepted() == [None, TOKEN] and "unauthenticated connections" in str(rotated["warnings"])
    run_module(module.main, args(ec, **SET_STEP))
    assert accepted() == [TOKEN]


def test_final_snapshot_on_delete(ec, run_module):
    run_module(module.main, args(ec))
    absent = {"replication_group_id": "dito-test-redis", "state": "absent", "final_snapshot_identifier": "dito-test-redis-final-1", "tags": {"project": "dito"}}
    plan = run_module(module.main, absent, check_mode=True)
    assert (plan["changed"], plan["final_snapshot"]) == (True, "dito-test-redis-final-1") and ec.describe_snapshots()["Snapshots"] == []
    deleted = run_module(module.main, absent)
    assert (deleted["changed"], deleted["final_snapshot"]) == (True, "dito-test-redis-final-1")
    [snapshot] = ec.describe_snapshots(SnapshotName="dito-test-redis-final-1")["Snapshots"]
    assert snapshot["ReplicationGroupId"] == "dito-test-redis"
    assert ec.list_tags_for_resource(ResourceName=snapshot["ARN"])["TagList"] == [{"Key": "project", "Value": "dito"}]
    assert ec.describe_replication_groups()["ReplicationGroups"] == []
    again = run_module(module.main, absent)
    assert (again["changed"], again["final_snapshot"]) == (False, None)


def test_no_token_change_before_redis_5_0_6(ec, run_module):
    """ElastiCache modifies the AUTH token of an existing group from Redis OSS 5.0.6 on (user guide, AUTH)."""
    old = args(ec, engine_version="5.0.0", parameter_group=None)
    run_module(module.main, old)
    time.sleep(1.1)
    ec.ssm.put_parameter(Name="/dito/redis/auth", Value=SECOND, Type="SecureString", KeyId=ec.key, Overwrite=True)
    refused = run_module(module.main, old)
    assert refused["failed"] is True and "5.0.6" in refused["msg"] and accepted() == [TOKEN]


def test_a_lost_create_response_is_recognised_on_the_resend(ec, run_module, lost_response):
    """CreateReplicationGroup's resend answers ReplicationGroupAlreadyExists: the module carries on as created."""
    doubled = lost_response("CreateReplicationGroup")
    created = run_module(module.main, args(ec))
    assert doubled == [("elasticache", "CreateReplicationGroup")]
    assert created["changed"] is True and "failed" not in created
    group, _primary = held(ec)
    assert created["primary_endpoint"]["address"] == group["NodeGroups"][0]["PrimaryEndpoint"]["Address"]
    assert created["tags"] == {"project": "dito", "service": "redis"}
    assert [g["ReplicationGroupId"] for g in ec.describe_replication_groups()["ReplicationGroups"]] == ["dito-test-redis"]
    assert run_module(module.main, args(ec))["changed"] is False
