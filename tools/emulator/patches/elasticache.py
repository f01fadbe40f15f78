"""Amazon ElastiCache behaviours that moto 5.2 lacks or bends (Redis OSS / Valkey, cluster mode disabled)."""

import re
import sys
from datetime import UTC
from datetime import datetime
from pathlib import Path

from moto.elasticache import exceptions as ec_exceptions
from moto.elasticache import models as ec_models
from moto.elasticache import responses as ec_responses

# The parameter-group family comes from the collection (its one source), linked by tools/setup.sh as
# .collections/ansible_collections/dito/chat; the emulator runs with the repository root on PYTHONPATH only.
_COLLECTIONS = str(Path(__file__).resolve().parents[3] / ".collections")
if _COLLECTIONS not in sys.path:
    sys.path.append(_COLLECTIONS)

from ansible_collections.dito.chat.plugins.module_utils.elasticache_versions import parameter_group_family  # noqa: E402

Backend = ec_models.ElastiCacheBackend
Response = ec_responses.ElastiCacheResponse
ActionResult = ec_responses.ActionResult
EmptyResult = ec_responses.EmptyResult

# What AWS picks when a request names no engine version (the newest major of each engine).
DEFAULT_ENGINE_VERSION = {"redis": "7.1", "valkey": "8.0"}


def _fault(code, message, status=400):
    error = ec_exceptions.ElastiCacheException(message)
    error.code = code
    error.status_code = status
    return error


def _sync_members(backend, group):
    """(Re)build the member cache clusters of a replication group from its settings.

    On AWS each member of a cluster-mode-disabled replication group is a cache cluster that
    DescribeCacheClusters describes, carrying what DescribeReplicationGroups does not: engine version,
    parameter group, subnet group, security groups, maintenance window.
    """
    version = group.engine_version or DEFAULT_ENGINE_VERSION.get(group.engine, "7.1")
    family = parameter_group_family(group.engine or "redis", version)
    parameter_group = group.cache_parameter_group_name or (f"default.{family}" if family else None)
    node_group = group.node_groups[0]
    for old in [cid for cid, c in backend.cache_clusters.items() if getattr(c, "replication_group_id", None) == group.replication_group_id]:
        if old not in group.member_clusters:
            del backend.cache_clusters[old]
    for member in node_group["node_group_members"]:
        cluster_id = member["cache_cluster_id"]
        cluster = backend.cache_clusters.get(cluster_id)
        if cluster is None:
            cluster = ec_models.CacheCluster.__new__(ec_models.CacheCluster)
            cluster.cache_cluster_id = cluster_id
            cluster.arn = group.arn.replace(f":replicationgroup:{group.replication_group_id}", f":cluster:{cluster_id}")
            cluster.cache_cluster_create_time = datetime.now(UTC)
            cluster.num_cache_nodes = 1
            cluster.preferred_availability_zone = member.get("preferred_availability_zone")
            backend.cache_clusters[cluster_id] = cluster
        cluster.replication_group_id = group.replication_group_id
        cluster.cache_cluster_status = "available"
        cluster.status = "available"
        cluster.engine = group.engine
        cluster.engine_version = version
        cluster.cache_node_type = group.cache_node_type
        cluster.cache_parameter_group_name = parameter_group
        cluster.cache_parameter_group = {"CacheParameterGroupName": parameter_group, "ParameterApplyStatus": "in-sync", "CacheNodeIdsToReboot": []}
        cluster.cache_subnet_group_name = group.cache_subnet_group_name or "default"
        cluster.security_group_ids = list(group.security_group_ids or [])
        cluster.security_groups = [{"SecurityGroupId": sg, "Status": "active"} for sg in group.security_group_ids or []]
        cluster.cache_security_groups = []
        cluster.preferred_maintenance_window = group.preferred_maintenance_window
        cluster.auto_minor_version_upgrade = group.auto_minor_version_upgrade
        cluster.snapshot_retention_limit = group.snapshot_retention_limit
        cluster.snapshot_window = group.snapshot_window
        cluster.transit_encryption_enabled = group.transit_encryption_enabled
        cluster.transit_encryption_mode = group.transit_encryption_mode
        cluster.at_rest_encryption_enabled = group.at_rest_encryption_enabled
        cluster.auth_token_enabled = group.auth_token_enabled
        cluster.auth_token_last_modified_date = group.auth_token_last_modified_date
        cluster.log_delivery_configurations = group.log_delivery_configurations
        cluster.network_type = group.network_type
        cluster.ip_discovery = group.ip_discovery


