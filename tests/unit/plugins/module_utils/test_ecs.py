"""module_utils/ecs.py: the shared ECS helpers (tags, capacity-provider strategies)."""

from ansible_collections.dito.chat.plugins.module_utils import ecs


def test_tags_to_dict():
    assert ecs.tags_to_dict([{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]) == {"a": "1", "b": "2"}
    assert ecs.tags_to_dict(None) == {}


def test_strategy_request_from_the_modules_entries():
    specs = [{"capacity_provider": "FARGATE", "weight": 1, "base": 1}, {"capacity_provider": "FARGATE_SPOT", "weight": 3, "base": 0}]
    assert ecs.strategy_request(specs) == [
        {"capacityProvider": "FARGATE", "weight": 1, "base": 1},
        {"capacityProvider": "FARGATE_SPOT", "weight": 3, "base": 0},
    ]
    assert ecs.strategy_request(None) == []


def test_strategy_normalised_fills_aws_defaults_and_orders():
    described = [{"capacityProvider": "FARGATE_SPOT", "weight": 3}, {"capacityProvider": "FARGATE", "base": 1}]
    assert ecs.strategy_normalised(described) == [
        {"capacityProvider": "FARGATE", "weight": 0, "base": 1},
        {"capacityProvider": "FARGATE_SPOT", "weight": 3, "base": 0},
    ]
    assert ecs.strategy_normalised(None) == []


def test_strategy_options_defaults():
    assert ecs.STRATEGY_OPTIONS["weight"]["default"] == 1 and ecs.STRATEGY_OPTIONS["base"]["default"] == 0
    assert ecs.STRATEGY_OPTIONS["capacity_provider"]["required"] is True
