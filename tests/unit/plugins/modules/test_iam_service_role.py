"""dito.chat.iam_service_role against moto in-process with the emulator's layer."""

import json

import boto3
import pytest

from ansible_collections.dito.chat.plugins.modules import iam_service_role

REGION = "eu-west-1"
ARN = "arn:aws:iam::123456789012:role/ci/dito-codebuild"
LOGS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]}
ECR = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}]}
MUTATING = ("Create", "Update", "Put", "Delete", "Attach", "Detach", "Tag", "Untag")


def mutations(api_calls):
    return [c for c in api_calls if c[0] == "iam" and c[1].startswith(MUTATING)]


@pytest.fixture
def iam(aws):
    client = boto3.client("iam", region_name=REGION)
    client.managed = [client.create_policy(PolicyName=n, PolicyDocument=json.dumps(ECR))["Policy"]["Arn"] for n in ("dito-ecr", "dito-extra", "dito-boundary")]
    return client


def args(**overrides):
    base = {
        "name": "dito-codebuild",
        "path": "/ci/",
        "description": "CodeBuild of dito",
        "trusted_services": ["codebuild.amazonaws.com"],
        "source_account": "123456789012",
        "inline_policies": {"logs": LOGS, "ecr": json.dumps(ECR)},
        "tags": {"project": "dito"},
    }
    return dict(base, **overrides)


def held(iam, name="dito-codebuild"):
    role = iam.get_role(RoleName=name)["Role"]
    inline = {p: iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"] for p in iam.list_role_policies(RoleName=name)["PolicyNames"]}
    managed = sorted(p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"])
    return role, inline, managed


def test_check_mode_on_create_plans_the_arn_and_makes_nothing(iam, run_module, api_calls):
    planned = run_module(iam_service_role.main, args(managed_policy_arns=[iam.managed[0]]), check_mode=True)
    assert planned["changed"] is True and planned["role"]["arn"] == ARN and "role_id" not in planned["role"]
    assert planned["role"]["inline_policy_names"] == ["ecr", "logs"] and planned["role"]["managed_policy_arns"] == [iam.managed[0]]
    assert planned["differences"] == ["trust", "description", "inline_policies:ecr", "inline_policies:logs", "managed_policies", "tags"]
    assert mutations(api_calls) == [] and ("sts", "GetCallerIdentity") in api_calls
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == []


def test_create_then_rerun_changes_nothing(iam, run_module, api_calls):
    created = run_module(iam_service_role.main, args(managed_policy_arns=[iam.managed[0]], max_session_duration=7200), diff=True)
    assert created["changed"] is True and created["diff"]["before"] == {}
    role, inline, managed = held(iam)
    assert created["role"]["arn"] == role["Arn"] == ARN and created["role"]["role_id"] == role["RoleId"]
    assert role["AssumeRolePolicyDocument"] == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "codebuild.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
            }
        ],
    }
    assert role["Description"] == "CodeBuild of dito" and role["MaxSessionDuration"] == 7200
    assert inline == {"logs": LOGS, "ecr": ECR} and managed == [iam.managed[0]]
    assert iam.list_role_tags(RoleName="dito-codebuild")["Tags"] == [{"Key": "project", "Value": "dito"}]
    assert created["role"]["trusted_services"] == ["codebuild.amazonaws.com"] and created["role"]["tags"] == {"project": "dito"}

    del api_calls[:]
    again = run_module(iam_service_role.main, args(managed_policy_arns=[iam.managed[0]], max_session_duration=7200))
    assert again["changed"] is False and again["differences"] == [] and again["role"] == created["role"]
    assert mutations(api_calls) == [] and ("sts", "GetCallerIdentity") not in api_calls
    assert run_module(iam_service_role.main, args(managed_policy_arns=[iam.managed[0]], max_session_duration=7200), check_mode=True)["changed"] is False


def test_reordered_policies_and_services_are_not_a_change(iam, run_module, api_calls):
    two = ["codebuild.amazonaws.com", "codepipeline.amazonaws.com"]
    run_module(iam_service_role.main, args(trusted_services=two))
    logs = dict(LOGS, Statement=[dict(LOGS["Statement"][0], Action=list(reversed(LOGS["Statement"][0]["Action"])))])
    del api_calls[:]
    again = run_module(iam_service_role.main, args(trusted_services=list(reversed(two)), inline_policies={"ecr": ECR, "logs": logs}))
    assert again["changed"] is False and mutations(api_calls) == []
    assert sorted(again["role"]["trusted_services"]) == two


