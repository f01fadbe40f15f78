"""module_utils/codedeploy_deployments.py: canonical AppSpec content, sha256, lifecycle events, messages, the wait loop."""

import datetime
import hashlib
import json

import pytest

from ansible_collections.dito.chat.plugins.module_utils import appspec as appspec_utils
from ansible_collections.dito.chat.plugins.module_utils import codedeploy_deployments as cdd

TD = "arn:aws:ecs:eu-west-1:123456789012:task-definition/dito-backend:7"
DATA = {
    "version": 0.0,
    "Resources": [
        {
            "TargetService": {
                "Type": "AWS::ECS::Service",
                "Properties": {"TaskDefinition": TD, "LoadBalancerInfo": {"ContainerName": "backend", "ContainerPort": 8080}},
            }
        }
    ],
}
YAML = f"""version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: "{TD}"
        LoadBalancerInfo:
          ContainerName: backend
          ContainerPort: 8080
"""
T0 = datetime.datetime(2026, 11, 30, 13, 0, tzinfo=datetime.UTC)


def test_every_input_form_of_one_appspec_gives_one_content_and_sha256():
    forms = [DATA, json.dumps(DATA, indent=2), YAML, YAML.encode(), appspec_utils.render(DATA, "yaml"), json.dumps(DATA)]
    contents = {cdd.canonical_appspec(form)[0] for form in forms}
    assert len(contents) == 1
    content = contents.pop()
    assert json.loads(content) == DATA and " " not in content.replace("AWS::ECS::Service", "")
    assert cdd.content_sha256(content) == hashlib.sha256(content.encode("utf-8")).hexdigest()


def test_another_task_definition_gives_another_sha256():
    other = json.loads(json.dumps(DATA))
    other["Resources"][0]["TargetService"]["Properties"]["TaskDefinition"] = TD[:-1] + "8"
    assert cdd.content_sha256(cdd.canonical_appspec(other)[0]) != cdd.content_sha256(cdd.canonical_appspec(DATA)[0])


@pytest.mark.parametrize(
    ("bad", "words"),
    [
        ("", "empty"),
        ("  \n", "empty"),
        ("{nope", "not valid JSON"),
        ([1, 2], "must be a mapping or JSON/YAML text"),
        ({"version": 0.0}, "Resources must be a list"),
        (YAML.replace(TD, "<TASK_DEFINITION>").replace('"<', "'<").replace('>"', ">'"), "placeholder"),
    ],
)
def test_malformed_appspecs_are_refused_naming_the_problem(bad, words):
    with pytest.raises(appspec_utils.AppSpecError, match=words):
        cdd.canonical_appspec(bad)


def test_task_definition_and_sha256_are_read_from_what_aws_returns():
    assert cdd.task_definition_of(DATA) == TD
    assert cdd.task_definition_of({"Resources": []}) is None
    assert cdd.deployment_sha256({"revision": {"revisionType": "AppSpecContent", "appSpecContent": {"sha256": "abc"}}}) == "abc"
    assert cdd.deployment_sha256({"revision": {"revisionType": "S3"}}) is None
    assert cdd.deployment_sha256(None) is None


def test_durations_and_event_lines():
    assert cdd.duration(T0, T0 + datetime.timedelta(seconds=3725)) == "01:02:05"
    assert cdd.duration(0, 2.4) == "00:00:02"
    assert cdd.duration(T0, None) is None
    targets = [
        {
            "deploymentTargetType": "ECSTarget",
            "ecsTarget": {
                "targetId": "dito:backend",
                "lifecycleEvents": [
                    {"lifecycleEventName": "Install", "status": "Succeeded", "startTime": T0, "endTime": T0 + datetime.timedelta(seconds=2)},
                    {"lifecycleEventName": "AllowTraffic", "status": "InProgress", "startTime": T0},
                    {"lifecycleEventName": "AfterAllowTraffic", "status": "Pending"},
                ],
            },
        }
    ]
    events = cdd.lifecycle_events(targets)
    assert [e["name"] for e in events] == ["Install", "AllowTraffic", "AfterAllowTraffic"]
    assert cdd.event_lines(events) == ["Install Succeeded 00:00:02", "AllowTraffic InProgress", "AfterAllowTraffic Pending"]
    # Other compute platforms keep their events under their own key.
    lambda_target = {"lambdaTarget": {"lifecycleEvents": [{"lifecycleEventName": "AllowTraffic", "status": "Succeeded"}]}}
    assert cdd.lifecycle_events([lambda_target])[0]["name"] == "AllowTraffic"


def test_summary_is_plain_json_ready_data():
    info = {
        "deploymentId": "d-1",
        "status": "Failed",
        "createTime": T0,
        "completeTime": T0 + datetime.timedelta(seconds=5),
        "errorInformation": {"code": "ECS_UPDATE_ERROR", "message": "unhealthy"},
        "rollbackInfo": {"rollbackDeploymentId": "d-2", "rollbackMessage": "rolled back"},
        "revision": {"appSpecContent": {"sha256": "abc"}},
    }
    result = cdd.summary(info, appspec_sha256="ignored", task_definition=TD, target_ids=["dito:backend"], targets=[])
    assert result == {
        "deployment_id": "d-1",
        "status": "Failed",
        "error_information": {"code": "ECS_UPDATE_ERROR", "message": "unhealthy"},
        "rollback_info": {"rollback_deployment_id": "d-2", "rollback_triggering_deployment_id": None, "rollback_message": "rolled back"},
        "create_time": "2026-11-30T13:00:00+00:00",
        "complete_time": "2026-11-30T13:00:05+00:00",
        "appspec_sha256": "abc",
        "task_definition": TD,
        "attached": False,
        "target_ids": ["dito:backend"],
        "lifecycle_events": [],
    }
    json.dumps(result)
    assert cdd.summary({"status": None}, appspec_sha256="mine")["appspec_sha256"] == "mine"


