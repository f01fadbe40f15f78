"""dito.chat.codepipeline against moto in-process with the emulator's CodePipeline layer (a role trusting a list of
services)."""

import copy
import json

import boto3
import pytest

from ansible_collections.dito.chat.plugins.module_utils import iam_propagation
from ansible_collections.dito.chat.plugins.modules import codepipeline

REGION = "eu-west-1"
ARN = "arn:aws:codepipeline:eu-west-1:123456789012:dito-backend"
CONNECTION = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d"
MUTATING = ("CreatePipeline", "UpdatePipeline", "DeletePipeline", "TagResource", "UntagResource")


def action(name, category, provider, **extra):
    return dict({"name": name, "actionTypeId": {"category": category, "owner": "AWS", "provider": provider, "version": "1"}}, **extra)


def stages(approval=False):
    source = action("Source", "Source", "CodeStarSourceConnection", outputArtifacts=[{"name": "source"}], namespace="SourceVariables")
    source["configuration"] = {"ConnectionArn": CONNECTION, "FullRepositoryId": "dito/chat", "BranchName": "main", "DetectChanges": False}
    source_in, build_out = [{"name": "source"}], [{"name": "build"}]
    result = [
        {"name": "Source", "actions": [source]},
        {"name": "Test", "actions": [action("Test", "Test", "CodeBuild", configuration={"ProjectName": "dito-backend-test"}, inputArtifacts=source_in)]},
        {
            "name": "Build",
            "actions": [
                action("Build", "Build", "CodeBuild", configuration={"ProjectName": "dito-backend-build"}, inputArtifacts=source_in, outputArtifacts=build_out)
            ],
        },
    ]
    if approval:
        result.append({"name": "Approval", "actions": [action("Approve", "Approval", "Manual", runOrder=1)]})
    deploy = action("Deploy", "Deploy", "CodeDeployToECS", inputArtifacts=[{"name": "build"}])
    deploy["configuration"] = {
        "ApplicationName": "dito-backend",
        "DeploymentGroupName": "dito-backend",
        "TaskDefinitionTemplateArtifact": "build",
        "AppSpecTemplateArtifact": "build",
        "Image1ArtifactName": "build",
        "Image1ContainerName": "IMAGE1_NAME",
    }
    result.append({"name": "Deploy", "actions": [deploy], "onFailure": {"result": "ROLLBACK"}})
    return result


TRIGGER = {
    "providerType": "CodeStarSourceConnection",
    "gitConfiguration": {"sourceActionName": "Source", "push": [{"branches": {"includes": ["main"]}, "filePaths": {"includes": ["backend/**"]}}]},
}


@pytest.fixture
def role(aws):
    # The trust lists two services: AWS accepts it (the emulator layer too; moto alone refused it).
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": ["codepipeline.amazonaws.com", "codebuild.amazonaws.com"]}, "Action": "sts:AssumeRole"}],
    }
    return boto3.client("iam", region_name=REGION).create_role(RoleName="dito-pipeline", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]


def args(role, **overrides):
    base = {
        "name": "dito-backend",
        "role_arn": role,
        "artifact_store": {"bucket": "dito-artifacts"},
        "stages": stages(),
        "triggers": [TRIGGER],
        "variables": [{"name": "environment", "defaultValue": "prod"}],
        "tags": {"project": "dito"},
    }
    return dict(base, **overrides)


def mutations(api_calls):
    return [c[1] for c in api_calls if c[0] == "codepipeline" and c[1] in MUTATING]


