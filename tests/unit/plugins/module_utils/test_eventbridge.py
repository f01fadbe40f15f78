"""module_utils/eventbridge.py: rules and targets compared as data."""

import json

from ansible_collections.dito.chat.plugins.module_utils import eventbridge as eb


def test_rule_state_reads_the_pattern_as_data():
    described = {"Name": "r", "Arn": "arn", "EventPattern": json.dumps({"source": ["aws.ecs"]}), "State": "ENABLED"}
    assert eb.rule_state(described) == {"EventPattern": {"source": ["aws.ecs"]}, "State": "ENABLED", "Description": ""}


def test_rule_differs():
    current = {"EventPattern": {"source": ["a"]}, "State": "ENABLED", "Description": ""}
    assert eb.rule_differs(current, dict(current)) == set()
    assert eb.rule_differs(current, dict(current, State="DISABLED", Description="d")) == {"State", "Description"}


def test_target_changes_compare_by_id_with_input_as_data():
    current = [{"Id": "1", "Arn": "arn:fn", "Input": '{"b": 2, "a": 1}'}, {"Id": "old", "Arn": "arn:x"}]
    desired = [{"Id": "1", "Arn": "arn:fn", "Input": '{"a": 1, "b": 2}', "RoleArn": None}, {"Id": "2", "Arn": "arn:y"}]
    assert eb.target_changes(current, desired) == ([{"Id": "2", "Arn": "arn:y"}], ["old"])
