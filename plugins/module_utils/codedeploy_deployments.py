# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS CodeDeploy deployments (ECS blue/green): boto3 wrappers and the pure helpers that canonicalise an
AppSpec, compare deployments by the sha256 of their AppSpec content and render their lifecycle events.

Reference: AWS CodeDeploy API Reference (CreateDeployment, GetDeployment, ListDeployments, GetDeploymentGroup,
StopDeployment, ListDeploymentTargets, BatchGetDeploymentTargets) and the User Guide's AppSpec for ECS.
"""

import datetime
import hashlib
import json
import re
import time

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils import appspec as appspec_utils
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

# DeploymentInfo.status: the statuses of a deployment that has not ended (ListDeployments includeOnlyStatuses).
# "Ready" is a blue/green deployment waiting for a manual go (ContinueDeployment) before traffic moves.
ACTIVE_STATUSES = ("Created", "Queued", "InProgress", "Baking", "Ready")
ENDED_STATUSES = ("Succeeded", "Failed", "Stopped")
# BatchGetDeploymentTargets takes at most 25 target ids.
TARGET_BATCH = 25
# CodeDeploy User Guide, "CodeDeploy quotas": "Maximum number of characters in a deployment description: 100".
DESCRIPTION_LIMIT = 100
# The AppSpec's sha256, written at the end of the description of each deployment this module creates: the API
# defines AppSpecContent.sha256 for the request, and GetDeployment is not documented to return it.
MARKER = "[sha256:{}]"
MARKER_PATTERN = re.compile(r"\[sha256:([0-9a-f]{64})\]\s*$")


class AnsibleCodeDeployDeploymentError(AnsibleAWSError):
    pass


class DeploymentTimeout(Exception):
    """The deployment did not end within the time given; ``info`` and ``targets`` are the last read."""

    def __init__(self, deployment_id, waited, info, target_ids, targets):
        super().__init__(f"deployment {deployment_id} still {info.get('status')} after {waited} s")
        self.deployment_id = deployment_id
        self.waited = waited
        self.info = info
        self.target_ids = target_ids
        self.targets = targets


class CodeDeployDeploymentErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCodeDeployDeploymentError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ApplicationDoesNotExistException", "DeploymentGroupDoesNotExistException", "DeploymentDoesNotExistException"])


# ---------------------------------------------------------------------------------------------------
# Wrappers


@CodeDeployDeploymentErrorHandler.list_error_handler("get deployment group {group} of application {application}")
@AWSRetry.jittered_backoff()
def get_deployment_group(client, application, group):
    """GetDeploymentGroup's deploymentGroupInfo, or None when the application or the group does not exist."""
    return client.get_deployment_group(applicationName=application, deploymentGroupName=group)["deploymentGroupInfo"]


@CodeDeployDeploymentErrorHandler.list_error_handler("list the deployments in progress of {application}/{group}", default_value=[])
@AWSRetry.jittered_backoff()
def list_active_deployments(client, application, group):
    """The ids of the group's deployments that have not ended."""
    paginator = client.get_paginator("list_deployments")
    pages = paginator.paginate(applicationName=application, deploymentGroupName=group, includeOnlyStatuses=list(ACTIVE_STATUSES))
    return [deployment_id for page in pages for deployment_id in page.get("deployments", [])]


@CodeDeployDeploymentErrorHandler.list_error_handler("list the deployments of {application}/{group} that ended", default_value=[])
@AWSRetry.jittered_backoff()
def list_ended_deployments(client, application, group, since, statuses=("Failed", "Stopped")):
    """The ids of the group's deployments created since ``since`` (a datetime) that ended with one of ``statuses``."""
    paginator = client.get_paginator("list_deployments")
    pages = paginator.paginate(applicationName=application, deploymentGroupName=group, includeOnlyStatuses=list(statuses), createTimeRange={"start": since})
    return [deployment_id for page in pages for deployment_id in page.get("deployments", [])]


@CodeDeployDeploymentErrorHandler.list_error_handler("get deployment {deployment_id}")
@AWSRetry.jittered_backoff()
def get_deployment(client, deployment_id):
    """GetDeployment's deploymentInfo, or None when there is no such deployment."""
    return client.get_deployment(deploymentId=deployment_id)["deploymentInfo"]


@CodeDeployDeploymentErrorHandler.common_error_handler("create a deployment in {application}/{group}")
@AWSRetry.jittered_backoff()
def create_deployment(client, application, group, content, sha256, description=None):
    """CreateDeployment of AppSpec content (revision type AppSpecContent); returns the deployment id."""
    request = {
        "applicationName": application,
        "deploymentGroupName": group,
        "revision": {"revisionType": "AppSpecContent", "appSpecContent": {"content": content, "sha256": sha256}},
    }
    request["description"] = description_with_marker(description, sha256)[0]
    return client.create_deployment(**request)["deploymentId"]


def is_limit_exceeded(error):
    """The group already has a deployment in progress (CreateDeployment's DeploymentLimitExceededException)."""
    code = getattr(getattr(error, "exception", None), "response", {}).get("Error", {}).get("Code")
    return code == "DeploymentLimitExceededException"


