#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: elb_listener
short_description: Manage one listener of an application load balancer, blue/green-aware
version_added: 1.0.0
description:
  - Creates, updates or deletes the listener of an application load balancer on one port, with its protocol,
    TLS policy, default certificate, default action (forward, redirect or fixed response), optionally its rules,
    and tags. Check mode and diff mode are supported.
  - Blue/green-aware. A forward default action is left alone when it already sends traffic only to the target
    group asked for or to any of O(default_action.any_of_target_group_arns). After CodeDeploy has moved
    production traffic to the green target group of a blue/green pair (or while it shifts weighted traffic
    between the two), a re-run reports no change and does not move traffic back, which
    M(amazon.aws.elb_application_lb) would do. A new listener forwards to O(default_action.target_group_arn).
    The same holds for the forward action of each rule in O(rules) (CodeDeploy shifts rules as well as default actions).
  - With O(rules) given, the module owns every rule of the listener, matched by priority - a rule not listed is
    deleted, a listed one is created or modified (one CreateRule, ModifyRule or DeleteRule call per difference).
    An HTTP header condition may take its value from an SSM parameter (O(rules[].conditions.http_header.parameter),
    read with decryption by the module itself, so the secret never passes through Ansible variables); header values
    never appear in the result or the diff (C(********)).
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
  rules:
    description:
      - The listener's rules. Unset (null), the rules are not managed; V([]) means none (every rule is deleted).
      - Each rule is identified by its O(rules[].priority); rules of other priorities are deleted.
    type: list
    elements: dict
    suboptions:
      priority:
        description: The priority of the rule (1-50000, unique on the listener).
        type: int
        required: true
      conditions:
        description: The conditions, all of which a request must meet. At least one.
        type: dict
        required: true
        suboptions:
          http_header:
            description: An HTTP header condition. Exactly one of O(rules[].conditions.http_header.values) and O(rules[].conditions.http_header.parameter).
            type: dict
            suboptions:
              name:
                description: The header name (case-insensitive, at most 40 characters).
                type: str
                required: true
              values:
                description: The accepted values (each at most 128 characters; C(*) and C(?) are wildcards).
                type: list
                elements: str
              parameter:
                description:
                  - The name of an SSM parameter (SecureString) whose value is the one accepted value. The module reads it
                    with decryption (C(ssm:GetParameter), and C(kms:Decrypt) on its key) on every run.
                  - When the parameter does not exist, check mode reports the rule as changing and a real run fails naming it.
                type: str
          path_patterns:
            description: Path patterns (case-sensitive, C(*) and C(?) wildcards).
            type: list
            elements: str
          host_headers:
            description: Host names (case-insensitive, C(*) and C(?) wildcards).
            type: list
            elements: str
      action:
        description:
          - The action, with the suboptions and the blue/green semantics of O(default_action) - a forward already sending
            traffic to O(rules[].action.target_group_arn) or to any of O(rules[].action.any_of_target_group_arns) is left alone.
        type: dict
        required: true
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
            description: Other target groups whose traffic also satisfies the forward (the other half of a blue/green pair).
            type: list
            elements: str
            default: []
          redirect:
            description: The redirect, as in O(default_action.redirect).
            type: dict
          fixed_response:
            description: The fixed response, as in O(default_action.fixed_response).
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

- name: Only CloudFront gets through (a secret header from SSM); anything else gets 403
  dito.chat.elb_listener:
    load_balancer_arn: "{{ alb.load_balancer_arn }}"
    port: 443
    protocol: HTTPS
    certificate_arn: arn:aws:acm:eu-west-1:111122223333:certificate/abcd
    default_action:
      type: fixed-response
      fixed_response:
        status_code: 403
        content_type: text/plain
        message_body: Forbidden
    rules:
      - priority: 1
        conditions:
          http_header:
            name: X-Origin-Verify
            parameter: /dito/prod/cloudfront/origin-verify
        action:
          type: forward
          target_group_arn: "{{ blue.target_group.arn }}"
          any_of_target_group_arns: ["{{ green.target_group.arn }}"]

