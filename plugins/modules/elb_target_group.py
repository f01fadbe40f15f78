#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: elb_target_group
short_description: Manage an application load balancer target group, with check mode
version_added: 0.1.0
description:
  - Creates, updates or deletes one target group of an application load balancer, with its health check,
    attributes and tags, comparing every setting after filling in what AWS defaults, so a second run reports no
    change. Check mode and diff mode are supported (M(community.aws.elb_target_group) has no check mode).
  - Registered targets are left alone (ECS registers its tasks).
  - Protocol, port, VPC and target type cannot change on AWS; a change of them fails and changes nothing.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description: The target group name (up to 32 characters).
    type: str
    required: true
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
"""

RETURN = r"""
target_group:
  description: The target group; under check mode before creation, what would be created (arn null).
  returned: state=present
  type: dict
  sample: {"name": "dito-prod-backend-blue", "arn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/dito-prod-backend-blue/73e2d6bc24d8a067",
           "port": 8080, "protocol": "HTTP", "target_type": "ip", "health_check": {"HealthCheckPath": "/healthz"}, "tags": {"project": "dito"}}
differences:
  description: The settings that differed (health_check fields, attributes, tags).
  returned: state=present
  type: list
  elements: str
  sample: ["HealthCheckPath"]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.dito.chat.plugins.module_utils import elbv2
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging

IMMUTABLE = {"vpc_id": "VpcId", "protocol": "Protocol", "port": "Port", "target_type": "TargetType"}


def ensure_present(module, client):
    p = module.params
    health = elbv2.health_check_request(p["health_check"])
    attributes = {k: elbv2.attribute_value(v) for k, v in p["attributes"].items()}
    current = elbv2.describe_target_group(client, p["name"])
    if current is None:
        if not p["vpc_id"] or not p["port"]:
            module.fail_json(msg="vpc_id and port are required to create a target group")
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
        module.fail_json(msg="A target group cannot change " + ", ".join(refused) + ": nothing was changed. Use a new name.", changed=False)
    arn = current["TargetGroupArn"]
    health_diffs = elbv2.health_check_differences(current, p["health_check"])
    current_attributes = elbv2.target_group_attributes(client, arn) if attributes else {}
    attribute_diffs = elbv2.attribute_differences(current_attributes, attributes)
    tags = elbv2.describe_tags(client, arn) if p["tags"] is not None else {}
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


def ensure_absent(module, client):
    current = elbv2.describe_target_group(client, module.params["name"])
    if current is None:
        return False
    if not module.check_mode:
        elbv2.delete_target_group(client, current["TargetGroupArn"])
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            vpc_id=dict(type="str"),
            protocol=dict(type="str", default="HTTP", choices=["HTTP", "HTTPS"]),
            port=dict(type="int"),
            target_type=dict(type="str", default="ip", choices=["ip", "instance"]),
            health_check=dict(
                type="dict",
                default={},
                options=dict(
                    path=dict(type="str"),
                    protocol=dict(type="str"),
                    port=dict(type="str"),
                    interval=dict(type="int"),
                    timeout=dict(type="int"),
                    healthy_threshold=dict(type="int"),
                    unhealthy_threshold=dict(type="int"),
                    matcher=dict(type="str"),
                ),
            ),
            attributes=dict(type="dict", default={}),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    client = module.client("elbv2", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, diff, group, diffs = ensure_present(module, client)
    except elbv2.AnsibleELBv2Error as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, target_group=group, differences=diffs)


if __name__ == "__main__":
    main()
