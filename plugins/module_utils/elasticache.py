# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon ElastiCache wrappers (replication groups, subnet groups, parameter groups) and the pure
comparison of a replication group's settings (Redis OSS / Valkey, cluster mode disabled)."""

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils import creates
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleElastiCacheError(AnsibleAWSError):
    pass


class ElastiCacheErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleElastiCacheError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(
            ["ReplicationGroupNotFoundFault", "CacheClusterNotFound", "CacheSubnetGroupNotFoundFault", "CacheParameterGroupNotFound", "SnapshotNotFoundFault"]
        )


# ---------------------------------------------------------------------------------------------------
# Pure helpers


# The parameter-group family of each engine version: elasticache_versions.py (no AWS SDK import, for the filter plugin).


def version_tuple(version):
    return tuple(int(p) for p in re.findall(r"\d+", str(version or "")))


def same_version(current, desired):
    """True when the running version is the one asked for, read as a prefix: "7.1" matches "7.1.0",
    "7" any 7.x, "6.x" any 6.x (AWS reports the full version it runs)."""
    if current is None:
        return False
    wanted = [p for p in str(desired).split(".") if p != "x"]
    return str(current).split(".")[: len(wanted)] == wanted


def is_downgrade(current, desired):
    wanted = version_tuple(desired)
    return bool(current and wanted and version_tuple(current)[: len(wanted)] > wanted)


def log_delivery_request(entry):
    return {
        "LogType": entry["log_type"],
        "DestinationType": "cloudwatch-logs",
        "DestinationDetails": {"CloudWatchLogsDetails": {"LogGroup": entry["log_group"]}},
        "LogFormat": entry.get("format") or "json",
        "Enabled": True,
    }


def normalise_log_delivery(configurations):
    """The log deliveries of a replication group as sorted plain dicts (log_type, log_group, format)."""
    result = []
    for c in configurations or []:
        if c.get("Status") in ("disabling", "error"):
            continue
        details = (c.get("DestinationDetails") or {}).get("CloudWatchLogsDetails") or {}
        result.append({"log_type": c.get("LogType"), "log_group": details.get("LogGroup"), "format": c.get("LogFormat") or "json"})
    return sorted(result, key=lambda e: e["log_type"] or "")


def current_state(group, primary):
    """The managed settings of an existing replication group, from DescribeReplicationGroups and the
    DescribeCacheClusters of its primary member (which alone carries engine version, parameter group,
    subnet group, security groups and maintenance window)."""
    primary = primary or {}
    node_group = (group.get("NodeGroups") or [{}])[0]
    return {
        "description": group.get("Description"),
        "engine": group.get("Engine") or primary.get("Engine"),
        "engine_version": primary.get("EngineVersion"),
        "cache_node_type": group.get("CacheNodeType"),
        "replicas": max(len(group.get("MemberClusters") or []) - 1, 0),
        "automatic_failover": group.get("AutomaticFailover") in ("enabled", "enabling"),
        "multi_az": group.get("MultiAZ") == "enabled",
        "at_rest_encryption": bool(group.get("AtRestEncryptionEnabled")),
        "kms_key_id": group.get("KmsKeyId"),
        "transit_encryption": bool(group.get("TransitEncryptionEnabled")),
        "auth_token_enabled": bool(group.get("AuthTokenEnabled")),
        "parameter_group": (primary.get("CacheParameterGroup") or {}).get("CacheParameterGroupName"),
        "subnet_group": primary.get("CacheSubnetGroupName"),
        "security_group_ids": sorted(sg["SecurityGroupId"] for sg in primary.get("SecurityGroups") or []),
        "port": (node_group.get("PrimaryEndpoint") or {}).get("Port"),
        "snapshot_retention_limit": group.get("SnapshotRetentionLimit", 0),
        "snapshot_window": group.get("SnapshotWindow"),
        "maintenance_window": primary.get("PreferredMaintenanceWindow"),
        "auto_minor_version_upgrade": group.get("AutoMinorVersionUpgrade", primary.get("AutoMinorVersionUpgrade")),
        "log_delivery": normalise_log_delivery(group.get("LogDeliveryConfigurations")),
    }


