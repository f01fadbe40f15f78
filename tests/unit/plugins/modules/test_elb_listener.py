"""dito.chat.elb_listener (blue/green-aware) against moto in-process (its target groups made with dito.chat.elb_target_group)."""

import json

import boto3

from ansible_collections.dito.chat.plugins.modules import elb_listener
from ansible_collections.dito.chat.plugins.modules import elb_target_group


def group(elb, run_module, name):
    return run_module(elb_target_group.main, {"name": name, "vpc_id": elb.vpc, "port": 8080, "health_check": {"path": "/healthz"}})["target_group"]["arn"]


def https(elb, blue, green, **extra):
    args = {
        "load_balancer_arn": elb.arn,
        "port": 443,
        "certificate_arn": elb.certs[0],
        "default_action": {"type": "forward", "target_group_arn": blue, "any_of_target_group_arns": [green]},
        "tags": {"project": "dito"},
    }
    return {**args, **extra}


def actions(elb, port):
    return next(listener for listener in elb.describe_listeners(LoadBalancerArn=elb.arn)["Listeners"] if listener["Port"] == port)["DefaultActions"]


def test_listener_keeps_production_traffic_where_codedeploy_left_it(lb, run_module):
    blue, green = group(lb, run_module, "blue"), group(lb, run_module, "green")
    assert run_module(elb_listener.main, https(lb, blue, green), check_mode=True)["changed"] is True
    created = run_module(elb_listener.main, https(lb, blue, green))
    assert created["changed"] is True and created["forward_target_group_arns"] == [blue]
    assert run_module(elb_listener.main, https(lb, blue, green))["changed"] is False

    # CodeDeploy moves production traffic to green (both forms it may leave: plain and weighted).
    listener = created["listener"]["listener_arn"]
    for swapped in (
        [{"Type": "forward", "TargetGroupArn": green}],
        [{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": green, "Weight": 100}, {"TargetGroupArn": blue, "Weight": 0}]}}],
    ):
        lb.modify_listener(ListenerArn=listener, DefaultActions=swapped)
        again = run_module(elb_listener.main, https(lb, blue, green))
        assert again["changed"] is False, again
        assert again["forward_target_group_arns"] == [green]
        assert run_module(elb_listener.main, https(lb, blue, green), check_mode=True)["changed"] is False

    # A new certificate is applied without moving traffic back to blue.
    lb.modify_listener(ListenerArn=listener, DefaultActions=[{"Type": "forward", "TargetGroupArn": green}])
    renewed = run_module(elb_listener.main, https(lb, blue, green, certificate_arn=lb.certs[1]))
    assert renewed["changed"] is True and renewed["differences"] == ["certificate"]
    assert actions(lb, 443) == [{"Type": "forward", "TargetGroupArn": green}]

    # Traffic on a group outside the pair is corrected.
    stray = group(lb, run_module, "stray")
    lb.modify_listener(ListenerArn=listener, DefaultActions=[{"Type": "forward", "TargetGroupArn": stray}])
    fixed = run_module(elb_listener.main, https(lb, blue, green, certificate_arn=lb.certs[1]))
    assert fixed["differences"] == ["default_action"] and actions(lb, 443)[0]["TargetGroupArn"] == blue


def test_redirect_and_tags(lb, run_module):
    args = {"load_balancer_arn": lb.arn, "port": 80, "protocol": "HTTP", "default_action": {"type": "redirect"}, "tags": {"project": "dito"}}
    assert run_module(elb_listener.main, args)["changed"] is True
    assert actions(lb, 80) == [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]
    assert run_module(elb_listener.main, args)["changed"] is False
    retagged = run_module(elb_listener.main, dict(args, tags={"project": "dito", "service": "frontend"}))
    assert retagged["changed"] is True and retagged["differences"] == ["tags"]
    arn = retagged["listener"]["listener_arn"]
    assert {t["Key"] for t in lb.describe_tags(ResourceArns=[arn])["TagDescriptions"][0]["Tags"]} == {"project", "service"}
    assert run_module(elb_listener.main, {"load_balancer_arn": lb.arn, "port": 80, "state": "absent"})["changed"] is True
    assert [listener["Port"] for listener in lb.describe_listeners(LoadBalancerArn=lb.arn)["Listeners"]] == []


def test_listener_inputs_are_checked_before_any_call(lb, run_module, api_calls):
    no_cert = run_module(elb_listener.main, {"load_balancer_arn": lb.arn, "port": 443, "default_action": {"type": "forward", "target_group_arn": "x"}})
    no_group = run_module(elb_listener.main, {"load_balancer_arn": lb.arn, "port": 80, "protocol": "HTTP", "default_action": {"type": "forward"}})
    assert "certificate_arn" in no_cert["msg"] and "target_group_arn" in no_group["msg"]
    assert api_calls == []


SECRET = "origin-verify-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105 - a test value, long: Ansible masks every occurrence of a no_log value


def edge(elb, blue, green, **extra):
    """The CloudFront origin's listener: 403 by default, forward only with the secret header (from SSM)."""
    args = {
        "load_balancer_arn": elb.arn,
        "port": 443,
        "certificate_arn": elb.certs[0],
        "default_action": {"type": "fixed-response", "fixed_response": {"status_code": 403, "content_type": "text/plain", "message_body": "Forbidden"}},
        "rules": [
            {
                "priority": 1,
                "conditions": {"http_header": {"name": "X-Origin-Verify", "parameter": "/dito/test/origin-verify"}},
                "action": {"type": "forward", "target_group_arn": blue, "any_of_target_group_arns": [green]},
            }
        ],
    }
    return {**args, **extra}


def rules_of(elb, listener_arn):
    return [r for r in elb.describe_rules(ListenerArn=listener_arn)["Rules"] if not r["IsDefault"]]


def test_rules_forward_only_requests_with_the_secret_header(lb, run_module):
    blue, green = group(lb, run_module, "blue"), group(lb, run_module, "green")
    ssm = boto3.client("ssm", region_name="eu-west-1")

    # The parameter is missing: check mode plans the rule, a real run fails naming it.
    planned = run_module(elb_listener.main, edge(lb, blue, green), check_mode=True)
    assert planned["changed"] is True and planned["listener"] is None, planned
    assert planned["diff"]["after"]["rules"][0]["conditions"] == {"http_header": {"name": "X-Origin-Verify", "values": ["********"]}}
    refused = run_module(elb_listener.main, edge(lb, blue, green))
    assert refused["failed"] is True and "/dito/test/origin-verify" in refused["msg"] and "rules[0]" in refused["msg"]

    ssm.put_parameter(Name="/dito/test/origin-verify", Value=SECRET, Type="SecureString")
    created = run_module(elb_listener.main, edge(lb, blue, green), diff=True)
    assert created["changed"] is True, created
    listener = created["listener"]["listener_arn"]
    forbidden = {"StatusCode": "403", "ContentType": "text/plain", "MessageBody": "Forbidden"}
    assert actions(lb, 443) == [{"Type": "fixed-response", "FixedResponseConfig": forbidden}]
    held = rules_of(lb, listener)
    assert [(r["Priority"], r["Conditions"][0]["HttpHeaderConfig"]) for r in held] == [("1", {"HttpHeaderName": "X-Origin-Verify", "Values": [SECRET]})]
    assert held[0]["Actions"][0]["TargetGroupArn"] == blue
    returned = created["listener"]["rules"]
    assert [(r["priority"], r["conditions"], r["forward_target_group_arns"], r["arn"]) for r in returned] == [
        (1, {"http_header": {"name": "X-Origin-Verify", "values": ["********"]}}, [blue], held[0]["RuleArn"])
    ]
    assert SECRET not in json.dumps(created)

    again = run_module(elb_listener.main, edge(lb, blue, green), diff=True)
    assert again["changed"] is False and again["differences"] == [], again
    assert run_module(elb_listener.main, edge(lb, blue, green), check_mode=True)["changed"] is False
    assert SECRET not in json.dumps(again)

    # CodeDeploy shifted the rule to green (weights moved): left alone.
    rule = held[0]["RuleArn"]
    weights = [{"TargetGroupArn": green, "Weight": 100}, {"TargetGroupArn": blue, "Weight": 0}]
    lb.modify_rule(RuleArn=rule, Actions=[{"Type": "forward", "ForwardConfig": {"TargetGroups": weights}}])
    shifted = run_module(elb_listener.main, edge(lb, blue, green))
    assert shifted["changed"] is False and shifted["listener"]["rules"][0]["forward_target_group_arns"] == [green], shifted

    # A new secret in SSM: one ModifyRule of the conditions, traffic stays on green.
    ssm.put_parameter(Name="/dito/test/origin-verify", Value=SECRET[::-1], Type="SecureString", Overwrite=True)
    rotated = run_module(elb_listener.main, edge(lb, blue, green))
    assert rotated["changed"] is True and rotated["differences"] == ["rules"]
    held = rules_of(lb, listener)
    assert held[0]["Conditions"][0]["HttpHeaderConfig"]["Values"] == [SECRET[::-1]] and held[0]["RuleArn"] == rule
    assert elb_listener_forward(held[0]) == [green]

    # A stray rule is deleted; rules: [] removes every rule; rules unset leaves them alone.
    stray = [{"Field": "path-pattern", "Values": ["/x/*"]}]
    lb.create_rule(ListenerArn=listener, Priority=7, Conditions=stray, Actions=[{"Type": "forward", "TargetGroupArn": blue}])
    assert run_module(elb_listener.main, edge(lb, blue, green))["changed"] is True
    assert [r["Priority"] for r in rules_of(lb, listener)] == ["1"]
    unmanaged = edge(lb, blue, green)
    del unmanaged["rules"]
    assert run_module(elb_listener.main, unmanaged)["changed"] is False
    assert len(rules_of(lb, listener)) == 1
    assert run_module(elb_listener.main, edge(lb, blue, green, rules=[]), check_mode=True)["changed"] is True
    assert len(rules_of(lb, listener)) == 1
    removed = run_module(elb_listener.main, edge(lb, blue, green, rules=[]))
    assert removed["changed"] is True and removed["listener"]["rules"] == [] and rules_of(lb, listener) == []


def elb_listener_forward(rule):
    from ansible_collections.dito.chat.plugins.module_utils import elbv2

    return elbv2.forwarded_target_groups(rule["Actions"][0])


def test_rules_with_values_paths_and_hosts(lb, run_module):
    blue, green = group(lb, run_module, "blue"), group(lb, run_module, "green")
    rules = [
        {
            "priority": 10,
            "conditions": {"path_patterns": ["/api/*", "/ws*"], "host_headers": ["chat.example.com"], "http_header": {"name": "x-env", "values": ["prod"]}},
            "action": {"type": "forward", "target_group_arn": green},
        },
        {"priority": 20, "conditions": {"path_patterns": ["/old/*"]}, "action": {"type": "redirect", "redirect": {"path": "/new/"}}},
    ]
    args = edge(lb, blue, green, rules=rules)
    assert run_module(elb_listener.main, args)["changed"] is True
    assert run_module(elb_listener.main, args)["changed"] is False
    moved = dict(args, rules=[dict(rules[0], conditions=dict(rules[0]["conditions"], path_patterns=["/api/*"])), rules[1]])
    result = run_module(elb_listener.main, moved)
    assert result["changed"] is True and result["listener"]["rules"][0]["conditions"]["path_patterns"] == ["/api/*"]
    assert result["listener"]["rules"][0]["conditions"]["http_header"] == {"name": "x-env", "values": ["********"]}


def test_rule_inputs_are_checked_before_any_call(lb, run_module, api_calls):
    base = {"load_balancer_arn": lb.arn, "port": 80, "protocol": "HTTP", "default_action": {"type": "redirect"}}
    forward = {"type": "forward", "target_group_arn": "x"}
    cases = {
        "rules[1].priority 1 is given twice": [{"priority": 1, "conditions": {"path_patterns": ["/a"]}, "action": forward}] * 2,
        "rules[0].conditions needs at least one": [{"priority": 1, "conditions": {}, "action": forward}],
        "exactly one of values and parameter": [{"priority": 1, "conditions": {"http_header": {"name": "x"}}, "action": forward}],
        "rules[0].action.target_group_arn": [{"priority": 1, "conditions": {"path_patterns": ["/a"]}, "action": {"type": "forward"}}],
    }
    for message, rules in cases.items():
        result = run_module(elb_listener.main, dict(base, rules=rules))
        assert message in result["msg"], result
    assert api_calls == []


def test_a_lost_create_response_is_recognised_on_the_resend(lb, run_module, lost_response):
    """CreateListener is idempotent (the resend answers the same listener, or DuplicateListener: read back by port);
    CreateRule's resend answers PriorityInUse: the rule at that priority is read back. One listener, one rule each."""
    blue, green = group(lb, run_module, "blue"), group(lb, run_module, "green")
    rules = [
        {"priority": 10, "conditions": {"path_patterns": ["/api/*"]}, "action": {"type": "forward", "target_group_arn": green}},
        {"priority": 20, "conditions": {"path_patterns": ["/old/*"]}, "action": {"type": "redirect", "redirect": {"path": "/new/"}}},
    ]
    args = edge(lb, blue, green, rules=rules, tags={"project": "dito"})
    doubled = lost_response("CreateListener", "CreateRule")
    created = run_module(elb_listener.main, args)
    assert [c[1] for c in doubled] == ["CreateListener", "CreateRule", "CreateRule"]
    assert created["changed"] is True and "failed" not in created
    [listener] = lb.describe_listeners(LoadBalancerArn=lb.arn)["Listeners"]
    assert created["listener"]["listener_arn"] == listener["ListenerArn"]
    held = rules_of(lb, listener["ListenerArn"])
    assert [r["Priority"] for r in held] == ["10", "20"]
    assert [(r["priority"], r["arn"]) for r in created["listener"]["rules"]] == [(10, held[0]["RuleArn"]), (20, held[1]["RuleArn"])]
    assert created["listener"]["rules"][0]["forward_target_group_arns"] == [green]
    assert run_module(elb_listener.main, args)["changed"] is False
