"""The pure helpers of plugins/module_utils/iam_roles.py."""

import pytest

from ansible_collections.dito.chat.plugins.module_utils import iam_roles as iam

DOC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "*"}]}


def params(**overrides):
    base = {
        "name": "dito-build",
        "state": "present",
        "path": "/",
        "description": None,
        "trusted_services": ["codebuild.amazonaws.com"],
        "source_account": None,
        "source_arn": None,
        "inline_policies": {},
        "managed_policy_arns": [],
        "max_session_duration": 3600,
        "permissions_boundary": None,
    }
    return dict(base, **overrides)


def test_trust_policy_one_service_is_a_string_several_a_list_and_the_account_a_condition():
    assert iam.trust_policy(["codebuild.amazonaws.com"]) == {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
    several = iam.trust_policy(["a.amazonaws.com", "b.amazonaws.com", "a.amazonaws.com"], "123456789012")["Statement"][0]
    assert several["Principal"] == {"Service": ["a.amazonaws.com", "b.amazonaws.com"]}
    assert several["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}


def test_trust_policy_with_a_source_arn_is_the_service_trust_policy_filters_shape():
    """aws:SourceArn beside aws:SourceAccount, as plugins/filter/iam.py's service_trust_policy writes it: a role made
    by that filter before is no change."""
    from ansible_collections.dito.chat.plugins.filter.iam import service_trust_policy

    arn = "arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:dito/backend"
    made = iam.trust_policy(["codedeploy.amazonaws.com"], "123456789012", [arn])
    assert made == service_trust_policy("codedeploy.amazonaws.com", "123456789012", arn)
    projects = ["arn:aws:codebuild:eu-west-1:1:project/a", "arn:aws:codebuild:eu-west-1:1:project/b"]
    two = iam.trust_policy(["codebuild.amazonaws.com"], None, projects)
    assert two["Statement"][0]["Condition"] == {"ArnLike": {"aws:SourceArn": projects}}
    assert iam.check_params(params(source_arn=["project/a"])) == ["source_arn: 'project/a' is not an ARN (wildcards allowed)"]


def test_trusted_services_reads_allow_statements_only():
    trust = {
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": ["a.amazonaws.com", "b.amazonaws.com"]}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"Service": "c.amazonaws.com"}, "Action": "sts:AssumeRole"},
            {"Effect": "Deny", "Principal": {"Service": "d.amazonaws.com"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"},
        ]
    }
    assert iam.trusted_services(trust) == ["a.amazonaws.com", "b.amazonaws.com", "c.amazonaws.com"]
    assert iam.trusted_services({"Statement": {"Effect": "Allow", "Principal": {"Service": "x.amazonaws.com"}}}) == ["x.amazonaws.com"]
    assert iam.trusted_services(None) == []


def test_role_arn_has_the_path():
    assert iam.role_arn("aws-cn", "123456789012", "/ci/", "r") == "arn:aws-cn:iam::123456789012:role/ci/r"
    assert iam.role_arn("aws", "123456789012", "/", "r") == "arn:aws:iam::123456789012:role/r"


def test_policy_document_accepts_a_dict_or_json_text_and_names_the_policy_otherwise():
    assert iam.policy_document("p", DOC) is DOC
    assert iam.policy_document("p", '{"Statement": []}') == {"Statement": []}
    with pytest.raises(ValueError, match=r"^inline_policies\.p: not a JSON policy document"):
        iam.policy_document("p", "{")
    with pytest.raises(ValueError, match=r"^inline_policies\.p: a policy document is a JSON object"):
        iam.policy_document("p", "[]")
    with pytest.raises(ValueError, match=r"^inline_policies\.p: a policy document needs a Statement"):
        iam.policy_document("p", {"Version": "2012-10-17"})


def test_check_params_accepts_valid_options():
    assert iam.check_params(params()) == []
    full = params(
        path="/ci/team/",
        description="Build role",
        trusted_services=["codebuild.amazonaws.com", "alexa-appkit.amazon.com"],
        source_account="123456789012",
        inline_policies={"s3.read": DOC},
        managed_policy_arns=["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws-us-gov:iam::123456789012:policy/team/mine"],
        max_session_duration=43200,
        permissions_boundary="",
    )
    assert iam.check_params(full) == []
    assert iam.check_params({"name": "dito-build", "state": "absent"}) == []


@pytest.mark.parametrize(
    ("overrides", "prefix"),
    [
        ({"name": "x" * 65}, "name:"),
        ({"path": "/ci"}, "path:"),
        ({"path": "/a b/"}, "path:"),
        ({"description": "x" * 1001}, "description:"),
        ({"trusted_services": []}, "trusted_services:"),
        ({"trusted_services": ["codebuild"]}, "trusted_services:"),
        ({"source_account": "12345678901"}, "source_account:"),
        ({"inline_policies": {"a/b": DOC}}, "inline_policies:"),
        ({"inline_policies": {"p": "nope"}}, "inline_policies.p:"),
        ({"managed_policy_arns": ["arn:aws:iam::aws:role/x"]}, "managed_policy_arns:"),
        ({"permissions_boundary": "arn:aws:s3:::bucket"}, "permissions_boundary:"),
        ({"max_session_duration": 43201}, "max_session_duration:"),
        ({"max_session_duration": 3599}, "max_session_duration:"),
    ],
)
def test_check_params_names_the_bad_option(overrides, prefix):
    errors = iam.check_params(params(**overrides))
    assert len(errors) == 1 and errors[0].startswith(prefix)


def held(**overrides):
    role = {
        "Path": "/",
        "AssumeRolePolicyDocument": iam.trust_policy(["codebuild.amazonaws.com"]),
        "MaxSessionDuration": 3600,
    }
    return iam.current(dict(role, **overrides), {"p": DOC}, ["arn:aws:iam::aws:policy/B", "arn:aws:iam::aws:policy/A"])


def test_current_fills_what_aws_leaves_out():
    have = held()
    assert have["description"] == "" and have["permissions_boundary"] == ""
    assert have["managed_policy_arns"] == ["arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B"]
    boundary = {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": "arn:aws:iam::aws:policy/A"}
    assert held(PermissionsBoundary=boundary, Description="d")["permissions_boundary"] == "arn:aws:iam::aws:policy/A"


def test_differences_none_for_the_same_role_in_another_order():
    reordered = {"Version": "2012-10-17", "Statement": [{"Resource": "*", "Action": ["s3:PutObject", "s3:GetObject"], "Effect": "Allow"}]}
    want = iam.desired(params(inline_policies={"p": reordered}, managed_policy_arns=["arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B"]))
    assert iam.differences(held(), want) == []


def test_differences_leave_unset_description_and_boundary_alone():
    boundary = {"PermissionsBoundaryArn": "arn:aws:iam::aws:policy/A"}
    have = held(Description="by hand", PermissionsBoundary=boundary)
    want = iam.desired(params(inline_policies={"p": DOC}, managed_policy_arns=["arn:aws:iam::aws:policy/A", "arn:aws:iam::aws:policy/B"]))
    assert iam.differences(have, want) == []
    want.update(description="", permissions_boundary="")
    assert iam.differences(have, want) == ["description", "permissions_boundary"]


def test_differences_name_each_field_in_order():
    want = iam.desired(
        params(
            trusted_services=["codebuild.amazonaws.com"],
            source_account="123456789012",
            description="d",
            max_session_duration=7200,
            permissions_boundary="arn:aws:iam::aws:policy/A",
            inline_policies={"q": DOC},
            managed_policy_arns=["arn:aws:iam::aws:policy/A"],
        )
    )
    assert iam.differences(held(), want) == [
        "trust",
        "description",
        "max_session_duration",
        "permissions_boundary",
        "inline_policies:p",
        "inline_policies:q",
        "managed_policies",
    ]


def test_desired_dedupes_and_sorts_managed_policies_and_parses_documents():
    want = iam.desired(params(inline_policies={"p": '{"Statement": []}'}, managed_policy_arns=["arn:b", "arn:a", "arn:b"]))
    assert want["managed_policy_arns"] == ["arn:a", "arn:b"] and want["inline_policies"] == {"p": {"Statement": []}}
