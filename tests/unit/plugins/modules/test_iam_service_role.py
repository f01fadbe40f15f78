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
