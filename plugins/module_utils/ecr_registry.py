# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon ECR registry-level wrappers (the registry scanning configuration, account-wide per region) and the pure
helpers that check and compare it."""

import re

from ansible_collections.dito.chat.plugins.module_utils.ecr import ECRErrorHandler
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

# ECR API reference, ScanningRepositoryFilter.filter: 1 to 255 characters of this pattern (`*` is the wildcard).
FILTER_PATTERN = re.compile(r"^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$")
# RegistryScanningRule.scanFrequency per scan type (API reference): BASIC scans on push only (MANUAL otherwise).
FREQUENCIES = {"BASIC": ("SCAN_ON_PUSH",), "ENHANCED": ("SCAN_ON_PUSH", "CONTINUOUS_SCAN")}
# What a registry holds when nobody configured it, and what state=absent puts back (it cannot be deleted).
DEFAULT = {"scan_type": "BASIC", "rules": []}


@ECRErrorHandler.common_error_handler("get the registry scanning configuration")
@AWSRetry.jittered_backoff()
def get_registry_scanning_configuration(client):
    return client.get_registry_scanning_configuration()


@ECRErrorHandler.common_error_handler("put the registry scanning configuration")
@AWSRetry.jittered_backoff()
def put_registry_scanning_configuration(client, configuration):
    """PutRegistryScanningConfiguration replaces the whole configuration: idempotent, a resend after a lost response
    sets the same configuration again."""
    rules = [
        {"scanFrequency": r["scan_frequency"], "repositoryFilters": [{"filter": f, "filterType": "WILDCARD"} for f in r["repository_filters"]]}
        for r in configuration["rules"]
    ]
    client.put_registry_scanning_configuration(scanType=configuration["scan_type"], rules=rules)


def normalise(scan_type, rules):
    """``{scan_type, rules: [{scan_frequency, repository_filters}]}`` in one order (rules by frequency, filters sorted
    and unique), from the module's options or from AWS's camelCase answer alike."""
    out = []
    for rule in rules or []:
        frequency = rule.get("scan_frequency") or rule.get("scanFrequency")
        filters = rule.get("repository_filters")
        if filters is None:
            filters = [f["filter"] for f in rule.get("repositoryFilters") or []]
        out.append({"scan_frequency": frequency, "repository_filters": sorted(set(filters))})
    return {"scan_type": scan_type or "BASIC", "rules": sorted(out, key=lambda r: r["scan_frequency"])}


def problems(scan_type, rules):
    """Why AWS would refuse this configuration (one message each), checked before any call."""
    found = []
    if len(rules) > 2:
        found.append(f"at most 2 rules (one per scan frequency), got {len(rules)}")
    frequencies = [r["scan_frequency"] for r in rules]
    if len(set(frequencies)) != len(frequencies):
        found.append(f"one rule per scan frequency, got {frequencies}")
    for rule in rules:
        if rule["scan_frequency"] not in FREQUENCIES[scan_type]:
            found.append(f"scan_frequency {rule['scan_frequency']} is not offered with scan_type {scan_type} (only {', '.join(FREQUENCIES[scan_type])})")
        filters = rule["repository_filters"]
        if not 1 <= len(filters) <= 100:
            found.append(f"1 to 100 repository_filters per rule, got {len(filters)}")
        bad = [f for f in filters if not (len(f) <= 255 and FILTER_PATTERN.match(f))]
        found.extend(f"repository filter {f!r} is not a repository name with * wildcards (a-z, 0-9, . _ - / and *)" for f in bad)
    return found