def test_create_is_idempotent_tagged_and_check_mode_safe(role, run_module, api_calls):
    client = boto3.client("codepipeline", region_name=REGION)

    planned = run_module(codepipeline.main, args(role), check_mode=True)
    assert planned["changed"] is True and planned["pipeline"]["arn"] == ARN and planned["pipeline"]["version"] is None
    assert client.list_pipelines()["pipelines"] == [] and mutations(api_calls) == []

    created = run_module(codepipeline.main, args(role), diff=True)
    assert created["changed"] is True and created["diff"]["before"] == {} and created["differences"] == []
    assert mutations(api_calls) == ["CreatePipeline"]
    held = client.get_pipeline(name="dito-backend")
    pipeline = held["pipeline"]
    assert held["metadata"]["pipelineArn"] == ARN and pipeline["version"] == 1
    assert (pipeline["pipelineType"], pipeline["executionMode"]) == ("V2", "QUEUED")
    assert [s["name"] for s in pipeline["stages"]] == ["Source", "Test", "Build", "Deploy"]
    assert pipeline["stages"][0]["actions"][0]["configuration"]["DetectChanges"] == "false"
    assert pipeline["stages"][3]["onFailure"] == {"result": "ROLLBACK"}
    assert pipeline["triggers"] == [TRIGGER] and pipeline["variables"] == [{"name": "environment", "defaultValue": "prod"}]
    assert pipeline["artifactStore"] == {"type": "S3", "location": "dito-artifacts"}
    assert client.list_tags_for_resource(resourceArn=ARN)["tags"] == [{"key": "project", "value": "dito"}]
    assert created["pipeline"]["version"] == 1 and created["pipeline"]["tags"] == {"project": "dito"}
    assert created["pipeline"]["artifact_store"] == {"type": "S3", "location": "dito-artifacts"}

    del api_calls[:]
    again = run_module(codepipeline.main, args(role))
    assert again["changed"] is False and again["differences"] == [] and mutations(api_calls) == []
    assert again["pipeline"]["version"] == 1 and again["pipeline"]["triggers"] == [TRIGGER]
    assert run_module(codepipeline.main, args(role), check_mode=True)["changed"] is False
    assert mutations(api_calls) == [] and client.get_pipeline(name="dito-backend")["pipeline"]["version"] == 1


def test_one_changed_stage_is_one_update_naming_it(role, run_module, api_calls):
    client = boto3.client("codepipeline", region_name=REGION)
    run_module(codepipeline.main, args(role))
    changed = stages()
    changed[2]["actions"][0]["configuration"]["ProjectName"] = "dito-backend-build-2"
    del api_calls[:]

    planned = run_module(codepipeline.main, args(role, stages=changed), check_mode=True)
    assert planned["changed"] is True and planned["differences"] == ["stages:Build"] and planned["pipeline"]["version"] == 2
    assert mutations(api_calls) == [] and client.get_pipeline(name="dito-backend")["pipeline"]["version"] == 1

    updated = run_module(codepipeline.main, args(role, stages=changed), diff=True)
    assert updated["changed"] is True and updated["differences"] == ["stages:Build"] and mutations(api_calls) == ["UpdatePipeline"]
    assert updated["diff"]["before"]["stages"][2]["actions"][0]["configuration"]["ProjectName"] == "dito-backend-build"
    held = client.get_pipeline(name="dito-backend")["pipeline"]
    assert held["version"] == 2 and held["stages"][2]["actions"][0]["configuration"]["ProjectName"] == "dito-backend-build-2"
    assert updated["pipeline"]["version"] == 2 and client.list_tags_for_resource(resourceArn=ARN)["tags"] == [{"key": "project", "value": "dito"}]

    assert run_module(codepipeline.main, args(role, stages=changed))["changed"] is False
    assert mutations(api_calls) == ["UpdatePipeline"]

    with_approval = run_module(codepipeline.main, args(role, stages=stages(approval=True)))
    assert with_approval["differences"] == ["stages:Build", "stages:Approval"]
    assert [s["name"] for s in client.get_pipeline(name="dito-backend")["pipeline"]["stages"]] == ["Source", "Test", "Build", "Approval", "Deploy"]


RELEASE_PUSH = [{"branches": {"includes": ["release"]}}]