def _replica(group, index):
    """The member description of the replica number ``index`` (1-based; the primary is 001)."""
    primary = group.node_groups[0]["node_group_members"][0]
    domain = primary["read_endpoint"]["address"].split(".", 1)[1]
    cluster_id = f"{group.replication_group_id}-{index + 1:0>3}"
    return {
        "cache_cluster_id": cluster_id,
        "cache_node_id": group.node_groups[0]["node_group_id"],
        "read_endpoint": {"address": f"{cluster_id}.{domain}", "port": group.port},
        "preferred_availability_zone": "us-east-1b",
        "current_role": "replica",
    }


def _set_replica_count(group, count):
    members = group.node_groups[0]["node_group_members"]
    del members[1:]
    members.extend(_replica(group, i) for i in range(1, count + 1))
    group.member_clusters = [m["cache_cluster_id"] for m in members]


def replication_groups_honour_num_cache_clusters():
    """CreateReplicationGroup honours ``NumCacheClusters`` (cluster mode disabled).

    AWS API reference, CreateReplicationGroup: "NumCacheClusters - The number of clusters this replication
    group initially has. This parameter is not used if there is more than one node group (shard)." The
    primary is one of them, so NumCacheClusters=3 is a primary and two replicas. "If AutomaticFailoverEnabled
    is true, the value of this parameter must be at least 2." moto created one member whatever the value.
    """
    original = Backend.create_replication_group

    def create_replication_group(self, **kwargs):
        clusters = kwargs.get("num_cache_clusters")
        if clusters is not None and (kwargs.get("cluster_mode") or "disabled") == "disabled" and kwargs.get("replicas_per_node_group") is None:
            if not 1 <= clusters <= 6:
                raise ec_exceptions.InvalidParameterValueException("NumCacheClusters must be between 1 and 6.")
            if kwargs.get("automatic_failover_enabled") and clusters < 2:
                raise ec_exceptions.InvalidParameterCombinationException(
                    "Automatic failover requires at least one replica: NumCacheClusters must be at least 2."
                )
            kwargs["replicas_per_node_group"] = clusters - 1
        return original(self, **kwargs)

    Backend.create_replication_group = create_replication_group


def replication_group_members_are_cache_clusters():
    """The members of a replication group are cache clusters that DescribeCacheClusters describes.

    AWS API reference, ReplicationGroup data type: "MemberClusters - The names of all the cache clusters that
    are part of this replication group"; DescribeCacheClusters returns each of them, with ``ReplicationGroupId``,
    ``EngineVersion``, ``CacheParameterGroup``, ``CacheSubnetGroupName``, ``SecurityGroups`` and
    ``PreferredMaintenanceWindow`` (attributes that DescribeReplicationGroups does not return). moto answered
    CacheClusterNotFound for every member. Deleting the group deletes its members.
    """
    original_create = Backend.create_replication_group

    def create_replication_group(self, **kwargs):
        group = original_create(self, **kwargs)
        if group.cluster_mode == "disabled":
            _sync_members(self, group)
        return group

    Backend.create_replication_group = create_replication_group