def test_failure_message_names_id_status_code_message_and_rollback():
    info = {"deploymentId": "d-1", "status": "Failed", "errorInformation": {"code": "ECS_UPDATE_ERROR", "message": "unhealthy"}}
    assert cdd.failure_message(info) == "d-1 Failed: ECS_UPDATE_ERROR: unhealthy"
    info["errorInformation"]["message"] = "unhealthy."
    info["rollbackInfo"] = {"rollbackDeploymentId": "d-2", "rollbackMessage": "rolled back."}
    assert cdd.failure_message(info) == "d-1 Failed: ECS_UPDATE_ERROR: unhealthy (rollback: rolled back; rollback deployment d-2)"
    assert cdd.failure_message({"deploymentId": "d-3", "status": "Stopped"}) == "d-3 Stopped: no error code: no error message"


class Scripted:
    """GetDeployment answers a scripted status per call; targets are counted."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.calls = []

    def get_deployment(self, deploymentId):
        self.calls.append("GetDeployment")
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        return {"deploymentInfo": {"deploymentId": deploymentId, "status": status}}

    def get_paginator(self, name):
        calls = self.calls

        class Paginator:
            def paginate(self, **request):
                calls.append("ListDeploymentTargets")
                yield {"targetIds": ["dito:backend"]}

        return Paginator()

    def batch_get_deployment_targets(self, deploymentId, targetIds):
        self.calls.append("BatchGetDeploymentTargets")
        return {"deploymentTargets": [{"ecsTarget": {"targetId": targetIds[0], "lifecycleEvents": []}}]}


class Clock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_wait_reads_the_deployment_each_poll_and_the_targets_when_the_status_changes():
    client, clock = Scripted(["Created", "InProgress", "InProgress", "InProgress", "Succeeded"]), Clock()
    info, target_ids, _targets = cdd.wait_for_end(client, "d-1", 600, 15, sleep=clock.sleep, clock=clock)
    assert info["status"] == "Succeeded" and target_ids == ["dito:backend"]
    assert client.calls.count("GetDeployment") == 5 and clock.sleeps == [15] * 4
    # Listed once; read at Created, InProgress and Succeeded.
    assert client.calls.count("ListDeploymentTargets") == 1 and client.calls.count("BatchGetDeploymentTargets") == 3


def test_wait_gives_up_at_the_timeout_with_the_last_status():
    client, clock = Scripted(["InProgress"]), Clock()
    with pytest.raises(cdd.DeploymentTimeout) as caught:
        cdd.wait_for_end(client, "d-1", 40, 15, sleep=clock.sleep, clock=clock)
    assert caught.value.info["status"] == "InProgress" and caught.value.waited == 40
    assert clock.sleeps == [15, 15, 10]
    assert "d-1 still InProgress after 40 s" in str(caught.value)


SHA = "a" * 64


def test_the_sha256_is_read_from_the_revision_its_content_or_the_description_marker():
    assert cdd.deployment_sha256({"revision": {"appSpecContent": {"sha256": SHA}}, "description": f"x [sha256:{'b' * 64}]"}) == SHA
    assert cdd.deployment_sha256({"revision": {"appSpecContent": {"content": "{}"}}}) == cdd.content_sha256("{}")
    assert cdd.deployment_sha256({"revision": {"revisionType": "AppSpecContent"}, "description": f"backend v2 [sha256:{SHA}]"}) == SHA
    assert cdd.deployment_sha256({"description": f"[sha256:{SHA}]"}) == SHA
    # No marker at the end, or not a sha256: unknown.
    assert cdd.deployment_sha256({"description": f"[sha256:{SHA}] and more"}) is None
    assert cdd.deployment_sha256({"description": "[sha256:abc]"}) is None
    assert cdd.deployment_sha256({"description": "a deployment made elsewhere"}) is None
    assert cdd.deployment_sha256(None) is None


def test_the_description_keeps_the_marker_within_codedeploy_s_limit():
    marker = f"[sha256:{SHA}]"
    assert cdd.description_with_marker(None, SHA) == (marker, False)
    assert cdd.description_with_marker("  ", SHA) == (marker, False)
    assert cdd.description_with_marker("backend v2", SHA) == (f"backend v2 {marker}", False)
    room = cdd.DESCRIPTION_LIMIT - len(marker) - 1
    assert cdd.description_with_marker("x" * room, SHA) == ("x" * room + " " + marker, False)
    text, shortened = cdd.description_with_marker("y" * (room + 1), SHA)
    assert shortened is True and len(text) == cdd.DESCRIPTION_LIMIT == 100 and text.endswith("... " + marker)
    assert cdd.deployment_sha256({"description": text}) == SHA


def test_failure_message_with_the_rollback_waited_for():
    info = {
        "deploymentId": "d-1",
        "status": "Failed",
        "errorInformation": {"code": "ECS_UPDATE_ERROR", "message": "unhealthy."},
        "rollbackInfo": {"rollbackMessage": "rolled back.", "rollbackDeploymentId": "d-2"},
    }
    assert cdd.failure_message(info, "Succeeded") == "d-1 Failed: ECS_UPDATE_ERROR: unhealthy (rollback: rolled back; rolled back by d-2: Succeeded)"
    assert cdd.rollback_id(info) == "d-2" and cdd.rollback_id({"status": "Failed"}) is None