@pytest.mark.parametrize(
    ("overrides", "difference", "check"),
    [
        ({"triggers": [dict(TRIGGER, gitConfiguration=dict(TRIGGER["gitConfiguration"], push=RELEASE_PUSH))]}, "triggers", "triggers"),
        ({"triggers": []}, "triggers", "triggers"),
        ({"variables": [{"name": "environment", "defaultValue": "staging", "description": "where"}]}, "variables", "variables"),
        ({"execution_mode": "SUPERSEDED"}, "execution_mode", "executionMode"),
        ({"artifact_store": {"bucket": "dito-artifacts", "kms_key_arn": "arn:aws:kms:eu-west-1:123456789012:alias/dito"}}, "artifact_store", "artifactStore"),
    ],
)
def test_top_level_changes_are_one_update_each(role, run_module, api_calls, overrides, difference, check):
    client = boto3.client("codepipeline", region_name=REGION)
    run_module(codepipeline.main, args(role))
    updated = run_module(codepipeline.main, args(role, **overrides))
    assert updated["changed"] is True and updated["differences"] == [difference] and mutations(api_calls) == ["CreatePipeline", "UpdatePipeline"]
    held = client.get_pipeline(name="dito-backend")["pipeline"]
    assert held.get(check, []) == codepipeline.cp.declaration(dict(codepipeline_params(role), **overrides)).get(check, [])
    assert run_module(codepipeline.main, args(role, **overrides))["changed"] is False
    assert mutations(api_calls) == ["CreatePipeline", "UpdatePipeline"]


def codepipeline_params(role):
    """The module's params of args(role), defaults filled in."""
    return dict(args(role), pipeline_type="V2", execution_mode="QUEUED", artifact_store={"bucket": "dito-artifacts", "kms_key_arn": None})


def test_tags_are_reconciled_without_an_update(role, run_module, api_calls):
    client = boto3.client("codepipeline", region_name=REGION)
    run_module(codepipeline.main, args(role, tags={"project": "dito", "old": "x"}))
    retagged = run_module(codepipeline.main, args(role, tags={"project": "chat"}), diff=True)
    assert retagged["changed"] is True and retagged["differences"] == ["tags"] and retagged["diff"]["before"]["tags"] == {"project": "dito", "old": "x"}
    assert client.list_tags_for_resource(resourceArn=ARN)["tags"] == [{"key": "project", "value": "chat"}]
    assert "UpdatePipeline" not in mutations(api_calls) and client.get_pipeline(name="dito-backend")["pipeline"]["version"] == 1

    kept = run_module(codepipeline.main, args(role, tags=None))
    assert kept["changed"] is False and kept["pipeline"]["tags"] == {"project": "chat"}
    added = run_module(codepipeline.main, args(role, tags={"team": "a"}, purge_tags=False))
    assert added["changed"] is True and added["pipeline"]["tags"] == {"project": "chat", "team": "a"}
    refused = run_module(codepipeline.main, args(role, tags={"aws:x": "y"}))
    assert refused["failed"] and "tags" in refused["msg"]


def test_absent_deletes_only_an_existing_pipeline(role, run_module, api_calls):
    client = boto3.client("codepipeline", region_name=REGION)
    run_module(codepipeline.main, args(role))
    absent = {"name": "dito-backend", "state": "absent"}
    assert run_module(codepipeline.main, absent, check_mode=True)["changed"] is True
    assert "DeletePipeline" not in mutations(api_calls) and len(client.list_pipelines()["pipelines"]) == 1
    assert run_module(codepipeline.main, absent)["changed"] is True
    assert client.list_pipelines()["pipelines"] == []
    assert run_module(codepipeline.main, absent)["changed"] is False
    assert mutations(api_calls).count("DeletePipeline") == 1


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"stages": stages()[:1]}, "stages: a pipeline needs at least 2 stages"),
        ({"role_arn": None}, "role_arn"),
        ({"pipeline_type": "V1"}, "execution_mode"),
        ({"triggers": [dict(TRIGGER, gitConfiguration={"sourceActionName": "Nope"})]}, "triggers[0].gitConfiguration.sourceActionName"),
        ({"artifact_store": {"kms_key_arn": "k"}}, "bucket"),
    ],
)
def test_bad_input_fails_before_any_call_naming_the_option(role, run_module, api_calls, overrides, named):
    failed = run_module(codepipeline.main, args(role, **overrides))
    assert failed["failed"] and named in failed["msg"]
    assert [c for c in api_calls if c[0] == "codepipeline"] == []