# Settings that AWS cannot change on an existing replication group: a change needs a new group.
REPLACEMENT_ONLY = {
    "at_rest_encryption": "at-rest encryption can only be chosen when a replication group is created",
    "kms_key_id": "the at-rest KMS key can only be chosen when a replication group is created",
    "transit_encryption": "in-transit encryption is not switched in place by this module (AWS needs a two-step TransitEncryptionMode migration)",
    "subnet_group": "the subnet group of a replication group cannot be changed",
    "port": "the port of a replication group cannot be changed",
}


def same_kms_key(current, desired):
    if desired is None:
        return True
    if current is None:
        return False
    if current == desired:
        return True
    # A key id matches the ARN that AWS reports; an alias needs resolving (done by the module).
    return current.endswith(f":key/{desired}")


def differences(current, desired):
    """The names of the settings whose desired value (not None) differs from the current one."""
    diffs = []
    for key, wanted in desired.items():
        if wanted is None or key not in current:
            continue
        have = current[key]
        if key == "engine_version":
            equal = same_version(have, wanted)
        elif key == "kms_key_id":
            equal = same_kms_key(have, wanted)
        elif key == "security_group_ids":
            equal = sorted(have or []) == sorted(wanted)
        elif key == "log_delivery":
            equal = normalise_log_delivery_desired(have) == normalise_log_delivery_desired(wanted)
        elif key in ("maintenance_window", "snapshot_window"):
            equal = str(have or "").lower() == str(wanted).lower()
        else:
            equal = have == wanted
        if not equal:
            diffs.append(key)
    return sorted(diffs)


def normalise_log_delivery_desired(entries):
    plain = ({"log_type": e["log_type"], "log_group": e["log_group"], "format": e.get("format") or "json"} for e in entries or [])
    return sorted(plain, key=lambda e: e["log_type"])


def refusals(current, desired, diffs):
    """Messages for the differences that AWS cannot apply in place."""
    messages = [f"{key}: {REPLACEMENT_ONLY[key]} (now {current[key]!r}, asked {desired[key]!r})" for key in diffs if key in REPLACEMENT_ONLY]
    if "engine_version" in diffs and is_downgrade(current["engine_version"], desired["engine_version"]):
        messages.append(f"engine_version: {current['engine_version']} cannot be downgraded to {desired['engine_version']}")
    if "engine" in diffs and current["engine"] == "valkey" and desired["engine"] == "redis":
        messages.append("engine: a valkey replication group cannot go back to redis")
    return messages


def modify_request(current, desired, diffs):
    """The ModifyReplicationGroup parameters for the in-place differences (replicas and AUTH excluded)."""
    mapping = {
        "description": "ReplicationGroupDescription",
        "engine": "Engine",
        "engine_version": "EngineVersion",
        "cache_node_type": "CacheNodeType",
        "automatic_failover": "AutomaticFailoverEnabled",
        "multi_az": "MultiAZEnabled",
        "parameter_group": "CacheParameterGroupName",
        "security_group_ids": "SecurityGroupIds",
        "snapshot_retention_limit": "SnapshotRetentionLimit",
        "snapshot_window": "SnapshotWindow",
        "maintenance_window": "PreferredMaintenanceWindow",
        "auto_minor_version_upgrade": "AutoMinorVersionUpgrade",
    }
    request = {mapping[k]: desired[k] for k in diffs if k in mapping}
    if "log_delivery" in diffs:
        wanted = {e["log_type"]: e for e in desired["log_delivery"]}
        have = {e["log_type"]: e for e in current["log_delivery"]}
        changes = [log_delivery_request(e) for t, e in sorted(wanted.items()) if have.get(t) != normalise_log_delivery_desired([e])[0]]
        changes += [{"LogType": t, "Enabled": False} for t in sorted(set(have) - set(wanted))]
        request["LogDeliveryConfigurations"] = changes
    return request


# ---------------------------------------------------------------------------------------------------
# Replication groups and their members


@ElastiCacheErrorHandler.list_error_handler("describe replication group {replication_group_id}")
@AWSRetry.jittered_backoff()
def describe_replication_group(client, replication_group_id):
    return client.describe_replication_groups(ReplicationGroupId=replication_group_id)["ReplicationGroups"][0]


