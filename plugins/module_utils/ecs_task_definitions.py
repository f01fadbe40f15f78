# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon ECS task-definition API wrappers and the pure normalisation behind idempotent registration."""

import random
import re
import time

try:
    import botocore.exceptions
except ImportError:
    botocore = None  # AnsibleAWSModule reports a missing botocore

from ansible_collections.dito.chat.plugins.module_utils import retry_report
from ansible_collections.dito.chat.plugins.module_utils.ecs import ECSErrorHandler
from ansible_collections.dito.chat.plugins.module_utils.ecs import tags_to_dict
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

# RegisterTaskDefinition is not idempotent (no client token): every request that reaches ECS registers one more
# revision. It is sent through a client that botocore does not retry, and retried here this many times in all.
REGISTER_ATTEMPTS = 6
REGISTER_BACKOFF = 1.0
REGISTER_MAX_DELAY = 20.0
# An indirection that the unit tests replace.
sleep = time.sleep

# ---------------------------------------------------------------------------------------------
# API wrappers


@ECSErrorHandler.list_error_handler("describe the latest ACTIVE revision of {family}")
@AWSRetry.jittered_backoff()
def describe_latest(client, family):
    """The latest ACTIVE revision of ``family`` with its tags, in one DescribeTaskDefinition call; None if none."""
    response = client.describe_task_definition(taskDefinition=family, include=["TAGS"])
    return dict(response["taskDefinition"], tags=response.get("tags") or [])


def _register(client, family, request):
    response = client.register_task_definition(**dict(request, family=family))
    return dict(response["taskDefinition"], tags=response.get("tags") or request.get("tags") or [])


@ECSErrorHandler.common_error_handler("register a revision of {family}")
def register(client, single_attempt_client, family, request, previous_revision=0):
    """Register ``request`` as one new revision of ``family``, once, even when a response is lost.

    ``single_attempt_client`` sends each request once (botocore would resend a request whose response was lost,
    and a resent RegisterTaskDefinition registers a second revision of the same content). This loop retries it
    with a jittered back-off: after throttling or a 5xx answer (nothing was registered) it registers again; after a
    lost connection it reads the family's latest ACTIVE revision (through ``client``, which botocore retries)
    and adopts it when it is newer than ``previous_revision`` and has the content asked for: the lost attempt
    registered it. Otherwise it registers again.
    """
    for attempt in range(1, REGISTER_ATTEMPTS + 1):
        try:
            return _register(single_attempt_client, family, request)
        except botocore.exceptions.ClientError as e:
            if attempt == REGISTER_ATTEMPTS or not retry_report.transient_client_error(e):
                raise
        except (botocore.exceptions.ConnectionError, botocore.exceptions.HTTPClientError) as e:
            if attempt == REGISTER_ATTEMPTS or not retry_report.lost_connection(e):
                raise
            latest = describe_latest(client, family)
            if latest and latest.get("revision", 0) > previous_revision and not differences(latest, request):
                return latest
        sleep(random.SystemRandom().uniform(0, min(REGISTER_MAX_DELAY, REGISTER_BACKOFF * 2**attempt)))
    raise AssertionError("unreachable: the last attempt returns or raises")


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