def test_a_role_codepipeline_cannot_assume_is_refused_after_the_propagation_wait(role, run_module, api_calls, monkeypatch):
    monkeypatch.setattr(iam_propagation, "DELAY", 0.01)
    monkeypatch.setattr(iam_propagation, "MAX_DELAY", 0.01)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    other = boto3.client("iam", region_name=REGION).create_role(RoleName="build-only", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    refused = run_module(codepipeline.main, args(other))
    assert refused["failed"] and "not authorized to perform AssumeRole" in refused["msg"]
    assert mutations(api_calls) == ["CreatePipeline"] * (1 + iam_propagation.ATTEMPTS)


def test_the_module_does_not_alter_its_stages_argument(role, run_module):
    given = stages()
    kept = copy.deepcopy(given)
    run_module(codepipeline.main, args(role, stages=given))
    assert given == kept


def test_a_change_of_a_refresh_tag_updates_the_unchanged_pipeline(role, run_module, api_calls):
    """The connection's status as a refresh tag: PENDING -> AVAILABLE calls UpdatePipeline once (AWS registers the push
    trigger with the connection then); the same status again, or another tag's change, does not."""
    client = boto3.client("codepipeline", region_name=REGION)
    pending = {"project": "dito", "source-connection-status": "PENDING"}
    run_module(codepipeline.main, args(role, tags=pending, refresh_on_tags=["source-connection-status"]))
    available = dict(pending, **{"source-connection-status": "AVAILABLE"})
    del api_calls[:]
    refreshed = run_module(codepipeline.main, args(role, tags=available, refresh_on_tags=["source-connection-status"]))
    assert refreshed["changed"] is True and refreshed["differences"] == ["refresh:source-connection-status", "tags"]
    assert mutations(api_calls).count("UpdatePipeline") == 1 and client.get_pipeline(name="dito-backend")["pipeline"]["version"] == 2
    del api_calls[:]
    again = run_module(codepipeline.main, args(role, tags=dict(available, project="chat"), refresh_on_tags=["source-connection-status"]))
    assert again["differences"] == ["tags"] and "UpdatePipeline" not in mutations(api_calls)
    planned = run_module(codepipeline.main, args(role, tags=pending, refresh_on_tags=["source-connection-status"]), check_mode=True)
    assert planned["differences"] == ["refresh:source-connection-status", "tags"] and client.get_pipeline(name="dito-backend")["pipeline"]["version"] == 2


def test_a_lost_create_response_is_recognised_on_the_resend(role, run_module, lost_response):
    """CreatePipeline's resend answers PipelineNameInUseException: the module reads the pipeline back and carries on."""
    client = boto3.client("codepipeline", region_name=REGION)
    doubled = lost_response("CreatePipeline")
    created = run_module(codepipeline.main, args(role))
    assert doubled == [("codepipeline", "CreatePipeline")]
    assert created["changed"] is True and "failed" not in created
    assert created["pipeline"]["arn"] == ARN and created["pipeline"]["version"] == 1 and created["pipeline"]["tags"] == {"project": "dito"}
    assert created["pipeline"]["triggers"] == [TRIGGER]
    assert [p["name"] for p in client.list_pipelines()["pipelines"]] == ["dito-backend"]
    assert run_module(codepipeline.main, args(role))["changed"] is False
