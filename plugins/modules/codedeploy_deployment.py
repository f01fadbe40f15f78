#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: codedeploy_deployment
short_description: Create, wait for or stop an AWS CodeDeploy deployment of an Amazon ECS service (blue/green)
version_added: 1.0.0
description:
  - Deploys an AppSpec (what M(dito.chat.ecs_appspec) returns) to a CodeDeploy deployment group of the ECS compute
    platform with CreateDeployment (revision type C(AppSpecContent)), waits for it to end and reports each lifecycle
    event of the service (BeforeInstall, Install, AllowTestTraffic, AllowTraffic, ...).
  - The AppSpec is sent in one canonical form (JSON, sorted keys) with its sha256, so the same AppSpec always has the
    same sha256, whatever its input form. When the group's last successful deployment carries that sha256, nothing
    is deployed (changed=false) unless O(force=true).
  - A group runs one deployment at a time. When one is in progress with the same AppSpec, the module attaches to
    it (waits for it, creates nothing). When one is in progress with another AppSpec, the module waits for it to
    end (within O(wait_timeout), even with O(wait=false)), then creates its own.
  - CreateDeployment takes no client token. When its response is lost, botocore sends it again and CodeDeploy
    answers DeploymentLimitExceededException, because the first attempt's deployment runs. The module then
    recognises that deployment by its AppSpec's sha256 and attaches to it as its own (changed=true), or reports it
    when it has already ended (V(Failed) or V(Stopped) fail the task with its reason, read with ListDeployments
    over the deployments created since the run started); it does not create a second deployment of the same AppSpec. A run killed
    while it waited and started again attaches to the deployment in progress the same way (changed=false).
  - A deployment that ends V(Failed) or V(Stopped) makes the module fail with CodeDeploy's error code and
    message and its rollback; the result still carries RV(deployment) and RV(events). CodeDeploy rolls an ECS
    deployment back with a deployment of its own (C(rollbackInfo.rollbackDeploymentId)); the module waits for it
    to end too (within O(wait_timeout)), names it and its status ("rolled back by" the rollback deployment) and
    returns it in RV(rollback).
  - O(state=stopped) stops the group's deployment in progress with StopDeployment and automatic rollback, and
    reports it stopped once its rollback deployment has ended (it fails when the rollback did not succeed).
  - Waiting is a loop of GetDeployment calls every O(poll_interval) seconds; the targets (and their lifecycle
    events) are read when the status changes. When O(wait_timeout) passes first, the module fails saying what it
    waited for and the last status; the deployment keeps running (it is not stopped).
  - Check mode makes no change and does not wait; it reports whether a deployment would be created.
author:
  - dito.chat engineering (@dito-chat)
