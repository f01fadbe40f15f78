#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: elb_target_group
short_description: Manage an application load balancer target group, with check mode
version_added: 1.0.0
description:
  - Creates, updates or deletes one target group of an application load balancer, with its health check,
    attributes and tags, comparing every setting after filling in what AWS defaults, so a second run reports no
    change. Check mode and diff mode are supported (M(community.aws.elb_target_group) has no check mode).
  - Registered targets are left alone (ECS registers its tasks).
  - Protocol, port, VPC and target type cannot change on AWS; a change of them fails and changes nothing.
  - With O(target_groups), one task manages several target groups (one module process, one DescribeTargetGroups call
    for all of them when they exist, instead of a loop of tasks); the top-level options are then every group's defaults.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description:
      - The target group name (up to 32 characters).
      - Exactly one of O(name) and O(target_groups) is required.
    type: str
  target_groups:
    description:
      - Several target groups in one task, each an entry with its O(target_groups[].name) and any of O(vpc_id),
        O(protocol), O(port), O(target_type), O(health_check), O(attributes) and O(tags), which default to the
        top-level ones. An entry's O(target_groups[].health_check), O(target_groups[].attributes) or
        O(target_groups[].tags) replaces the top-level one as a whole (no merge).
      - Exactly one of O(name) and O(target_groups) is required. O(state) and O(purge_tags) apply to every group.
      - "Each group is compared, changed and checked as with O(name); errors name the entry
        (C(target_groups[1] (name): ...)), and a bad name, a duplicate name or a reserved tag key fails the task
        before any AWS call."
      - The result is then RV(target_groups) and RV(differences) by name, instead of RV(target_group).
    type: list
    elements: dict
    suboptions:
      name:
        description: The target group name (up to 32 letters, digits and hyphens).
        type: str
        required: true
      vpc_id:
        description: Overrides O(vpc_id).
        type: str
      protocol:
        description: Overrides O(protocol).
        type: str
        choices: [HTTP, HTTPS]
      port:
        description: Overrides O(port).
        type: int
      target_type:
        description: Overrides O(target_type).
        type: str
        choices: [ip, instance]
      health_check:
        description: Overrides O(health_check) as a whole; what is not given takes the AWS default.
        type: dict
        suboptions:
          path:
            description: The path (default V(/)).
            type: str
          protocol:
            description: The protocol (default V(HTTP)).
            type: str
          port:
            description: The port (default V(traffic-port)).
            type: str
          interval:
            description: Seconds between checks (default 30).
            type: int
          timeout:
            description: Seconds before a check fails (default 5).
            type: int
          healthy_threshold:
            description: Successes before a target is healthy (default 5).
            type: int
          unhealthy_threshold:
            description: Failures before a target is unhealthy (default 2).
            type: int
          matcher:
            description: The HTTP codes of a success, for example V(200) or V(200-299) (default V(200)).
            type: str
      attributes:
        description: Overrides O(attributes) as a whole.
        type: dict
      tags:
        description: Overrides O(tags) as a whole.
        type: dict
        aliases: [resource_tags]
  state:
    description: Whether the target group should exist.
    type: str
    default: present
    choices: [present, absent]
  vpc_id:
    description: The VPC. Required to create the group.
    type: str
  protocol:
    description: The protocol to the targets.
    type: str
    default: HTTP
    choices: [HTTP, HTTPS]
  port:
    description: The port of the targets. Required to create the group.
    type: int
  target_type:
    description: The type of the targets (V(ip) for Fargate tasks).
    type: str
    default: ip
    choices: [ip, instance]
  health_check:
    description: The health check; what is not given takes the AWS default.
    type: dict
    default: {}
    suboptions:
      path:
        description: The path (default V(/)).
        type: str
      protocol:
        description: The protocol (default V(HTTP)).
        type: str
      port:
        description: The port (default V(traffic-port)).
        type: str
      interval:
        description: Seconds between checks (default 30).
        type: int
      timeout:
        description: Seconds before a check fails (default 5).
        type: int
      healthy_threshold:
        description: Successes before a target is healthy (default 5).
        type: int
      unhealthy_threshold:
        description: Failures before a target is unhealthy (default 2).
        type: int
      matcher:
        description: The HTTP codes of a success, for example V(200) or V(200-299) (default V(200)).
        type: str
  attributes:
    description: Target group attributes to set (name to value), for example C(deregistration_delay.timeout_seconds). Others are left alone.
    type: dict
    default: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The blue target group of the back end
  dito.chat.elb_target_group:
    name: dito-prod-backend-blue
    vpc_id: vpc-0123456789abcdef0
    port: 8080
    health_check:
      path: /healthz
      matcher: "200-299"
      interval: 15
    attributes:
      deregistration_delay.timeout_seconds: 30
    tags:
      project: dito

- name: The blue and the green target groups of the back end, in one task
  dito.chat.elb_target_group:
    vpc_id: vpc-0123456789abcdef0
    port: 8080
    health_check:
      path: /healthz
    tags:
      project: dito
    target_groups:
      - name: dito-prod-backend-blue
      - name: dito-prod-backend-green
        tags:
          project: dito
          colour: green
  register: made