def modify_replication_group_applies_every_documented_field():
    """ModifyReplicationGroup applies every setting that its request documents (cluster mode disabled).

    AWS API reference, ModifyReplicationGroup request parameters applied here: ReplicationGroupDescription,
    Engine, EngineVersion, CacheNodeType, AutomaticFailoverEnabled, MultiAZEnabled, SecurityGroupIds,
    CacheParameterGroupName, PreferredMaintenanceWindow, SnapshotRetentionLimit, SnapshotWindow,
    AutoMinorVersionUpgrade, TransitEncryptionEnabled, TransitEncryptionMode, AuthToken with
    AuthTokenUpdateStrategy (SET, ROTATE or DELETE; ``AuthTokenLastModifiedDate`` moves) and
    LogDeliveryConfigurations (``Enabled: false`` removes a log type). moto applied only the first six. The
    emulator applies every change at once, as AWS does with ApplyImmediately (the module always sends it).
    Automatic failover cannot be enabled on a group without a replica (InvalidParameterCombination).
    """

    def modify_replication_group(self, replication_group_id, **changes):
        if replication_group_id not in self.replication_groups:
            raise ec_exceptions.ReplicationGroupNotFound(replication_group_id)
        group = self.replication_groups[replication_group_id]
        if changes.get("automatic_failover_enabled") and len(group.member_clusters) < 2:
            raise ec_exceptions.InvalidParameterCombinationException("Automatic failover cannot be enabled on a replication group without a replica.")
        simple = {
            "replication_group_description": "description",
            "engine": "engine",
            "engine_version": "engine_version",
            "cache_node_type": "cache_node_type",
            "security_group_ids": "security_group_ids",
            "cache_parameter_group_name": "cache_parameter_group_name",
            "preferred_maintenance_window": "preferred_maintenance_window",
            "snapshot_retention_limit": "snapshot_retention_limit",
            "snapshot_window": "snapshot_window",
            "auto_minor_version_upgrade": "auto_minor_version_upgrade",
            "transit_encryption_enabled": "transit_encryption_enabled",
            "transit_encryption_mode": "transit_encryption_mode",
        }
        for key, attribute in simple.items():
            if changes.get(key) is not None:
                setattr(group, attribute, changes[key])
        if changes.get("automatic_failover_enabled") is not None:
            group.automatic_failover = "enabled" if changes["automatic_failover_enabled"] else "disabled"
        if changes.get("multi_az_enabled") is not None:
            group.multi_az = "enabled" if changes["multi_az_enabled"] else "disabled"
        strategy = (changes.get("auth_token_update_strategy") or "").upper()
        if changes.get("auth_token") or strategy == "DELETE":
            if not group.transit_encryption_enabled:
                raise ec_exceptions.InvalidParameterCombinationException("The AUTH token can only be modified on a group with in-transit encryption enabled.")
            group.auth_token_enabled = strategy != "DELETE"
            group.auth_token_last_modified_date = datetime.now(UTC)
        for request in changes.get("log_delivery_configurations") or []:
            kept = [c for c in group.log_delivery_configurations if c.get("LogType") != request.get("LogType")]
            if request.get("Enabled", True):
                kept.append(_log_delivery(request))
            group.log_delivery_configurations = kept
        if group.cluster_mode == "disabled":
            _sync_members(self, group)
        return group

    def response_modify_replication_group(self):
        params = self._get_params()
        group = self.elasticache_backend.modify_replication_group(
            replication_group_id=self._get_param("ReplicationGroupId"),
            replication_group_description=self._get_param("ReplicationGroupDescription"),
            engine=self._get_param("Engine"),
            engine_version=self._get_param("EngineVersion"),
            cache_node_type=self._get_param("CacheNodeType"),
            automatic_failover_enabled=self._get_bool_param("AutomaticFailoverEnabled"),
            multi_az_enabled=self._get_bool_param("MultiAZEnabled"),
            security_group_ids=self._get_param("SecurityGroupIds"),
            cache_parameter_group_name=self._get_param("CacheParameterGroupName"),
            preferred_maintenance_window=self._get_param("PreferredMaintenanceWindow"),
            snapshot_retention_limit=self._get_int_param("SnapshotRetentionLimit"),
            snapshot_window=self._get_param("SnapshotWindow"),
            auto_minor_version_upgrade=self._get_bool_param("AutoMinorVersionUpgrade"),
            transit_encryption_enabled=self._get_bool_param("TransitEncryptionEnabled"),
            transit_encryption_mode=self._get_param("TransitEncryptionMode"),
            auth_token=self._get_param("AuthToken"),
            auth_token_update_strategy=self._get_param("AuthTokenUpdateStrategy"),
            log_delivery_configurations=params.get("LogDeliveryConfigurations"),
        )
        return ActionResult({"ReplicationGroup": group})

    Backend.modify_replication_group = modify_replication_group
    Response.modify_replication_group = response_modify_replication_group


