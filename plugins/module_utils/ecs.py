# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon ECS task-definition API wrappers and the pure normalisation behind idempotent registration."""

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_message
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleECSError(AnsibleAWSError):
    pass


class ECSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleECSError

    @classmethod
    def _is_missing(cls):
        # DescribeTaskDefinition answers ClientException "Unable to describe task definition." for a
        # family with no ACTIVE revision.
        return is_boto3_error_message("Unable to describe task definition")


# ---------------------------------------------------------------------------------------------
# API wrappers


@ECSErrorHandler.list_error_handler("describe the latest ACTIVE revision of {family}")
@AWSRetry.jittered_backoff()
def describe_latest(client, family):
    """The latest ACTIVE revision of ``family`` with its tags, in one DescribeTaskDefinition call; None if none."""
    response = client.describe_task_definition(taskDefinition=family, include=["TAGS"])
    return dict(response["taskDefinition"], tags=response.get("tags") or [])


@ECSErrorHandler.common_error_handler("register a revision of {family}")
@AWSRetry.jittered_backoff()
def register(client, family, request):
    response = client.register_task_definition(**dict(request, family=family))
    return dict(response["taskDefinition"], tags=response.get("tags") or request.get("tags") or [])


@ECSErrorHandler.common_error_handler("deregister {arn}")
@AWSRetry.jittered_backoff()
def deregister(client, arn):
    return client.deregister_task_definition(taskDefinition=arn)["taskDefinition"]


@ECSErrorHandler.common_error_handler("list the ACTIVE revisions of {family}")
@AWSRetry.jittered_backoff()
def list_active_arns(client, family):
    """ARNs of the ACTIVE revisions of exactly ``family`` (familyPrefix also matches longer names), newest first."""
    arns = []
    paginator = client.get_paginator("list_task_definitions")
    for page in paginator.paginate(familyPrefix=family, status="ACTIVE"):
        arns.extend(arn for arn in page["taskDefinitionArns"] if arn_family(arn) == family)
    return sorted(arns, key=arn_revision, reverse=True)


@ECSErrorHandler.common_error_handler("tag {arn}")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=[{"key": k, "value": v} for k, v in tags.items()])


@ECSErrorHandler.common_error_handler("untag {arn}")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=list(keys))


def arn_family(arn):
    return arn.rsplit("/", 1)[-1].rsplit(":", 1)[0]


def arn_revision(arn):
    return int(arn.rsplit(":", 1)[-1])


# ---------------------------------------------------------------------------------------------
# Pure normalisation: what AWS adds or reorders must not look like a change.

# Task-level fields compared (RegisterTaskDefinition request names). tags are handled apart: they
# change in place with TagResource, without a new revision.
TASK_FIELDS = (
    "containerDefinitions",
    "cpu",
    "memory",
    "networkMode",
    "requiresCompatibilities",
    "runtimePlatform",
    "executionRoleArn",
    "taskRoleArn",
    "volumes",
    "ephemeralStorage",
    "placementConstraints",
    "pidMode",
    "ipcMode",
    "proxyConfiguration",
    "inferenceAccelerators",
    "enableFaultInjection",
)

_UNITS = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(vcpu|gb|mib|mb)?\s*$", re.I)


def normalise_units(value, kind):
    """Task cpu/memory as the string of an integer, as AWS returns them ("1 vCPU" -> "1024", "2 GB" -> "2048")."""
    if value is None or value == "":
        return None
    match = _UNITS.match(str(value))
    if not match:
        return str(value)
    number, unit = float(match.group(1)), (match.group(2) or "").lower()
    if (kind == "cpu" and unit == "vcpu") or (kind == "memory" and unit == "gb"):
        number *= 1024
    return str(int(number))


