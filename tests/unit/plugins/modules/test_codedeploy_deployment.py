"""dito.chat.codedeploy_deployment against a scripted CodeDeploy client (moto keeps deployments in Created)."""

import datetime
import hashlib
import json

import boto3
import pytest
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from botocore.exceptions import ClientError

from ansible_collections.dito.chat.plugins.module_utils import codedeploy_deployments as cdd
from ansible_collections.dito.chat.plugins.modules import codedeploy_deployment

APP = "dito-backend"
GROUP = "dito-backend"
TD = "arn:aws:ecs:eu-west-1:123456789012:task-definition/dito-backend:{}"
ECS_EVENTS = (
    "BeforeInstall",
    "Install",
    "AfterInstall",
    "AllowTestTraffic",
    "AfterAllowTestTraffic",
    "BeforeAllowTraffic",
    "AllowTraffic",
    "AfterAllowTraffic",
)
T0 = datetime.datetime(2026, 11, 30, 13, 0, tzinfo=datetime.UTC)
MUTATING = ("CreateDeployment", "StopDeployment", "ContinueDeployment")


def appspec(revision=7):
    return {
        "version": 0.0,
        "Resources": [
            {
                "TargetService": {
                    "Type": "AWS::ECS::Service",
                    "Properties": {"TaskDefinition": TD.format(revision), "LoadBalancerInfo": {"ContainerName": "backend", "ContainerPort": 8080}},
                }
            }
        ],
    }