@ElastiCacheErrorHandler.list_error_handler("describe cache cluster {cluster_id}")
@AWSRetry.jittered_backoff()
def describe_cache_cluster(client, cluster_id):
    return client.describe_cache_clusters(CacheClusterId=cluster_id)["CacheClusters"][0]


@ElastiCacheErrorHandler.common_error_handler("create replication group")
@AWSRetry.jittered_backoff()
def create_replication_group(client, **params):
    # A resend after a lost response meets the group the first attempt made: ReplicationGroupAlreadyExists.
    return creates.created_or_existing(
        lambda: client.create_replication_group(**params)["ReplicationGroup"],
        ["ReplicationGroupAlreadyExists"],
        lambda: client.describe_replication_groups(ReplicationGroupId=params["ReplicationGroupId"])["ReplicationGroups"][0],
    )


@ElastiCacheErrorHandler.common_error_handler("modify replication group")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["InvalidReplicationGroupState"])
def modify_replication_group(client, **params):
    return client.modify_replication_group(ApplyImmediately=True, **params)["ReplicationGroup"]


@ElastiCacheErrorHandler.common_error_handler("change the replica count of {replication_group_id}")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["InvalidReplicationGroupState"])
def change_replica_count(client, replication_group_id, count, increase):
    call = client.increase_replica_count if increase else client.decrease_replica_count
    return call(ReplicationGroupId=replication_group_id, NewReplicaCount=count, ApplyImmediately=True)["ReplicationGroup"]


@ElastiCacheErrorHandler.deletion_error_handler("delete replication group {replication_group_id}")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["InvalidReplicationGroupState"])
def delete_replication_group(client, replication_group_id, final_snapshot_identifier=None):
    params = {"ReplicationGroupId": replication_group_id}
    if final_snapshot_identifier:
        params["FinalSnapshotIdentifier"] = final_snapshot_identifier
    client.delete_replication_group(**params)
    return True


@ElastiCacheErrorHandler.list_error_handler("describe snapshot {name}")
@AWSRetry.jittered_backoff()
def describe_snapshot(client, name):
    return client.describe_snapshots(SnapshotName=name)["Snapshots"][0]


@ElastiCacheErrorHandler.common_error_handler("wait for {replication_group_id} to be {what}")
def wait_for(client, replication_group_id, what, timeout):
    """Wait for a replication group to be available or deleted (botocore's waiters, 15 s apart)."""
    waiter = client.get_waiter("replication_group_available" if what == "available" else "replication_group_deleted")
    delay = 15
    waiter.wait(ReplicationGroupId=replication_group_id, WaiterConfig={"Delay": delay, "MaxAttempts": max(int(timeout / delay), 1)})


# ---------------------------------------------------------------------------------------------------
# Tags (every ElastiCache resource is tagged by ARN)


@ElastiCacheErrorHandler.list_error_handler("list the tags of {arn}", default_value={})
@AWSRetry.jittered_backoff()
def list_tags(client, arn):
    return {t["Key"]: t["Value"] for t in client.list_tags_for_resource(ResourceName=arn)["TagList"]}


