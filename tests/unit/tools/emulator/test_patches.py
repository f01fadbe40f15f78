"""Each emulator compatibility patch returns what the AWS API reference documents."""

import json
from datetime import UTC
from datetime import datetime
from datetime import timedelta

import boto3
import pytest
from moto import mock_aws

from tools.emulator import patches


@pytest.fixture(scope="module", autouse=True)
def applied():
    return patches.apply_all()


def test_every_patch_is_listed_and_applied(applied):
    assert applied == [p.__name__ for p in patches.PATCHES]
    assert all(getattr(p, "applied", False) for p in patches.PATCHES)


def register(ecs, cpu):
    return ecs.register_task_definition(
        family="web",
        cpu=str(cpu),
        memory="512",
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        containerDefinitions=[{"name": "web", "image": "nginx"}],
    )["taskDefinition"]["revision"]


@mock_aws
def test_describe_task_definition_family_returns_latest_active():
    ecs = boto3.client("ecs", region_name="eu-west-1")
    revisions = [register(ecs, cpu) for cpu in (256, 512, 1024)]
    assert revisions == [1, 2, 3]
    ecs.deregister_task_definition(taskDefinition="web:3")

    latest = ecs.describe_task_definition(taskDefinition="web")["taskDefinition"]
    assert (latest["revision"], latest["status"], latest["cpu"]) == (2, "ACTIVE", "512")
    # A revision asked for by number stays describable when INACTIVE, as on AWS.
    assert ecs.describe_task_definition(taskDefinition="web:3")["taskDefinition"]["status"] == "INACTIVE"

    ecs.deregister_task_definition(taskDefinition="web:1")
    ecs.deregister_task_definition(taskDefinition="web:2")
    with pytest.raises(ecs.exceptions.ClientException):
        ecs.describe_task_definition(taskDefinition="web")


@mock_aws
def test_task_definitions_record_registered_at():
    ecs = boto3.client("ecs", region_name="eu-west-1")
    before = datetime.now(UTC) - timedelta(seconds=5)
    register(ecs, 256)
    registered = ecs.describe_task_definition(taskDefinition="web")["taskDefinition"]["registeredAt"]
    assert before <= registered <= datetime.now(UTC) + timedelta(seconds=5)


@mock_aws
def test_test_event_pattern_answers():
    events = boto3.client("events", region_name="eu-west-1")
    pattern = json.dumps({"source": ["aws.codepipeline"], "detail": {"pipeline": [{"prefix": "dito-"}], "state": ["FAILED"]}})
    event = {
        "id": "1",
        "account": "123456789012",
        "source": "aws.codepipeline",
        "time": "2026-11-28T03:00:00Z",
        "region": "eu-west-1",
        "resources": [],
        "detail-type": "CodePipeline Pipeline Execution State Change",
        "detail": {"pipeline": "dito-backend", "state": "FAILED"},
    }
    assert events.test_event_pattern(EventPattern=pattern, Event=json.dumps(event))["Result"] is True
    event["detail"]["state"] = "SUCCEEDED"
    assert events.test_event_pattern(EventPattern=pattern, Event=json.dumps(event))["Result"] is False
    event["detail"] = {"pipeline": "other", "state": "FAILED"}
    assert events.test_event_pattern(EventPattern=pattern, Event=json.dumps(event))["Result"] is False


@mock_aws
def test_schedule_key_deletion_accepts_key_arn():
    kms = boto3.client("kms", region_name="eu-west-1")
    key = kms.create_key()["KeyMetadata"]
    kms.schedule_key_deletion(KeyId=key["Arn"], PendingWindowInDays=7)
    assert kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"
