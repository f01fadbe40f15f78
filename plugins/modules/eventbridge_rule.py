#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: eventbridge_rule
short_description: Manage an Amazon EventBridge event-pattern rule with its targets and tags
version_added: 1.0.0
description:
  - Creates, updates or deletes one EventBridge rule that matches an event pattern, together with its targets and
    tags, in one invocation. The pattern is compared as data and targets by id, so a second run reports no change.
  - Supports check mode and diff mode, unlike M(amazon.aws.cloudwatchevent_rule).
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description: The rule's name.
    required: true
    type: str
  state:
    description: V(present) creates or updates, V(absent) removes the targets and deletes the rule.
    choices: [present, absent]
    default: present
    type: str
  event_bus_name:
    description: The event bus.
    default: default
    type: str
  event_pattern:
    description: The event pattern, as a dict or a JSON string. Required with O(state=present).
    type: json
  description:
    description: The rule's description.
    default: ""
    type: str
  enabled:
    description: Whether the rule is enabled.
    default: true
    type: bool
  targets:
    description:
      - The rule's targets, in the shape of the PutTargets API (C(Id), C(Arn), and optionally C(Input),
        C(InputPath), C(InputTransformer), C(RetryPolicy), C(DeadLetterConfig), C(RoleArn)). Targets of the rule
        that are not listed are removed.
    type: list
    elements: dict
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Send the pipelines' state changes to the alerts function
  dito.chat.eventbridge_rule:
    name: dito-production-pipeline-alerts
    event_pattern:
      source: [aws.codepipeline]
      detail-type:
        - CodePipeline Pipeline Execution State Change
        - CodePipeline Action Execution State Change
      detail:
        pipeline: [dito-production-frontend, dito-production-backend]
    targets:
      - Id: alerts
        Arn: arn:aws:lambda:eu-west-1:123456789012:function:dito-production-pipeline-alerts
        RetryPolicy:
          MaximumRetryAttempts: 4
          MaximumEventAgeInSeconds: 3600
    tags:
      project: dito
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
rule:
  description: The rule after the task.
  returned: when O(state=present)
  type: dict
  contains:
    name:
      description: The rule's name.
      type: str
      sample: dito-production-pipeline-alerts
    arn:
      description: The rule's ARN (null when check mode predicts a creation).
      type: str
      sample: arn:aws:events:eu-west-1:123456789012:rule/dito-production-pipeline-alerts
    event_pattern:
      description: The event pattern.
      type: dict
      sample: {"source": ["aws.codepipeline"]}
    state:
      description: C(ENABLED) or C(DISABLED).
      type: str
      sample: ENABLED
    targets:
      description: The targets, as PutTargets takes them.
      type: list
      elements: dict
      sample: [{"Id": "alerts", "Arn": "arn:aws:lambda:eu-west-1:123456789012:function:alerts"}]
    tags:
      description: The rule's tags.
      type: dict
      sample: {"project": "dito"}
"""

import json

from ansible_collections.dito.chat.plugins.module_utils import eventbridge as eb
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def ensure_present(module, client):
    p = module.params
    name, bus = p["name"], p["event_bus_name"]
    pattern = p["event_pattern"]
    if isinstance(pattern, str):
        try:
            pattern = json.loads(pattern)
        except ValueError as e:
            module.fail_json(msg=f"event_pattern is not valid JSON: {e}")
    desired = {"EventPattern": pattern, "State": "ENABLED" if p["enabled"] else "DISABLED", "Description": p["description"]}
    targets = p["targets"]
    for target in targets:
        if not target.get("Id") or not target.get("Arn"):
            module.fail_json(msg="each of targets needs an Id and an Arn")

    found = eb.describe_rule(client, name, bus)
    current = eb.rule_state(found) if found else {}
    current_targets = eb.list_targets(client, name, bus) if found else []
    current_tags = eb.list_tags(client, found["Arn"]) if found else {}
    arn = found["Arn"] if found else None

    rule_changed = not found or bool(eb.rule_differs(current, desired))
    to_put, to_remove = eb.target_changes(current_targets, targets)
    if not module.check_mode:
        rule = {"EventPattern": json.dumps(pattern, sort_keys=True), "State": desired["State"], "Description": desired["Description"]}
        if rule_changed:
            arn = eb.put_rule(client, name, bus, rule, tags=p["tags"] if found is None else None)
        if to_remove:
            eb.remove_targets(client, name, bus, to_remove)
        if to_put:
            eb.put_targets(client, name, bus, to_put)
    if found is None:
        retagged, tags = False, p["tags"] or {}  # tags go with PutRule on creation
    else:
        rule_arn = found["Arn"]
        retagged, tags = tagging.reconcile(
            module, current_tags, p["tags"], lambda t: eb.tag_resource(client, rule_arn, t), lambda k: eb.untag_resource(client, rule_arn, k)
        )
    changed = rule_changed or bool(to_put or to_remove) or retagged
    before = dict(current, Targets=current_targets, Tags=current_tags) if found else {}
    after = dict(desired, Targets=targets, Tags=tags)
    rule = {
        "name": name,
        "arn": arn,
        "event_pattern": pattern,
        "state": desired["State"],
        "description": desired["Description"],
        "targets": targets,
        "tags": tags,
    }
    return changed, {"before": before, "after": after}, rule


def ensure_absent(module, client):
    name, bus = module.params["name"], module.params["event_bus_name"]
    if eb.describe_rule(client, name, bus) is None:
        return False
    if not module.check_mode:
        ids = [t["Id"] for t in eb.list_targets(client, name, bus)]
        if ids:
            eb.remove_targets(client, name, bus, ids)
        eb.delete_rule(client, name, bus)
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            event_bus_name=dict(type="str", default="default"),
            event_pattern=dict(type="json"),
            description=dict(type="str", default=""),
            enabled=dict(type="bool", default=True),
            targets=dict(type="list", elements="dict", default=[]),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        required_if=[["state", "present", ["event_pattern"]]],
        supports_check_mode=True,
    )
    client = module.client("events", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, diff, rule = ensure_present(module, client)
    except eb.AnsibleEventBridgeError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, rule=rule)


if __name__ == "__main__":
    main()