- name: HTTP redirects to HTTPS
  dito.chat.elb_listener:
    load_balancer_arn: "{{ alb.load_balancer_arn }}"
    port: 80
    protocol: HTTP
    default_action:
      type: redirect
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
listener:
  description:
    - The listener (snake_case, as DescribeListeners returns it); under check mode before creation, null.
    - With O(rules) given, C(rules) lists the listener's rules after the run (under check mode, as they would be),
      each with C(arn) (null for a rule not yet created), C(priority), C(conditions) (in the option's shape, header
      values replaced by C(********)), C(actions) (as AWS holds them) and C(forward_target_group_arns).
  returned: state=present
  type: dict
  sample: {"listener_arn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/dito/50dc6c495c0c9188/f2f7dc8efc522ab2", "port": 443,
           "rules": [{"arn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener-rule/app/dito/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee",
                      "priority": 1, "conditions": {"http_header": {"name": "X-Origin-Verify", "values": ["********"]}},
                      "actions": [{"type": "forward",
                                   "target_group_arn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/dito-blue/73e2d6bc24d8a067"}],
                      "forward_target_group_arns": ["arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/dito-blue/73e2d6bc24d8a067"]}]}
forward_target_group_arns:
  description: The target groups the listener forwards to after the run (empty for redirects and fixed responses).
  returned: state=present
  type: list
  elements: str
  sample: ["arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/dito-green/73e2d6bc24d8a067"]
differences:
  description: The settings that differed (protocol, ssl_policy, certificate, default_action, rules, tags).
  returned: state=present
  type: list
  elements: str
  sample: ["certificate"]
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.dito.chat.plugins.module_utils import elbv2
from ansible_collections.dito.chat.plugins.module_utils import ssm
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


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
    validate_rules(module, p["rules"])


def validate_rules(module, rules):
    seen = set()
    for index, rule in enumerate(rules or []):
        where = f"rules[{index}]"
        if not 1 <= rule["priority"] <= 50000:
            module.fail_json(msg=f"{where}.priority must be between 1 and 50000 (got {rule['priority']})")
        if rule["priority"] in seen:
            module.fail_json(msg=f"{where}.priority {rule['priority']} is given twice; a listener has one rule per priority")
        seen.add(rule["priority"])
        conditions = rule["conditions"]
        if not any(conditions.get(key) for key in ("http_header", "path_patterns", "host_headers")):
            module.fail_json(msg=f"{where}.conditions needs at least one of http_header, path_patterns, host_headers")
        header = conditions.get("http_header")
        if header and (header.get("values") is None) == (header.get("parameter") is None):
            module.fail_json(msg=f"{where}.conditions.http_header needs exactly one of values and parameter")
        if header and header.get("values") is not None and not header["values"]:
            module.fail_json(msg=f"{where}.conditions.http_header.values must not be empty")
        if rule["action"]["type"] == "forward" and not rule["action"].get("target_group_arn"):
            module.fail_json(msg=f"{where}.action.target_group_arn is required for a forward")


def header_values(module, rules, ssm_client):
    """The http_header values of each rule (by priority): given ones, or the SSM parameter's value (read once per
    parameter, with decryption, and masked in every output). None for a parameter that does not exist: check mode
    plans the change, a real run fails naming it."""
    values, read = {}, {}
    for index, rule in enumerate(rules):
        header = rule["conditions"].get("http_header")
        if not header:
            continue
        if header.get("parameter") is None:
            values[rule["priority"]] = header["values"]
            continue
        name = header["parameter"]
        if name not in read:
            parameter = ssm.get_secure_parameter(ssm_client(), name)
            read[name] = None if parameter is None else parameter["Value"]
            if read[name] is not None:
                module.no_log_values.add(read[name])
        if read[name] is None and not module.check_mode:
            module.fail_json(msg=f"The SSM parameter {name} (rules[{index}].conditions.http_header.parameter) does not exist.")
        values[rule["priority"]] = None if read[name] is None else [read[name]]
    return values


def planned_rule(listener_arn, rule, values):
    """A rule as it will be after the run, in DescribeRules' shape (for check mode and for the result)."""
    header = values.get(rule["priority"])
    conditions = elbv2.conditions_request(rule["conditions"], header if header is not None else [elbv2.REDACTED])
    return {"RuleArn": None, "Priority": str(rule["priority"]), "Conditions": conditions, "Actions": [elbv2.action_request(rule["action"])]}