@CodeDeployDeploymentErrorHandler.common_error_handler("stop deployment {deployment_id}")
@AWSRetry.jittered_backoff()
def stop_deployment(client, deployment_id, auto_rollback=True):
    """StopDeployment; returns {status, statusMessage}, or None when the deployment had already ended."""
    try:
        response = client.stop_deployment(deploymentId=deployment_id, autoRollbackEnabled=auto_rollback)
    except is_boto3_error_code("DeploymentAlreadyCompletedException"):
        return None
    return {"status": response.get("status"), "statusMessage": response.get("statusMessage")}


@CodeDeployDeploymentErrorHandler.list_error_handler("list the targets of deployment {deployment_id}", default_value=[])
@AWSRetry.jittered_backoff()
def list_deployment_targets(client, deployment_id):
    """The target ids of a deployment; none while it has not started (DeploymentNotStartedException)."""
    paginator = client.get_paginator("list_deployment_targets")
    try:
        return [target for page in paginator.paginate(deploymentId=deployment_id) for target in page.get("targetIds", [])]
    except is_boto3_error_code("DeploymentNotStartedException"):
        return []


@CodeDeployDeploymentErrorHandler.list_error_handler("get the targets of deployment {deployment_id}", default_value=[])
@AWSRetry.jittered_backoff()
def batch_get_deployment_targets(client, deployment_id, target_ids):
    targets = []
    for start in range(0, len(target_ids), TARGET_BATCH):
        chunk = target_ids[start : start + TARGET_BATCH]
        try:
            targets.extend(client.batch_get_deployment_targets(deploymentId=deployment_id, targetIds=chunk).get("deploymentTargets", []))
        except is_boto3_error_code("DeploymentNotStartedException"):
            return []
    return targets


def read_targets(client, deployment_id, target_ids=None):
    """(target ids, deployment targets) of a deployment; the ids are listed again while none are known."""
    target_ids = target_ids or list_deployment_targets(client, deployment_id)
    return target_ids, (batch_get_deployment_targets(client, deployment_id, target_ids) if target_ids else [])


def wait_for_end(client, deployment_id, timeout, poll_interval, sleep=time.sleep, clock=time.monotonic, with_targets=True):
    """Poll a deployment until it ends; returns (deploymentInfo, target ids, targets).

    One GetDeployment per poll; the targets (and their lifecycle events) are read again whenever the status
    changes (not at all without ``with_targets``). Raises DeploymentTimeout (the deployment keeps running) when it
    has not ended after ``timeout``.
    """
    started = clock()
    deadline = started + timeout
    status = None
    target_ids, targets = [], []
    while True:
        info = get_deployment(client, deployment_id)
        if info is None:
            raise AnsibleCodeDeployDeploymentError(message=f"deployment {deployment_id} disappeared while it was waited for")
        if info.get("status") != status:
            status = info.get("status")
            if with_targets:
                target_ids, targets = read_targets(client, deployment_id, target_ids)
        if status in ENDED_STATUSES:
            return info, target_ids, targets
        remaining = deadline - clock()
        if remaining <= 0:
            # The lifecycle events as they are now, for the message.
            if with_targets:
                target_ids, targets = read_targets(client, deployment_id, target_ids)
            raise DeploymentTimeout(deployment_id, round(clock() - started), info, target_ids, targets)
        sleep(min(poll_interval, remaining))


# ---------------------------------------------------------------------------------------------------
# Pure helpers


def canonical_appspec(appspec):
    """(content, data) of an AppSpec given as a dict or as JSON/YAML text.

    The content is canonical JSON (sorted keys, no spaces), so one AppSpec always gives the same text and the
    same sha256, whatever its input form. Raises appspec.AppSpecError naming what is wrong.
    """
    if isinstance(appspec, (bytes, bytearray)):
        appspec = appspec.decode("utf-8")
    if isinstance(appspec, str):
        if not appspec.strip():
            raise appspec_utils.AppSpecError("the AppSpec is empty")
        data = appspec_utils.parse(appspec)[0]
    elif isinstance(appspec, dict):
        data = appspec
    else:
        raise appspec_utils.AppSpecError(f"the AppSpec must be a mapping or JSON/YAML text, got {type(appspec).__name__}")
    appspec_utils.validate(data)
    if task_definition_of(data) == appspec_utils.PLACEHOLDER:
        raise appspec_utils.AppSpecError(
            f"TaskDefinition is the placeholder {appspec_utils.PLACEHOLDER} (filled in by CodePipeline only): give the task-definition ARN to deploy"
        )
    return json.dumps(data, sort_keys=True, separators=(",", ":")), data


def content_sha256(content):
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def task_definition_of(data):
    """The TaskDefinition of the AppSpec's one ECS service resource, or None."""
    try:
        body = next(iter(data["Resources"][0].values()))
        return body["Properties"]["TaskDefinition"]
    except (KeyError, IndexError, TypeError, AttributeError, StopIteration):
        return None


