"""dito.chat.eventbridge_rule against moto in-process."""

import json

import boto3
import pytest

from ansible_collections.dito.chat.plugins.modules import eventbridge_rule

FN = "arn:aws:lambda:eu-west-1:123456789012:function:alerts"
PATTERN = {"source": ["aws.codepipeline"], "detail": {"pipeline": ["dito-local-frontend", "dito-local-backend"]}}


def args(**extra):
    return dict({"name": "alerts", "event_pattern": PATTERN, "targets": [{"Id": "alerts", "Arn": FN}], "tags": {"project": "dito"}}, **extra)


@pytest.fixture
def events(aws):
    return boto3.client("events", region_name="eu-west-1")


def test_create_then_nothing_to_do(events, run_module):
    plan = run_module(eventbridge_rule.main, args(), check_mode=True)
    assert plan["changed"] is True and events.list_rules()["Rules"] == []
    created = run_module(eventbridge_rule.main, args())
    assert created["changed"] is True
    rule = events.describe_rule(Name="alerts")
    assert json.loads(rule["EventPattern"]) == PATTERN and rule["State"] == "ENABLED"
    assert [t["Arn"] for t in events.list_targets_by_rule(Rule="alerts")["Targets"]] == [FN]
    assert {t["Key"]: t["Value"] for t in events.list_tags_for_resource(ResourceARN=rule["Arn"])["Tags"]} == {"project": "dito"}
    assert created["rule"]["arn"] == rule["Arn"]
    # The same pattern as a JSON string with other key order is no change.
    again = run_module(eventbridge_rule.main, args(event_pattern=json.dumps({"detail": PATTERN["detail"], "source": PATTERN["source"]})))
    assert again["changed"] is False
    assert run_module(eventbridge_rule.main, args(), check_mode=True)["changed"] is False


def test_pattern_targets_and_tags_are_brought_back(events, run_module):
    run_module(eventbridge_rule.main, args())
    events.put_targets(Rule="alerts", Targets=[{"Id": "stray", "Arn": FN + "-2"}])
    changed_pattern = dict(PATTERN, detail={"pipeline": ["dito-local-backend"]})
    result = run_module(eventbridge_rule.main, args(event_pattern=changed_pattern, tags={"project": "dito", "team": "chat"}), diff=True)
    assert result["changed"] is True
    assert result["diff"]["before"]["EventPattern"] == PATTERN
    assert json.loads(events.describe_rule(Name="alerts")["EventPattern"]) == changed_pattern
    assert [t["Id"] for t in events.list_targets_by_rule(Rule="alerts")["Targets"]] == ["alerts"]
    arn = events.describe_rule(Name="alerts")["Arn"]
    assert {t["Key"] for t in events.list_tags_for_resource(ResourceARN=arn)["Tags"]} == {"project", "team"}


def test_absent_removes_targets_and_rule(events, run_module):
    run_module(eventbridge_rule.main, args())
    assert run_module(eventbridge_rule.main, {"name": "alerts", "state": "absent"})["changed"] is True
    assert events.list_rules()["Rules"] == []
    assert run_module(eventbridge_rule.main, {"name": "alerts", "state": "absent"})["changed"] is False


def test_a_lost_put_response_is_harmless(events, run_module, lost_response):
    """PutRule and PutTargets are idempotent: their resends answer the same rule, the module carries on as created."""
    doubled = lost_response("PutRule", "PutTargets")
    created = run_module(eventbridge_rule.main, args())
    assert [c[1] for c in doubled] == ["PutRule", "PutTargets"]
    assert created["changed"] is True and "failed" not in created
    [rule] = events.list_rules()["Rules"]
    assert created["rule"]["arn"] == rule["Arn"] and json.loads(rule["EventPattern"]) == PATTERN
    assert [t["Arn"] for t in events.list_targets_by_rule(Rule="alerts")["Targets"]] == [FN]
    assert {t["Key"]: t["Value"] for t in events.list_tags_for_resource(ResourceARN=rule["Arn"])["Tags"]} == {"project": "dito"}
    assert run_module(eventbridge_rule.main, args())["changed"] is False
