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


def pair_args(lb, **top):
    """Two groups in one call: blue with the top-level defaults, green overriding port, health check and tags."""
    return dict(
        {
            "vpc_id": lb.vpc,
            "port": 8080,
            "health_check": {"path": "/healthz"},
            "attributes": {"deregistration_delay.timeout_seconds": 30},
            "tags": {"project": "dito"},
            "target_groups": [
                {"name": "dito-blue"},
                {"name": "dito-green", "port": 9090, "health_check": {"path": "/ready", "interval": 10}, "tags": {"colour": "green"}},
            ],
        },
        **top,
    )


def held_groups(lb):
    return {g["TargetGroupName"]: g for g in lb.describe_target_groups()["TargetGroups"]}


def test_several_groups_in_one_call_defaults_and_overrides(lb, run_module):
    result = run_module(elb_target_group.main, pair_args(lb), diff=True)
    assert result["changed"] is True and "target_group" not in result
    assert [g["name"] for g in result["target_groups"]] == ["dito-blue", "dito-green"]
    held = held_groups(lb)
    assert [g["arn"] for g in result["target_groups"]] == [held["dito-blue"]["TargetGroupArn"], held["dito-green"]["TargetGroupArn"]]
    assert (held["dito-blue"]["Port"], held["dito-blue"]["HealthCheckPath"], held["dito-blue"]["HealthCheckIntervalSeconds"]) == (8080, "/healthz", 30)
    assert (held["dito-green"]["Port"], held["dito-green"]["HealthCheckPath"], held["dito-green"]["HealthCheckIntervalSeconds"]) == (9090, "/ready", 10)
    described = lb.describe_tags(ResourceArns=[g["TargetGroupArn"] for g in held.values()])["TagDescriptions"]
    tags = {d["ResourceArn"]: {t["Key"]: t["Value"] for t in d["Tags"]} for d in described}
    assert tags[held["dito-blue"]["TargetGroupArn"]] == {"project": "dito"}
    assert tags[held["dito-green"]["TargetGroupArn"]] == {"colour": "green"}
    for group in held.values():  # attributes come from the top level for both
        attributes = {a["Key"]: a["Value"] for a in lb.describe_target_group_attributes(TargetGroupArn=group["TargetGroupArn"])["Attributes"]}
        assert attributes["deregistration_delay.timeout_seconds"] == "30"
    assert result["differences"] == {"dito-blue": [], "dito-green": []}
    assert result["diff"]["before"] == {"dito-blue": {}, "dito-green": {}}
    assert result["diff"]["after"]["dito-green"]["port"] == 9090


def test_several_groups_rerun_is_converged_in_few_calls(lb, run_module, api_calls):
    args = pair_args(lb)
    run_module(elb_target_group.main, args)
    api_calls.clear()
    again = run_module(elb_target_group.main, args)
    assert again["changed"] is False and again["differences"] == {"dito-blue": [], "dito-green": []}
    # One read of both groups, one of both groups' tags, and each group's attributes (no batch API for those).
    assert sorted(op for _svc, op in api_calls) == [
        "DescribeTags",
        "DescribeTargetGroupAttributes",
        "DescribeTargetGroupAttributes",
        "DescribeTargetGroups",
    ]
    assert run_module(elb_target_group.main, args, check_mode=True)["changed"] is False


def test_several_groups_one_changed_changes_only_it(lb, run_module):
    args = pair_args(lb)
    run_module(elb_target_group.main, args)
    entries = [args["target_groups"][0], dict(args["target_groups"][1], health_check={"path": "/live", "interval": 10})]
    result = run_module(elb_target_group.main, dict(args, target_groups=entries), diff=True)
    assert result["changed"] is True
    assert result["differences"] == {"dito-blue": [], "dito-green": ["HealthCheckPath"]}
    assert result["diff"]["before"]["dito-blue"] == result["diff"]["after"]["dito-blue"]
    held = held_groups(lb)
    assert (held["dito-blue"]["HealthCheckPath"], held["dito-green"]["HealthCheckPath"]) == ("/healthz", "/live")


def test_several_groups_check_mode(lb, run_module):
    args = pair_args(lb)
    planned = run_module(elb_target_group.main, args, check_mode=True)
    assert planned["changed"] is True and [g["arn"] for g in planned["target_groups"]] == [None, None]
    assert held_groups(lb) == {}
    run_module(elb_target_group.main, dict(args, target_groups=args["target_groups"][:1]))  # blue exists, green not
    planned = run_module(elb_target_group.main, args, check_mode=True)
    assert planned["changed"] is True and planned["target_groups"][0]["arn"] is not None and planned["target_groups"][1]["arn"] is None
    assert list(held_groups(lb)) == ["dito-blue"]
    run_module(elb_target_group.main, args)
    drifted = dict(args, health_check={"path": "/other"})
    planned = run_module(elb_target_group.main, drifted, check_mode=True)
    assert planned["differences"] == {"dito-blue": ["HealthCheckPath"], "dito-green": []}
    assert held_groups(lb)["dito-blue"]["HealthCheckPath"] == "/healthz"