- name: Delete both
  dito.chat.elb_target_group:
    state: absent
    target_groups:
      - name: dito-prod-backend-blue
      - name: dito-prod-backend-green
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
target_group:
  description: The target group; under check mode before creation, what would be created (arn null).
  returned: when O(state=present) and O(name) is given
  type: dict
  sample: {"name": "dito-prod-backend-blue", "arn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/dito-prod-backend-blue/73e2d6bc24d8a067",
           "port": 8080, "protocol": "HTTP", "target_type": "ip", "health_check": {"HealthCheckPath": "/healthz"}, "tags": {"project": "dito"}}
target_groups:
  description: With O(target_groups), each target group after the task, as RV(target_group) is, in the given order.
  returned: when O(state=present) and O(target_groups) is given
  type: list
  elements: dict
  sample: [{"name": "dito-prod-backend-blue", "arn": null, "port": 8080, "protocol": "HTTP", "target_type": "ip",
            "health_check": {"HealthCheckPath": "/healthz"}, "attributes": {}, "tags": {"project": "dito"}}]
differences:
  description:
    - The settings that differed (health_check fields, attributes, tags).
    - With O(target_groups), a mapping of each group's name to its list.
  returned: state=present
  type: raw
  sample: ["HealthCheckPath"]
"""

import re

from ansible_collections.dito.chat.plugins.module_utils import elbv2
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

IMMUTABLE = {"vpc_id": "VpcId", "protocol": "Protocol", "port": "Port", "target_type": "TargetType"}
# The options an entry of `target_groups` may set; the top-level ones are their defaults.
GROUP_OPTIONS = ("vpc_id", "protocol", "port", "target_type", "health_check", "attributes", "tags")
# A target group name as AWS accepts it: up to 32 letters, digits and hyphens, no hyphen first or last.
NAME = re.compile(r"^(?!-)[A-Za-z0-9-]{1,32}(?<!-)$")
HEALTH_CHECK_OPTIONS = dict(
    path=dict(type="str"),
    protocol=dict(type="str"),
    port=dict(type="str"),
    interval=dict(type="int"),
    timeout=dict(type="int"),
    healthy_threshold=dict(type="int"),
    unhealthy_threshold=dict(type="int"),
    matcher=dict(type="str"),
)


def group_params(module):
    """Each group's parameters with where its errors point: the top-level options (where None: messages as they
    always were), or each entry of `target_groups` over them, checked before any call."""
    top = module.params
    if top["target_groups"] is None:
        return [(None, dict(top))]
    entries = []
    for index, entry in enumerate(top["target_groups"]):
        params = dict({k: top[k] for k in GROUP_OPTIONS}, **{k: v for k, v in entry.items() if v is not None})
        where = f"target_groups[{index}] ({entry['name']})"
        if not NAME.match(entry["name"]):
            module.fail_json(msg=f"{where}: a target group name is 1 to 32 letters, digits and hyphens, not starting or ending with a hyphen")
        reserved = sorted(k for k in params["tags"] or {} if tagging.is_aws_owned(k))
        if reserved:
            module.fail_json(msg=f"{where}: tags: keys starting with {tagging.AWS_PREFIX} are reserved by AWS and cannot be set: {', '.join(reserved)}")
        entries.append((where, params))
    names = [p["name"] for _where, p in entries]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        module.fail_json(msg=f"target_groups: each name once, got {', '.join(twice)} more than once")
    return entries


def located(where, msg):
    return f"{where}: {msg}" if where else msg


def ensure_present(module, client, p, current, current_tags, where=None):
    """``current``: the group as DescribeTargetGroups returns it (None: missing); ``current_tags``: its tags, read
    when ``p["tags"]`` is not None."""
    health = elbv2.health_check_request(p["health_check"])
    attributes = {k: elbv2.attribute_value(v) for k, v in p["attributes"].items()}
    if current is None:
        if not p["vpc_id"] or not p["port"]:
            module.fail_json(msg=located(where, "vpc_id and port are required to create a target group"))
        after = {"name": p["name"], "arn": None, "port": p["port"], "protocol": p["protocol"], "target_type": p["target_type"]}
        after.update(health_check=health, attributes=attributes, tags=p["tags"] or {})
        if not module.check_mode:
            created = elbv2.create_target_group(
                client,
                Name=p["name"],
                Protocol=p["protocol"],
                Port=p["port"],
                VpcId=p["vpc_id"],
                TargetType=p["target_type"],
                **health,
                **({"Tags": [{"Key": k, "Value": v} for k, v in p["tags"].items()]} if p["tags"] else {}),
            )
            after["arn"] = created["TargetGroupArn"]
            if attributes:
                elbv2.modify_target_group_attributes(client, after["arn"], attributes)
        return True, {"before": {}, "after": after}, after, []
    refused = [f"{k} (now {current.get(field)}, asked {p[k]})" for k, field in IMMUTABLE.items() if p[k] is not None and current.get(field) != p[k]]
    if refused:
        msg = "A target group cannot change " + ", ".join(refused) + ": nothing was changed. Use a new name."
        module.fail_json(msg=located(where, msg), changed=False)
    arn = current["TargetGroupArn"]
    health_diffs = elbv2.health_check_differences(current, p["health_check"])
    current_attributes = elbv2.target_group_attributes(client, arn) if attributes else {}
    attribute_diffs = elbv2.attribute_differences(current_attributes, attributes)
    tags = current_tags if p["tags"] is not None else {}
    if not module.check_mode:
        if health_diffs:
            elbv2.modify_target_group(client, arn, {k: health[k] for k in health_diffs})
        if attribute_diffs:
            elbv2.modify_target_group_attributes(client, arn, attribute_diffs)
    retagged, after_tags = tagging.reconcile(module, tags, p["tags"], lambda t: elbv2.add_tags(client, arn, t), lambda k: elbv2.remove_tags(client, arn, k))
    diffs = health_diffs + sorted(attribute_diffs) + (["tags"] if retagged else [])
    before = {
        "name": p["name"],
        "arn": arn,
        "port": current["Port"],
        "protocol": current["Protocol"],
        "target_type": current["TargetType"],
        "health_check": {k: current.get(k) for k in health},
        "attributes": {k: current_attributes.get(k) for k in attributes},
        "tags": tags,
    }
    after = dict(before, health_check=health, attributes=attributes, tags=after_tags)
    return bool(diffs), {"before": before, "after": after}, after, diffs


def ensure_absent(module, client, current):
    if current is None:
        return False
    if not module.check_mode:
        elbv2.delete_target_group(client, current["TargetGroupArn"])
    return True


def manage(module, client, entries):
    """Each entry's outcome, in order: ``changed`` (absent), or ``(changed, diff, target_group, differences)``."""
    where = None
    try:
        held = elbv2.describe_target_groups(client, [p["name"] for _where, p in entries])
        if module.params["state"] == "absent":
            outcomes = []
            for entry in entries:
                where, p = entry  # named by the error of its deletion
                outcomes.append(ensure_absent(module, client, held[p["name"]]))
            return outcomes
        # The tags of every existing group that asks for tags, in one DescribeTags call (per 20 groups).
        tagged = [held[p["name"]]["TargetGroupArn"] for _where, p in entries if held[p["name"]] and p["tags"] is not None]
        tags = elbv2.describe_tags_by_arn(client, tagged) if tagged else {}
        outcomes = []
        for where, p in entries:
            current = held[p["name"]]
            outcomes.append(ensure_present(module, client, p, current, tags.get(current["TargetGroupArn"], {}) if current else {}, where))
        return outcomes
    except elbv2.AnsibleELBv2Error as e:
        e.message = located(where, e.message)
        module.fail_json_aws_error(e)


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str"),
            target_groups=dict(
                type="list",
                elements="dict",
                # No defaults here: an option an entry leaves out is the top-level one (group_params).
                options=dict(
                    name=dict(type="str", required=True),
                    vpc_id=dict(type="str"),
                    protocol=dict(type="str", choices=["HTTP", "HTTPS"]),
                    port=dict(type="int"),
                    target_type=dict(type="str", choices=["ip", "instance"]),
                    health_check=dict(type="dict", options=HEALTH_CHECK_OPTIONS),
                    attributes=dict(type="dict"),
                    tags=dict(type="dict", aliases=["resource_tags"]),
                ),
            ),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            vpc_id=dict(type="str"),
            protocol=dict(type="str", default="HTTP", choices=["HTTP", "HTTPS"]),
            port=dict(type="int"),
            target_type=dict(type="str", default="ip", choices=["ip", "instance"]),
            health_check=dict(type="dict", default={}, options=HEALTH_CHECK_OPTIONS),
            attributes=dict(type="dict", default={}),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        required_one_of=[["name", "target_groups"]],
        mutually_exclusive=[["name", "target_groups"]],
        supports_check_mode=True,
    )
    entries = group_params(module)
    client = module.client("elbv2", retry_decorator=AWSRetry.jittered_backoff())
    outcomes = manage(module, client, entries)
    if module.params["target_groups"] is None:
        if module.params["state"] == "absent":
            module.exit_json(changed=outcomes[0])
        changed, diff, group, diffs = outcomes[0]
        module.exit_json(changed=changed, diff=diff, target_group=group, differences=diffs)
    if module.params["state"] == "absent":
        module.exit_json(changed=any(outcomes))
    module.exit_json(
        changed=any(o[0] for o in outcomes),
        diff={"before": {o[2]["name"]: o[1]["before"] for o in outcomes}, "after": {o[2]["name"]: o[1]["after"] for o in outcomes}},
        target_groups=[o[2] for o in outcomes],
        differences={o[2]["name"]: o[3] for o in outcomes},
    )


if __name__ == "__main__":
    main()