def sha_of(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def events_for(status):
    """ECS lifecycle events as CodeDeploy reports them at a deployment status."""
    done = {"Created": 0, "InProgress": 3, "Succeeded": len(ECS_EVENTS), "Failed": 1, "Stopped": 2}.get(status, 0)
    events = []
    for i, name in enumerate(ECS_EVENTS):
        event = {"lifecycleEventName": name, "status": "Pending"}
        if i < done:
            event.update(status="Succeeded", startTime=T0 + datetime.timedelta(seconds=2 * i), endTime=T0 + datetime.timedelta(seconds=2 * i + 2))
        elif i == done and status in ("InProgress", "Failed"):
            event.update(status="InProgress" if status == "InProgress" else "Failed", startTime=T0 + datetime.timedelta(seconds=2 * i))
            if status == "Failed":
                event["endTime"] = T0 + datetime.timedelta(seconds=2 * i + 5)
        elif status in ("Failed", "Stopped"):
            event["status"] = "Skipped"
        events.append(event)
    return events


class FakeCodeDeploy:
    """The CodeDeploy calls of the module, with deployments that move one step per GetDeployment."""

    def __init__(self):
        self.calls = []
        self.requests = {}
        self.deployments = {}
        self.group_exists = True
        self.last_successful = None
        self.script = ["Created", "InProgress", "Succeeded"]
        self.count = 0
        # CodeDeploy rolls a failed or stopped ECS deployment back with a deployment of its own.
        self.rollback_script = ["InProgress", "Succeeded"]
        self.rollbacks = 0
        # Whether GetDeployment returns revision.appSpecContent.sha256 (not documented on the response side).
        self.returns_sha256 = True

    # -- set-up helpers
    def add(self, data, script, sha256=None):
        self.count += 1
        deployment_id = f"d-EXISTING{self.count}"
        self.deployments[deployment_id] = {"sha256": sha256 or sha_of(data), "script": list(script), "status": script[0]}
        return deployment_id

    # -- API
    def _call(self, name, **request):
        self.calls.append(name)
        self.requests.setdefault(name, []).append(request)

    def _error(self, code, op):
        return ClientError({"Error": {"Code": code, "Message": f"{code} raised by the fake"}}, op)

    def get_deployment_group(self, applicationName, deploymentGroupName):
        self._call("GetDeploymentGroup", applicationName=applicationName, deploymentGroupName=deploymentGroupName)
        if not self.group_exists:
            raise self._error("DeploymentGroupDoesNotExistException", "GetDeploymentGroup")
        info = {"applicationName": applicationName, "deploymentGroupName": deploymentGroupName, "computePlatform": "ECS"}
        if self.last_successful:
            info["lastSuccessfulDeployment"] = {"deploymentId": self.last_successful, "status": "Succeeded"}
        return {"deploymentGroupInfo": info}

    def get_paginator(self, name):
        fake = self

        class Paginator:
            def paginate(self, **request):
                if name == "list_deployments":
                    fake._call("ListDeployments", **request)
                    wanted = request.get("includeOnlyStatuses")
                    yield {"deployments": [i for i, d in fake.deployments.items() if wanted is None or d["status"] in wanted]}
                else:
                    fake._call("ListDeploymentTargets", **request)
                    if fake.deployments[request["deploymentId"]]["status"] == "Created":
                        # AWS: the targets of a deployment that has not started cannot be listed.
                        raise fake._error("DeploymentNotStartedException", "ListDeploymentTargets")
                    yield {"targetIds": ["dito:dito-backend"]}

        return Paginator()

    def get_deployment(self, deploymentId):
        self._call("GetDeployment", deploymentId=deploymentId)
        if deploymentId not in self.deployments:
            raise self._error("DeploymentDoesNotExistException", "GetDeployment")
        d = self.deployments[deploymentId]
        if d["script"]:
            d["status"] = d["script"].pop(0)
        if d["status"] == "Succeeded":
            self.last_successful = deploymentId
        if d["status"] in ("Failed", "Stopped") and "rollback" not in d and "triggered_by" not in d:
            self.rollbacks += 1
            d["rollback"] = f"d-ROLLBACK{self.rollbacks}"
            self.deployments[d["rollback"]] = {"sha256": None, "script": list(self.rollback_script), "status": "Created", "triggered_by": deploymentId}
        info = {
            "deploymentId": deploymentId,
            "applicationName": APP,
            "deploymentGroupName": GROUP,
            "status": d["status"],
            "createTime": T0,
            "revision": {"revisionType": "AppSpecContent", "appSpecContent": {"sha256": d["sha256"]} if self.returns_sha256 and d["sha256"] else {}},
        }
        if d.get("description"):
            info["description"] = d["description"]
        if "triggered_by" in d:
            info["creator"] = "codeDeployRollback"
            info["rollbackInfo"] = {"rollbackTriggeringDeploymentId": d["triggered_by"]}
        if d["status"] in cdd.ENDED_STATUSES:
            info["completeTime"] = T0 + datetime.timedelta(seconds=70)
        if d["status"] == "Failed":
            info["errorInformation"] = {"code": "ECS_UPDATE_ERROR", "message": "The replacement task set did not become healthy"}
        if d["status"] == "Stopped":
            info["errorInformation"] = {"code": "DEPLOYMENT_STOPPED", "message": "The deployment was stopped by a user"}
        if d.get("rollback"):
            info["rollbackInfo"] = {"rollbackDeploymentId": d["rollback"], "rollbackMessage": "Rolled back to the original task set"}
        return {"deploymentInfo": info}

    def create_deployment(self, **request):
        self._call("CreateDeployment", **request)
        if any(d["status"] in cdd.ACTIVE_STATUSES for d in self.deployments.values()):
            raise self._error("DeploymentLimitExceededException", "CreateDeployment")
        self.count += 1
        deployment_id = f"d-NEW{self.count}"
        self.deployments[deployment_id] = {
            "sha256": request["revision"]["appSpecContent"]["sha256"],
            "script": list(self.script),
            "status": "Created",
            "description": request.get("description"),
        }
        return {"deploymentId": deployment_id}

    def stop_deployment(self, deploymentId, autoRollbackEnabled=None):
        self._call("StopDeployment", deploymentId=deploymentId, autoRollbackEnabled=autoRollbackEnabled)
        d = self.deployments[deploymentId]
        d["script"] = ["Stopped"]
        return {"status": "Pending", "statusMessage": "Stopping the deployment"}

    def batch_get_deployment_targets(self, deploymentId, targetIds):
        self._call("BatchGetDeploymentTargets", deploymentId=deploymentId, targetIds=targetIds)
        status = self.deployments[deploymentId]["status"]
        target = {"targetId": targetIds[0], "status": status, "lifecycleEvents": events_for(status)}
        return {"deploymentTargets": [{"deploymentTargetType": "ECSTarget", "ecsTarget": target}]}


class FakeTime:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake(monkeypatch):
    client = FakeCodeDeploy()
    clock = FakeTime()
    monkeypatch.setattr(AnsibleAWSModule, "client", lambda self, *a, **k: client)
    monkeypatch.setattr(codedeploy_deployment, "sleep", clock.sleep)
    monkeypatch.setattr(codedeploy_deployment, "clock", clock.clock)
    client.time = clock
    return client


def run(run_module, check_mode=False, diff=False, **args):
    args = dict({"application": APP, "deployment_group": GROUP, "appspec": appspec(), "poll_interval": 10}, **args)
    return run_module(codedeploy_deployment.main, args, check_mode=check_mode, diff=diff)


def test_a_new_deployment_is_created_and_waited_for_until_it_succeeds(fake, run_module):
    result = run(run_module, description="backend abc123")
    assert result["changed"] is True and "failed" not in result, result["msg"]
    created = fake.requests["CreateDeployment"][0]
    content = created["revision"]["appSpecContent"]["content"]
    assert created["revision"]["revisionType"] == "AppSpecContent"
    assert created["revision"]["appSpecContent"]["sha256"] == hashlib.sha256(content.encode()).hexdigest() == sha_of(appspec())
    assert json.loads(content) == appspec()
    assert (created["applicationName"], created["deploymentGroupName"]) == (APP, GROUP)
    assert created["description"] == f"backend abc123 [sha256:{sha_of(appspec())}]"
    deployment = result["deployment"]
    assert deployment["deployment_id"] == "d-NEW1" and deployment["status"] == "Succeeded"
    assert deployment["task_definition"] == TD.format(7) and deployment["attached"] is False
    assert deployment["appspec_sha256"] == sha_of(appspec())
    assert deployment["target_ids"] == ["dito:dito-backend"]
    assert [e["name"] for e in deployment["lifecycle_events"]] == list(ECS_EVENTS)
    assert result["events"][1] == "Install Succeeded 00:00:02"
    assert "Succeeded" in result["msg"] and "AllowTraffic Succeeded 00:00:02" in result["msg"]
    # One GetDeployment per poll, poll_interval apart; the targets read again only when the status changed.
    assert fake.calls.count("GetDeployment") == 3 and fake.time.sleeps == [10, 10]
    # Created: the targets cannot be listed yet; then listed once and read at InProgress and Succeeded.
    assert fake.calls.count("ListDeploymentTargets") == 2 and fake.calls.count("BatchGetDeploymentTargets") == 2


def test_the_same_appspec_as_the_last_successful_deployment_deploys_nothing(fake, run_module):
    fake.last_successful = fake.add(appspec(), ["Succeeded"])
    # The same AppSpec as YAML text: same canonical content, same sha256.
    text = "version: 0.0\nResources:\n- TargetService:\n    Type: AWS::ECS::Service\n    Properties:\n"
    text += f"      TaskDefinition: {TD.format(7)}\n      LoadBalancerInfo: {{ContainerPort: 8080, ContainerName: backend}}\n"
    result = run(run_module, appspec=text, diff=True)
    assert result["changed"] is False, result["msg"]
    assert "CreateDeployment" not in fake.calls
    assert result["deployment"]["deployment_id"] == fake.last_successful
    assert result["diff"]["before"] == result["diff"]["after"]
    assert "Nothing to deploy" in result["msg"]


def test_force_deploys_the_same_appspec_again(fake, run_module):
    fake.last_successful = fake.add(appspec(), ["Succeeded"])
    result = run(run_module, force=True)
    assert result["changed"] is True and result["deployment"]["deployment_id"] == "d-NEW2"
    assert fake.calls.count("CreateDeployment") == 1


def test_another_appspec_than_the_last_successful_one_is_deployed(fake, run_module):
    fake.last_successful = fake.add(appspec(6), ["Succeeded"])
    result = run(run_module, diff=True)
    assert result["changed"] is True and result["deployment"]["status"] == "Succeeded"
    assert result["diff"]["before"]["appspec_sha256"] == sha_of(appspec(6))
    assert result["diff"]["after"] == {"appspec_sha256": sha_of(appspec()), "task_definition": TD.format(7)}


def test_a_deployment_of_the_same_appspec_in_progress_is_attached_to(fake, run_module):
    running = fake.add(appspec(), ["InProgress", "InProgress", "Succeeded"])
    result = run(run_module)
    assert "CreateDeployment" not in fake.calls
    assert result["changed"] is False and "failed" not in result
    assert result["deployment"]["deployment_id"] == running and result["deployment"]["attached"] is True
    assert result["deployment"]["status"] == "Succeeded"
    assert len(result["events"]) == len(ECS_EVENTS)


def test_a_deployment_of_another_appspec_in_progress_is_waited_for_then_ours_created(fake, run_module):
    other = fake.add(appspec(6), ["InProgress", "InProgress", "Succeeded"])
    result = run(run_module)
    assert result["changed"] is True and "failed" not in result, result["msg"]
    assert result["waited_for"] == {"deployment_id": other, "status": "Succeeded"}
    assert fake.calls.count("CreateDeployment") == 1
    # Ours was created only after the other one ended.
    created_at = fake.calls.index("CreateDeployment")
    assert fake.deployments[other]["status"] == "Succeeded" and fake.calls[:created_at].count("GetDeployment") >= 3
    assert result["deployment"]["deployment_id"] == "d-NEW2" and result["deployment"]["status"] == "Succeeded"
    assert result["msg"].startswith(f"Waited for deployment {other}")


def test_a_failed_deployment_fails_naming_id_status_code_message_and_rollback(fake, run_module):
    fake.script = ["Created", "InProgress", "Failed"]
    result = run(run_module)
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"].startswith("Deployment d-NEW1 Failed: ECS_UPDATE_ERROR: The replacement task set did not become healthy")
    assert "Rolled back to the original task set" in result["msg"] and "d-ROLLBACK1" in result["msg"]
    deployment = result["deployment"]
    assert deployment["status"] == "Failed"
    assert deployment["error_information"] == {"code": "ECS_UPDATE_ERROR", "message": "The replacement task set did not become healthy"}
    assert deployment["rollback_info"]["rollback_deployment_id"] == "d-ROLLBACK1"
    assert result["events"][:3] == ["BeforeInstall Succeeded 00:00:02", "Install Failed 00:00:05", "AfterInstall Skipped"]


def test_a_timeout_fails_saying_what_it_waited_for_and_leaves_the_deployment_running(fake, run_module):
    fake.script = ["Created"] + ["InProgress"] * 50
    result = run(run_module, wait_timeout=60, poll_interval=15)
    assert result["failed"] is True
    assert "Timed out after 60 s" in result["msg"] and "d-NEW1" in result["msg"]
    assert "last status was InProgress" in result["msg"] and "still running" in result["msg"]
    assert "AllowTestTraffic InProgress;" in result["msg"] and "waiting for deployment d-NEW1 (created by this task)" in result["msg"]
    assert "StopDeployment" not in fake.calls
    assert result["deployment"]["status"] == "InProgress"
    assert sum(fake.time.sleeps) == 60


def test_an_aws_error_while_waiting_keeps_what_was_done_in_the_result(fake, run_module, monkeypatch):
    real = fake.get_deployment

    def broken(deploymentId):
        if fake.calls.count("GetDeployment") >= 2:
            fake.calls.append("GetDeployment")
            raise fake._error("AccessDeniedException", "GetDeployment")
        return real(deploymentId)

    monkeypatch.setattr(fake, "get_deployment", broken)
    result = run(run_module)
    assert result["failed"] is True and result["changed"] is True
    assert "Failed to get deployment d-NEW1" in result["msg"] and result["error"]["code"] == "AccessDeniedException"


def test_wait_false_returns_after_creating(fake, run_module):
    result = run(run_module, wait=False)
    assert result["changed"] is True and result["deployment"]["status"] == "Created"
    assert fake.time.sleeps == []


def test_state_stopped_stops_the_deployment_in_progress_with_rollback(fake, run_module):
    running = fake.add(appspec(6), ["InProgress", "InProgress", "InProgress"])
    result = run(run_module, state="stopped", appspec=None)
    assert result["changed"] is True and "failed" not in result, result["msg"]
    assert fake.requests["StopDeployment"] == [{"deploymentId": running, "autoRollbackEnabled": True}]
    assert result["deployment"]["deployment_id"] == running and result["deployment"]["status"] == "Stopped"
    assert result["rollback"] == {"deployment_id": "d-ROLLBACK1", "status": "Succeeded"}


def test_state_stopped_without_a_deployment_in_progress_changes_nothing(fake, run_module):
    fake.last_successful = fake.add(appspec(), ["Succeeded"])
    fake.get_deployment(fake.last_successful)
    result = run(run_module, state="stopped")
    assert result["changed"] is False and result["deployment"] is None
    assert "StopDeployment" not in fake.calls


def test_check_mode_makes_no_mutating_call_and_says_what_it_would_deploy(fake, run_module):
    plan = run(run_module, check_mode=True)
    assert plan["changed"] is True and plan["deployment"]["deployment_id"] is None
    assert plan["deployment"]["task_definition"] == TD.format(7)
    other = fake.add(appspec(6), ["InProgress"] * 5)
    plan = run(run_module, check_mode=True)
    assert plan["changed"] is True and plan["waited_for"]["deployment_id"] == other
    stop = run(run_module, check_mode=True, state="stopped")
    assert stop["changed"] is True and stop["deployment"]["deployment_id"] == other
    assert not set(fake.calls) & set(MUTATING)
    assert fake.time.sleeps == []


def test_check_mode_when_converged_is_unchanged(fake, run_module):
    fake.last_successful = fake.add(appspec(), ["Succeeded"])
    assert run(run_module, check_mode=True)["changed"] is False


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("{not json", "not valid JSON"),
        ({"version": 0.0, "Resources": []}, "Resources must be a list"),
        (dict(appspec(), Resources=[{"T": {"Type": "AWS::ECS::Service", "Properties": {"TaskDefinition": "<TASK_DEFINITION>"}}}]), "LoadBalancerInfo"),
        (42, "must be a mapping or JSON/YAML text"),
    ],
)
def test_a_malformed_appspec_fails_before_any_aws_call(fake, run_module, bad, words):
    result = run(run_module, appspec=bad)
    assert result["failed"] is True and words in result["msg"] and result["msg"].startswith("appspec: ")
    assert fake.calls == []