@ElastiCacheErrorHandler.common_error_handler("tag {arn}")
@AWSRetry.jittered_backoff()
def add_tags(client, arn, tags):
    client.add_tags_to_resource(ResourceName=arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


@ElastiCacheErrorHandler.common_error_handler("untag {arn}")
@AWSRetry.jittered_backoff()
def remove_tags(client, arn, keys):
    client.remove_tags_from_resource(ResourceName=arn, TagKeys=list(keys))


def aws_tags(tags):
    return [{"Key": k, "Value": v} for k, v in (tags or {}).items()]


# ---------------------------------------------------------------------------------------------------
# Subnet groups


@ElastiCacheErrorHandler.list_error_handler("describe cache subnet group {name}")
@AWSRetry.jittered_backoff()
def describe_subnet_group(client, name):
    return client.describe_cache_subnet_groups(CacheSubnetGroupName=name)["CacheSubnetGroups"][0]


@ElastiCacheErrorHandler.common_error_handler("create cache subnet group {name}")
@AWSRetry.jittered_backoff()
def create_subnet_group(client, name, description, subnet_ids, tags):
    # A resend after a lost response meets the group the first attempt made: CacheSubnetGroupAlreadyExists.
    return creates.created_or_existing(
        lambda: client.create_cache_subnet_group(CacheSubnetGroupName=name, CacheSubnetGroupDescription=description, SubnetIds=subnet_ids, Tags=aws_tags(tags))[
            "CacheSubnetGroup"
        ],
        ["CacheSubnetGroupAlreadyExists"],
        lambda: client.describe_cache_subnet_groups(CacheSubnetGroupName=name)["CacheSubnetGroups"][0],
    )


@ElastiCacheErrorHandler.common_error_handler("modify cache subnet group {name}")
@AWSRetry.jittered_backoff()
def modify_subnet_group(client, name, description, subnet_ids):
    return client.modify_cache_subnet_group(CacheSubnetGroupName=name, CacheSubnetGroupDescription=description, SubnetIds=subnet_ids)["CacheSubnetGroup"]


@ElastiCacheErrorHandler.deletion_error_handler("delete cache subnet group {name}")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["CacheSubnetGroupInUse"])
def delete_subnet_group(client, name):
    client.delete_cache_subnet_group(CacheSubnetGroupName=name)
    return True


# ---------------------------------------------------------------------------------------------------
# Parameter groups


@ElastiCacheErrorHandler.list_error_handler("describe cache parameter group {name}")
@AWSRetry.jittered_backoff()
def describe_parameter_group(client, name):
    return client.describe_cache_parameter_groups(CacheParameterGroupName=name)["CacheParameterGroups"][0]


@ElastiCacheErrorHandler.list_error_handler("list the parameters of {name}", default_value={})
@AWSRetry.jittered_backoff()
def user_parameters(client, name):
    """The parameters set on a group (Source user), as a name -> value dict."""
    paginator = client.get_paginator("describe_cache_parameters")
    result = {}
    for page in paginator.paginate(CacheParameterGroupName=name, Source="user"):
        result.update({p["ParameterName"]: p.get("ParameterValue") for p in page.get("Parameters", [])})
    return result


@ElastiCacheErrorHandler.common_error_handler("create cache parameter group {name}")
@AWSRetry.jittered_backoff()
def create_parameter_group(client, name, family, description, tags):
    # A resend after a lost response meets the group the first attempt made: CacheParameterGroupAlreadyExists.
    return creates.created_or_existing(
        lambda: client.create_cache_parameter_group(
            CacheParameterGroupName=name, CacheParameterGroupFamily=family, Description=description, Tags=aws_tags(tags)
        )["CacheParameterGroup"],
        ["CacheParameterGroupAlreadyExists"],
        lambda: client.describe_cache_parameter_groups(CacheParameterGroupName=name)["CacheParameterGroups"][0],
    )


def batches(items, size=20):
    """Modify/ResetCacheParameterGroup take at most 20 parameters per call."""
    return [items[start : start + size] for start in range(0, len(items), size)]


@ElastiCacheErrorHandler.common_error_handler("set parameters of {name}")
@AWSRetry.jittered_backoff()
def set_parameters(client, name, values):
    for chunk in batches([{"ParameterName": k, "ParameterValue": str(v)} for k, v in sorted(values.items())]):
        client.modify_cache_parameter_group(CacheParameterGroupName=name, ParameterNameValues=chunk)


@ElastiCacheErrorHandler.common_error_handler("reset parameters of {name}")
@AWSRetry.jittered_backoff()
def reset_parameters(client, name, keys):
    for chunk in batches([{"ParameterName": k} for k in sorted(keys)]):
        client.reset_cache_parameter_group(CacheParameterGroupName=name, ParameterNameValues=chunk)


@ElastiCacheErrorHandler.deletion_error_handler("delete cache parameter group {name}")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["InvalidCacheParameterGroupState"])
def delete_parameter_group(client, name):
    client.delete_cache_parameter_group(CacheParameterGroupName=name)
    return True