# AWS ElastiCache user guide, "Authenticating with the Valkey and Redis OSS AUTH command": tokens are 16-128
# printable characters, and "nonalphanumeric characters are restricted to (!, &, #, $, ^, <, >, -)".
AUTH_TOKEN = re.compile(r"^[A-Za-z0-9!&#$^<>-]{16,128}$")


def auth_tokens_and_engine_versions_are_checked():
    """CreateReplicationGroup and ModifyReplicationGroup refuse an AUTH token that AWS refuses, and an engine
    version that ElastiCache does not offer.

    AWS ElastiCache user guide, AUTH: a token is 16 to 128 printable characters, and its nonalphanumeric
    characters are restricted to ``! & # $ ^ < > -`` (InvalidParameterValue otherwise). Supported engine versions
    (user guide, "Supported engines and versions"): Redis OSS 4.0, 5.0, 6.x, 7.0, 7.1; Valkey 7.2 and 8.x - Valkey
    on ElastiCache starts at 7.2 (InvalidParameterCombination "Cannot find version ... for valkey"). The versions
    offered are those with a parameter-group family (the collection's one derivation). moto accepted any of both.
    """
    create, modify = Backend.create_replication_group, Backend.modify_replication_group

    def check(engine, version, token):
        if token is not None and not AUTH_TOKEN.match(token):
            raise ec_exceptions.InvalidParameterValueException("Invalid AuthToken provided.")
        if version is not None and parameter_group_family(engine or "redis", version) is None:
            raise ec_exceptions.InvalidParameterCombinationException(f"Cannot find version {version} for {engine or 'redis'}")

    def create_replication_group(self, **kwargs):
        check(kwargs.get("engine"), kwargs.get("engine_version"), kwargs.get("auth_token"))
        return create(self, **kwargs)

    def modify_replication_group(self, replication_group_id, **changes):
        group = self.replication_groups.get(replication_group_id)
        engine = changes.get("engine") or getattr(group, "engine", None)
        check(engine, changes.get("engine_version"), changes.get("auth_token"))
        return modify(self, replication_group_id, **changes)

    Backend.create_replication_group = create_replication_group
    Backend.modify_replication_group = modify_replication_group


def _log_delivery(request):
    return {
        "LogType": request.get("LogType"),
        "DestinationType": request.get("DestinationType"),
        "DestinationDetails": request.get("DestinationDetails"),
        "LogFormat": request.get("LogFormat"),
        "Status": "active",
        "Message": "Log delivery configuration is active.",
    }


def replication_groups_keep_log_delivery_configurations():
    """CreateReplicationGroup returns the log delivery configurations it was given, in the documented shape.

    AWS API reference, LogDeliveryConfiguration data type: LogType, DestinationType, DestinationDetails,
    LogFormat, Status, Message. moto mixed the request's keys with its own snake_case ``status``/``message``.
    """
    original = Backend.create_replication_group

    def create_replication_group(self, **kwargs):
        group = original(self, **kwargs)
        group.log_delivery_configurations = [_log_delivery(r) for r in kwargs.get("log_delivery_configurations") or [] if r.get("Enabled", True)]
        return group

    Backend.create_replication_group = create_replication_group


def replication_groups_report_the_kms_key_arn():
    """A replication group reports the ARN of the KMS key that encrypts it at rest, whatever named it.

    AWS API reference, CreateReplicationGroup ``KmsKeyId``: "The ID of the KMS key used to encrypt the disk
    in the cluster" (a key id, key ARN, alias name or alias ARN); DescribeReplicationGroups answers the key's
    ARN. moto echoed the request. An unknown key is refused (InvalidParameterValue), as AWS does.
    """
    from moto.kms.models import kms_backends

    original = Backend.create_replication_group

    def create_replication_group(self, **kwargs):
        if kwargs.get("kms_key_id"):
            kms = kms_backends[self.account_id][self.region_name]
            try:
                kwargs["kms_key_id"] = kms.describe_key(
                    kms.get_key_id(kwargs["kms_key_id"]) if not kwargs["kms_key_id"].startswith("alias/") else kms.get_key_id_from_alias(kwargs["kms_key_id"])
                ).arn
            except Exception as error:  # any lookup failure is an unknown key
                raise ec_exceptions.InvalidParameterValueException(f"Invalid KmsKeyId: {kwargs['kms_key_id']}") from error
        return original(self, **kwargs)

    Backend.create_replication_group = create_replication_group