def test_one_changed_inline_policy_is_the_only_one_put(iam, run_module, api_calls):
    run_module(iam_service_role.main, args())
    wider = dict(ECR, Statement=[dict(ECR["Statement"][0], Action=["ecr:GetAuthorizationToken", "ecr:BatchGetImage"])])
    del api_calls[:]
    changed = run_module(iam_service_role.main, args(inline_policies={"logs": LOGS, "ecr": wider}), diff=True)
    assert changed["changed"] is True and changed["differences"] == ["inline_policies:ecr"]
    assert mutations(api_calls) == [("iam", "PutRolePolicy")]
    assert changed["diff"]["before"]["inline_policies"]["ecr"] == ECR and changed["diff"]["after"]["inline_policies"]["ecr"] == wider
    assert held(iam)[1] == {"logs": LOGS, "ecr": wider}


def test_an_inline_policy_not_named_is_deleted(iam, run_module, api_calls):
    run_module(iam_service_role.main, args())
    iam.put_role_policy(RoleName="dito-codebuild", PolicyName="by-hand", PolicyDocument=json.dumps(ECR))
    del api_calls[:]
    planned = run_module(iam_service_role.main, args(inline_policies={"logs": LOGS}), check_mode=True)
    assert planned["differences"] == ["inline_policies:by-hand", "inline_policies:ecr"] and mutations(api_calls) == []
    assert sorted(held(iam)[1]) == ["by-hand", "ecr", "logs"]

    pruned = run_module(iam_service_role.main, args(inline_policies={"logs": LOGS}))
    assert pruned["changed"] is True and pruned["role"]["inline_policy_names"] == ["logs"]
    assert held(iam)[1] == {"logs": LOGS}
    assert mutations(api_calls) == [("iam", "DeleteRolePolicy"), ("iam", "DeleteRolePolicy")]


def test_managed_policies_are_attached_and_detached(iam, run_module, api_calls):
    ecr, extra = iam.managed[:2]
    run_module(iam_service_role.main, args(managed_policy_arns=[ecr]))
    del api_calls[:]
    swapped = run_module(iam_service_role.main, args(managed_policy_arns=[extra]))
    assert swapped["changed"] is True and swapped["differences"] == ["managed_policies"]
    assert mutations(api_calls) == [("iam", "DetachRolePolicy"), ("iam", "AttachRolePolicy")]
    assert held(iam)[2] == [extra] and swapped["role"]["managed_policy_arns"] == [extra]

    emptied = run_module(iam_service_role.main, args())
    assert emptied["differences"] == ["managed_policies"] and held(iam)[2] == []


def test_trust_description_session_and_boundary_are_updated(iam, run_module, api_calls):
    boundary = iam.managed[2]
    run_module(iam_service_role.main, args())
    del api_calls[:]
    changed = run_module(
        iam_service_role.main,
        args(trusted_services=["codepipeline.amazonaws.com"], source_account=None, description="", max_session_duration=3700, permissions_boundary=boundary),
    )
    assert changed["differences"] == ["trust", "description", "max_session_duration", "permissions_boundary"]
    assert mutations(api_calls) == [("iam", "UpdateAssumeRolePolicy"), ("iam", "UpdateRole"), ("iam", "PutRolePermissionsBoundary")]
    role = held(iam)[0]
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "codepipeline.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]
    assert role.get("Description", "") == "" and role["MaxSessionDuration"] == 3700
    assert role["PermissionsBoundary"]["PermissionsBoundaryArn"] == boundary

    unset = run_module(
        iam_service_role.main, args(trusted_services=["codepipeline.amazonaws.com"], source_account=None, description=None, max_session_duration=3700)
    )
    assert unset["changed"] is False and unset["role"]["permissions_boundary"] == boundary
    removed = run_module(
        iam_service_role.main, args(trusted_services=["codepipeline.amazonaws.com"], source_account=None, max_session_duration=3700, permissions_boundary="")
    )
    assert removed["differences"] == ["description", "permissions_boundary"] and "PermissionsBoundary" not in held(iam)[0]


def test_changing_one_of_description_and_session_keeps_the_other(iam, run_module, api_calls):
    run_module(iam_service_role.main, args(max_session_duration=7200))
    described = run_module(iam_service_role.main, args(max_session_duration=7200, description="Builds dito"))
    assert described["differences"] == ["description"]
    role = held(iam)[0]
    assert role["Description"] == "Builds dito" and role["MaxSessionDuration"] == 7200

    longer = run_module(iam_service_role.main, args(max_session_duration=10800, description=None))
    assert longer["differences"] == ["max_session_duration"] and longer["role"]["description"] == "Builds dito"
    role = held(iam)[0]
    assert role["Description"] == "Builds dito" and role["MaxSessionDuration"] == 10800


