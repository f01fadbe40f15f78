#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: elasticache_replication_group
short_description: Manage an ElastiCache Redis OSS or Valkey replication group (cluster mode disabled)
version_added: 1.0.0
description:
  - Creates, modifies or deletes one ElastiCache replication group with cluster mode disabled (a primary and
    0 to 5 replicas), automatic failover and Multi-AZ, at-rest and in-transit encryption, an AUTH token,
    parameter group, subnet group, security groups, snapshots, maintenance window, log delivery and tags.
  - Reads the group, its primary member cluster (the only place AWS reports engine version, parameter group,
    subnet group, security groups and maintenance window) and its tags, compares every setting given, and
    changes only what differs, in place and immediately (C(ApplyImmediately)). Check mode and diff mode are
    supported.
  - Settings that AWS cannot change on an existing group (at-rest encryption, its KMS key, in-transit
    encryption, subnet group, port, an engine downgrade) make the module fail, changing nothing, unless
    O(allow_replacement=true), which deletes the group and creates it again (its data is lost).
  - Unlike M(community.aws.elasticache), which creates single cache clusters only, this module manages
    replication groups with TLS, AUTH and Multi-AZ.
author:
  - dito.chat engineering (@dito-chat)
options:
  replication_group_id:
    description:
      - The replication group identifier (1 to 40 lowercase letters, digits and hyphens, starting with a letter).
    type: str
    required: true
    aliases: [name]
  state:
    description: Whether the replication group should exist.
    type: str
    default: present
    choices: [present, absent]
  description:
    description: The description of the group. Defaults to the identifier when the group is created.
    type: str
  engine:
    description: The engine. A C(redis) group can move to C(valkey) in place; the way back is refused.
    type: str
    default: redis
    choices: [redis, valkey]
  engine_version:
    description:
      - The engine version, read as a prefix of what AWS runs (V(7.1) matches 7.1.0). Upgrades apply in place;
        downgrades are refused. Left alone when not set.
    type: str
  cache_node_type:
    description: The node type, for example V(cache.t4g.small). Required to create the group; changes apply in place.
    type: str
  replicas:
    description: The number of read replicas (0 to 5), changed with IncreaseReplicaCount / DecreaseReplicaCount.
    type: int
  automatic_failover:
    description: Whether a replica is promoted when the primary fails. Needs at least one replica.
    type: bool
  multi_az:
    description: Whether replicas are spread over zones for failover. Needs O(automatic_failover=true).
    type: bool
  at_rest_encryption:
    description: Whether data at rest is encrypted. Only chosen at creation.
    type: bool
    default: true
  kms_key_id:
    description:
      - The KMS key (id, ARN or alias) that encrypts data at rest; the AWS-managed key when not set. Only chosen
        at creation.
    type: str
  transit_encryption:
    description: Whether connections use TLS. Needed for an AUTH token. Only chosen at creation.
    type: bool
    default: true
  auth_token:
    description:
      - The AUTH token (16 to 128 letters, digits and V(!&#$^<>-) only, as ElastiCache requires). Set when the group is
        created, or added to a group that has none. AWS never reports a token, so a token given here is not
        rotated on later runs; use O(auth_token_parameter) for rotation.
      - Mutually exclusive with O(auth_token_parameter).
    type: str
  auth_token_parameter:
    description:
      - The name of an SSM Parameter Store SecureString that holds the AUTH token. The module reads it itself
        (the token never passes through Ansible), uses it at creation, and rotates it in whenever the parameter
        was modified after the group's token was.
    type: str
  auth_token_update_strategy:
    description:
      - The step of a token change, as ElastiCache has two (ModifyReplicationGroup C(AuthTokenUpdateStrategy)).
      - V(rotate) adds a new token (the parameter modified after the group's token, or AUTH added to a group that
        has none) with C(ROTATE). AWS then accepts the previous token too - or, when AUTH was just added,
        unauthenticated connections - until a C(SET). The module tags the group
        C(dito.chat:auth-token-rotation) (V(previous-token) or V(unauthenticated)) to remember it, and warns on
        every run while it lasts.
      - V(set) is the second step, once every client uses the new token. It retires the previous token (or
        unauthenticated access) with C(SET) and removes the tag; with no rotation pending it changes nothing.
        AWS allows C(SET) only after C(ROTATE), so V(set) fails, changing nothing, when the token to apply has
        not been rotated in (a parameter newer than the group's token, or a group without AUTH).
      - A rotation done outside this module is not known to it (DescribeReplicationGroups does not tell a
        pending rotation from a finished one).
    type: str
    default: rotate
    choices: [rotate, set]
  parameter_group:
    description: The cache parameter group name. Changes apply in place.
    type: str
  subnet_group:
    description: The cache subnet group name. Only chosen at creation.
    type: str
  security_group_ids:
    description: The VPC security group ids of the group. Changes apply in place.
    type: list
    elements: str
  port:
    description: The port. Only chosen at creation (AWS default 6379).
    type: int
  snapshot_retention_limit:
    description: How many days automatic snapshots are kept (0 turns them off).
    type: int
  snapshot_window:
    description: The daily snapshot window (UTC), for example V(03:00-04:00).
    type: str
  maintenance_window:
    description: The weekly maintenance window (UTC), for example V(sun:05:00-sun:06:00).
    type: str
  auto_minor_version_upgrade:
    description: Whether minor engine versions are applied in the maintenance window.
    type: bool
  log_delivery:
    description:
      - The logs delivered to CloudWatch Logs. An empty list turns every delivery off; not set leaves them alone.
    type: list
    elements: dict
    suboptions:
      log_type:
        description: The log.
        type: str
        required: true
        choices: [slow-log, engine-log]
      log_group:
        description: The CloudWatch Logs log group name.
        type: str
        required: true
      format:
        description: The format of the entries.
        type: str
        default: json
        choices: [json, text]
  allow_replacement:
    description:
      - Allow a change that AWS cannot make in place by deleting the group and creating it again. The data of the
        group is lost (take a snapshot first).
    type: bool
    default: false
  final_snapshot_identifier:
    description:
      - The name of a snapshot taken when the group is deleted (O(state=absent) or a replacement). AWS refuses
        a name that a snapshot already has (the group is then not deleted), so give each deletion its own name.
      - With O(state=absent), the snapshot gets O(tags).
    type: str
  wait:
    description:
      - Wait until the group is available (after creation or a change) or gone (after deletion). Steps that
        depend on each other (replica count, then other settings) always wait for each other.
    type: bool
    default: true
  wait_timeout:
    description: How many seconds to wait. Creation takes 10 to 15 minutes on AWS.
    type: int
    default: 1800
notes:
  - Changes are applied immediately (C(ApplyImmediately=true)), so a second run finds them in place.
  - Cluster mode (sharding) and global datastores are out of scope.
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Redis with TLS, AUTH from SSM, one replica in another zone
  dito.chat.elasticache_replication_group:
    replication_group_id: dito-prod-redis
    engine: redis
    engine_version: "7.1"
    cache_node_type: cache.t4g.small
    replicas: 1
    automatic_failover: true
    multi_az: true
    kms_key_id: alias/dito-prod-redis
    auth_token_parameter: /dito/prod/redis/auth-token
    parameter_group: dito-prod-redis7
    subnet_group: dito-prod-redis
    security_group_ids: [sg-0123456789abcdef0]
    snapshot_retention_limit: 7
    log_delivery:
      - log_type: slow-log
        log_group: /aws/elasticache/dito-prod-redis/slow-log
    tags:
      project: dito
      environment: prod

- name: Delete it, keeping a final snapshot
  dito.chat.elasticache_replication_group:
    replication_group_id: dito-prod-redis
    state: absent
    final_snapshot_identifier: dito-prod-redis-final
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
replication_group:
  description: The replication group as DescribeReplicationGroups returns it (snake_case), empty under check mode before creation.
  returned: state=present
  type: dict
  sample: {"replication_group_id": "dito-prod-redis", "status": "available", "member_clusters": ["dito-prod-redis-001", "dito-prod-redis-002"]}
settings:
  description: The managed settings as they are (or, under check mode, would be) after the run.
  returned: state=present
  type: dict
  sample: {"engine": "redis", "engine_version": "7.1.0", "replicas": 1, "automatic_failover": true, "at_rest_encryption": true}
primary_endpoint:
  description: The address and port of the primary (writes); null under check mode before creation.
  returned: state=present
  type: dict
  sample: {"address": "master.dito-prod-redis.abc123.euw1.cache.amazonaws.com", "port": 6379}
reader_endpoint:
  description: The address and port that spreads reads over the replicas.
  returned: state=present
  type: dict
  sample: {"address": "replica.dito-prod-redis.abc123.euw1.cache.amazonaws.com", "port": 6379}
tags:
  description: The tags of the group.
  returned: state=present
  type: dict
  sample: {"project": "dito"}
differences:
  description: The settings that differed and were (or would be) changed.
  returned: state=present
  type: list
  elements: str
  sample: ["cache_node_type"]
auth_token_applied:
  description: Whether a token was (or would be) applied to an existing group (added, rotated or set).
  returned: state=present
  type: bool
  sample: false
auth_token_update:
  description: The token step taken (or, under check mode, that would be), V(rotate) or V(set); null for none.
  returned: state=present
  type: str
  sample: rotate
auth_token_rotation_pending:
  description:
    - Whether the group accepts a previous token (or unauthenticated connections) beside the current one after
      the run, until a run with O(auth_token_update_strategy=set).
  returned: state=present
  type: bool
  sample: false
replaced:
  description: Whether the group was (or would be) deleted and created again.
  returned: state=present
  type: bool
  sample: false
final_snapshot:
  description: The final snapshot taken (or, under check mode, that would be) when the group was deleted; null for none.
  returned: state=absent
  type: str
  sample: dito-prod-redis-final-20261130101500
"""

import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.dito.chat.plugins.module_utils import elasticache as ec
from ansible_collections.dito.chat.plugins.module_utils import kms
from ansible_collections.dito.chat.plugins.module_utils import ssm
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

# ElastiCache user guide, AUTH: 16 to 128 printable characters, nonalphanumeric ones restricted to ! & # $ ^ < > -.
TOKEN = re.compile(r"^[A-Za-z0-9!&#$^<>-]{16,128}$")
FORMAT_HELP = "it must be 16 to 128 letters, digits and ! & # $ ^ < > - only"

# The tag that records a ROTATE awaiting its SET, valued with what AWS still accepts beside the new token:
# DescribeReplicationGroups reports AuthTokenEnabled and AuthTokenLastModifiedDate only, the same whether the
# previous token (or unauthenticated access) is still accepted or not.
ROTATION_TAG = "dito.chat:auth-token-rotation"
STILL_ACCEPTED = {"previous-token": "its previous AUTH token", "unauthenticated": "unauthenticated connections"}
PENDING_WARNING = (
    "{group} still accepts {what} beside its current AUTH token (a ROTATE awaits its SET). Once every client uses the "
    "current token, run with auth_token_update_strategy=set to retire it."
)


def desired_state(params):
    return {
        "description": params["description"],
        "engine": params["engine"],
        "engine_version": params["engine_version"],
        "cache_node_type": params["cache_node_type"],
        "replicas": params["replicas"],
        "automatic_failover": params["automatic_failover"],
        "multi_az": params["multi_az"],
        "at_rest_encryption": params["at_rest_encryption"],
        "kms_key_id": params["kms_key_id"],
        "transit_encryption": params["transit_encryption"],
        "parameter_group": params["parameter_group"],
        "subnet_group": params["subnet_group"],
        "security_group_ids": sorted(params["security_group_ids"]) if params["security_group_ids"] is not None else None,
        "port": params["port"],
        "snapshot_retention_limit": params["snapshot_retention_limit"],
        "snapshot_window": params["snapshot_window"],
        "maintenance_window": params["maintenance_window"],
        "auto_minor_version_upgrade": params["auto_minor_version_upgrade"],
        "log_delivery": ec.normalise_log_delivery_desired(params["log_delivery"]) if params["log_delivery"] is not None else None,
    }


def validate(module):
    p = module.params
    failures = []
    if p["replicas"] is not None and not 0 <= p["replicas"] <= 5:
        failures.append(f"replicas must be between 0 and 5 (got {p['replicas']})")
    if p["automatic_failover"] and p["replicas"] == 0:
        failures.append("automatic_failover needs at least one replica (replicas is 0)")
    if p["multi_az"] and p["automatic_failover"] is False:
        failures.append("multi_az needs automatic_failover")
    if p["kms_key_id"] and not p["at_rest_encryption"]:
        failures.append("kms_key_id needs at_rest_encryption")
    if (p["auth_token"] or p["auth_token_parameter"]) and not p["transit_encryption"]:
        failures.append("an AUTH token (auth_token or auth_token_parameter) needs transit_encryption")
    if p["auth_token"] is not None and not TOKEN.match(p["auth_token"]):
        failures.append("auth_token is not a valid AUTH token: " + FORMAT_HELP)
    if not re.match(r"^[a-z][a-z0-9-]{0,39}$", p["replication_group_id"]) or "--" in p["replication_group_id"] or p["replication_group_id"].endswith("-"):
        failures.append("replication_group_id must be 1 to 40 lowercase letters, digits and single hyphens, starting with a letter")
    if failures:
        module.fail_json(msg="Invalid options: " + "; ".join(failures))


def primary_member(group):
    for member in (group.get("NodeGroups") or [{}])[0].get("NodeGroupMembers") or []:
        if member.get("CurrentRole") == "primary":
            return member["CacheClusterId"]
    return (group.get("MemberClusters") or [None])[0]


def read(client, group_id):
    group = ec.describe_replication_group(client, group_id)
    if group is None:
        return None, None, {}
    member = primary_member(group)
    primary = ec.describe_cache_cluster(client, member) if member else None
    return group, primary, ec.list_tags(client, group["ARN"])


def token_from(module, ssm_client):
    """The AUTH token and the date it was last modified (None for a token given directly)."""
    p = module.params
    if p["auth_token"] is not None:
        return p["auth_token"], None
    parameter = ssm.get_secure_parameter(ssm_client(), p["auth_token_parameter"])
    if parameter is None:
        module.fail_json(msg=f"The SSM parameter {p['auth_token_parameter']} (auth_token_parameter) does not exist.")
    if not TOKEN.match(parameter["Value"]):
        module.fail_json(msg=f"The SSM parameter {p['auth_token_parameter']} is not a valid AUTH token: " + FORMAT_HELP)
    return parameter["Value"], parameter.get("LastModifiedDate")


def token_step(strategy, auth_enabled, newer, pending):
    """The AUTH token step for an existing group: ``("rotate" | "set" | None, refusal or None)``. A pure function.

    ``auth_enabled``: the group has AUTH; ``newer``: the token to apply is newer than the group's (a parameter
    modified since); ``pending``: a ROTATE awaits its SET. AWS allows SET only after ROTATE (ModifyReplicationGroup,
    AuthTokenUpdateStrategy), so a token that was never rotated in cannot be set.
    """
    if not auth_enabled or newer:
        if strategy == "set":
            what = "the group has no AUTH token yet" if not auth_enabled else "the token in the parameter is newer than the group's"
            return None, (
                f"auth_token_update_strategy=set needs a prior ROTATE of the same token, and {what}: AWS allows SET only after ROTATE. "
                "Run with auth_token_update_strategy=rotate first, then with set once every client uses the new token."
            )
        return "rotate", None
    if pending and strategy == "set":
        return "set", None
    return None, None


def create_request(module, desired, token):
    p = module.params
    request = {
        "ReplicationGroupId": p["replication_group_id"],
        "ReplicationGroupDescription": desired["description"] or p["replication_group_id"],
        "Engine": desired["engine"],
        "CacheNodeType": desired["cache_node_type"],
        "NumCacheClusters": (desired["replicas"] or 0) + 1,
        "AutomaticFailoverEnabled": bool(desired["automatic_failover"]),
        "MultiAZEnabled": bool(desired["multi_az"]),
        "AtRestEncryptionEnabled": desired["at_rest_encryption"],
        "TransitEncryptionEnabled": desired["transit_encryption"],
        "EngineVersion": desired["engine_version"],
        "KmsKeyId": desired["kms_key_id"],
        "AuthToken": token,
        "CacheParameterGroupName": desired["parameter_group"],
        "CacheSubnetGroupName": desired["subnet_group"],
        "SecurityGroupIds": desired["security_group_ids"],
        "Port": desired["port"],
        "SnapshotRetentionLimit": desired["snapshot_retention_limit"],
        "SnapshotWindow": desired["snapshot_window"],
        "PreferredMaintenanceWindow": desired["maintenance_window"],
        "AutoMinorVersionUpgrade": desired["auto_minor_version_upgrade"],
        "LogDeliveryConfigurations": [ec.log_delivery_request(e) for e in desired["log_delivery"] or []] or None,
        "Tags": ec.aws_tags(p["tags"]) or None,
    }
    return {k: v for k, v in request.items() if v is not None}


def resolve_kms_difference(module, current, desired, diffs):
    """An alias or key id given for kms_key_id may name the very key AWS reports by ARN."""
    if "kms_key_id" not in diffs or current["kms_key_id"] is None:
        return diffs
    key = kms.describe_key(module.client("kms", retry_decorator=AWSRetry.jittered_backoff()), desired["kms_key_id"])
    return [d for d in diffs if d != "kms_key_id"] if key["Arn"] == current["kms_key_id"] else diffs


def predicted(current, desired, diffs):
    after = dict(current)
    after.update({k: desired[k] for k in diffs})
    return after


def endpoint(node_group, key):
    found = node_group.get(key)
    return {"address": found.get("Address"), "port": found.get("Port")} if found else None


def endpoints(group):
    node_group = (group.get("NodeGroups") or [{}])[0] if group else {}
    return endpoint(node_group, "PrimaryEndpoint"), endpoint(node_group, "ReaderEndpoint")


def wait_available(module, client, force=False):
    if module.params["wait"] or force:
        ec.wait_for(client, module.params["replication_group_id"], "available", module.params["wait_timeout"])


def create(module, client, desired, ssm_client):
    token = None
    if module.params["auth_token"] is not None or module.params["auth_token_parameter"]:
        token = token_from(module, ssm_client)[0]
    ec.create_replication_group(client, **create_request(module, desired, token))
    wait_available(module, client)


def apply_changes(module, client, current, desired, diffs, token, step):
    group_id = module.params["replication_group_id"]
    request = ec.modify_request(current, desired, diffs)
    more = "replicas" in diffs and desired["replicas"] > current["replicas"]
    fewer = "replicas" in diffs and desired["replicas"] < current["replicas"]
    # Replicas first when growing (failover may need them), last when shrinking (failover off first).
    if more:
        ec.change_replica_count(client, group_id, desired["replicas"], True)
        wait_available(module, client, force=bool(request or token or fewer))
    if request:
        ec.modify_replication_group(client, ReplicationGroupId=group_id, **request)
        wait_available(module, client, force=bool(token or fewer))
    if token is not None:
        # The token in a request of its own, as other tools do it: ElastiCache applies a token change alone.
        ec.modify_replication_group(client, ReplicationGroupId=group_id, AuthToken=token, AuthTokenUpdateStrategy=step.upper())
        wait_available(module, client, force=fewer)
    if fewer:
        ec.change_replica_count(client, group_id, desired["replicas"], False)
        wait_available(module, client)


def ensure_present(module, client, ssm_client):
    p = module.params
    desired = desired_state(p)
    group, primary, current_tags = read(client, p["replication_group_id"])
    rotation = current_tags.pop(ROTATION_TAG, None)
    replaced = token_applied = False
    step = None
    diffs = []
    if group is None:
        if desired["cache_node_type"] is None:
            module.fail_json(msg="cache_node_type is required to create a replication group")
        changed = True
        before, after = {}, {k: v for k, v in desired.items() if v is not None}
        if not module.check_mode:
            create(module, client, desired, ssm_client)
        tags = p["tags"] or {}
    else:
        current = ec.current_state(group, primary)
        diffs = resolve_kms_difference(module, current, desired, ec.differences(current, desired))
        refused = ec.refusals(current, desired, diffs)
        if refused and not p["allow_replacement"]:
            module.fail_json(
                msg="The replication group cannot change in place, so nothing was changed: "
                + "; ".join(refused)
                + ". Set allow_replacement=true to delete and re-create it (its data is lost).",
                differences=diffs,
                changed=False,
            )
        token = step = None
        if refused:
            replaced = True
        elif p["auth_token"] is not None or p["auth_token_parameter"]:
            value = modified = None
            if p["auth_token_parameter"] and current["auth_token_enabled"]:
                value, modified = token_from(module, ssm_client)
            newer = bool(modified and group.get("AuthTokenLastModifiedDate") and modified > group["AuthTokenLastModifiedDate"])
            step, refusal = token_step(p["auth_token_update_strategy"], current["auth_token_enabled"], newer, rotation is not None)
            if step and current["engine"] == "redis" and current["engine_version"] and ec.version_tuple(current["engine_version"]) < (5, 0, 6):
                refusal = (
                    f"ElastiCache changes the AUTH token of an existing group from Redis OSS 5.0.6 on (this one runs {current['engine_version']}); "
                    "upgrade it first"
                )
            if refusal:
                module.fail_json(msg=f"The AUTH token of {p['replication_group_id']} was not changed: {refusal}", changed=False)
            token_applied = step is not None
            if token_applied and not module.check_mode:
                token = value if value is not None else token_from(module, ssm_client)[0]
        changed = bool(diffs or token_applied)
        before, after = current, predicted(current, desired, diffs)
        if token_applied:
            after["auth_token_enabled"] = True
        if replaced:
            # The new group is created with the asked tags and one token.
            rotation = None
            if not module.check_mode:
                ec.delete_replication_group(client, p["replication_group_id"], p["final_snapshot_identifier"])
                ec.wait_for(client, p["replication_group_id"], "deleted", p["wait_timeout"])
                create(module, client, desired, ssm_client)
            tags = p["tags"] or {}
        else:
            arn = group["ARN"]
            if step == "rotate":
                # A second ROTATE drops the oldest of two tokens: what stays beside the new one is a token.
                rotation = "previous-token" if current["auth_token_enabled"] else "unauthenticated"
            elif step == "set":
                rotation = None
            if changed and not module.check_mode:
                # The tag goes on before the ROTATE: should the ROTATE fail, the parameter is still newer than the
                # group's token, and the next run rotates again (a SET stays refused).
                if step == "rotate":
                    ec.add_tags(client, arn, {ROTATION_TAG: rotation})
                apply_changes(module, client, current, desired, diffs, token, step)
                if step == "set":
                    ec.remove_tags(client, arn, [ROTATION_TAG])
            retagged, tags = tagging.reconcile(module, current_tags, p["tags"], lambda t: ec.add_tags(client, arn, t), lambda k: ec.remove_tags(client, arn, k))
            changed = changed or retagged
    final = group
    if changed and not module.check_mode:
        final, primary, tags = read(client, p["replication_group_id"])
        rotation = tags.pop(ROTATION_TAG, None)
        after = ec.current_state(final, primary)
    if rotation is not None:
        module.warn(PENDING_WARNING.format(group=p["replication_group_id"], what=STILL_ACCEPTED.get(rotation, STILL_ACCEPTED["previous-token"])))
    primary_endpoint, reader_endpoint = endpoints(final)
    result = {
        "replication_group": camel_dict_to_snake_dict(final or {}, ignore_list=["Tags"]),
        "settings": after,
        "primary_endpoint": primary_endpoint,
        "reader_endpoint": reader_endpoint,
        "tags": tags,
        "differences": diffs,
        "auth_token_applied": token_applied,
        "auth_token_update": step,
        "auth_token_rotation_pending": rotation is not None,
        "replaced": replaced,
    }
    return changed, {"before": before, "after": after}, result


def ensure_absent(module, client):
    """Delete the group, with its final snapshot when one is named. Returns ``(changed, final snapshot or None)``."""
    p = module.params
    group = ec.describe_replication_group(client, p["replication_group_id"])
    if group is None or (group.get("Status") == "deleting" and not p["wait"]):
        return False, None
    # A group already being deleted (by an earlier, interrupted run) takes no snapshot any more.
    snapshot = p["final_snapshot_identifier"] if group.get("Status") != "deleting" else None
    if not module.check_mode:
        if group.get("Status") != "deleting":
            ec.delete_replication_group(client, p["replication_group_id"], snapshot)
        if p["wait"]:
            ec.wait_for(client, p["replication_group_id"], "deleted", p["wait_timeout"])
        if snapshot and p["tags"]:
            found = ec.describe_snapshot(client, snapshot)
            if found:
                ec.add_tags(client, found["ARN"], p["tags"])
    return True, snapshot


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            replication_group_id=dict(type="str", required=True, aliases=["name"]),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            description=dict(type="str"),
            engine=dict(type="str", default="redis", choices=["redis", "valkey"]),
            engine_version=dict(type="str"),
            cache_node_type=dict(type="str"),
            replicas=dict(type="int"),
            automatic_failover=dict(type="bool"),
            multi_az=dict(type="bool"),
            at_rest_encryption=dict(type="bool", default=True),
            kms_key_id=dict(type="str", no_log=False),
            transit_encryption=dict(type="bool", default=True),
            auth_token=dict(type="str", no_log=True),
            auth_token_parameter=dict(type="str", no_log=False),
            auth_token_update_strategy=dict(type="str", default="rotate", choices=["rotate", "set"], no_log=False),
            parameter_group=dict(type="str"),
            subnet_group=dict(type="str"),
            security_group_ids=dict(type="list", elements="str"),
            port=dict(type="int"),
            snapshot_retention_limit=dict(type="int"),
            snapshot_window=dict(type="str"),
            maintenance_window=dict(type="str"),
            auto_minor_version_upgrade=dict(type="bool"),
            log_delivery=dict(
                type="list",
                elements="dict",
                options=dict(
                    log_type=dict(type="str", required=True, choices=["slow-log", "engine-log"]),
                    log_group=dict(type="str", required=True),
                    format=dict(type="str", default="json", choices=["json", "text"]),
                ),
            ),
            allow_replacement=dict(type="bool", default=False),
            final_snapshot_identifier=dict(type="str"),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int", default=1800),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        mutually_exclusive=[["auth_token", "auth_token_parameter"]],
        supports_check_mode=True,
    )
    validate(module)
    client = module.client("elasticache", retry_decorator=AWSRetry.jittered_backoff())

    def ssm_client():
        return module.client("ssm", retry_decorator=AWSRetry.jittered_backoff())

    try:
        if module.params["state"] == "absent":
            deleted, snapshot = ensure_absent(module, client)
            module.exit_json(changed=deleted, final_snapshot=snapshot)
        changed, diff, result = ensure_present(module, client, ssm_client)
    except (ec.AnsibleElastiCacheError, kms.AnsibleKMSError, ssm.AnsibleSSMError) as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, **result)


if __name__ == "__main__":
    main()