def replica_count_changes():
    """IncreaseReplicaCount and DecreaseReplicaCount change the replicas of a replication group.

    AWS API reference, IncreaseReplicaCount / DecreaseReplicaCount (cluster mode disabled): request
    ``ReplicationGroupId``, ``NewReplicaCount``, ``ApplyImmediately``; response ``ReplicationGroup``. A group
    has at most 5 replicas; with automatic failover enabled it keeps at least one (InvalidParameterValue /
    InvalidReplicationGroupState otherwise). moto had neither action.
    """

    def change(self, replication_group_id, new_replica_count, increase):
        if replication_group_id not in self.replication_groups:
            raise ec_exceptions.ReplicationGroupNotFound(replication_group_id)
        group = self.replication_groups[replication_group_id]
        current = len(group.member_clusters) - 1
        if new_replica_count is None or not 0 <= new_replica_count <= 5:
            raise ec_exceptions.InvalidParameterValueException("NewReplicaCount must be between 0 and 5.")
        if (increase and new_replica_count <= current) or (not increase and new_replica_count >= current):
            raise ec_exceptions.InvalidParameterValueException(
                f"NewReplicaCount {new_replica_count} does not {'increase' if increase else 'decrease'} the current count {current}."
            )
        if not increase and new_replica_count == 0 and group.automatic_failover == "enabled":
            raise _fault("InvalidReplicationGroupState", "Cannot remove the last replica of a replication group with automatic failover enabled.")
        _set_replica_count(group, new_replica_count)
        _sync_members(self, group)
        return group

    def increase(self):
        group = change(self.elasticache_backend, self._get_param("ReplicationGroupId"), self._get_int_param("NewReplicaCount"), True)
        return ActionResult({"ReplicationGroup": group})

    def decrease(self):
        group = change(self.elasticache_backend, self._get_param("ReplicationGroupId"), self._get_int_param("NewReplicaCount"), False)
        return ActionResult({"ReplicationGroup": group})

    Response.increase_replica_count = increase
    Response.decrease_replica_count = decrease


def deletes_finish():
    """A deleted replication group or cache cluster goes away.

    AWS API reference, DeleteReplicationGroup: the response shows the group ``deleting``; once deleted,
    DescribeReplicationGroups answers ReplicationGroupNotFoundFault (the ``replication_group_deleted`` waiter
    of botocore waits for that). moto kept it ``deleting`` for ever. The emulator answers ``deleting`` and
    forgets the group (and its member clusters) at once.
    """
    original_group, original_cluster = Backend.delete_replication_group, Backend.delete_cache_cluster

    def delete_replication_group(self, replication_group_id, retain_primary_cluster):
        members = list(self.replication_groups.get(replication_group_id).member_clusters if replication_group_id in self.replication_groups else [])
        group = original_group(self, replication_group_id, retain_primary_cluster)
        del self.replication_groups[replication_group_id]
        for member in members:
            self.cache_clusters.pop(member, None)
        self.tagging_service.delete_all_tags_for_resource(group.arn)
        return group

    def delete_cache_cluster(self, cache_cluster_id):
        cluster = original_cluster(self, cache_cluster_id)
        del self.cache_clusters[cache_cluster_id]
        self.tagging_service.delete_all_tags_for_resource(cluster.arn)
        return cluster

    Backend.delete_replication_group = delete_replication_group
    Backend.delete_cache_cluster = delete_cache_cluster