def test_tags_are_reconciled_and_left_alone_when_none(iam, run_module, api_calls):
    run_module(iam_service_role.main, args(tags={"project": "dito", "old": "x"}))
    retagged = run_module(iam_service_role.main, args(tags={"project": "chat"}))
    assert retagged["differences"] == ["tags"] and retagged["role"]["tags"] == {"project": "chat"}
    assert iam.list_role_tags(RoleName="dito-codebuild")["Tags"] == [{"Key": "project", "Value": "chat"}]
    del api_calls[:]
    kept = run_module(iam_service_role.main, args(tags=None))
    assert kept["changed"] is False and kept["role"]["tags"] == {"project": "chat"} and mutations(api_calls) == []
    added = run_module(iam_service_role.main, args(tags={"team": "a"}, purge_tags=False))
    assert added["changed"] is True and added["role"]["tags"] == {"project": "chat", "team": "a"}


def test_another_path_is_refused(iam, run_module, api_calls):
    run_module(iam_service_role.main, args())
    del api_calls[:]
    refused = run_module(iam_service_role.main, args(path="/", description="other"))
    assert refused["failed"] and refused["msg"].startswith("path:") and "/ci/" in refused["msg"]
    assert mutations(api_calls) == [] and held(iam)[0]["Description"] == "CodeBuild of dito"


def test_absent_removes_policies_then_the_role(iam, run_module, api_calls):
    run_module(iam_service_role.main, args(managed_policy_arns=[iam.managed[0]]))
    del api_calls[:]
    assert run_module(iam_service_role.main, {"name": "dito-codebuild", "state": "absent"}, check_mode=True)["changed"] is True
    assert mutations(api_calls) == [] and held(iam)[0]["Arn"] == ARN

    assert run_module(iam_service_role.main, {"name": "dito-codebuild", "state": "absent"})["changed"] is True
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == []
    assert [c[1] for c in mutations(api_calls)] == ["DetachRolePolicy", "DeleteRolePolicy", "DeleteRolePolicy", "DeleteRole"]
    assert iam.list_entities_for_policy(PolicyArn=iam.managed[0])["PolicyRoles"] == []

    del api_calls[:]
    assert run_module(iam_service_role.main, {"name": "dito-codebuild", "state": "absent"})["changed"] is False
    assert mutations(api_calls) == []


@pytest.mark.parametrize(
    ("overrides", "option"),
    [
        ({"trusted_services": None}, "trusted_services"),
        ({"trusted_services": []}, "trusted_services"),
        ({"trusted_services": ["arn:aws:iam::123456789012:root"]}, "trusted_services"),
        ({"name": "bad name"}, "name"),
        ({"path": "ci"}, "path"),
        ({"source_account": "12345"}, "source_account"),
        ({"inline_policies": {"logs": "{not json"}}, "inline_policies.logs"),
        ({"inline_policies": {"logs": ["x"]}}, "inline_policies.logs"),
        ({"inline_policies": {"bad name": LOGS}}, "inline_policies"),
        ({"managed_policy_arns": ["AdministratorAccess"]}, "managed_policy_arns"),
        ({"permissions_boundary": "boundary"}, "permissions_boundary"),
        ({"max_session_duration": 60}, "max_session_duration"),
        ({"tags": {"aws:owner": "me"}}, "tags"),
    ],
)
def test_bad_input_fails_before_any_change_naming_the_option(iam, run_module, api_calls, overrides, option):
    failed = run_module(iam_service_role.main, args(**overrides))
    assert failed["failed"] is True and option in failed["msg"]
    assert mutations(api_calls) == [] and iam.list_roles()["Roles"] == []


def test_bad_input_makes_no_aws_call(aws, run_module, api_calls):
    failed = run_module(iam_service_role.main, args(source_account="abc"))
    assert failed["msg"].startswith("source_account:") and api_calls == []


# Several roles in one call (roles).

TASK = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]}