def test_the_placeholder_is_refused(fake, run_module):
    data = appspec()
    data["Resources"][0]["TargetService"]["Properties"]["TaskDefinition"] = "<TASK_DEFINITION>"
    result = run(run_module, appspec=data)
    assert result["failed"] is True and "placeholder" in result["msg"]
    assert fake.calls == []


def test_a_missing_deployment_group_fails_naming_it(fake, run_module):
    fake.group_exists = False
    result = run(run_module)
    assert result["failed"] is True and f"deployment group {GROUP} of the CodeDeploy application {APP} does not exist" in result["msg"]
    assert "CreateDeployment" not in fake.calls


def test_a_deployment_started_by_someone_else_meanwhile_is_waited_for_then_ours_created(fake, run_module, monkeypatch):
    # ListDeployments sees none at first; CreateDeployment then meets one (DeploymentLimitExceededException).
    other = fake.add(appspec(6), ["InProgress", "Succeeded"])
    listed = []
    real = cdd.list_active_deployments

    def late(*args, **kwargs):
        listed.append(1)
        return [] if len(listed) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(cdd, "list_active_deployments", late)
    result = run(run_module)
    assert "failed" not in result, result["msg"]
    assert fake.calls.count("CreateDeployment") == 2 and result["waited_for"] == {"deployment_id": other, "status": "Succeeded"}
    assert result["changed"] is True and result["deployment"]["status"] == "Succeeded"


