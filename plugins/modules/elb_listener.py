#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: elb_listener
short_description: Manage one listener of an application load balancer, blue/green-aware
version_added: 0.1.0
description:
  - Creates, updates or deletes the listener of an application load balancer on one port, with its protocol,
    TLS policy, default certificate, default action (forward, redirect or fixed response) and tags. Check mode
    and diff mode are supported.
  - Blue/green-aware. A forward default action is left alone when it already sends traffic only to the target
    group asked for or to any of O(default_action.any_of_target_group_arns). After CodeDeploy has moved
    production traffic to the green target group of a blue/green pair (or while it shifts weighted traffic
    between the two), a re-run reports no change and does not move traffic back, which
    M(amazon.aws.elb_application_lb) would do. A new listener forwards to O(default_action.target_group_arn).
author:
  - dito.chat engineering (@dito-chat)
options:
  load_balancer_arn:
    description: The load balancer.
    type: str
    required: true
  port:
    description: The port of the listener (the key that identifies it on the load balancer).
    type: int
    required: true
  state:
    description: Whether the listener should exist.
    type: str
    default: present
    choices: [present, absent]
  protocol:
    description: The protocol.
    type: str
    default: HTTPS
    choices: [HTTP, HTTPS]
  ssl_policy:
    description: The TLS policy of an HTTPS listener (TLS 1.2 minimum, TLS 1.3 offered by default).
    type: str
    default: ELBSecurityPolicy-TLS13-1-2-2021-06
  certificate_arn:
    description: The default certificate of an HTTPS listener (an ACM certificate ARN). Required for HTTPS.
    type: str
  default_action:
    description: The default action. Required with O(state=present).
    type: dict
    suboptions:
      type:
        description: The kind of action.
        type: str
        required: true
        choices: [forward, redirect, fixed-response]
      target_group_arn:
        description: The target group a new forward sends traffic to.
        type: str
      any_of_target_group_arns:
        description:
          - Other target groups whose traffic also satisfies the forward (the other half of a blue/green pair).
        type: list
        elements: str
        default: []
      redirect:
        description: The redirect, with C(protocol) (default HTTPS), C(port) (default 443), C(status_code) (default HTTP_301), C(host), C(path), C(query).
        type: dict
      fixed_response:
        description: The fixed response, with C(status_code) (default 404), C(content_type) (default text/plain), C(message_body).
        type: dict
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Production traffic on 443, on blue or green, whichever CodeDeploy left it on
  dito.chat.elb_listener:
    load_balancer_arn: "{{ alb.load_balancer_arn }}"
    port: 443
    protocol: HTTPS
    certificate_arn: arn:aws:acm:eu-west-1:111122223333:certificate/abcd
    default_action:
      type: forward
      target_group_arn: "{{ blue.target_group.arn }}"
      any_of_target_group_arns: ["{{ green.target_group.arn }}"]
    tags:
      project: dito

- name: HTTP redirects to HTTPS
  dito.chat.elb_listener:
    load_balancer_arn: "{{ alb.load_balancer_arn }}"
    port: 80
    protocol: HTTP
    default_action:
      type: redirect
"""

RETURN = r"""
listener:
  description: The listener (snake_case, as DescribeListeners returns it); under check mode before creation, null.
  returned: state=present
  type: dict
  sample: {"listener_arn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/dito/50dc6c495c0c9188/f2f7dc8efc522ab2", "port": 443}
forward_target_group_arns:
  description: The target groups the listener forwards to after the run (empty for redirects and fixed responses).
  returned: state=present
  type: list
  elements: str
  sample: ["arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/dito-green/73e2d6bc24d8a067"]
differences:
  description: The settings that differed (protocol, ssl_policy, certificate, default_action, tags).
  returned: state=present
  type: list
  elements: str
  sample: ["certificate"]
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.dito.chat.plugins.module_utils import elbv2
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging


def find(client, load_balancer_arn, port):
    return next((listener for listener in elbv2.describe_listeners(client, load_balancer_arn) if listener["Port"] == port), None)