options:
  application:
    description: The CodeDeploy application name.
    type: str
    required: true
  deployment_group:
    description: The deployment group name (an ECS blue/green group, see M(dito.chat.codedeploy_deployment_group)).
    type: str
    required: true
  appspec:
    description:
      - The AppSpec to deploy, as a mapping (RV(dito.chat.ecs_appspec#module:appspec) of M(dito.chat.ecs_appspec))
        or as JSON or YAML text (RV(dito.chat.ecs_appspec#module:content)). It is validated against the ECS AppSpec
        reference before any AWS call; the C(<TASK_DEFINITION>) placeholder is refused.
      - Required with O(state=present); not used with O(state=stopped).
    type: raw
  description:
    description:
      - The description of a deployment this module creates. The module appends C([sha256:<AppSpec sha256>]) to it
        (see the notes); CodeDeploy keeps at most 100 characters, so 26 are left for this text, which is shortened
        (ending in C(...)) with a warning when it is longer.
    type: str
  state:
    description:
      - V(present) ensures the AppSpec is deployed (or being deployed, with O(wait=false)).
      - V(stopped) stops the group's deployment in progress (with automatic rollback), whatever its AppSpec.
    type: str
    default: present
    choices: [present, stopped]
  force:
    description: Deploy even when the group's last successful deployment carries the same AppSpec.
    type: bool
    default: false
  wait:
    description:
      - Wait for the deployment (created, attached or stopped) to end.
      - A deployment of another AppSpec in progress is always waited for before this module's own is created.
    type: bool
    default: true
  wait_timeout:
    description: How many seconds to wait in all (for another deployment, then for this one).
    type: int
    default: 3600
  poll_interval:
    description: Seconds between two GetDeployment calls while waiting.
    type: int
    default: 15
notes:
  - A deployment in status V(Ready) waits for a manual go (ContinueDeployment) when the group's
    O(dito.chat.codedeploy_deployment_group#module:ready_wait_minutes) is above 0; this module waits for it like
    any deployment in progress and does not continue it.
  - Warnings are not shown while a module runs, so the lifecycle events are returned in RV(events) and in the
    final message.
  - The AppSpec of a deployment is recognised by its sha256. The CodeDeploy API defines C(appSpecContent.sha256) on
    the request side; GetDeployment is not documented to return it. So each deployment this module creates also
    carries C([sha256:<hex>]) at the end of its description, and a deployment whose revision has no sha256 is
    compared by that marker. A deployment without either (created by other means) never counts as the same AppSpec,
    so the module deploys rather than skip.
  - "IAM actions: codedeploy:GetDeploymentGroup, ListDeployments, GetDeployment, CreateDeployment,
    StopDeployment, ListDeploymentTargets, BatchGetDeploymentTargets; and, for CreateDeployment, which registers
    the AppSpec as an application revision and reads the group's deployment configuration,
    codedeploy:GetApplicationRevision, codedeploy:GetDeploymentConfig, codedeploy:RegisterApplicationRevision
    (grant them on the application and the deployment configuration)."
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Render the AppSpec of the revision to deploy
  dito.chat.ecs_appspec:
    task_definition: "{{ revision.task_definition.task_definition_arn }}"
    container_name: backend
    container_port: 8080
  register: backend_appspec

- name: Deploy it blue/green and wait for the traffic to move
  dito.chat.codedeploy_deployment:
    application: dito-prod-backend
    deployment_group: dito-prod-backend
    appspec: "{{ backend_appspec.appspec }}"
    description: "backend {{ image_tag }}"
    wait_timeout: 1800
  register: backend_deployment

- name: Print what happened
  ansible.builtin.debug:
    msg: "{{ backend_deployment.events }}"

- name: Stop the deployment in progress and roll back
  dito.chat.codedeploy_deployment:
    application: dito-prod-backend
    deployment_group: dito-prod-backend
    state: stopped
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
deployment:
  description:
    - The deployment created, attached to, stopped, or (nothing to deploy) the group's last successful deployment
      of the same AppSpec. Under check mode, a deployment that would be created has a null C(deployment_id).
      Null with O(state=stopped) when no deployment was in progress.
  returned: always
  type: dict
  contains:
    deployment_id:
      description: The deployment id.
      type: str
      sample: d-ABCDEF123
    status:
      description: Created, Queued, InProgress, Baking, Ready, Succeeded, Failed or Stopped.
      type: str
      sample: Succeeded
    error_information:
      description: CodeDeploy's C(code) and C(message) of a failed or stopped deployment, else null.
      type: dict
      sample: {"code": "ECS_UPDATE_ERROR", "message": "The ECS service did not become healthy"}
    rollback_info:
      description: C(rollback_deployment_id), C(rollback_triggering_deployment_id) and C(rollback_message), else null.
      type: dict
    create_time:
      description: When the deployment was created (ISO 8601).
      type: str
    complete_time:
      description: When it ended (ISO 8601), null while in progress.
      type: str
    appspec_sha256:
      description: The sha256 of the deployment's AppSpec content.
      type: str
    task_definition:
      description: The task definition of the AppSpec (null for a stopped deployment of an AppSpec not given).
      type: str
    attached:
      description: Whether the module attached to a deployment already in progress with the same AppSpec.
      type: bool
    target_ids:
      description: The deployment's target ids (ECS, C(<cluster>:<service>)).
      type: list
      elements: str
    lifecycle_events:
      description: The lifecycle events of the targets, in order.
      type: list
      elements: dict
      sample: [{"name": "Install", "status": "Succeeded", "start_time": "2026-11-30T13:00:00+00:00", "end_time": "2026-11-30T13:00:02+00:00"}]
  sample:
    deployment_id: d-ABCDEF123
    status: Succeeded
    appspec_sha256: 0f3c...
    task_definition: arn:aws:ecs:eu-west-1:123456789012:task-definition/dito-backend:8
    attached: false
events:
  description: One printable line per lifecycle event (name, status, duration).
  returned: always
  type: list
  elements: str
  sample: ["BeforeInstall Succeeded 00:00:01", "Install Succeeded 00:00:42", "AllowTraffic Succeeded 00:00:03"]
waited_for:
  description:
    - Another deployment (of another AppSpec) that was in progress and waited for before this one was created, with
      C(rollback) ({deployment_id, status}) when it ended rolled back.
  returned: when there was one
  type: dict
  sample: {"deployment_id": "d-XYZ", "status": "Succeeded"}
rollback:
  description:
    - The deployment CodeDeploy created to roll RV(deployment) back (C(rollbackInfo.rollbackDeploymentId)) when it
      ended V(Failed) or V(Stopped), with its C(status) once waited for (its status when read, with O(wait=false)).
      Null when there was none.
  returned: always
  type: dict
  contains:
    deployment_id:
      description: The rollback deployment's id.
      type: str
      sample: d-ROLLBACK1
    status:
      description: Its status (V(Succeeded) once the original task set serves production again).
      type: str
      sample: Succeeded
msg:
  description: What was done, with the lifecycle events.
  returned: always
  type: str
"""

import datetime
import time

from ansible_collections.dito.chat.plugins.module_utils import appspec as appspec_utils
from ansible_collections.dito.chat.plugins.module_utils import codedeploy_deployments as cdd
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

# CreateDeployment refused with DeploymentLimitExceededException (a deployment started by someone else between
# ListDeployments and CreateDeployment) is retried after settling that deployment, this many times in all.
CREATE_ATTEMPTS = 3

# A blue/green deployment in Ready waits for a manual go (the group's ready wait with STOP_DEPLOYMENT).
READY_HINT = (
    "The replacement tasks are installed and wait for a manual go before production traffic moves "
    "(aws deploy continue-deployment --deployment-id {deployment_id} --deployment-wait-type READY_WAIT). "
)

# Indirections that the unit tests replace.
sleep = time.sleep
clock = time.monotonic


def describe(params):
    return f"{params['application']}/{params['deployment_group']}"


def events_text(lines):
    return ("; ".join(lines)) if lines else "no lifecycle events reported"


class Run:
    """One module run: its client, its time budget, and the result it builds."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.started = clock()
        # Wall time, for ListDeployments' createTimeRange (with a margin for the clocks of this host and AWS).
        self.since = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=10)
        self.deadline = self.started + self.params["wait_timeout"]
        self.result = {"changed": False, "deployment": None, "events": [], "rollback": None}
        # Said first in the final message: another deployment waited for.
        self.prefix = ""
        # CreateDeployment was refused with DeploymentLimitExceededException: the deployment in progress may be
        # this task's own, created by an attempt whose response was lost (botocore sent the request again).
        self.refused = False

    def remaining(self):
        return max(self.deadline - clock(), 0)

    def exit(self, msg, **extra):
        self.result.update(extra)
        self.module.exit_json(msg=msg, **self.result)

    def fail(self, msg, **extra):
        self.result.update(extra)
        self.module.fail_json(msg=msg, **self.result)

    def wait(self, deployment_id, what, **summary_args):
        """Wait for a deployment to end; on timeout fail saying what was waited for and the last status."""
        try:
            info, target_ids, targets = cdd.wait_for_end(self.client, deployment_id, self.remaining(), self.params["poll_interval"], sleep=sleep, clock=clock)
        except cdd.DeploymentTimeout as e:
            self.result["deployment"] = cdd.summary(e.info, target_ids=e.target_ids, targets=e.targets, **summary_args)
            self.result["events"] = cdd.event_lines(cdd.lifecycle_events(e.targets))
            self.fail(
                f"Timed out after {round(clock() - self.started)} s (wait_timeout {self.params['wait_timeout']}) "
                f"waiting for deployment {deployment_id} ({what}) of "
                f"{describe(self.params)} to end: its last status was {e.info.get('status')} ({events_text(self.result['events'])}). "
                f"{READY_HINT.format(deployment_id=deployment_id) if e.info.get('status') == 'Ready' else ''}"
                "The deployment is still running; it was not stopped."
            )
        return info, target_ids, targets

    def await_rollback(self, info, what, wait=True):
        """When CodeDeploy rolled ``info`` back with a deployment of its own (rollbackInfo.rollbackDeploymentId),
        wait for that one to end too, within what is left of wait_timeout (without ``wait``: read its status once).
        Returns {deployment_id, status}, or None when there is no rollback deployment."""
        rollback_id = cdd.rollback_id(info)
        if not rollback_id:
            return None
        if not wait:
            now = cdd.get_deployment(self.client, rollback_id) or {}
            return {"deployment_id": rollback_id, "status": now.get("status")}
        try:
            ended = cdd.wait_for_end(self.client, rollback_id, self.remaining(), self.params["poll_interval"], sleep=sleep, clock=clock, with_targets=False)[0]
        except cdd.DeploymentTimeout as e:
            self.result["rollback"] = {"deployment_id": rollback_id, "status": e.info.get("status")}
            self.fail(
                f"Deployment {cdd.failure_message(info)}; timed out after {round(clock() - self.started)} s (wait_timeout "
                f"{self.params['wait_timeout']}) waiting for {rollback_id}, the rollback of {what}, to end: its last status was "
                f"{e.info.get('status')}. The rollback is still running. Lifecycle events: {events_text(self.result['events'])}."
            )
        return {"deployment_id": rollback_id, "status": ended.get("status")}

    def report(self, info, target_ids, targets, **summary_args):
        self.result["deployment"] = cdd.summary(info, target_ids=target_ids, targets=targets, **summary_args)
        self.result["events"] = cdd.event_lines(cdd.lifecycle_events(targets))

    def active(self):
        """GetDeployment of each deployment of the group in progress."""
        ids = cdd.list_active_deployments(self.client, self.params["application"], self.params["deployment_group"])
        return [info for info in (cdd.get_deployment(self.client, i) for i in ids) if info and info.get("status") in cdd.ACTIVE_STATUSES]

    def group(self):
        group = cdd.get_deployment_group(self.client, self.params["application"], self.params["deployment_group"])
        if group is None:
            self.fail(f"The deployment group {self.params['deployment_group']} of the CodeDeploy application {self.params['application']} does not exist.")
        return group

    def end_of(self, info, task_definition, verb):
        """Exit (Succeeded, or still in progress without wait) or fail (Failed, Stopped) for our deployment."""
        status = info.get("status")
        if status in ("Failed", "Stopped"):
            # CodeDeploy rolls an ECS deployment back with a deployment of its own: the task ends when that one has.
            self.result["rollback"] = self.await_rollback(info, f"deployment {info['deploymentId']}", wait=self.params["wait"])
            said = (self.result["rollback"] or {}).get("status") if self.params["wait"] else None
            self.fail(f"Deployment {cdd.failure_message(info, said)}. Lifecycle events: {events_text(self.result['events'])}.")
        prefix = self.prefix
        if status == "Succeeded":
            self.exit(
                f"{prefix}Deployment {info['deploymentId']} ({verb}) of {task_definition} to {describe(self.params)}: Succeeded "
                f"in {cdd.duration(info.get('createTime'), info.get('completeTime')) or 'an unknown time'}. "
                f"Lifecycle events: {events_text(self.result['events'])}."
            )
        self.exit(f"{prefix}Deployment {info['deploymentId']} ({verb}) of {task_definition} to {describe(self.params)}: {status} (not waited for).")

    def settle_active(self, sha256, task_definition, ours):
        """Attach to a deployment of this AppSpec in progress (exits), or wait for one of another AppSpec to end.
        Returns whether something was waited for."""
        waited = False
        for running in self.active():
            if cdd.deployment_sha256(running) == sha256:
                # Ours already: attach to it rather than start a second one. After a refused create, it is the
                # deployment this task created, whose response was lost: a change of this run.
                if self.refused:
                    self.result["changed"] = True
                if not self.params["wait"] or self.module.check_mode:
                    self.report(running, [], [], attached=True, **ours)
                    self.exit(
                        f"Deployment {running['deploymentId']} of {task_definition} to {describe(self.params)} is already {running['status']} "
                        "(attached, not waited for)."
                    )
                info, target_ids, targets = self.wait(running["deploymentId"], "this AppSpec, already in progress", attached=True, **ours)
                self.report(info, target_ids, targets, attached=True, **ours)
                self.end_of(info, task_definition, "created, its CreateDeployment response lost" if self.refused else "attached, already in progress")
            # Another AppSpec in progress: the group runs one deployment at a time.
            if self.module.check_mode:
                self.result.update(changed=True, waited_for={"deployment_id": running["deploymentId"], "status": running["status"]})
                self.report({"status": None}, [], [], **ours)
                self.exit(
                    f"Would wait for deployment {running['deploymentId']} ({running['status']}, another AppSpec) to end, "
                    f"then deploy {task_definition} to {describe(self.params)}."
                )
            other = self.wait(running["deploymentId"], "another AppSpec, in progress before this one can start")[0]
            self.result["waited_for"] = {"deployment_id": other["deploymentId"], "status": other["status"]}
            self.prefix = f"Waited for deployment {other['deploymentId']} (another AppSpec) to end: {other['status']}. "
            # Its rollback, when it failed or was stopped, is a deployment of the group too: wait for it as well.
            rollback = self.await_rollback(other, f"deployment {other['deploymentId']} (another AppSpec)")
            if rollback:
                self.result["waited_for"]["rollback"] = rollback
                self.prefix += f"It was rolled back by {rollback['deployment_id']}: {rollback['status']}. "
            waited = True
        return waited

    def settle_ended(self, sha256, task_definition, ours):
        """After a refused create: the deployment of this AppSpec that the lost attempt started may have ended
        Failed or Stopped already. It is reported as this task's deployment (the module fails with its reason)
        rather than deployed a second time."""
        for deployment_id in cdd.list_ended_deployments(self.client, self.params["application"], self.params["deployment_group"], self.since):
            info = cdd.get_deployment(self.client, deployment_id)
            if info and cdd.deployment_sha256(info) == sha256:
                self.result["changed"] = True
                info, target_ids, targets = self.wait(deployment_id, "this AppSpec, created by a lost attempt", **ours)
                self.report(info, target_ids, targets, **ours)
                self.end_of(info, task_definition, "created, its CreateDeployment response lost")

    def present(self):
        p = self.params
        try:
            content, data = cdd.canonical_appspec(p["appspec"])
        except appspec_utils.AppSpecError as e:
            self.fail(f"appspec: {e}")
        sha256 = cdd.content_sha256(content)
        task_definition = cdd.task_definition_of(data)
        ours = dict(appspec_sha256=sha256, task_definition=task_definition)
        if cdd.description_with_marker(p["description"], sha256)[1]:
            self.module.warn(
                f"description: shortened to fit CodeDeploy's {cdd.DESCRIPTION_LIMIT} characters with the AppSpec's sha256 marker "
                f"({cdd.DESCRIPTION_LIMIT - len(cdd.MARKER.format(sha256)) - 1} characters are left for it)."
            )
        group = self.group()

        for attempt in range(1, CREATE_ATTEMPTS + 1):
            if self.settle_active(sha256, task_definition, ours):
                # What ended meanwhile may have been this very AppSpec.
                group = self.group()
            if self.refused:
                self.settle_ended(sha256, task_definition, ours)
            last = group.get("lastSuccessfulDeployment") or {}
            last_info = cdd.get_deployment(self.client, last["deploymentId"]) if last.get("deploymentId") else None
            before = {"deployment_id": last.get("deploymentId"), "appspec_sha256": cdd.deployment_sha256(last_info)}
            if self.module._diff:
                self.result["diff"] = {"before": before, "after": {"appspec_sha256": sha256, "task_definition": task_definition}}
            if last_info and before["appspec_sha256"] == sha256 and self.refused:
                # Ours ended already: the attempt whose response was lost created it, and it succeeded.
                self.result["changed"] = True
                self.report(last_info, [], [], **ours)
                self.exit(
                    f"{self.prefix}Deployment {last['deploymentId']} (created, its CreateDeployment response lost) of {task_definition} "
                    f"to {describe(p)}: Succeeded."
                )
            if last_info and before["appspec_sha256"] == sha256 and not p["force"]:
                self.report(last_info, [], [], **ours)
                if self.module._diff:
                    self.result["diff"]["after"] = dict(before)
                self.exit(
                    f"{self.prefix}Nothing to deploy: the last successful deployment {last['deploymentId']} of {describe(p)} "
                    f"has this AppSpec ({task_definition})."
                )

            self.result["changed"] = True
            if self.module.check_mode:
                self.report({"status": None}, [], [], **ours)
                self.exit(f"Would deploy {task_definition} to {describe(p)}.")
            try:
                deployment_id = cdd.create_deployment(self.client, p["application"], p["deployment_group"], content, sha256, p["description"])
                break
            except cdd.AnsibleCodeDeployDeploymentError as e:
                if not cdd.is_limit_exceeded(e):
                    raise
                # A deployment is in progress that our look did not see: someone started one between our look and
                # our create, or it is our own (botocore sent CreateDeployment again after its response was lost, and
                # the first attempt's deployment runs). settle_active tells them apart by the AppSpec's sha256.
                self.result["changed"] = False
                self.refused = True
                if attempt == CREATE_ATTEMPTS:
                    self.fail(
                        f"CodeDeploy refused a new deployment in {describe(p)} {attempt} times (DeploymentLimitExceededException: another deployment "
                        f"is in progress that this module could not see with ListDeployments): {e.exception}"
                    )
                group = self.group()

        if not p["wait"]:
            info = cdd.get_deployment(self.client, deployment_id) or {"deploymentId": deployment_id, "status": "Created"}
            self.report(info, [], [], **ours)
            self.end_of(info, task_definition, "created")
        info, target_ids, targets = self.wait(deployment_id, "created by this task", **ours)
        self.report(info, target_ids, targets, **ours)
        self.end_of(info, task_definition, "created")

    def stopped(self):
        p = self.params
        self.group()
        active = self.active()
        if not active:
            self.exit(f"No deployment in progress in {describe(p)}: nothing to stop.")
        info = active[0]
        self.report(info, [], [])
        self.result["changed"] = True
        if self.module.check_mode:
            self.exit(f"Would stop deployment {info['deploymentId']} ({info['status']}) of {describe(p)} with rollback.")
        stop = cdd.stop_deployment(self.client, info["deploymentId"], auto_rollback=True)
        if p["wait"]:
            info, target_ids, targets = self.wait(info["deploymentId"], "stopped by this task" if stop else "it had ended when asked to stop")
            self.report(info, target_ids, targets)
        else:
            info = cdd.get_deployment(self.client, info["deploymentId"]) or info
            self.report(info, [], [])
        if stop is None:
            # It ended between the list and the stop (DeploymentAlreadyCompletedException).
            self.result["changed"] = False
            self.exit(f"Deployment {info['deploymentId']} of {describe(p)} had already ended ({info.get('status')}): nothing to stop.")
        said = f" (StopDeployment {stop['status']}: {stop['statusMessage'].strip().rstrip('.')})" if stop.get("statusMessage") else ""
        # Stopped is reported once the rollback deployment CodeDeploy started has ended too.
        rollback = self.result["rollback"] = self.await_rollback(info, f"deployment {info['deploymentId']}", wait=p["wait"])
        rolled = f"; rolled back by {rollback['deployment_id']}: {rollback['status']}" if rollback else ""
        message = (
            f"Deployment {info['deploymentId']} of {describe(p)} stopped with rollback{said}: now {info.get('status')}{rolled}. "
            f"Lifecycle events: {events_text(self.result['events'])}."
        )
        if p["wait"] and rollback and rollback["status"] != "Succeeded":
            self.fail(message)
        self.exit(message)


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            application=dict(type="str", required=True),
            deployment_group=dict(type="str", required=True),
            appspec=dict(type="raw"),
            description=dict(type="str"),
            state=dict(type="str", default="present", choices=["present", "stopped"]),
            force=dict(type="bool", default=False),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int", default=3600),
            poll_interval=dict(type="int", default=15),
        ),
        required_if=[("state", "present", ["appspec"])],
        supports_check_mode=True,
    )
    if module.params["wait_timeout"] < 0:
        module.fail_json(msg=f"wait_timeout must be 0 or more seconds (got {module.params['wait_timeout']})")
    if module.params["poll_interval"] < 1:
        module.fail_json(msg=f"poll_interval must be at least 1 second (got {module.params['poll_interval']})")
    if module.params["state"] == "present":
        try:
            cdd.canonical_appspec(module.params["appspec"])
        except appspec_utils.AppSpecError as e:
            module.fail_json(msg=f"appspec: {e}")
    client = module.client("codedeploy", retry_decorator=AWSRetry.jittered_backoff())
    run = Run(module, client)
    try:
        if module.params["state"] == "stopped":
            run.stopped()
        run.present()
    except cdd.AnsibleCodeDeployDeploymentError as e:
        # What was done before the error (a deployment created or stopped) stays in the result.
        if e.exception:
            module.fail_json_aws(e.exception, msg=e.message, **run.result)
        module.fail_json(msg=e.message, **run.result)


if __name__ == "__main__":
    main()