def test_create_refused_again_and_again_fails_naming_the_reason(fake, run_module, monkeypatch):
    fake.add(appspec(6), ["InProgress"])
    monkeypatch.setattr(cdd, "list_active_deployments", lambda *a, **k: [])
    result = run(run_module)
    assert result["failed"] is True and "DeploymentLimitExceededException" in result["msg"]
    assert result["changed"] is False and fake.calls.count("CreateDeployment") == codedeploy_deployment.CREATE_ATTEMPTS


def test_a_timeout_in_ready_says_how_to_continue(fake, run_module):
    running = fake.add(appspec(), ["Ready"])
    result = run(run_module, wait_timeout=30)
    assert result["failed"] is True and "last status was Ready" in result["msg"]
    assert f"continue-deployment --deployment-id {running}" in result["msg"]
    assert result["deployment"]["attached"] is True


def test_state_stopped_when_the_deployment_ends_first_is_unchanged(fake, run_module, monkeypatch):
    running = fake.add(appspec(6), ["InProgress", "Succeeded"])

    def completed(client, deployment_id, auto_rollback=True):
        client.calls.append("StopDeployment")
        return None

    monkeypatch.setattr(cdd, "stop_deployment", completed)
    result = run(run_module, state="stopped")
    assert result["changed"] is False and "had already ended (Succeeded)" in result["msg"]
    assert result["deployment"]["deployment_id"] == running


def test_a_failed_deployment_waits_for_its_rollback_deployment_then_fails_naming_both(fake, run_module):
    fake.script = ["Created", "InProgress", "Failed"]
    fake.rollback_script = ["InProgress", "InProgress", "Succeeded"]
    result = run(run_module)
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"].startswith("Deployment d-NEW1 Failed: ECS_UPDATE_ERROR: The replacement task set did not become healthy")
    assert "rolled back by d-ROLLBACK1: Succeeded" in result["msg"]
    assert result["rollback"] == {"deployment_id": "d-ROLLBACK1", "status": "Succeeded"}
    # The task ended only when the rollback had: polled until Succeeded, the deployment reported is still ours.
    rollback_reads = [r for r in fake.requests["GetDeployment"] if r["deploymentId"] == "d-ROLLBACK1"]
    assert len(rollback_reads) == 3 and fake.deployments["d-ROLLBACK1"]["status"] == "Succeeded"
    assert result["deployment"]["deployment_id"] == "d-NEW1" and result["deployment"]["status"] == "Failed"


