"""dito.chat.elb_target_group against moto in-process."""

from ansible_collections.dito.chat.plugins.modules import elb_target_group


def test_target_group_lifecycle(lb, run_module):
    args = {
        "name": "dito-blue",
        "vpc_id": lb.vpc,
        "port": 8080,
        "health_check": {"path": "/healthz", "matcher": "200-299", "interval": 15},
        "attributes": {"deregistration_delay.timeout_seconds": 30},
        "tags": {"project": "dito"},
    }
    assert run_module(elb_target_group.main, args, check_mode=True)["changed"] is True
    assert lb.describe_target_groups()["TargetGroups"] == []
    created = run_module(elb_target_group.main, args)["target_group"]
    held = lb.describe_target_groups(Names=["dito-blue"])["TargetGroups"][0]
    assert (held["TargetType"], held["HealthCheckPath"], held["Matcher"], held["HealthCheckIntervalSeconds"]) == ("ip", "/healthz", {"HttpCode": "200-299"}, 15)
    attributes = {a["Key"]: a["Value"] for a in lb.describe_target_group_attributes(TargetGroupArn=created["arn"])["Attributes"]}
    assert attributes["deregistration_delay.timeout_seconds"] == "30"
    assert run_module(elb_target_group.main, args)["changed"] is False
    assert run_module(elb_target_group.main, args, check_mode=True)["changed"] is False

    changed = run_module(elb_target_group.main, dict(args, health_check={"path": "/ready", "matcher": "200-299", "interval": 15}))
    assert changed["changed"] is True and changed["differences"] == ["HealthCheckPath"]
    assert lb.describe_target_groups(Names=["dito-blue"])["TargetGroups"][0]["HealthCheckPath"] == "/ready"

    refused = run_module(elb_target_group.main, dict(args, port=9090))
    assert refused["failed"] is True and "port" in refused["msg"] and "nothing was changed" in refused["msg"]
    assert run_module(elb_target_group.main, {"name": "dito-blue", "state": "absent"})["changed"] is True
    assert lb.describe_target_groups()["TargetGroups"] == []