def several(**overrides):
    """Two ECS roles and a CodeBuild one: top-level defaults, each entry its own policies (the build one its own trust)."""
    base = {
        "trusted_services": ["ecs-tasks.amazonaws.com"],
        "source_account": "123456789012",
        "tags": {"project": "dito"},
        "roles": [
            {"name": "dito-execution", "description": "Starts the tasks", "inline_policies": {"ecr": ECR}},
            {"name": "dito-task", "description": "The containers", "inline_policies": {"task": TASK}},
            {"name": "dito-build", "path": "/ci/", "trusted_services": ["codebuild.amazonaws.com"], "inline_policies": {"logs": LOGS}},
        ],
    }
    return dict(base, **overrides)


def role_names(iam):
    return sorted(r["RoleName"] for r in iam.list_roles()["Roles"])


def test_several_roles_are_made_in_one_call_then_a_rerun_changes_nothing(iam, run_module, api_calls):
    created = run_module(iam_service_role.main, several(), diff=True)
    assert created["changed"] is True and "role" not in created
    assert [r["role_name"] for r in created["roles"]] == ["dito-execution", "dito-task", "dito-build"]
    assert [r["arn"] for r in created["roles"]] == [
        "arn:aws:iam::123456789012:role/dito-execution",
        "arn:aws:iam::123456789012:role/dito-task",
        "arn:aws:iam::123456789012:role/ci/dito-build",
    ]
    assert created["differences"] == {
        "dito-execution": ["trust", "description", "inline_policies:ecr", "tags"],
        "dito-task": ["trust", "description", "inline_policies:task", "tags"],
        "dito-build": ["trust", "inline_policies:logs", "tags"],
    }
    assert created["diff"]["before"] == {} and sorted(created["diff"]["after"]) == ["dito-build", "dito-execution", "dito-task"]
    assert created["diff"]["after"]["dito-task"]["inline_policies"] == {"task": TASK}
    assert role_names(iam) == ["dito-build", "dito-execution", "dito-task"]
    for name, inline, service in (
        ("dito-execution", {"ecr": ECR}, "ecs-tasks"),
        ("dito-task", {"task": TASK}, "ecs-tasks"),
        ("dito-build", {"logs": LOGS}, "codebuild"),
    ):
        role, held_inline, managed = held(iam, name)
        assert held_inline == inline and managed == []
        statement = role["AssumeRolePolicyDocument"]["Statement"][0]
        assert statement["Principal"] == {"Service": f"{service}.amazonaws.com"}
        assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
        assert iam.list_role_tags(RoleName=name)["Tags"] == [{"Key": "project", "Value": "dito"}]
        assert next(r for r in created["roles"] if r["role_name"] == name)["role_id"] == role["RoleId"]

    del api_calls[:]
    again = run_module(iam_service_role.main, several(), diff=True)
    assert again["changed"] is False and mutations(api_calls) == [] and ("sts", "GetCallerIdentity") not in api_calls
    assert again["roles"] == created["roles"]
    assert again["differences"] == {"dito-execution": [], "dito-task": [], "dito-build": []}
    assert again["diff"] == {"before": {}, "after": {}}


def test_one_changed_entry_changes_only_its_role(iam, run_module, api_calls):
    run_module(iam_service_role.main, several())
    changed_roles = several()
    changed_roles["roles"][1] = dict(changed_roles["roles"][1], inline_policies={"task": TASK, "logs": LOGS})
    del api_calls[:]
    changed = run_module(iam_service_role.main, changed_roles, diff=True)
    assert changed["changed"] is True
    assert changed["differences"] == {"dito-execution": [], "dito-task": ["inline_policies:logs"], "dito-build": []}
    assert mutations(api_calls) == [("iam", "PutRolePolicy")]
    assert held(iam, "dito-task")[1] == {"task": TASK, "logs": LOGS}
    assert sorted(changed["diff"]["before"]) == sorted(changed["diff"]["after"]) == ["dito-task"]
    assert sorted(changed["diff"]["after"]["dito-task"]["inline_policies"]) == ["logs", "task"]
    assert changed["roles"][1]["inline_policy_names"] == ["logs", "task"] and changed["roles"][0]["inline_policy_names"] == ["ecr"]