def test_the_rollback_is_waited_for_within_the_same_wait_timeout(fake, run_module):
    fake.script = ["Created", "Failed"]
    fake.rollback_script = ["InProgress"] * 50
    result = run(run_module, wait_timeout=60, poll_interval=15)
    assert result["failed"] is True and sum(fake.time.sleeps) == 60
    assert "waiting for d-ROLLBACK1, the rollback of deployment d-NEW1, to end: its last status was InProgress" in result["msg"]
    assert result["msg"].startswith("Deployment d-NEW1 Failed: ECS_UPDATE_ERROR")
    assert result["rollback"] == {"deployment_id": "d-ROLLBACK1", "status": "InProgress"}


def test_without_wait_the_rollback_is_reported_not_waited_for(fake, run_module):
    fake.script = ["Failed"]
    result = run(run_module, wait=False)
    assert result["failed"] is True and fake.time.sleeps == []
    assert result["rollback"] == {"deployment_id": "d-ROLLBACK1", "status": "InProgress"}
    assert "rollback deployment d-ROLLBACK1" in result["msg"]


def test_a_rolled_back_deployment_of_another_appspec_is_waited_for_with_its_rollback(fake, run_module):
    other = fake.add(appspec(6), ["InProgress", "Failed"])
    result = run(run_module)
    assert "failed" not in result, result["msg"]
    assert result["waited_for"] == {"deployment_id": other, "status": "Failed", "rollback": {"deployment_id": "d-ROLLBACK1", "status": "Succeeded"}}
    # Ours was created once, after the rollback ended (no DeploymentLimitExceededException met).
    assert fake.calls.count("CreateDeployment") == 1 and result["deployment"]["status"] == "Succeeded"
    assert "rolled back by d-ROLLBACK1: Succeeded" in result["msg"] and result["rollback"] is None


def test_state_stopped_reports_stopped_once_the_rollback_has_ended(fake, run_module):
    running = fake.add(appspec(6), ["InProgress"] * 3)
    fake.rollback_script = ["InProgress", "InProgress", "Succeeded"]
    result = run(run_module, state="stopped", appspec=None)
    assert result["changed"] is True and "failed" not in result, result["msg"]
    assert result["deployment"]["deployment_id"] == running and result["deployment"]["status"] == "Stopped"
    assert result["rollback"] == {"deployment_id": "d-ROLLBACK1", "status": "Succeeded"}
    assert "now Stopped; rolled back by d-ROLLBACK1: Succeeded" in result["msg"]
    assert [r for r in fake.requests["GetDeployment"] if r["deploymentId"] == "d-ROLLBACK1"] == [{"deploymentId": "d-ROLLBACK1"}] * 3


def test_state_stopped_fails_when_the_rollback_fails(fake, run_module):
    fake.add(appspec(6), ["InProgress"] * 3)
    fake.rollback_script = ["InProgress", "Failed"]
    result = run(run_module, state="stopped", appspec=None)
    assert result["failed"] is True and result["changed"] is True
    assert "rolled back by d-ROLLBACK1: Failed" in result["msg"] and result["rollback"]["status"] == "Failed"


def test_a_long_description_is_shortened_to_keep_the_sha256_marker(fake, run_module):
    result = run(run_module, description="backend " + "x" * 120)
    description = fake.requests["CreateDeployment"][0]["description"]
    assert len(description) == cdd.DESCRIPTION_LIMIT and description.endswith(f"... [sha256:{sha_of(appspec())}]")
    assert description.startswith("backend xxx") and "shortened" in str(result["warnings"])
    run(run_module, force=True)
    assert fake.requests["CreateDeployment"][1]["description"] == f"[sha256:{sha_of(appspec())}]"


def test_without_a_sha256_in_get_deployment_the_description_marker_is_compared(fake, run_module):
    fake.returns_sha256 = False
    first = run(run_module)
    assert first["changed"] is True and "failed" not in first, first["msg"]
    again = run(run_module, diff=True)
    assert again["changed"] is False and fake.calls.count("CreateDeployment") == 1, again["msg"]
    assert again["diff"]["before"]["appspec_sha256"] == sha_of(appspec())
    # Another AppSpec is still another deployment.
    assert run(run_module, appspec=appspec(8))["changed"] is True and fake.calls.count("CreateDeployment") == 2


def test_a_deployment_without_sha256_or_marker_is_not_taken_for_ours(fake, run_module):
    fake.returns_sha256 = False
    fake.last_successful = fake.add(appspec(), ["Succeeded"])
    result = run(run_module)
    assert result["changed"] is True and fake.calls.count("CreateDeployment") == 1


# ---------------------------------------------------------------------------------------------------
# Against moto in-process (fixture `aws`): the real request shapes, a real ECS blue/green deployment group.

REGION = "eu-west-1"