def test_several_groups_absent(lb, run_module):
    args = pair_args(lb)
    run_module(elb_target_group.main, args)
    absent = {"state": "absent", "target_groups": [{"name": "dito-blue"}, {"name": "dito-green"}, {"name": "dito-never"}]}
    assert run_module(elb_target_group.main, absent, check_mode=True)["changed"] is True
    assert set(held_groups(lb)) == {"dito-blue", "dito-green"}
    assert run_module(elb_target_group.main, absent)["changed"] is True
    assert held_groups(lb) == {}
    assert run_module(elb_target_group.main, absent)["changed"] is False


def test_several_groups_bad_entry_fails_before_any_call(lb, run_module, api_calls):
    for entries, message in (
        ([{"name": "dito-blue"}, {"name": "-dito-green"}], "target_groups[1] (-dito-green): a target group name"),
        ([{"name": "dito-blue"}, {"name": "dito-green", "tags": {"aws:x": "y"}}], "target_groups[1] (dito-green): tags: keys starting with aws:"),
        ([{"name": "dito-blue"}, {"name": "dito-blue"}], "target_groups: each name once, got dito-blue"),
    ):
        api_calls.clear()
        failed = run_module(elb_target_group.main, dict(pair_args(lb), target_groups=entries))
        assert failed["failed"] is True and failed["msg"].startswith(message), failed["msg"]
        assert api_calls == []
    both = run_module(elb_target_group.main, {"name": "dito-blue", "target_groups": [{"name": "dito-green"}]})
    assert both["failed"] is True and "mutually exclusive" in both["msg"]


def test_several_groups_errors_name_the_entry(lb, run_module):
    args = pair_args(lb)
    run_module(elb_target_group.main, args)
    entries = [args["target_groups"][0], dict(args["target_groups"][1], port=7070)]
    refused = run_module(elb_target_group.main, dict(args, target_groups=entries))
    assert refused["failed"] is True and refused["msg"].startswith("target_groups[1] (dito-green): A target group cannot change port")
    missing = run_module(elb_target_group.main, {"port": 8080, "target_groups": [{"name": "dito-blue"}, {"name": "dito-new"}]})
    assert missing["failed"] is True and missing["msg"] == "target_groups[1] (dito-new): vpc_id and port are required to create a target group"


def test_several_groups_aws_error_names_the_entry(lb, run_module, monkeypatch):
    create = elb_target_group.elbv2.create_target_group

    def refuse_green(client, **params):
        if params["Name"] == "dito-green":
            raise elb_target_group.elbv2.AnsibleELBv2Error(message="Failed to create target group")
        return create(client, **params)

    monkeypatch.setattr(elb_target_group.elbv2, "create_target_group", refuse_green)
    failed = run_module(elb_target_group.main, pair_args(lb))
    assert failed["failed"] is True and failed["msg"] == "target_groups[1] (dito-green): Failed to create target group"
    assert list(held_groups(lb)) == ["dito-blue"]


def test_a_lost_create_response_is_recognised_on_the_resend(lb, run_module, lost_response):
    """CreateTargetGroup is idempotent (the resend answers the same group, or DuplicateTargetGroupName: read back by
    name); ModifyTargetGroupAttributes sets the same values again. One group, as created."""
    args = {"name": "dito-blue", "vpc_id": lb.vpc, "port": 8080, "attributes": {"deregistration_delay.timeout_seconds": 30}, "tags": {"project": "dito"}}
    doubled = lost_response("CreateTargetGroup", "ModifyTargetGroupAttributes")
    created = run_module(elb_target_group.main, args)
    assert [c[1] for c in doubled] == ["CreateTargetGroup", "ModifyTargetGroupAttributes"]
    assert created["changed"] is True and "failed" not in created
    [held] = lb.describe_target_groups()["TargetGroups"]
    assert created["target_group"]["arn"] == held["TargetGroupArn"]
    assert lb.describe_tags(ResourceArns=[held["TargetGroupArn"]])["TagDescriptions"][0]["Tags"] == [{"Key": "project", "Value": "dito"}]
    assert run_module(elb_target_group.main, args)["changed"] is False