def _prune(value):
    """Drop None, empty lists and empty dicts at every depth (AWS returns [] for what was never set)."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def _by_name(items):
    return sorted(items, key=lambda item: (str(item.get("name", "")), str(item)))


def normalise_container(container, network_mode):
    c = dict(container)
    c.setdefault("essential", True)
    if c.get("cpu") == 0:
        del c["cpu"]
    for key in ("environment", "secrets"):
        if c.get(key):
            c[key] = _by_name(c[key])
    if c.get("environmentFiles"):
        c["environmentFiles"] = sorted(c["environmentFiles"], key=lambda f: (f.get("type", ""), f.get("value", "")))
    mappings = []
    for mapping in c.get("portMappings") or []:
        m = dict(mapping)
        m.setdefault("protocol", "tcp")
        # Under awsvpc (Fargate) the host port is the container port; AWS fills it in.
        if network_mode == "awsvpc" and "containerPort" in m:
            m.setdefault("hostPort", m["containerPort"])
        mappings.append(m)
    if mappings:
        c["portMappings"] = sorted(mappings, key=lambda m: (m.get("containerPort", 0), m.get("protocol", ""), str(m)))
    # entryPoint, command, links, dnsServers...: order is meaningful there, so it is kept as given.
    if c.get("ulimits"):
        c["ulimits"] = _by_name(c["ulimits"])
    if isinstance(c.get("dockerLabels"), dict):
        c["dockerLabels"] = dict(sorted(c["dockerLabels"].items()))
    return _prune(c)


def normalise(task_definition):
    """The comparable form of a task definition (a RegisterTaskDefinition request or a describe result)."""
    td = {k: task_definition.get(k) for k in TASK_FIELDS}
    network_mode = td.get("networkMode") or "bridge"
    td["networkMode"] = network_mode
    td["cpu"] = normalise_units(td.get("cpu"), "cpu")
    td["memory"] = normalise_units(td.get("memory"), "memory")
    if td.get("requiresCompatibilities"):
        td["requiresCompatibilities"] = sorted(td["requiresCompatibilities"])
    td["containerDefinitions"] = _by_name([normalise_container(c, network_mode) for c in td.get("containerDefinitions") or []])
    if td.get("volumes"):
        td["volumes"] = _by_name(td["volumes"])
    if td.get("enableFaultInjection") is False:
        td["enableFaultInjection"] = None
    return _prune(td)


def differences(current, desired):
    """Names of the compared fields whose normalised values differ."""
    a, b = normalise(current), normalise(desired)
    return sorted(key for key in set(a) | set(b) if a.get(key) != b.get(key))


def tags_to_dict(tags):
    return {t["key"]: t["value"] for t in tags or []}


def summary(task_definition):
    """The module's return value for one revision (snake_case, the fields a deploy needs)."""
    containers = task_definition.get("containerDefinitions") or []
    registered = task_definition.get("registeredAt")
    return {
        "family": task_definition.get("family"),
        "revision": task_definition.get("revision"),
        "task_definition_arn": task_definition.get("taskDefinitionArn"),
        "status": task_definition.get("status"),
        "containers": [{"name": c.get("name"), "image": c.get("image")} for c in containers],
        "cpu": task_definition.get("cpu"),
        "memory": task_definition.get("memory"),
        "network_mode": task_definition.get("networkMode"),
        "execution_role_arn": task_definition.get("executionRoleArn"),
        "task_role_arn": task_definition.get("taskRoleArn"),
        "registered_at": registered.isoformat() if hasattr(registered, "isoformat") else registered,
        "tags": tags_to_dict(task_definition.get("tags")),
    }


# ---------------------------------------------------------------------------------------------
# Clusters and services. DescribeClusters and DescribeServices report a missing name in ``failures``
# rather than as an error; a deleted cluster or service lingers as INACTIVE. Both count as absent.


@ECSErrorHandler.common_error_handler("describe cluster {name}")
@AWSRetry.jittered_backoff()
def describe_cluster(client, name):
    """The ACTIVE cluster with its settings and tags, or None."""
    clusters = client.describe_clusters(clusters=[name], include=["SETTINGS", "TAGS"])["clusters"]
    return next((c for c in clusters if c.get("status") != "INACTIVE"), None)


@ECSErrorHandler.common_error_handler("create cluster")
@AWSRetry.jittered_backoff()
def create_cluster(client, **request):
    return client.create_cluster(**request)["cluster"]


@ECSErrorHandler.common_error_handler("update the settings of cluster {cluster}")
@AWSRetry.jittered_backoff()
def update_cluster_settings(client, cluster, settings):
    return client.update_cluster_settings(cluster=cluster, settings=settings)["cluster"]


@ECSErrorHandler.common_error_handler("set the capacity providers of cluster {cluster}")
@AWSRetry.jittered_backoff()
def put_cluster_capacity_providers(client, cluster, providers, strategy):
    return client.put_cluster_capacity_providers(cluster=cluster, capacityProviders=providers, defaultCapacityProviderStrategy=strategy)["cluster"]


@ECSErrorHandler.common_error_handler("delete cluster {cluster}")
@AWSRetry.jittered_backoff()
def delete_cluster(client, cluster):
    return client.delete_cluster(cluster=cluster)["cluster"]


@ECSErrorHandler.common_error_handler("describe service {name}")
@AWSRetry.jittered_backoff()
def describe_service(client, cluster, name):
    """The service (ACTIVE or DRAINING) with its tags, or None. A missing cluster means no service."""
    try:
        services = client.describe_services(cluster=cluster, services=[name], include=["TAGS"])["services"]
    except client.exceptions.ClusterNotFoundException:
        return None
    return next((s for s in services if s.get("status") != "INACTIVE"), None)


@ECSErrorHandler.common_error_handler("create service")
@AWSRetry.jittered_backoff()
def create_service(client, **request):
    return client.create_service(**request)["service"]


@ECSErrorHandler.common_error_handler("update service")
@AWSRetry.jittered_backoff()
def update_service(client, **request):
    return client.update_service(**request)["service"]


@ECSErrorHandler.common_error_handler("delete service {service}")
@AWSRetry.jittered_backoff()
def delete_service(client, cluster, service):
    return client.delete_service(cluster=cluster, service=service, force=True)["service"]


def settings_to_dict(settings):
    return {s["name"]: s["value"] for s in settings or []}


# The argument spec of a capacity provider strategy entry, shared by ecs_cluster and ecs_service.
STRATEGY_OPTIONS = dict(capacity_provider=dict(type="str", required=True), weight=dict(type="int", default=1), base=dict(type="int", default=0))