def cache_subnet_groups_can_be_modified_and_deleted():
    """ModifyCacheSubnetGroup and DeleteCacheSubnetGroup work.

    AWS API reference, ModifyCacheSubnetGroup: ``CacheSubnetGroupName``, ``CacheSubnetGroupDescription``,
    ``SubnetIds``; response ``CacheSubnetGroup``. DeleteCacheSubnetGroup: "You cannot delete a default cache
    subnet group or one that is associated with any clusters" (CacheSubnetGroupInUse). moto had neither.
    """

    def in_use(backend, name):
        return any(getattr(g, "cache_subnet_group_name", None) == name for g in backend.replication_groups.values()) or any(
            getattr(c, "cache_subnet_group_name", None) == name for c in backend.cache_clusters.values()
        )

    def modify(self):
        backend = self.elasticache_backend
        name = self._get_param("CacheSubnetGroupName")
        current = backend.describe_cache_subnet_groups(name)[0]
        description = self._get_param("CacheSubnetGroupDescription")
        subnet_ids = self._get_param("SubnetIds") or current.subnet_ids
        replacement = ec_models.CacheSubnetGroup(
            account_id=backend.account_id,
            region_name=backend.region_name,
            cache_subnet_group_name=name,
            cache_subnet_group_description=description if description is not None else current.cache_subnet_group_description,
            subnet_ids=subnet_ids,
            tags=current.tags,
        )
        backend.cache_subnet_groups[name] = replacement
        return ActionResult({"CacheSubnetGroup": replacement})

    def delete(self):
        backend = self.elasticache_backend
        name = self._get_param("CacheSubnetGroupName")
        group = backend.describe_cache_subnet_groups(name)[0]
        if in_use(backend, name):
            raise _fault("CacheSubnetGroupInUse", f"Cache subnet group {name} is currently in use by a cache cluster.")
        del backend.cache_subnet_groups[name]
        backend.tagging_service.delete_all_tags_for_resource(group.arn)
        return EmptyResult()

    Response.modify_cache_subnet_group = modify
    Response.delete_cache_subnet_group = delete


FAMILIES = (
    "redis2.6",
    "redis2.8",
    "redis3.2",
    "redis4.0",
    "redis5.0",
    "redis6.x",
    "redis7",
    "valkey7",
    "valkey8",
    "memcached1.4",
    "memcached1.5",
    "memcached1.6",
)


