"""The pure comparison helpers of module_utils/elasticache.py."""

import pytest

from ansible_collections.dito.chat.plugins.module_utils import elasticache as ec
from ansible_collections.dito.chat.plugins.module_utils import elasticache_versions as versions


@pytest.mark.parametrize(
    "engine, version, family",
    [
        ("redis", "7.1", "redis7"),
        ("redis", "7.0.7", "redis7"),
        ("redis", "6.2", "redis6.x"),
        ("redis", "6.x", "redis6.x"),
        ("redis", "5.0.6", "redis5.0"),
        ("valkey", "8.0", "valkey8"),
        ("valkey", "7.2", "valkey7"),
        ("valkey", "7.2.4", "valkey7"),
        # Valkey on ElastiCache starts at 7.2.
        ("valkey", "7.1", None),
        ("valkey", "7.0", None),
        ("valkey", "7", None),
        ("redis", "8.0", None),
        ("redis", "1.0", None),
        ("valkey", "6.0", None),
        ("redis", "latest", None),
        # The role's former patterns, now this function's: a bare major, full versions, numbers.
        ("redis", "7", "redis7"),
        ("redis", 7.1, "redis7"),
        ("redis", "6.0.5", "redis6.x"),
        ("redis", "4.0.10", "redis4.0"),
        ("valkey", "8", "valkey8"),
        ("valkey", "8.1.1", "valkey8"),
        ("redis", "6", None),
        ("redis", "7.x", None),
        ("redis", "3.2.10", None),
        ("redis", "5.1", None),
        ("memcached", "1.6", None),
        ("redis", None, None),
        ("redis", "", None),
    ],
)
def test_parameter_group_family(engine, version, family):
    assert versions.parameter_group_family(engine, version) == family


def test_versions_match_as_prefixes():
    assert ec.same_version("7.1.0", "7.1") and ec.same_version("7.1.0", "7") and ec.same_version("6.2.6", "6.x")
    assert not ec.same_version("7.0.7", "7.1") and not ec.same_version(None, "7.1")
    assert ec.is_downgrade("7.1.0", "6.2") and not ec.is_downgrade("6.2.6", "7.1") and not ec.is_downgrade("7.1.0", "7.1")


CURRENT = {
    "description": "d",
    "engine": "redis",
    "engine_version": "7.1.0",
    "cache_node_type": "cache.t4g.small",
    "replicas": 1,
    "automatic_failover": True,
    "multi_az": True,
    "at_rest_encryption": True,
    "kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/abc",
    "transit_encryption": True,
    "auth_token_enabled": True,
    "parameter_group": "pg",
    "subnet_group": "sn",
    "security_group_ids": ["sg-1", "sg-2"],
    "port": 6379,
    "snapshot_retention_limit": 1,
    "snapshot_window": "03:00-04:00",
    "maintenance_window": "sun:05:00-sun:06:00",
    "auto_minor_version_upgrade": True,
    "log_delivery": [{"log_type": "slow-log", "log_group": "lg", "format": "json"}],
}


def test_differences_normalise_what_aws_reports():
    same = dict(
        CURRENT,
        engine_version="7.1",
        kms_key_id="abc",
        security_group_ids=["sg-2", "sg-1"],
        maintenance_window="SUN:05:00-SUN:06:00",
        log_delivery=[{"log_type": "slow-log", "log_group": "lg"}],
        description=None,
    )
    assert ec.differences(CURRENT, same) == []
    assert ec.differences(CURRENT, dict(same, cache_node_type="cache.t4g.medium", replicas=2)) == ["cache_node_type", "replicas"]


def test_refusals_name_what_cannot_change_in_place():
    desired = dict(CURRENT, at_rest_encryption=False, port=6380, engine_version="6.2")
    diffs = ec.differences(CURRENT, desired)
    messages = " ".join(ec.refusals(CURRENT, desired, diffs))
    assert "at_rest_encryption" in messages and "port" in messages and "cannot be downgraded" in messages
    upgrade = dict(CURRENT, engine="valkey", engine_version="8.0", cache_node_type="cache.t4g.medium")
    assert ec.refusals(CURRENT, upgrade, ec.differences(CURRENT, upgrade)) == []
    back = dict(CURRENT, engine="valkey")
    assert ec.refusals(back, CURRENT, ec.differences(back, CURRENT)) == ["engine: a valkey replication group cannot go back to redis"]


def test_modify_request_carries_only_the_differences():
    desired = dict(CURRENT, cache_node_type="cache.t4g.medium", security_group_ids=["sg-3"], log_delivery=[{"log_type": "engine-log", "log_group": "e"}])
    request = ec.modify_request(CURRENT, desired, ec.differences(CURRENT, desired))
    assert request["CacheNodeType"] == "cache.t4g.medium" and request["SecurityGroupIds"] == ["sg-3"]
    assert request["LogDeliveryConfigurations"] == [
        ec.log_delivery_request({"log_type": "engine-log", "log_group": "e"}),
        {"LogType": "slow-log", "Enabled": False},
    ]
    assert set(request) == {"CacheNodeType", "SecurityGroupIds", "LogDeliveryConfigurations"}
