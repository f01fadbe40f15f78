"""dito.chat.codebuild_project against moto in-process with the emulator's CodeBuild layer (UpdateProject, AWS's
defaults, location-free CODEPIPELINE sources, the service role check)."""

import json

import boto3
import pytest
from ansible.module_utils.common import warnings

from ansible_collections.dito.chat.plugins.module_utils import iam_propagation
from ansible_collections.dito.chat.plugins.modules import codebuild_project

REGION = "eu-west-1"
ARN = "arn:aws:codebuild:eu-west-1:123456789012:project/dito-backend-build"
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
MUTATING = ("CreateProject", "UpdateProject", "DeleteProject")


@pytest.fixture
def role(aws):
    iam = boto3.client("iam", region_name=REGION)
    return iam.create_role(RoleName="dito-backend-build", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]


@pytest.fixture
def codebuild(aws):
    return boto3.client("codebuild", region_name=REGION)


def options(role, **over):
    args = {
        "name": "dito-backend-build",
        "description": "Builds the back end",
        "service_role": role,
        "source": {"type": "CODEPIPELINE", "buildspec": "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n"},
        "environment": {
            "image": "aws/codebuild/amazonlinux-x86_64-standard:5.0",
            "privileged_mode": True,
            "environment_variables": [
                {"name": "REPOSITORY_URI", "value": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/backend"},
                {"name": "NPM_TOKEN", "value": "/dito/npm-token", "type": "PARAMETER_STORE"},
            ],
        },
        "timeout_in_minutes": 30,
        "cache": {"type": "LOCAL", "modes": ["LOCAL_SOURCE_CACHE", "LOCAL_DOCKER_LAYER_CACHE"]},
        "logs": {"group_name": "/dito/codebuild"},
        "tags": {"project": "dito"},
    }
    args.update(over)
    return args


def mutations(api_calls):
    return [c for c in api_calls if c[1] in MUTATING]


def held(codebuild):
    return codebuild.batch_get_projects(names=["dito-backend-build"])["projects"][0]


def test_create_is_idempotent_and_check_mode_safe(role, codebuild, run_module, api_calls):
    planned = run_module(codebuild_project.main, options(role), check_mode=True)
    assert planned["changed"] is True and planned["project"]["arn"] == ARN and planned["project"]["tags"] == {"project": "dito"}
    assert codebuild.list_projects()["projects"] == [] and mutations(api_calls) == []

    created = run_module(codebuild_project.main, options(role), diff=True)
    assert created["changed"] is True and created["diff"]["before"] == {} and created["differences"] == []
    project = held(codebuild)
    assert (project["arn"], project["serviceRole"], project["source"]["type"], project["artifacts"]["type"]) == (ARN, role, "CODEPIPELINE", "CODEPIPELINE")
    assert project["environment"]["privilegedMode"] is True and project["timeoutInMinutes"] == 30
    assert project["cache"]["modes"] == ["LOCAL_SOURCE_CACHE", "LOCAL_DOCKER_LAYER_CACHE"]
    assert project["logsConfig"]["cloudWatchLogs"] == {"status": "ENABLED", "groupName": "/dito/codebuild"}
    assert project["logsConfig"]["s3Logs"]["status"] == "DISABLED" and project["tags"] == [{"key": "project", "value": "dito"}]
    assert created["project"]["environment"]["environment_variables"][1] == {"name": "NPM_TOKEN", "value": "/dito/npm-token", "type": "PARAMETER_STORE"}
    assert created["project"]["logs_config"]["cloud_watch_logs"]["group_name"] == "/dito/codebuild"
    assert mutations(api_calls) == [("codebuild", "CreateProject")]

    again = run_module(codebuild_project.main, options(role))
    assert again["changed"] is False and again["differences"] == [] and again["project"]["arn"] == ARN
    assert run_module(codebuild_project.main, options(role), check_mode=True)["changed"] is False
    assert mutations(api_calls) == [("codebuild", "CreateProject")]


def test_order_of_variables_and_modes_and_aws_defaults_make_no_difference(role, codebuild, run_module, api_calls):
    run_module(codebuild_project.main, options(role))
    args = options(role)
    args["environment"]["environment_variables"].reverse()
    args["cache"]["modes"].reverse()
    # Options equal to AWS's defaults, and a location that CodeBuild ignores for a CODEPIPELINE source.
    args["environment"].update(type="LINUX_CONTAINER", compute_type="BUILD_GENERAL1_SMALL", image_pull_credentials_type="CODEBUILD")
    args["source"]["location"] = "ignored"
    args.update(queued_timeout_in_minutes=480, encryption_key="alias/aws/s3", logs={"status": "ENABLED", "group_name": "/dito/codebuild"})
    same = run_module(codebuild_project.main, args)
    assert same["changed"] is False and same["differences"] == []
    assert mutations(api_calls) == [("codebuild", "CreateProject")]


def test_one_changed_field_is_updated_alone(role, codebuild, run_module, api_calls, monkeypatch):
    run_module(codebuild_project.main, options(role))
    sent = []
    original = codebuild_project.cb.update_project

    def recording(module, client, name, changes, service_role):
        sent.append(changes)
        return original(module, client, name, changes, service_role)

    monkeypatch.setattr(codebuild_project.cb, "update_project", recording)
    args = options(role)
    args["environment"]["compute_type"] = "BUILD_GENERAL1_MEDIUM"

    planned = run_module(codebuild_project.main, args, check_mode=True)
    assert planned["changed"] is True and planned["differences"] == ["environment"]
    assert planned["project"]["environment"]["compute_type"] == "BUILD_GENERAL1_MEDIUM"
    assert held(codebuild)["environment"]["computeType"] == "BUILD_GENERAL1_SMALL" and sent == []

    updated = run_module(codebuild_project.main, args, diff=True)
    assert updated["changed"] is True and updated["differences"] == ["environment"]
    assert updated["diff"]["before"]["environment"]["compute_type"] == "BUILD_GENERAL1_SMALL"
    assert updated["diff"]["after"]["environment"]["compute_type"] == "BUILD_GENERAL1_MEDIUM"
    assert [sorted(s) for s in sent] == [["environment"]]
    project = held(codebuild)
    assert project["environment"]["computeType"] == "BUILD_GENERAL1_MEDIUM" and project["timeoutInMinutes"] == 30
    assert mutations(api_calls) == [("codebuild", "CreateProject"), ("codebuild", "UpdateProject")]
    assert run_module(codebuild_project.main, args)["changed"] is False
    assert len(mutations(api_calls)) == 2


def test_left_out_options_return_to_aws_defaults(role, codebuild, run_module):
    key = "arn:aws:kms:eu-west-1:123456789012:key/0b7f2a4e-1111-4000-8000-000000000001"
    run_module(codebuild_project.main, options(role, encryption_key=key, concurrent_build_limit=2))
    assert (held(codebuild)["encryptionKey"], held(codebuild)["concurrentBuildLimit"]) == (key, 2)
    back = run_module(codebuild_project.main, options(role))
    assert back["changed"] is True and back["differences"] == ["encryption_key", "concurrent_build_limit"]
    project = held(codebuild)
    assert project["encryptionKey"] == "arn:aws:kms:eu-west-1:123456789012:alias/aws/s3" and "concurrentBuildLimit" not in project
    assert back["project"]["concurrent_build_limit"] is None
    assert run_module(codebuild_project.main, options(role))["changed"] is False


def test_tags_are_reconciled_through_update_project(role, codebuild, run_module, api_calls):
    run_module(codebuild_project.main, options(role, tags={"project": "dito", "old": "x"}))
    retagged = run_module(codebuild_project.main, options(role, tags={"project": "chat"}), diff=True)
    assert retagged["changed"] is True and retagged["differences"] == ["tags"]
    assert retagged["diff"]["before"]["tags"] == {"project": "dito", "old": "x"} and retagged["diff"]["after"]["tags"] == {"project": "chat"}
    assert held(codebuild)["tags"] == [{"key": "project", "value": "chat"}]

    kept = run_module(codebuild_project.main, options(role, tags=None))
    assert kept["changed"] is False and kept["project"]["tags"] == {"project": "chat"}
    added = run_module(codebuild_project.main, options(role, tags={"team": "a"}, purge_tags=False))
    assert added["changed"] is True and added["project"]["tags"] == {"project": "chat", "team": "a"}
    assert codebuild_project.cb.tags_dict(held(codebuild)["tags"]) == {"project": "chat", "team": "a"}
    assert [c for c in api_calls if "Tag" in c[1]] == []  # CodeBuild has no TagResource for projects


def test_absent_deletes_only_an_existing_project(role, codebuild, run_module, api_calls):
    run_module(codebuild_project.main, options(role))
    assert run_module(codebuild_project.main, {"name": "dito-backend-build", "state": "absent"}, check_mode=True)["changed"] is True
    assert codebuild.list_projects()["projects"] == ["dito-backend-build"]
    assert run_module(codebuild_project.main, {"name": "dito-backend-build", "state": "absent"})["changed"] is True
    assert codebuild.list_projects()["projects"] == []
    assert run_module(codebuild_project.main, {"name": "dito-backend-build", "state": "absent"})["changed"] is False
    assert [c for c in api_calls if c[1] == "DeleteProject"] == [("codebuild", "DeleteProject")]


@pytest.mark.parametrize(
    ("over", "named"),
    [
        ({"timeout_in_minutes": 3}, "timeout_in_minutes: 3 is outside 5..2160"),
        ({"queued_timeout_in_minutes": 600}, "queued_timeout_in_minutes: 600 is outside 5..480"),
        ({"service_role": "dito-backend-build"}, "service_role:"),
        ({"encryption_key": "0b7f2a4e-1111"}, "encryption_key:"),
        ({"source": {"type": "GITHUB"}}, "source.location:"),
        ({"cache": {"type": "LOCAL"}}, "cache.modes:"),
        ({"cache": {"type": "S3", "modes": ["LOCAL_SOURCE_CACHE"], "location": "b/p"}}, "cache.modes:"),
        ({"concurrent_build_limit": 0}, "concurrent_build_limit:"),
        ({"name": "-bad name"}, "name:"),
        ({"cache": {"type": "LOCAL", "modes": ["EVERYTHING"]}}, "modes"),
        ({"service_role": None}, "service_role"),
    ],
)
def test_bad_input_fails_before_any_call_naming_the_option(role, run_module, api_calls, over, named):
    args = options(role, **over)
    if args["service_role"] is None:
        del args["service_role"]
    failed = run_module(codebuild_project.main, args)
    assert failed["failed"] is True and named in failed["msg"]
    assert api_calls == []


def test_environment_variable_names_given_twice_are_refused(role, run_module, api_calls):
    args = options(role)
    args["environment"]["environment_variables"].append({"name": "NPM_TOKEN", "value": "x"})
    failed = run_module(codebuild_project.main, args)
    assert failed["failed"] is True and "environment.environment_variables: names given twice: NPM_TOKEN" in failed["msg"]
    assert api_calls == []


def propagation_warnings(result):
    return [str(w) for w in result.get("warnings", []) if "IAM to propagate" in str(w)]


@pytest.fixture(autouse=True)
def no_warnings_of_earlier_runs():
    """Ansible keeps a module's warnings in a process-wide list that a failed run leaves filled."""
    warnings._global_warnings.clear()


def test_a_role_codebuild_cannot_assume_fails_after_the_wait(aws, codebuild, run_module, api_calls, monkeypatch):
    monkeypatch.setattr(iam_propagation, "DELAY", 0.01)
    monkeypatch.setattr(iam_propagation, "MAX_DELAY", 0.01)
    failed = run_module(codebuild_project.main, options("arn:aws:iam::123456789012:role/nobody"))
    assert failed["failed"] is True and "CodeBuild is not authorized to perform: sts:AssumeRole" in failed["msg"]
    assert mutations(api_calls) == [("codebuild", "CreateProject")] * (1 + iam_propagation.ATTEMPTS)
    assert codebuild.list_projects()["projects"] == []


def test_emulator_a_role_younger_than_iam_propagation_is_waited_for(role, codebuild, run_module, iam_propagating):
    """The emulator's IAM propagation fault mode refuses the role until the module's retry sleeps (iam_propagating:
    a window of seconds was closed before the module ran on a loaded CI machine)."""
    created = run_module(codebuild_project.main, options(role))
    assert created["changed"] is True and "failed" not in created, created["msg"]
    assert held(codebuild)["serviceRole"] == role and len(propagation_warnings(created)) == 1


# ---------------------------------------------------------------------------------------------------
# Several projects in one call (projects)


@pytest.fixture
def test_role(aws):
    iam = boto3.client("iam", region_name=REGION)
    return iam.create_role(RoleName="dito-backend-test", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]


def several(role, test_role, **over):
    """The Test and Build projects of a pipeline: the build's options at the top, the test project's over them."""
    args = options(role, **over)
    del args["name"]
    args["projects"] = [
        {
            "name": "dito-backend-test",
            "description": "Tests the back end",
            "service_role": test_role,
            "environment": {"privileged_mode": False, "environment_variables": [{"name": "STAGE", "value": "test"}]},
            "cache": {"type": "NO_CACHE"},
            "logs": {"stream_name": "test"},
        },
        {"name": "dito-backend-build"},
    ]
    return args


def by_name(codebuild, *names):
    return {p["name"]: p for p in codebuild.batch_get_projects(names=list(names))["projects"]}


def test_several_projects_in_one_call_with_defaults_and_overrides(role, test_role, codebuild, run_module, api_calls):
    planned = run_module(codebuild_project.main, several(role, test_role), check_mode=True)
    assert planned["changed"] is True and [p["name"] for p in planned["projects"]] == ["dito-backend-test", "dito-backend-build"]
    assert planned["differences"] == {"dito-backend-test": [], "dito-backend-build": []}
    assert codebuild.list_projects()["projects"] == [] and mutations(api_calls) == []
    assert [c for c in api_calls if c[0] == "sts"] == [("sts", "GetCallerIdentity")]  # one for both planned ARNs

    created = run_module(codebuild_project.main, several(role, test_role), diff=True)
    assert created["changed"] is True and "project" not in created
    assert sorted(created["diff"]["after"]) == ["dito-backend-build", "dito-backend-test"] and created["diff"]["before"]["dito-backend-test"] == {}
    held_now = by_name(codebuild, "dito-backend-test", "dito-backend-build")
    test, build = held_now["dito-backend-test"], held_now["dito-backend-build"]
    # The entry's own values win; the rest are the top-level ones; environment and logs are merged key by key.
    assert (test["serviceRole"], test["description"], test["cache"]["type"]) == (test_role, "Tests the back end", "NO_CACHE")
    assert test["environment"]["privilegedMode"] is False and test["environment"]["image"] == "aws/codebuild/amazonlinux-x86_64-standard:5.0"
    assert test["environment"]["environmentVariables"] == [{"name": "STAGE", "value": "test", "type": "PLAINTEXT"}]
    assert test["logsConfig"]["cloudWatchLogs"] == {"status": "ENABLED", "groupName": "/dito/codebuild", "streamName": "test"}
    assert test["timeoutInMinutes"] == 30 and test["tags"] == [{"key": "project", "value": "dito"}]
    assert (build["serviceRole"], build["environment"]["privilegedMode"], build["cache"]["type"]) == (role, True, "LOCAL")
    assert len(build["environment"]["environmentVariables"]) == 2 and "streamName" not in build["logsConfig"]["cloudWatchLogs"]
    assert mutations(api_calls) == [("codebuild", "CreateProject")] * 2

    api_calls.clear()
    again = run_module(codebuild_project.main, several(role, test_role))
    assert again["changed"] is False and again["differences"] == {"dito-backend-test": [], "dito-backend-build": []}
    assert [p["arn"] for p in again["projects"]] == [ARN.replace("backend-build", "backend-test"), ARN]
    assert api_calls == [("codebuild", "BatchGetProjects")]
    assert run_module(codebuild_project.main, several(role, test_role), check_mode=True)["changed"] is False


def test_one_changed_entry_changes_only_it(role, test_role, codebuild, run_module, api_calls):
    run_module(codebuild_project.main, several(role, test_role))
    args = several(role, test_role)
    args["projects"][0]["timeout_in_minutes"] = 20
    planned = run_module(codebuild_project.main, args, check_mode=True)
    assert planned["changed"] is True and planned["differences"] == {"dito-backend-test": ["timeout_in_minutes"], "dito-backend-build": []}
    assert planned["projects"][0]["timeout_in_minutes"] == 20 and by_name(codebuild, "dito-backend-test")["dito-backend-test"]["timeoutInMinutes"] == 30

    updated = run_module(codebuild_project.main, args, diff=True)
    assert updated["differences"] == {"dito-backend-test": ["timeout_in_minutes"], "dito-backend-build": []}
    assert updated["diff"]["before"]["dito-backend-test"]["timeout_in_minutes"] == 30 and updated["diff"]["before"]["dito-backend-build"] == {}
    held_now = by_name(codebuild, "dito-backend-test", "dito-backend-build")
    assert (held_now["dito-backend-test"]["timeoutInMinutes"], held_now["dito-backend-build"]["timeoutInMinutes"]) == (20, 30)
    assert mutations(api_calls) == [("codebuild", "CreateProject")] * 2 + [("codebuild", "UpdateProject")]
    assert run_module(codebuild_project.main, args)["changed"] is False


def test_absent_deletes_several(role, test_role, codebuild, run_module, api_calls):
    run_module(codebuild_project.main, options(role))
    api_calls.clear()
    args = {"state": "absent", "projects": [{"name": "dito-backend-test"}, {"name": "dito-backend-build"}]}
    assert run_module(codebuild_project.main, args, check_mode=True)["changed"] is True
    assert codebuild.list_projects()["projects"] == ["dito-backend-build"]
    assert run_module(codebuild_project.main, args)["changed"] is True and codebuild.list_projects()["projects"] == []
    assert run_module(codebuild_project.main, args)["changed"] is False
    assert [c for c in api_calls if c[1] == "DeleteProject"] == [("codebuild", "DeleteProject")]
    assert [c for c in api_calls if c[1] == "BatchGetProjects"] == [("codebuild", "BatchGetProjects")] * 3


@pytest.mark.parametrize(
    ("entry", "named"),
    [
        ({"timeout_in_minutes": 3}, "projects[1] (dito-backend-bad): timeout_in_minutes: 3 is outside 5..2160"),
        ({"cache": {"type": "LOCAL"}}, "projects[1] (dito-backend-bad): cache.modes:"),
        ({"environment": {"compute_type": 7, "privileged_mode": "maybe"}}, "projects[1] (dito-backend-bad): "),
        ({"logs": {"status": "SOMETIMES"}}, "projects[1] (dito-backend-bad): value of status must be one of"),
        ({"tags": {"aws:x": "y"}}, "projects[1] (dito-backend-bad): tags: keys starting with aws: are reserved"),
    ],
)
def test_a_bad_entry_fails_before_any_call_naming_it(role, test_role, run_module, api_calls, entry, named):
    args = several(role, test_role)
    args["projects"][1] = dict(entry, name="dito-backend-bad")
    failed = run_module(codebuild_project.main, args)
    assert failed["failed"] is True and named in failed["msg"], failed["msg"]
    assert api_calls == []


def test_an_entry_without_environment_or_role_fails_naming_it(run_module, api_calls):
    failed = run_module(codebuild_project.main, {"projects": [{"name": "dito-a"}, {"name": "dito-b", "environment": {"privileged_mode": True}}]})
    assert failed["failed"] is True and failed["msg"].startswith("projects[0] (dito-a): state is present but all of the following are missing")
    failed = run_module(
        codebuild_project.main, {"service_role": "arn:aws:iam::123456789012:role/r", "projects": [{"name": "dito-b", "environment": {"privileged_mode": True}}]}
    )
    assert failed["failed"] is True and failed["msg"].startswith("projects[0] (dito-b): ") and "image" in failed["msg"]
    assert run_module(codebuild_project.main, {"projects": [{"name": "dito-a"}, {"name": "dito-a"}], "state": "absent"})["msg"] == (
        "projects: each name once, got dito-a more than once"
    )
    assert "mutually exclusive" in run_module(codebuild_project.main, {"name": "dito-a", "projects": [{"name": "dito-b"}], "state": "absent"})["msg"]
    assert api_calls == []


def test_a_lost_create_response_is_recognised_on_the_resend(role, codebuild, run_module, lost_response):
    """CreateProject's resend answers ResourceAlreadyExistsException: the module reads the project back and carries on."""
    doubled = lost_response("CreateProject")
    created = run_module(codebuild_project.main, options(role))
    assert doubled == [("codebuild", "CreateProject")]
    assert created["changed"] is True and "failed" not in created
    assert created["project"]["arn"] == ARN and created["project"]["tags"] == {"project": "dito"}
    assert created["project"]["service_role"] == role == held(codebuild)["serviceRole"]
    assert codebuild.list_projects()["projects"] == ["dito-backend-build"]
    assert run_module(codebuild_project.main, options(role))["changed"] is False
