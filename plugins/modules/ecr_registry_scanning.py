#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_registry_scanning
short_description: Manage the image scanning configuration of an Amazon ECR private registry
version_added: 1.0.0
description:
  - Sets the registry scanning configuration of the account's private registry in the region (PutRegistryScanningConfiguration)
    when it differs from what GetRegistryScanningConfiguration reports, so a second run changes nothing. Check mode and
    diff mode are supported. No module of amazon.aws or community.aws manages it.
  - The configuration is B(account-wide) (one per account and region) and replaces any other; every rule of the registry is
    the module's O(rules). Let one inventory of an account own it.
  - V(ENHANCED) scanning is Amazon Inspector's (billed by Inspector per image scanned, continuous rescans included); it
    enables Inspector's ECR scanning and its service-linked role. V(BASIC) scans on push with ECR's own scanner.
  - O(state=absent) puts back what a registry holds when nobody configured it (V(BASIC), no rules); the
    configuration itself cannot be deleted.
author:
  - dito.chat engineering (@dito-chat)
options:
  state:
    description: Whether the configuration should be O(scan_type) with O(rules) (V(present)) or the registry's default (V(absent)).
    type: str
    default: present
    choices: [present, absent]
  scan_type:
    description: V(ENHANCED) (Amazon Inspector, scan on push or continuous) or V(BASIC) (scan on push). Required with O(state=present).
    type: str
    choices: [BASIC, ENHANCED]
  rules:
    description: The registry's scanning rules, at most one per frequency.
    type: list
    elements: dict
    default: []
    suboptions:
      scan_frequency:
        description: How often the matching repositories are scanned. V(CONTINUOUS_SCAN) only with V(ENHANCED).
        type: str
        required: true
        choices: [SCAN_ON_PUSH, CONTINUOUS_SCAN]
      repository_filters:
        description: Repository names with C(*) wildcards (for example V(dito/*)), 1 to 100.
        type: list
        elements: str
        required: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Scan the project's images continuously with Amazon Inspector
  dito.chat.ecr_registry_scanning:
    scan_type: ENHANCED
    rules:
      - scan_frequency: CONTINUOUS_SCAN
        repository_filters: ["dito/*"]

- name: Put back the registry's default (basic, no rules)
  dito.chat.ecr_registry_scanning:
    state: absent
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
registry_id:
  description: The registry (account) id.
  returned: always
  type: str
  sample: "123456789012"
scanning_configuration:
  description: The configuration after the task (the would-be one in check mode).
  returned: always
  type: dict
  contains:
    scan_type:
      description: V(BASIC) or V(ENHANCED).
      type: str
      sample: ENHANCED
    rules:
      description: The rules, by frequency, with their sorted filters.
      type: list
      elements: dict
      sample: [{"scan_frequency": "CONTINUOUS_SCAN", "repository_filters": ["dito/*"]}]
"""

from ansible_collections.dito.chat.plugins.module_utils import ecr_registry
from ansible_collections.dito.chat.plugins.module_utils.ecr import AnsibleECRError
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def desired(module):
    params = module.params
    if params["state"] == "absent":
        return dict(ecr_registry.DEFAULT)
    if not params["scan_type"]:
        module.fail_json(msg="scan_type is required with state=present")
    found = ecr_registry.problems(params["scan_type"], params["rules"])
    if found:
        module.fail_json(msg="The registry scanning configuration is not one AWS accepts: " + "; ".join(found))
    return ecr_registry.normalise(params["scan_type"], params["rules"])


def ensure(module, client):
    want = desired(module)
    current = ecr_registry.get_registry_scanning_configuration(client)
    have_raw = current.get("scanningConfiguration") or {}
    have = ecr_registry.normalise(have_raw.get("scanType"), have_raw.get("rules"))
    if have == want:
        return False, {}, current.get("registryId"), have
    if not module.check_mode:
        ecr_registry.put_registry_scanning_configuration(client, want)
    return True, {"before": have, "after": want}, current.get("registryId"), want


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            state=dict(type="str", default="present", choices=["present", "absent"]),
            scan_type=dict(type="str", choices=["BASIC", "ENHANCED"]),
            rules=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(
                    scan_frequency=dict(type="str", required=True, choices=["SCAN_ON_PUSH", "CONTINUOUS_SCAN"]),
                    repository_filters=dict(type="list", elements="str", required=True),
                ),
            ),
        ),
        supports_check_mode=True,
    )
    client = module.client("ecr", retry_decorator=AWSRetry.jittered_backoff())
    try:
        changed, diff, registry_id, configuration = ensure(module, client)
    except AnsibleECRError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, registry_id=registry_id, scanning_configuration=configuration)


if __name__ == "__main__":
    main()