def cache_parameter_groups():
    """Cache parameter groups: create, describe, modify, reset, delete, describe parameters, tags.

    AWS API reference: CreateCacheParameterGroup (``CacheParameterGroupName``, ``CacheParameterGroupFamily``,
    ``Description``, ``Tags``; CacheParameterGroupAlreadyExists, InvalidParameterValue for an unknown family),
    DescribeCacheParameterGroups (CacheParameterGroupNotFound), ModifyCacheParameterGroup and
    ResetCacheParameterGroup (``ParameterNameValues``; reset also ``ResetAllParameters``; both answer
    ``CacheParameterGroupName``), DeleteCacheParameterGroup ("You cannot delete a cache parameter group if it
    is associated with any cache clusters": InvalidCacheParameterGroupState), DescribeCacheParameters
    (``Source`` user / system / engine-default). moto answered 500 to all. The emulator has no catalogue of
    engine defaults: it lists the parameters that were set (Source ``user``) and accepts any parameter name.
    Tags work on the group's ARN (``arn:aws:elasticache:<region>:<account>:parametergroup:<name>``).
    """
    original_init = Backend.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.arn_regex = re.compile(r"^arn:aws:elasticache:.*:[0-9]*:(cluster|snapshot|subnetgroup|replicationgroup|user|parametergroup):.*$")
        self.cache_parameter_groups = {}

    def get(backend, name):
        if name not in backend.cache_parameter_groups:
            raise _fault("CacheParameterGroupNotFound", f"CacheParameterGroup {name} not found.", 404)
        return backend.cache_parameter_groups[name]

    def public(group):
        return {k: v for k, v in group.items() if k != "Parameters"}

    def create(self):
        backend = self.elasticache_backend
        name = self._get_param("CacheParameterGroupName")
        family = self._get_param("CacheParameterGroupFamily")
        if name in backend.cache_parameter_groups:
            raise _fault("CacheParameterGroupAlreadyExists", f"Parameter group {name} already exists.")
        if family not in FAMILIES:
            raise ec_exceptions.InvalidParameterValueException(f"Invalid value for CacheParameterGroupFamily: {family}")
        arn = f"arn:aws:elasticache:{backend.region_name}:{backend.account_id}:parametergroup:{name}"
        group = {
            "CacheParameterGroupName": name,
            "CacheParameterGroupFamily": family,
            "Description": self._get_param("Description"),
            "IsGlobal": False,
            "ARN": arn,
            "Parameters": {},
        }
        backend.cache_parameter_groups[name] = group
        tags = self._get_param("Tags", [])
        if tags:
            backend.tagging_service.tag_resource(arn, tags)
        return ActionResult({"CacheParameterGroup": public(group)})

    def describe(self):
        backend = self.elasticache_backend
        name = self._get_param("CacheParameterGroupName")
        groups = [get(backend, name)] if name else list(backend.cache_parameter_groups.values())
        return ActionResult({"CacheParameterGroups": [public(g) for g in groups]})

    def modify(self):
        name = self._get_param("CacheParameterGroupName")
        group = get(self.elasticache_backend, name)
        for pair in self._get_param("ParameterNameValues", []):
            group["Parameters"][pair["ParameterName"]] = pair.get("ParameterValue")
        return ActionResult({"CacheParameterGroupName": name})

    def reset(self):
        name = self._get_param("CacheParameterGroupName")
        group = get(self.elasticache_backend, name)
        if self._get_bool_param("ResetAllParameters"):
            group["Parameters"] = {}
        for pair in self._get_param("ParameterNameValues", []):
            group["Parameters"].pop(pair["ParameterName"], None)
        return ActionResult({"CacheParameterGroupName": name})

    def delete(self):
        backend = self.elasticache_backend
        name = self._get_param("CacheParameterGroupName")
        group = get(backend, name)
        if any(getattr(c, "cache_parameter_group_name", None) == name for c in backend.cache_clusters.values()):
            raise _fault("InvalidCacheParameterGroupState", f"Parameter group {name} is in use by a cache cluster.")
        del backend.cache_parameter_groups[name]
        backend.tagging_service.delete_all_tags_for_resource(group["ARN"])
        return EmptyResult()

    def parameters(self):
        group = get(self.elasticache_backend, self._get_param("CacheParameterGroupName"))
        source = self._get_param("Source")
        listed = [] if source in ("system", "engine-default") else sorted(group["Parameters"].items())
        return ActionResult(
            {
                "Parameters": [
                    {"ParameterName": k, "ParameterValue": v, "Source": "user", "DataType": "string", "IsModifiable": True, "ChangeType": "immediate"}
                    for k, v in listed
                ]
            }
        )

    Backend.__init__ = __init__
    Response.create_cache_parameter_group = create
    Response.describe_cache_parameter_groups = describe
    Response.modify_cache_parameter_group = modify
    Response.reset_cache_parameter_group = reset
    Response.delete_cache_parameter_group = delete
    Response.describe_cache_parameters = parameters