@pytest.fixture
def blue_green(aws):
    """An ECS service with the CODE_DEPLOY controller behind an ALB (two target groups, production and test
    listeners) and its CodeDeploy application and deployment group, created with boto3."""
    ec2 = boto3.client("ec2", region_name=REGION)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=f"{REGION}{z}")["Subnet"]["SubnetId"] for i, z in ((1, "a"), (2, "b"))]
    sg = ec2.create_security_group(GroupName="backend", Description="backend", VpcId=vpc)["GroupId"]
    elb = boto3.client("elbv2", region_name=REGION)
    alb = elb.create_load_balancer(Name="dito", Subnets=subnets, SecurityGroups=[sg], Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    blue, green = (
        elb.create_target_group(Name=f"dito-backend-{c}", Protocol="HTTP", Port=8080, VpcId=vpc, TargetType="ip")["TargetGroups"][0]["TargetGroupArn"]
        for c in ("blue", "green")
    )
    production, test = (
        elb.create_listener(LoadBalancerArn=alb, Protocol="HTTP", Port=port, DefaultActions=[{"Type": "forward", "TargetGroupArn": blue}])["Listeners"][0][
            "ListenerArn"
        ]
        for port in (80, 8080)
    )
    ecs = boto3.client("ecs", region_name=REGION)
    ecs.create_cluster(clusterName="dito")

    def revision(tag):
        return ecs.register_task_definition(
            family="dito-backend",
            cpu="256",
            memory="512",
            networkMode="awsvpc",
            requiresCompatibilities=["FARGATE"],
            containerDefinitions=[
                {"name": "backend", "image": f"123456789012.dkr.ecr.{REGION}.amazonaws.com/dito/backend:{tag}", "portMappings": [{"containerPort": 8080}]}
            ],
        )["taskDefinition"]["taskDefinitionArn"]

    first = revision("v1")
    ecs.create_service(
        cluster="dito",
        serviceName="dito-backend",
        taskDefinition=first,
        desiredCount=1,
        launchType="FARGATE",
        deploymentController={"type": "CODE_DEPLOY"},
        loadBalancers=[{"targetGroupArn": blue, "containerName": "backend", "containerPort": 8080}],
        networkConfiguration={"awsvpcConfiguration": {"subnets": subnets, "securityGroups": [sg]}},
    )
    # CodeDeploy assumes the service role when the group is created: a role that trusts it.
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "codedeploy.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    role = boto3.client("iam", region_name=REGION).create_role(RoleName="dito-codedeploy", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    codedeploy = boto3.client("codedeploy", region_name=REGION)
    codedeploy.create_application(applicationName=APP, computePlatform="ECS")
    codedeploy.create_deployment_group(
        applicationName=APP,
        deploymentGroupName=GROUP,
        serviceRoleArn=role,
        deploymentConfigName="CodeDeployDefault.ECSAllAtOnce",
        deploymentStyle={"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
        blueGreenDeploymentConfiguration={
            "deploymentReadyOption": {"actionOnTimeout": "CONTINUE_DEPLOYMENT", "waitTimeInMinutes": 0},
            "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": 0},
        },
        autoRollbackConfiguration={"enabled": True, "events": ["DEPLOYMENT_FAILURE"]},
        ecsServices=[{"clusterName": "dito", "serviceName": "dito-backend"}],
        loadBalancerInfo={
            "targetGroupPairInfoList": [
                {
                    "targetGroups": [{"name": "dito-backend-blue"}, {"name": "dito-backend-green"}],
                    "prodTrafficRoute": {"listenerArns": [production]},
                    "testTrafficRoute": {"listenerArns": [test]},
                }
            ]
        },
    )
    return {"codedeploy": codedeploy, "ecs": ecs, "elb": elb, "revision": revision, "first": first, "blue": blue, "green": green, "production": production}


def ecs_appspec(task_definition):
    data = appspec()
    data["Resources"][0]["TargetService"]["Properties"]["TaskDefinition"] = task_definition
    return data


def group_deployments(codedeploy):
    return codedeploy.list_deployments(applicationName=APP, deploymentGroupName=GROUP)["deployments"]


def test_moto_create_without_wait_then_attach_to_it(blue_green, run_module):
    codedeploy = blue_green["codedeploy"]
    wanted = ecs_appspec(blue_green["revision"]("v2"))
    plan = run_module(codedeploy_deployment.main, {"application": APP, "deployment_group": GROUP, "appspec": wanted}, check_mode=True)
    assert plan["changed"] is True and group_deployments(codedeploy) == []
    created = run_module(codedeploy_deployment.main, {"application": APP, "deployment_group": GROUP, "appspec": wanted, "wait": False})
    assert created["changed"] is True, created["msg"]
    deployment_id = created["deployment"]["deployment_id"]
    held = codedeploy.get_deployment(deploymentId=deployment_id)["deploymentInfo"]
    assert held["revision"]["revisionType"] == "AppSpecContent"
    assert held["revision"]["appSpecContent"]["sha256"] == sha_of(wanted) == created["deployment"]["appspec_sha256"]
    again = run_module(codedeploy_deployment.main, {"application": APP, "deployment_group": GROUP, "appspec": json.dumps(wanted), "wait": False})
    assert again["changed"] is False and again["deployment"]["attached"] is True
    assert again["deployment"]["deployment_id"] == deployment_id
    assert group_deployments(codedeploy) == [deployment_id]


# ---------------------------------------------------------------------------------------------------
# The real flow against the emulator's CodeDeploy (tools/emulator/patches/codedeploy.py): deployments move
# with the emulator's clock, which the module's waiting shares, so a deployment of minutes takes no time.


@pytest.fixture
def moving(blue_green, monkeypatch):
    from tools.emulator.patches import codedeploy as emulated

    clock = FakeTime()
    clock.now = 1_800_000_000.0
    monkeypatch.setattr(emulated, "clock", clock.clock)
    monkeypatch.setattr(codedeploy_deployment, "clock", clock.clock)
    monkeypatch.setattr(codedeploy_deployment, "sleep", clock.sleep)
    monkeypatch.setenv(emulated.STEP_ENV, "1")
    blue_green["time"] = clock
    return blue_green


def deploy_args(task_definition, **extra):
    return dict({"application": APP, "deployment_group": GROUP, "appspec": ecs_appspec(task_definition), "poll_interval": 2}, **extra)


def production_target_groups(world):
    (action,) = world["elb"].describe_listeners(ListenerArns=[world["production"]])["Listeners"][0]["DefaultActions"]
    entries = action.get("ForwardConfig", {}).get("TargetGroups") or [{"TargetGroupArn": action["TargetGroupArn"], "Weight": 1}]
    return {e["TargetGroupArn"] for e in entries if e.get("Weight", 1)}


def test_emulator_deploys_moves_traffic_and_a_rerun_deploys_nothing(moving, run_module):
    second = moving["revision"]("v2")
    result = run_module(codedeploy_deployment.main, deploy_args(second))
    assert result["changed"] is True and "failed" not in result, result["msg"]
    deployment = result["deployment"]
    assert deployment["status"] == "Succeeded" and deployment["task_definition"] == second
    assert deployment["target_ids"] == ["dito:dito-backend"]
    assert [e["name"] for e in deployment["lifecycle_events"]] == list(ECS_EVENTS)
    assert all(line.split()[1] == "Succeeded" for line in result["events"]), result["events"]
    # What CodeDeploy did to the account: the service on the new revision, production traffic on the other group.
    service = moving["ecs"].describe_services(cluster="dito", services=["dito-backend"])["services"][0]
    assert service["taskDefinition"] == second
    assert production_target_groups(moving) == {moving["green"]}

    again = run_module(codedeploy_deployment.main, deploy_args(second))
    assert again["changed"] is False and again["deployment"]["deployment_id"] == deployment["deployment_id"]
    assert run_module(codedeploy_deployment.main, deploy_args(second), check_mode=True)["changed"] is False
    assert group_deployments(moving["codedeploy"]) == [deployment["deployment_id"]]

    # Blue again with a third revision: the traffic comes back to the first target group.
    third = run_module(codedeploy_deployment.main, deploy_args(moving["revision"]("v3")))
    assert third["deployment"]["status"] == "Succeeded" and production_target_groups(moving) == {moving["blue"]}


def test_emulator_failed_deployment_fails_with_the_reason_and_the_service_is_unchanged(moving, run_module):
    bad = moving["revision"]("dito-emulator-unhealthy-1")
    result = run_module(codedeploy_deployment.main, deploy_args(bad))
    assert result["failed"] is True and result["changed"] is True
    deployment_id = result["deployment"]["deployment_id"]
    assert result["msg"].startswith(f"Deployment {deployment_id} Failed: ECS_UPDATE_ERROR: ")
    assert "rollback" in result["msg"] and result["deployment"]["rollback_info"]
    # CodeDeploy's rollback is a deployment of its own: the task ended once it had, and names it.
    rollback = result["rollback"]
    assert rollback["status"] == "Succeeded" and rollback["deployment_id"] != deployment_id
    assert f"rolled back by {rollback['deployment_id']}: Succeeded" in result["msg"]
    held = moving["codedeploy"].get_deployment(deploymentId=rollback["deployment_id"])["deploymentInfo"]
    assert held["creator"] == "codeDeployRollback" and held["rollbackInfo"]["rollbackTriggeringDeploymentId"] == deployment_id
    assert "Install Failed" in " ".join(result["events"])
    service = moving["ecs"].describe_services(cluster="dito", services=["dito-backend"])["services"][0]
    assert service["taskDefinition"] == moving["first"]
    assert production_target_groups(moving) == {moving["blue"]}
    # A good revision deploys after the rollback (nothing left in progress in the group).
    good = run_module(codedeploy_deployment.main, deploy_args(moving["revision"]("v2")))
    assert good["changed"] is True and good["deployment"]["status"] == "Succeeded", good["msg"]


def test_emulator_state_stopped_rolls_back_the_deployment_in_progress(moving, run_module):
    started = run_module(codedeploy_deployment.main, deploy_args(moving["revision"]("v2"), wait=False))
    deployment_id = started["deployment"]["deployment_id"]
    moving["time"].sleep(1 + 7)  # through AllowTraffic: production on the replacement
    assert production_target_groups(moving) == {moving["green"]}
    stopped = run_module(codedeploy_deployment.main, {"application": APP, "deployment_group": GROUP, "state": "stopped", "poll_interval": 1})
    assert stopped["changed"] is True and "failed" not in stopped, stopped["msg"]
    assert stopped["deployment"]["deployment_id"] == deployment_id and stopped["deployment"]["status"] == "Stopped"
    # Reported stopped once the rollback deployment had ended, the production traffic back on the original group.
    assert stopped["rollback"]["status"] == "Succeeded" and f"rolled back by {stopped['rollback']['deployment_id']}: Succeeded" in stopped["msg"]
    assert production_target_groups(moving) == {moving["blue"]}
    nothing = run_module(codedeploy_deployment.main, {"application": APP, "deployment_group": GROUP, "state": "stopped"})
    assert nothing["changed"] is False


def test_emulator_timeout_leaves_the_deployment_running(moving, run_module):
    result = run_module(codedeploy_deployment.main, deploy_args(moving["revision"]("v2"), wait_timeout=4))
    assert result["failed"] is True and "still running" in result["msg"]
    status = moving["codedeploy"].get_deployment(deploymentId=result["deployment"]["deployment_id"])["deploymentInfo"]["status"]
    assert status == "InProgress"


def test_emulator_after_a_rollback_the_restored_appspec_is_not_deployed_again(moving, run_module):
    good = moving["revision"]("v2")
    first = run_module(codedeploy_deployment.main, deploy_args(good))
    assert first["deployment"]["status"] == "Succeeded", first["msg"]
    failed = run_module(codedeploy_deployment.main, deploy_args(moving["revision"]("dito-emulator-unhealthy-2")))
    assert failed["failed"] is True and failed["rollback"]["status"] == "Succeeded", failed["msg"]
    service = moving["ecs"].describe_services(cluster="dito", services=["dito-backend"])["services"][0]
    assert service["taskDefinition"] == good
    # The group's last successful deployment is now the rollback, of the good AppSpec: nothing to deploy.
    again = run_module(codedeploy_deployment.main, deploy_args(good))
    assert again["changed"] is False and "Nothing to deploy" in again["msg"], again["msg"]
    assert again["deployment"]["deployment_id"] in (failed["rollback"]["deployment_id"], first["deployment"]["deployment_id"])


# ---------------------------------------------------------------------------------------------------
# A lost CreateDeployment response: botocore sends the request again, and CodeDeploy answers the second one
# DeploymentLimitExceededException because the first one's deployment runs.


@pytest.fixture
def resend_create(fake):
    """CreateDeployment is made twice per call (the first response is lost); the caller gets the second answer."""
    real = fake.create_deployment

    def twice(**request):
        real(**request)
        return real(**request)

    fake.create_deployment = twice
    return fake


def test_a_resent_create_attaches_to_the_deployment_its_first_attempt_started(resend_create, run_module):
    result = run(run_module)
    assert "failed" not in result, result["msg"]
    # One deployment of the AppSpec: the one the lost attempt created, waited for until it succeeded.
    assert [i for i in resend_create.deployments if i.startswith("d-NEW")] == ["d-NEW1"]
    assert result["changed"] is True and result["deployment"]["deployment_id"] == "d-NEW1"
    assert result["deployment"]["status"] == "Succeeded" and result["deployment"]["attached"] is True
    assert "its CreateDeployment response lost" in result["msg"]


def test_a_resent_create_whose_deployment_already_succeeded_is_reported_not_repeated(resend_create, run_module, monkeypatch):
    # The first attempt's deployment ends before the module looks again: it is the group's last successful one.
    resend_create.script = ["Succeeded"]
    real = resend_create.create_deployment

    def and_it_ends(**request):
        try:
            return real(**request)
        finally:
            for deployment_id, d in resend_create.deployments.items():
                if d["status"] == "Created":
                    d["status"], d["script"] = "Succeeded", []
                    resend_create.last_successful = deployment_id

    resend_create.create_deployment = and_it_ends
    result = run(run_module)
    assert "failed" not in result, result["msg"]
    assert [i for i in resend_create.deployments if i.startswith("d-NEW")] == ["d-NEW1"]
    assert result["changed"] is True and result["deployment"]["deployment_id"] == "d-NEW1" and result["deployment"]["status"] == "Succeeded"
    assert "its CreateDeployment response lost" in result["msg"]
    again = run(run_module)
    assert again["changed"] is False and resend_create.calls.count("CreateDeployment") == 2


def test_a_rerun_while_the_deployment_of_the_same_appspec_runs_attaches_and_creates_nothing(fake, run_module):
    # deploy.yml killed while it waited: the deployment it created goes on; the next run attaches to it.
    first = run(run_module, wait=False)
    assert first["changed"] is True and first["deployment"]["status"] == "Created"
    again = run(run_module)
    assert "failed" not in again, again["msg"]
    assert again["changed"] is False and again["deployment"]["attached"] is True
    assert again["deployment"]["deployment_id"] == first["deployment"]["deployment_id"] and again["deployment"]["status"] == "Succeeded"
    assert fake.calls.count("CreateDeployment") == 1


def test_emulator_a_resent_create_leaves_one_deployment(moving, run_module, resent):
    # Against the emulator's CodeDeploy, which refuses a second deployment while one runs (as AWS does).
    seen = resent("CreateDeployment")
    second = moving["revision"]("v2")
    result = run_module(codedeploy_deployment.main, deploy_args(second))
    assert seen == [("CreateDeployment", "DeploymentLimitExceededException")]
    assert "failed" not in result, result["msg"]
    assert result["changed"] is True and result["deployment"]["status"] == "Succeeded" and result["deployment"]["task_definition"] == second
    assert group_deployments(moving["codedeploy"]) == [result["deployment"]["deployment_id"]]
    service = moving["ecs"].describe_services(cluster="dito", services=["dito-backend"])["services"][0]
    assert service["taskDefinition"] == second


def test_a_resent_create_whose_deployment_already_failed_reports_it_not_a_second_one(resend_create, run_module):
    # The first attempt's deployment fails before the module looks again: it is reported (with its rollback), not repeated.
    resend_create.script = ["Failed"]
    real = resend_create.create_deployment

    def and_it_fails(**request):
        try:
            return real(**request)
        finally:
            for d in resend_create.deployments.values():
                if d["status"] == "Created" and "triggered_by" not in d:
                    d["status"], d["script"] = "Failed", []

    resend_create.create_deployment = and_it_fails
    result = run(run_module)
    assert result["failed"] is True and result["changed"] is True
    assert [i for i in resend_create.deployments if i.startswith("d-NEW")] == ["d-NEW1"]
    assert result["deployment"]["deployment_id"] == "d-NEW1" and result["deployment"]["status"] == "Failed"
    assert result["msg"].startswith("Deployment d-NEW1 Failed: ECS_UPDATE_ERROR")
    listed = [r for r in resend_create.requests["ListDeployments"] if r.get("createTimeRange")]
    assert listed and listed[0]["includeOnlyStatuses"] == ["Failed", "Stopped"]