def strategy_request(specs):
    """A capacity provider strategy in the API's shape, from the modules' snake_case entries."""
    return [{"capacityProvider": s["capacity_provider"], "weight": s["weight"], "base": s["base"]} for s in specs or []]


def strategy_normalised(strategy):
    """A capacity provider strategy with AWS's defaults filled in (weight 0, base 0), in a stable order."""
    return sorted(
        ({"capacityProvider": s["capacityProvider"], "weight": int(s.get("weight") or 0), "base": int(s.get("base") or 0)} for s in strategy or []),
        key=lambda s: s["capacityProvider"],
    )


# Fields of UpdateService that AWS accepts on a service whose deployments CodeDeploy makes (UpdateService,
# AWS API reference: "only the desired count, deployment configuration, health check grace period, task
# placement constraints and strategies, enable ECS managed tags option, and propagate tags can be updated").
CODE_DEPLOY_UPDATABLE = ("desiredCount", "deploymentConfiguration", "healthCheckGracePeriodSeconds", "enableECSManagedTags", "propagateTags")


def load_balancer_satisfied(current, wanted, alternates):
    """Whether the service's load balancers already match ``wanted`` (a list of one ``loadBalancers`` entry at
    most), where the target group may also be any of ``alternates``: CodeDeploy leaves the service on the
    green target group of the pair after a deployment."""
    if len(current or []) != len(wanted or []):
        return False
    for have, want in zip(current or [], wanted or [], strict=True):
        if (have.get("containerName"), have.get("containerPort")) != (want.get("containerName"), want.get("containerPort")):
            return False
        if have.get("targetGroupArn") not in {want.get("targetGroupArn"), *alternates}:
            return False
    return True


def network_normalised(network):
    config = (network or {}).get("awsvpcConfiguration") or {}
    return {
        "subnets": sorted(config.get("subnets") or []),
        "securityGroups": sorted(config.get("securityGroups") or []),
        "assignPublicIp": config.get("assignPublicIp") or "DISABLED",
    }


def deployment_configuration_differs(current, wanted):
    """Whether the asked keys of a deploymentConfiguration differ from the service's (keys not asked for
    are AWS's to keep)."""
    current = current or {}
    for key, value in (wanted or {}).items():
        if isinstance(value, dict):
            if any((current.get(key) or {}).get(k) != v for k, v in value.items()):
                return True
        elif current.get(key) != value:
            return True
    return False


def service_differences(current, request, alternates, keep_desired_count):
    """The CreateService-request fields whose value differs from the service's, as
    ``{field: (have, want)}``. Pure: ``current`` is a DescribeServices entry, ``request`` the CreateService
    request the module would send."""
    diffs = {}

    def differ(field, have, want):
        if want is not None and have != want:
            diffs[field] = (have, want)

    if not keep_desired_count:
        differ("desiredCount", current.get("desiredCount"), request.get("desiredCount"))
    differ("taskDefinition", current.get("taskDefinition"), request.get("taskDefinition"))
    if "loadBalancers" in request and not load_balancer_satisfied(current.get("loadBalancers"), request["loadBalancers"], alternates):
        diffs["loadBalancers"] = (current.get("loadBalancers") or [], request["loadBalancers"])
    if "networkConfiguration" in request:
        differ("networkConfiguration", network_normalised(current.get("networkConfiguration")), network_normalised(request["networkConfiguration"]))
    if "serviceRegistries" in request:
        have = [r.get("registryArn") for r in current.get("serviceRegistries") or []]
        differ("serviceRegistries", have, [r["registryArn"] for r in request["serviceRegistries"]])
    if request.get("deploymentConfiguration") and deployment_configuration_differs(current.get("deploymentConfiguration"), request["deploymentConfiguration"]):
        diffs["deploymentConfiguration"] = (current.get("deploymentConfiguration"), request["deploymentConfiguration"])
    differ("deploymentController", (current.get("deploymentController") or {}).get("type", "ECS"), (request.get("deploymentController") or {}).get("type"))
    for field in ("healthCheckGracePeriodSeconds", "platformVersion", "propagateTags", "enableECSManagedTags", "enableExecuteCommand"):
        have = current.get(field)
        if field in ("enableECSManagedTags", "enableExecuteCommand"):
            have = bool(have)
        differ(field, have, request.get(field))
    if "capacityProviderStrategy" in request:
        differ(
            "capacityProviderStrategy", strategy_normalised(current.get("capacityProviderStrategy")), strategy_normalised(request["capacityProviderStrategy"])
        )
    return diffs


def update_request(diffs, request, code_deploy):
    """Split the differences into the UpdateService request that AWS accepts now and the fields that only a
    CodeDeploy deployment changes on a CODE_DEPLOY service (returned by name, left alone)."""
    update, deferred = {}, []
    for field in diffs:
        if field == "deploymentController":
            update["deploymentController"] = request["deploymentController"]
        elif code_deploy and field not in CODE_DEPLOY_UPDATABLE:
            deferred.append(field)
        else:
            update[field] = request[field]
    return update, sorted(deferred)