def validate(module):
    p = module.params
    action = p["default_action"]
    if p["state"] == "absent":
        return
    if action is None:
        module.fail_json(msg="default_action is required with state=present")
    if action["type"] == "forward" and not action.get("target_group_arn"):
        module.fail_json(msg="default_action.target_group_arn is required for a forward")
    if p["protocol"] == "HTTPS" and not p["certificate_arn"]:
        module.fail_json(msg="certificate_arn is required for an HTTPS listener")
    if not 1 <= p["port"] <= 65535:
        module.fail_json(msg=f"port must be between 1 and 65535 (got {p['port']})")


def ensure_present(module, client):
    p = module.params
    desired = {"protocol": p["protocol"], "ssl_policy": p["ssl_policy"], "certificate_arn": p["certificate_arn"], "default_action": p["default_action"]}
    current = find(client, p["load_balancer_arn"], p["port"])
    https = {"SslPolicy": p["ssl_policy"], "Certificates": [{"CertificateArn": p["certificate_arn"]}]} if p["protocol"] == "HTTPS" else {}
    if current is None:
        listener = None
        if not module.check_mode:
            listener = elbv2.create_listener(
                client,
                LoadBalancerArn=p["load_balancer_arn"],
                Port=p["port"],
                Protocol=p["protocol"],
                DefaultActions=[elbv2.action_request(p["default_action"])],
                **https,
                **({"Tags": [{"Key": k, "Value": v} for k, v in p["tags"].items()]} if p["tags"] else {}),
            )
        forward = [p["default_action"]["target_group_arn"]] if p["default_action"]["type"] == "forward" else []
        return True, {"before": {}, "after": {"port": p["port"], **desired}}, listener, forward, []
    diffs = elbv2.listener_differences(current, desired)
    arn = current["ListenerArn"]
    tags = elbv2.describe_tags(client, arn) if p["tags"] is not None else {}
    listener = current
    if diffs and not module.check_mode:
        request = {"ListenerArn": arn, "Protocol": p["protocol"], **https}
        if "default_action" in diffs:
            request["DefaultActions"] = [elbv2.action_request(p["default_action"])]
        listener = elbv2.modify_listener(client, **request)
    retagged, after_tags = tagging.reconcile(module, tags, p["tags"], lambda t: elbv2.add_tags(client, arn, t), lambda k: elbv2.remove_tags(client, arn, k))
    if retagged:
        diffs.append("tags")
    actions = [elbv2.action_request(p["default_action"])] if "default_action" in diffs else current.get("DefaultActions") or []
    forward = elbv2.forwarded_target_groups(actions[0]) if actions and actions[0].get("Type") == "forward" else []
    before = {"port": p["port"], "protocol": current.get("Protocol"), "default_actions": current.get("DefaultActions"), "tags": tags}
    after = dict(before, protocol=p["protocol"], default_actions=actions, tags=after_tags)
    if p["protocol"] == "HTTPS":
        before.update(ssl_policy=current.get("SslPolicy"), certificates=current.get("Certificates"))
        after.update(ssl_policy=p["ssl_policy"], certificates=https["Certificates"])
    return bool(diffs), {"before": before, "after": after}, listener, forward, diffs


def ensure_absent(module, client):
    current = find(client, module.params["load_balancer_arn"], module.params["port"])
    if current is None:
        return False
    if not module.check_mode:
        elbv2.delete_listener(client, current["ListenerArn"])
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            load_balancer_arn=dict(type="str", required=True),
            port=dict(type="int", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            protocol=dict(type="str", default="HTTPS", choices=["HTTP", "HTTPS"]),
            ssl_policy=dict(type="str", default="ELBSecurityPolicy-TLS13-1-2-2021-06"),
            certificate_arn=dict(type="str"),
            default_action=dict(
                type="dict",
                options=dict(
                    type=dict(type="str", required=True, choices=["forward", "redirect", "fixed-response"]),
                    target_group_arn=dict(type="str"),
                    any_of_target_group_arns=dict(type="list", elements="str", default=[]),
                    redirect=dict(type="dict"),
                    fixed_response=dict(type="dict"),
                ),
            ),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    validate(module)
    client = module.client("elbv2", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, diff, listener, forward, diffs = ensure_present(module, client)
    except elbv2.AnsibleELBv2Error as e:
        module.fail_json_aws_error(e)
    module.exit_json(
        changed=changed,
        diff=diff,
        listener=camel_dict_to_snake_dict(listener) if listener else None,
        forward_target_group_arns=forward,
        differences=diffs,
    )


if __name__ == "__main__":
    main()