def test_check_mode_plans_new_roles_and_reports_converged_ones_unchanged(iam, run_module, api_calls):
    planned = run_module(iam_service_role.main, several(), check_mode=True)
    assert planned["changed"] is True and mutations(api_calls) == [] and role_names(iam) == []
    assert [r["arn"] for r in planned["roles"]] == [
        "arn:aws:iam::123456789012:role/dito-execution",
        "arn:aws:iam::123456789012:role/dito-task",
        "arn:aws:iam::123456789012:role/ci/dito-build",
    ]
    assert all("role_id" not in r for r in planned["roles"])
    # The account of the planned ARNs is read once for all of them.
    assert api_calls.count(("sts", "GetCallerIdentity")) == 1
    assert planned["differences"]["dito-build"] == ["trust", "inline_policies:logs", "tags"]

    run_module(iam_service_role.main, several())
    del api_calls[:]
    converged = run_module(iam_service_role.main, several(), check_mode=True)
    assert converged["changed"] is False and mutations(api_calls) == [] and ("sts", "GetCallerIdentity") not in api_calls
    changed_roles = several(tags={"project": "chat"})
    planned_tags = run_module(iam_service_role.main, changed_roles, check_mode=True)
    assert planned_tags["changed"] is True and set(map(tuple, planned_tags["differences"].values())) == {("tags",)}
    assert all(r["tags"] == {"project": "chat"} for r in planned_tags["roles"]) and mutations(api_calls) == []
    assert iam.list_role_tags(RoleName="dito-task")["Tags"] == [{"Key": "project", "Value": "dito"}]


def test_top_level_values_are_defaults_that_an_entry_overrides(iam, run_module, api_calls):
    made = run_module(
        iam_service_role.main,
        {
            "path": "/svc/",
            "description": "Shared",
            "trusted_services": ["ecs-tasks.amazonaws.com"],
            "max_session_duration": 7200,
            "managed_policy_arns": [iam.managed[0]],
            "permissions_boundary": iam.managed[2],
            "tags": {"project": "dito"},
            "roles": [
                {"name": "dito-defaults"},
                {
                    "name": "dito-own",
                    "path": "/",
                    "description": "Own",
                    "trusted_services": ["lambda.amazonaws.com"],
                    "source_arn": ["arn:aws:lambda:eu-west-1:123456789012:function:dito"],
                    "max_session_duration": 3600,
                    "managed_policy_arns": [],
                    "permissions_boundary": "",
                    "tags": {"team": "a"},
                },
            ],
        },
    )
    assert made["changed"] is True
    defaults, own = (held(iam, n) for n in ("dito-defaults", "dito-own"))
    assert defaults[0]["Path"] == "/svc/" and defaults[0]["Description"] == "Shared" and defaults[0]["MaxSessionDuration"] == 7200
    assert defaults[0]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "ecs-tasks.amazonaws.com"}
    assert defaults[0]["PermissionsBoundary"]["PermissionsBoundaryArn"] == iam.managed[2] and defaults[2] == [iam.managed[0]]
    assert iam.list_role_tags(RoleName="dito-defaults")["Tags"] == [{"Key": "project", "Value": "dito"}]
    assert own[0]["Path"] == "/" and own[0]["Description"] == "Own" and own[0]["MaxSessionDuration"] == 3600
    assert own[0]["AssumeRolePolicyDocument"]["Statement"][0] == {
        "Effect": "Allow",
        "Principal": {"Service": "lambda.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:lambda:eu-west-1:123456789012:function:dito"}},
    }
    assert "PermissionsBoundary" not in own[0] and own[2] == []
    assert iam.list_role_tags(RoleName="dito-own")["Tags"] == [{"Key": "team", "Value": "a"}]
    assert made["roles"][1]["arn"] == "arn:aws:iam::123456789012:role/dito-own"

    # purge_tags: the top-level default, and an entry's own.
    iam.tag_role(RoleName="dito-defaults", Tags=[{"Key": "by-hand", "Value": "x"}])
    iam.tag_role(RoleName="dito-own", Tags=[{"Key": "by-hand", "Value": "x"}])
    kept = run_module(
        iam_service_role.main,
        {
            "trusted_services": ["ecs-tasks.amazonaws.com"],
            "path": "/svc/",
            "purge_tags": False,
            "tags": {"project": "dito"},
            "description": None,
            "max_session_duration": 7200,
            "managed_policy_arns": [iam.managed[0]],
            "roles": [{"name": "dito-defaults"}, {"name": "dito-own", "path": "/", "trusted_services": ["lambda.amazonaws.com"], "purge_tags": True}],
        },
    )
    assert kept["differences"]["dito-defaults"] == []
    assert "tags" in kept["differences"]["dito-own"] and kept["roles"][1]["tags"] == {"project": "dito"}
    assert sorted(t["Key"] for t in iam.list_role_tags(RoleName="dito-defaults")["Tags"]) == ["by-hand", "project"]