def ensure_rules(module, client, listener_arn, ssm_client):
    """Make the listener's rules those of the rules option. Returns (changed, before, after): rules summaries."""
    wanted = {rule["priority"]: rule for rule in module.params["rules"]}
    values = header_values(module, module.params["rules"], ssm_client)
    current = {int(rule["Priority"]): rule for rule in elbv2.describe_rules(client, listener_arn)} if listener_arn else {}
    changed, after = False, {}
    for priority, rule in sorted(current.items()):
        if priority not in wanted:
            changed = True
            if not module.check_mode:
                elbv2.delete_rule(client, rule["RuleArn"])
    for priority, spec in sorted(wanted.items()):
        rule = current.get(priority)
        header = values.get(priority)
        if rule is None:
            changed = True
            after[priority] = planned_rule(listener_arn, spec, values)
            if not module.check_mode:
                after[priority] = elbv2.create_rule(
                    client,
                    ListenerArn=listener_arn,
                    Priority=priority,
                    Conditions=elbv2.conditions_request(spec["conditions"], header),
                    Actions=[elbv2.action_request(spec["action"])],
                )
            continue
        diffs = elbv2.rule_differences(rule, spec, header)
        after[priority] = rule
        if not diffs:
            continue
        changed = True
        request = {}
        if "conditions" in diffs:
            request["Conditions"] = elbv2.conditions_request(spec["conditions"], header if header is not None else [elbv2.REDACTED])
        if "action" in diffs:
            request["Actions"] = [elbv2.action_request(spec["action"])]
        if module.check_mode:
            after[priority] = dict(rule, **request)
        else:
            after[priority] = elbv2.modify_rule(client, RuleArn=rule["RuleArn"], **request)
    before = [elbv2.rule_summary(rule) for _priority, rule in sorted(current.items())]
    return changed, before, [elbv2.rule_summary(rule) for _priority, rule in sorted(after.items())]


def ensure_present(module, client, ssm_client):
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
        after = {"port": p["port"], **desired}
        if p["rules"] is not None:
            _changed, _before, rules = ensure_rules(module, client, listener["ListenerArn"] if listener else None, ssm_client)
            after["rules"] = rules
            if listener is not None:
                listener = dict(listener, rules=rules)
        return True, {"before": {}, "after": after}, listener, forward, []
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
    if p["rules"] is not None:
        rules_changed, rules_before, rules_after = ensure_rules(module, client, arn, ssm_client)
        if rules_changed:
            diffs.append("rules")
        listener = dict(listener, rules=rules_after)
    actions = [elbv2.action_request(p["default_action"])] if "default_action" in diffs else current.get("DefaultActions") or []
    forward = elbv2.forwarded_target_groups(actions[0]) if actions and actions[0].get("Type") == "forward" else []
    before = {"port": p["port"], "protocol": current.get("Protocol"), "default_actions": current.get("DefaultActions"), "tags": tags}
    after = dict(before, protocol=p["protocol"], default_actions=actions, tags=after_tags)
    if p["protocol"] == "HTTPS":
        before.update(ssl_policy=current.get("SslPolicy"), certificates=current.get("Certificates"))
        after.update(ssl_policy=p["ssl_policy"], certificates=https["Certificates"])
    if p["rules"] is not None:
        before["rules"], after["rules"] = rules_before, rules_after
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
            rules=dict(
                type="list",
                elements="dict",
                options=dict(
                    priority=dict(type="int", required=True),
                    conditions=dict(
                        type="dict",
                        required=True,
                        options=dict(
                            http_header=dict(
                                type="dict",
                                options=dict(
                                    name=dict(type="str", required=True),
                                    values=dict(type="list", elements="str", no_log=True),
                                    parameter=dict(type="str", no_log=False),
                                ),
                            ),
                            path_patterns=dict(type="list", elements="str"),
                            host_headers=dict(type="list", elements="str"),
                        ),
                    ),
                    action=dict(
                        type="dict",
                        required=True,
                        options=dict(
                            type=dict(type="str", required=True, choices=["forward", "redirect", "fixed-response"]),
                            target_group_arn=dict(type="str"),
                            any_of_target_group_arns=dict(type="list", elements="str", default=[]),
                            redirect=dict(type="dict"),
                            fixed_response=dict(type="dict"),
                        ),
                    ),
                ),
            ),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    validate(module)
    client = module.client("elbv2", retry_decorator=AWSRetry.jittered_backoff())

    def ssm_client():
        return module.client("ssm", retry_decorator=AWSRetry.jittered_backoff())

    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, diff, listener, forward, diffs = ensure_present(module, client, ssm_client)
    except (elbv2.AnsibleELBv2Error, ssm.AnsibleSSMError) as e:
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