def auth_token_rotation_keeps_both_tokens_until_set():
    """ModifyReplicationGroup's AUTH token strategies keep the tokens that AWS keeps.

    AWS API reference, ModifyReplicationGroup ``AuthTokenUpdateStrategy``: "ROTATE - default, if no update
    strategy is provided; SET - allowed only after ROTATE; DELETE - allowed only when transitioning to RBAC";
    it "must be specified with the auth-token parameter". ElastiCache user guide, "Authenticating with the
    Valkey and Redis OSS AUTH command", Modifying the AUTH token: after ROTATE "the cluster supports the
    previous AUTH token in addition to the one specified"; on a group without AUTH, "the cluster supports the
    AUTH token specified in the auth-token parameter in addition to supporting connecting without
    authentication"; a ROTATE on a group that holds two tokens drops the oldest; SET "can only be used with a
    cluster that has 2 AUTH tokens or 1 optional AUTH token from using a ROTATE strategy previously", after
    which only its token is accepted. DescribeReplicationGroups shows the same in every state:
    ``AuthTokenEnabled: true`` and a new ``AuthTokenLastModifiedDate`` (nothing there tells a rotation in
    progress from a finished one once the modification is applied). moto kept no token at all.

    The emulator keeps the accepted credentials on the group as ``auth_tokens`` (oldest first; ``None`` is
    "no AUTH"), which a test reads in-process. A refused request changes nothing: SET without a prior ROTATE
    and DELETE without ``UserGroupIdsToAdd`` answer InvalidParameterCombination (the user guide does not quote
    the message; the code is one that ModifyReplicationGroup documents). The user guide allows the modification from
    Redis OSS 5.0.6 (and any Valkey) on: an older engine answers InvalidParameterCombination too.
    """
    original_create, original_modify = Backend.create_replication_group, Backend.modify_replication_group
    original_response = Response.modify_replication_group

    def create_replication_group(self, **kwargs):
        group = original_create(self, **kwargs)
        group.auth_tokens = [kwargs.get("auth_token")]
        return group

    def modify_replication_group(self, replication_group_id, **changes):
        group = self.replication_groups.get(replication_group_id)
        held = getattr(group, "auth_tokens", [None])
        token = changes.get("auth_token")
        strategy = (changes.get("auth_token_update_strategy") or ("ROTATE" if token else "")).upper()
        if group is not None and strategy:
            if strategy in ("ROTATE", "SET") and not token:
                raise ec_exceptions.InvalidParameterCombinationException("AuthTokenUpdateStrategy must be specified with AuthToken.")
            version = [int(n) for n in re.findall(r"\d+", str(group.engine_version or DEFAULT_ENGINE_VERSION.get(group.engine, "7.1")))]
            if (group.engine or "redis") == "redis" and version < [5, 0, 6]:
                raise ec_exceptions.InvalidParameterCombinationException(
                    f"The AUTH token cannot be modified on Redis OSS {group.engine_version}: 5.0.6 or later is needed."
                )
            if strategy == "SET" and len(held) < 2:
                raise ec_exceptions.InvalidParameterCombinationException(
                    "The SET strategy is allowed only after ROTATE: the replication group does not hold two AUTH tokens "
                    "(or a token beside unauthenticated access)."
                )
            changes["auth_token_update_strategy"] = strategy
        result = original_modify(self, replication_group_id, **changes)
        if strategy == "ROTATE":
            group.auth_tokens = [*held, token][-2:]
        elif strategy == "SET":
            group.auth_tokens = [token]
        elif strategy == "DELETE":
            group.auth_tokens = [None]
        return result

    def response_modify_replication_group(self):
        if (self._get_param("AuthTokenUpdateStrategy") or "").upper() == "DELETE" and not self._get_param("UserGroupIdsToAdd"):
            raise ec_exceptions.InvalidParameterCombinationException("The DELETE strategy is allowed only when transitioning to RBAC (with UserGroupIdsToAdd).")
        return original_response(self)

    Backend.create_replication_group = create_replication_group
    Backend.modify_replication_group = modify_replication_group
    Response.modify_replication_group = response_modify_replication_group


def delete_replication_group_takes_a_final_snapshot():
    """DeleteReplicationGroup with ``FinalSnapshotIdentifier`` keeps a snapshot of the group.

    AWS API reference, DeleteReplicationGroup: "FinalSnapshotIdentifier - The name of a final node group (shard)
    snapshot. ElastiCache creates the snapshot from the primary node in the cluster [...]. After the final
    snapshot is taken, the replication group is immediately deleted." Errors: SnapshotAlreadyExistsFault when a
    snapshot of that name exists (nothing is deleted then). The snapshot is
    encrypted with the group's at-rest key and DescribeSnapshots lists it. moto ignored the parameter.
    """
    original = Response.delete_replication_group

    def delete_replication_group(self):
        name = self._get_param("FinalSnapshotIdentifier")
        group_id = self._get_param("ReplicationGroupId")
        backend = self.elasticache_backend
        if name and group_id in backend.replication_groups:
            group = backend.replication_groups[group_id]
            backend.create_snapshot(
                snapshot_name=name, replication_group_id=group_id, cache_cluster_id=None, kms_key_id=getattr(group, "kms_key_id", None), tags=None
            )
        return original(self)

    Response.delete_replication_group = delete_replication_group
