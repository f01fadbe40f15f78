"""dito.chat.elb_listener (blue/green-aware) against moto in-process (its target groups made with dito.chat.elb_target_group)."""

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
