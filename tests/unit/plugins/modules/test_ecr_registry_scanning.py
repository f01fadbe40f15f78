"""dito.chat.ecr_registry_scanning against moto in-process: idempotent, honest in check mode, refuses what AWS refuses."""

import pytest

from ansible_collections.dito.chat.plugins.module_utils import ecr_registry
from ansible_collections.dito.chat.plugins.modules import ecr_registry_scanning

ENHANCED = {"scan_type": "ENHANCED", "rules": [{"scan_frequency": "CONTINUOUS_SCAN", "repository_filters": ["dito/*"]}]}


def rule(frequency, *filters):
    return {"scan_frequency": frequency, "repository_filters": list(filters)}


def held(ecr):
    config = ecr.get_registry_scanning_configuration()["scanningConfiguration"]
    return config["scanType"], [(r["scanFrequency"], [(f["filter"], f["filterType"]) for f in r["repositoryFilters"]]) for r in config["rules"]]


def test_enhanced_scanning_lifecycle(ecr, run_module, api_calls):
    assert held(ecr) == ("BASIC", [])

    plan = run_module(ecr_registry_scanning.main, ENHANCED, check_mode=True, diff=True)
    assert plan["changed"] is True and plan["diff"]["before"] == {"scan_type": "BASIC", "rules": []}, plan
    assert plan["scanning_configuration"] == {"scan_type": "ENHANCED", "rules": [{"scan_frequency": "CONTINUOUS_SCAN", "repository_filters": ["dito/*"]}]}
    assert ("ecr", "PutRegistryScanningConfiguration") not in api_calls and held(ecr) == ("BASIC", [])

    made = run_module(ecr_registry_scanning.main, ENHANCED)
    assert made["changed"] is True and made["registry_id"] == "123456789012", made
    assert held(ecr) == ("ENHANCED", [("CONTINUOUS_SCAN", [("dito/*", "WILDCARD")])])

    # Converged: a read, no write, in a run and in check mode (filters in another order or repeated are the same).
    del api_calls[:]
    same = dict(ENHANCED, rules=[{"scan_frequency": "CONTINUOUS_SCAN", "repository_filters": ["dito/*", "dito/*"]}])
    assert run_module(ecr_registry_scanning.main, same)["changed"] is False
    assert run_module(ecr_registry_scanning.main, ENHANCED, check_mode=True)["changed"] is False
    assert api_calls == [("ecr", "GetRegistryScanningConfiguration")] * 2, api_calls

    basic = {"scan_type": "BASIC", "rules": [{"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["dito/*", "tools/*"]}]}
    assert run_module(ecr_registry_scanning.main, basic)["changed"] is True
    assert held(ecr) == ("BASIC", [("SCAN_ON_PUSH", [("dito/*", "WILDCARD"), ("tools/*", "WILDCARD")])])

    assert run_module(ecr_registry_scanning.main, {"state": "absent"})["changed"] is True
    assert held(ecr) == ("BASIC", [])
    assert run_module(ecr_registry_scanning.main, {"state": "absent"})["changed"] is False


@pytest.mark.parametrize(
    "args, message",
    [
        ({"scan_type": "BASIC", "rules": [rule("CONTINUOUS_SCAN", "dito/*")]}, "CONTINUOUS_SCAN is not offered with scan_type BASIC"),
        ({"scan_type": "ENHANCED", "rules": [rule("SCAN_ON_PUSH", "Dito/*")]}, "repository filter 'Dito/*'"),
        ({"scan_type": "ENHANCED", "rules": [rule("SCAN_ON_PUSH")]}, "1 to 100 repository_filters"),
        ({"scan_type": "ENHANCED", "rules": [rule("SCAN_ON_PUSH", "a"), rule("SCAN_ON_PUSH", "b")]}, "one rule per scan frequency"),
        ({"rules": []}, "scan_type is required"),
    ],
)
def test_what_aws_refuses_is_refused_before_any_write(ecr, run_module, api_calls, args, message):
    result = run_module(ecr_registry_scanning.main, args)
    assert result["failed"] and message in result["msg"], result
    assert ("ecr", "PutRegistryScanningConfiguration") not in api_calls and held(ecr) == ("BASIC", [])


def test_normalise_reads_aws_and_the_options_alike():
    filters = [{"filter": "b/*", "filterType": "WILDCARD"}, {"filter": "a/*", "filterType": "WILDCARD"}]
    aws = ecr_registry.normalise("ENHANCED", [{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": filters}])
    ours = ecr_registry.normalise("ENHANCED", [{"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["a/*", "b/*"]}])
    assert aws == ours == {"scan_type": "ENHANCED", "rules": [{"scan_frequency": "SCAN_ON_PUSH", "repository_filters": ["a/*", "b/*"]}]}
    assert ecr_registry.problems("ENHANCED", [{"scan_frequency": "CONTINUOUS_SCAN", "repository_filters": ["dito/*", "*", "dito/back-end_1.x"]}]) == []


def test_a_lost_put_response_is_harmless(ecr, run_module, lost_response):
    """PutRegistryScanningConfiguration replaces the configuration: its resend answers the same, the module succeeds."""
    doubled = lost_response("PutRegistryScanningConfiguration")
    made = run_module(ecr_registry_scanning.main, ENHANCED)
    assert doubled == [("ecr", "PutRegistryScanningConfiguration")]
    assert made["changed"] is True and "failed" not in made and made["registry_id"] == "123456789012"
    assert held(ecr) == ("ENHANCED", [("CONTINUOUS_SCAN", [("dito/*", "WILDCARD")])])