def deployment_sha256(info):
    """The sha256 of a deployment's AppSpec content: the revision's ``appSpecContent.sha256`` when GetDeployment
    returns it (or the sha256 of its ``content``), else the marker this module writes into the description of the deployments it creates, else None."""
    info = info or {}
    content = (info.get("revision") or {}).get("appSpecContent") or {}
    if content.get("sha256"):
        return content["sha256"]
    if content.get("content"):
        return content_sha256(content["content"])
    found = MARKER_PATTERN.search(info.get("description") or "")
    return found.group(1) if found else None


def description_with_marker(description, sha256):
    """(description, shortened) for CreateDeployment: the user's description, then the AppSpec's sha256 marker,
    within DESCRIPTION_LIMIT characters (the user's text is shortened, ending in "...", when it does not fit)."""
    marker = MARKER.format(sha256)
    description = (description or "").strip()
    if not description:
        return marker, False
    room = DESCRIPTION_LIMIT - len(marker) - 1
    shortened = len(description) > room
    if shortened:
        description = description[: room - 3].rstrip() + "..."
    return f"{description} {marker}", shortened


def rollback_id(info):
    """The id of the deployment CodeDeploy created to roll ``info`` back (rollbackInfo.rollbackDeploymentId), or None."""
    return ((info or {}).get("rollbackInfo") or {}).get("rollbackDeploymentId")


def timestamp(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, datetime.UTC).isoformat()
    return value


def _seconds(value):
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, (int, float)):
        return float(value)
    return None


def duration(start, end):
    """hh:mm:ss between two timestamps, or None when one is missing."""
    start, end = _seconds(start), _seconds(end)
    if start is None or end is None:
        return None
    total = max(round(end - start), 0)
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def lifecycle_events(targets):
    """The lifecycle events of a deployment's targets, in the order AWS lists them:
    [{name, status, start_time, end_time}] (ECS: one target, the service, in ``ecsTarget``)."""
    events = []
    for target in targets or []:
        body = target.get("ecsTarget") or next((v for k, v in target.items() if k.endswith("Target") and isinstance(v, dict)), {})
        for event in body.get("lifecycleEvents") or []:
            events.append(
                {
                    "name": event.get("lifecycleEventName"),
                    "status": event.get("status"),
                    "start_time": event.get("startTime"),
                    "end_time": event.get("endTime"),
                }
            )
    return events


def event_lines(events):
    """One printable line per lifecycle event, e.g. "Install Succeeded 00:00:02"."""
    lines = []
    for event in events:
        took = duration(event.get("start_time"), event.get("end_time"))
        lines.append(" ".join(part for part in (event.get("name"), event.get("status"), took) if part))
    return lines


def summary(info, appspec_sha256=None, task_definition=None, attached=False, target_ids=None, targets=None):
    """The module's ``deployment`` result from GetDeployment's deploymentInfo (plain, JSON-ready values)."""
    info = info or {}
    error = info.get("errorInformation")
    rollback = info.get("rollbackInfo")
    return {
        "deployment_id": info.get("deploymentId"),
        "status": info.get("status"),
        "error_information": {"code": error.get("code"), "message": error.get("message")} if error else None,
        "rollback_info": (
            {
                "rollback_deployment_id": rollback.get("rollbackDeploymentId"),
                "rollback_triggering_deployment_id": rollback.get("rollbackTriggeringDeploymentId"),
                "rollback_message": rollback.get("rollbackMessage"),
            }
            if rollback
            else None
        ),
        "create_time": timestamp(info.get("createTime")),
        "complete_time": timestamp(info.get("completeTime")),
        "appspec_sha256": deployment_sha256(info) or appspec_sha256,
        "task_definition": task_definition,
        "attached": attached,
        "target_ids": list(target_ids or []),
        "lifecycle_events": [dict(e, start_time=timestamp(e["start_time"]), end_time=timestamp(e["end_time"])) for e in lifecycle_events(targets)],
    }


def failure_message(info, rollback_status=None):
    """ "<deployment id> <status>: <code>: <message>" with the rollback, for a deployment that ended Failed or Stopped;
    with ``rollback_status`` (the rollback deployment's status, once waited for): "rolled back by <id>: <status>"."""
    error = info.get("errorInformation") or {}
    said = _sentence(error.get("message")) or "no error message"
    message = f"{info.get('deploymentId')} {info.get('status')}: {error.get('code') or 'no error code'}: {said}"
    rollback = info.get("rollbackInfo") or {}
    if rollback:
        parts = [_sentence(rollback.get("rollbackMessage"))]
        if rollback.get("rollbackDeploymentId"):
            if rollback_status:
                parts.append(f"rolled back by {rollback['rollbackDeploymentId']}: {rollback_status}")
            else:
                parts.append(f"rollback deployment {rollback['rollbackDeploymentId']}")
        message += " (rollback: " + "; ".join(p for p in parts if p) + ")"
    return message


def _sentence(text):
    """AWS's message without its final full stop, to sit inside ours."""
    return (text or "").strip().rstrip(".")