def test_absent_deletes_several_roles(iam, run_module, api_calls):
    run_module(iam_service_role.main, several(managed_policy_arns=[iam.managed[0]]))
    gone = {"state": "absent", "roles": [{"name": "dito-execution"}, {"name": "dito-build"}, {"name": "dito-never-made"}]}
    del api_calls[:]
    planned = run_module(iam_service_role.main, gone, check_mode=True)
    assert planned["changed"] is True and mutations(api_calls) == [] and len(role_names(iam)) == 3

    deleted = run_module(iam_service_role.main, gone)
    assert deleted["changed"] is True and role_names(iam) == ["dito-task"]
    assert [c[1] for c in mutations(api_calls)].count("DeleteRole") == 2
    assert [r["RoleName"] for r in iam.list_entities_for_policy(PolicyArn=iam.managed[0])["PolicyRoles"]] == ["dito-task"]
    del api_calls[:]
    assert run_module(iam_service_role.main, gone)["changed"] is False and mutations(api_calls) == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "bad name"}, "roles[1] (bad name): name:"),
        ({"name": "dito-task", "trusted_services": []}, "roles[1] (dito-task): trusted_services:"),
        ({"name": "dito-task", "inline_policies": {"logs": "{not json"}}, "roles[1] (dito-task): inline_policies.logs:"),
        ({"name": "dito-task", "max_session_duration": 60}, "roles[1] (dito-task): max_session_duration:"),
        ({"name": "dito-task", "tags": {"aws:owner": "me"}}, "roles[1] (dito-task): tags:"),
        ({"name": "dito-execution"}, "roles[1] (dito-execution): name: the role dito-execution is already roles[0]"),
    ],
)
def test_a_bad_entry_fails_before_any_aws_call_naming_it(aws, run_module, api_calls, entry, message):
    failed = run_module(iam_service_role.main, several(roles=[{"name": "dito-execution"}, entry]))
    assert failed["failed"] is True and message in failed["msg"] and api_calls == []


def test_trusted_services_are_required_in_each_entry_without_a_default(aws, run_module, api_calls):
    failed = run_module(iam_service_role.main, {"roles": [{"name": "a", "trusted_services": ["ecs-tasks.amazonaws.com"]}, {"name": "b"}]})
    assert failed["msg"].startswith("roles[1] (b): trusted_services: required") and "roles[0]" not in failed["msg"] and api_calls == []


def test_name_and_roles_exclude_each_other_and_one_is_required(aws, run_module, api_calls):
    both = run_module(iam_service_role.main, dict(args(), roles=[{"name": "dito-task"}]))
    assert both["failed"] is True and "mutually exclusive" in both["msg"] and "name" in both["msg"] and "roles" in both["msg"]
    neither = run_module(iam_service_role.main, {"trusted_services": ["ecs-tasks.amazonaws.com"]})
    assert neither["failed"] is True and "one of the following is required" in neither["msg"] and api_calls == []


def test_a_role_under_another_path_fails_before_any_role_changes(iam, run_module, api_calls):
    run_module(iam_service_role.main, several())
    moved = several(description="Other")
    moved["roles"][2] = dict(moved["roles"][2], path="/")
    del api_calls[:]
    refused = run_module(iam_service_role.main, moved)
    assert refused["failed"] is True and refused["msg"].startswith("roles[2] (dito-build): path:") and "/ci/" in refused["msg"]
    assert mutations(api_calls) == [] and held(iam, "dito-execution")[0]["Description"] == "Starts the tasks"


def test_a_lost_create_response_is_recognised_on_the_resend(iam, run_module, lost_response):
    """CreateRole's resend answers EntityAlreadyExists: the module reads the role back and carries on as created.
    PutRolePolicy and AttachRolePolicy are idempotent: their resends answer 200 again."""
    doubled = lost_response("CreateRole", "PutRolePolicy", "AttachRolePolicy")
    created = run_module(iam_service_role.main, args(managed_policy_arns=[iam.managed[0]]))
    assert [c[1] for c in doubled] == ["CreateRole", "PutRolePolicy", "PutRolePolicy", "AttachRolePolicy"]
    assert created["changed"] is True and "failed" not in created
    role, inline, managed = held(iam)
    assert created["role"]["arn"] == role["Arn"] == ARN and created["role"]["role_id"] == role["RoleId"]
    assert inline == {"logs": LOGS, "ecr": ECR} and managed == [iam.managed[0]]
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["dito-codebuild"]
