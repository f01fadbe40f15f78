"""The pure helpers of plugins/module_utils/codepipeline.py: the declaration the module sends, its normalised form
(what GetPipeline answers vs what the module asks), the differences, and the validation of the options."""

import copy

import pytest

from ansible_collections.dito.chat.plugins.module_utils import codepipeline as cp

ROLE = "arn:aws:iam::123456789012:role/dito-pipeline"
CONNECTION = "arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d"


def action(name, category, provider, **extra):
    return dict({"name": name, "actionTypeId": {"category": category, "owner": "AWS", "provider": provider, "version": "1"}}, **extra)


def stages():
    source = action("Source", "Source", "CodeStarSourceConnection", outputArtifacts=[{"name": "source"}])
    source["configuration"] = {"ConnectionArn": CONNECTION, "FullRepositoryId": "dito/chat", "BranchName": "main", "DetectChanges": False}
    return [
        {"name": "Source", "actions": [source]},
        {"name": "Build", "actions": [action("Build", "Build", "CodeBuild", configuration={"ProjectName": "b"}, inputArtifacts=[{"name": "source"}])]},
    ]


def params(**overrides):
    base = {
        "name": "dito-backend",
        "role_arn": ROLE,
        "artifact_store": {"bucket": "dito-artifacts", "kms_key_arn": None},
        "stages": stages(),
        "pipeline_type": "V2",
        "execution_mode": "QUEUED",
        "variables": [],
        "triggers": [],
    }
    return dict(base, **overrides)


def test_declaration_is_what_the_api_takes_with_strings_and_no_empty_fields():
    sent = cp.declaration(params(variables=[{"name": "env", "defaultValue": "prod", "description": None}]))
    assert sent["artifactStore"] == {"type": "S3", "location": "dito-artifacts"}
    source = sent["stages"][0]["actions"][0]
    assert source["configuration"]["DetectChanges"] == "false" and source["runOrder"] == 1
    assert "inputArtifacts" not in source and sent["variables"] == [{"name": "env", "defaultValue": "prod"}]
    assert "triggers" not in sent and (sent["pipelineType"], sent["executionMode"]) == ("V2", "QUEUED")
    with_key = cp.declaration(params(artifact_store={"bucket": "b", "kms_key_arn": "arn:aws:kms:eu-west-1:1:key/k"}))
    assert with_key["artifactStore"]["encryptionKey"] == {"id": "arn:aws:kms:eu-west-1:1:key/k", "type": "KMS"}


JSON_VALUE = ([{"name": "A", "value": "1"}], '[{"name":"A","value":"1"}]')


@pytest.mark.parametrize(("value", "held"), [(True, "true"), (False, "false"), (3, "3"), ("x", "x"), JSON_VALUE])
def test_config_value(value, held):
    assert cp.config_value(value) == held


def aws_answer(sent):
    """What GetPipeline answers for a declaration: AWS's additions (empty artifacts and configuration, runOrder 1,
    version)."""
    held = copy.deepcopy(sent)
    held["version"] = 3
    for stage in held["stages"]:
        for a in stage["actions"]:
            a.setdefault("inputArtifacts", [])
            a.setdefault("outputArtifacts", [])
            a.setdefault("configuration", {})
    return held


def test_aws_answer_of_the_declaration_makes_no_difference():
    trigger = {"providerType": "CodeStarSourceConnection", "gitConfiguration": {"sourceActionName": "Source", "push": [{"branches": {"includes": ["main"]}}]}}
    sent = cp.declaration(params(triggers=[trigger]))
    assert cp.differences(cp.normalised(aws_answer(sent)), cp.normalised(sent)) == []
    # Asked without runOrder / with runOrder 1 / a version as a number: the same.
    asked = params()
    asked["stages"][1]["actions"][0]["runOrder"] = 1
    asked["stages"][1]["actions"][0]["actionTypeId"]["version"] = 1
    assert cp.differences(cp.normalised(aws_answer(sent)), cp.normalised(cp.declaration(asked))) == ["triggers"]


def test_a_pipeline_without_v2_fields_is_v1_superseded():
    held = cp.normalised({"roleArn": ROLE, "stages": []})
    assert (held["pipeline_type"], held["execution_mode"]) == ("V1", "SUPERSEDED")


def test_differences_name_the_fields_and_the_stages():
    current = cp.normalised(aws_answer(cp.declaration(params())))
    changed = params(execution_mode="SUPERSEDED", role_arn=ROLE + "2")
    changed["stages"][1]["actions"][0]["configuration"]["ProjectName"] = "other"
    assert cp.differences(current, cp.normalised(cp.declaration(changed))) == ["role_arn", "execution_mode", "stages:Build"]

    added = params()
    added["stages"].append({"name": "Deploy", "actions": [action("Deploy", "Deploy", "CodeDeployToECS")]})
    assert cp.differences(current, cp.normalised(cp.declaration(added))) == ["stages:Deploy"]
    assert cp.differences(cp.normalised(cp.declaration(added)), current) == ["stages:Deploy"]

    on_failure = params()
    on_failure["stages"][1]["onFailure"] = {"result": "ROLLBACK"}
    assert cp.differences(current, cp.normalised(cp.declaration(on_failure))) == ["stages:Build"]

    swapped = params()
    swapped["stages"].reverse()
    assert cp.differences(current, cp.normalised(cp.declaration(swapped))) == ["stages"]


def test_a_masked_secret_makes_no_difference():
    asked = params()
    asked["stages"][0]["actions"][0]["configuration"]["OAuthToken"] = "s3cr3t-token"
    held = aws_answer(cp.declaration(asked))
    held["stages"][0]["actions"][0]["configuration"]["OAuthToken"] = "****"
    assert cp.differences(cp.normalised(held), cp.normalised(cp.declaration(asked))) == []
    held["stages"][0]["actions"][0]["configuration"]["BranchName"] = "dev"
    assert cp.differences(cp.normalised(held), cp.normalised(cp.declaration(asked))) == ["stages:Source"]


def test_valid_options_have_no_errors():
    trigger = {"providerType": "CodeStarSourceConnection", "gitConfiguration": {"sourceActionName": "Source", "push": [{"filePaths": {"includes": ["a/**"]}}]}}
    assert cp.validation_errors(params(triggers=[trigger], variables=[{"name": "v"}])) == []


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda p: p["stages"].pop(), "stages: a pipeline needs at least 2 stages"),
        (lambda p: p["stages"][1].pop("name"), "stages[1].name"),
        (lambda p: p["stages"][1].update(name="Source"), "stages[1].name: the stage name Source is used twice"),
        (lambda p: p["stages"][1].update(actions=[]), "stages[1].actions"),
        (lambda p: p["stages"][1]["actions"][0]["actionTypeId"].pop("provider"), "stages[1].actions[0].actionTypeId: needs provider"),
        (lambda p: p["stages"][1]["actions"][0].update(runOrder=0), "stages[1].actions[0].runOrder"),
        (lambda p: p["stages"][1]["actions"][0].update(configuration="x"), "stages[1].actions[0].configuration"),
        (lambda p: p["stages"][1]["actions"][0].update(inputArtifacts=["source"]), "stages[1].actions[0].inputArtifacts"),
        (lambda p: p["stages"][1].update(onFailure={"result": "IGNORE"}), "stages[1].onFailure.result"),
        (lambda p: p.update(pipeline_type="V1"), "execution_mode: QUEUED needs pipeline_type V2"),
        (lambda p: p.update(pipeline_type="V1", execution_mode="SUPERSEDED", variables=[{"name": "v"}]), "variables: only a V2 pipeline"),
        (lambda p: p.update(variables=[{"defaultValue": "x"}]), "variables[0].name"),
        (lambda p: p.update(triggers=[{"providerType": "GitHub"}]), "triggers[0].providerType"),
        (
            lambda p: p.update(triggers=[{"providerType": "CodeStarSourceConnection", "gitConfiguration": {"sourceActionName": "Build"}}]),
            "triggers[0].gitConfiguration.sourceActionName",
        ),
    ],
)
def test_bad_options_are_named(change, named):
    bad = params()
    change(bad)
    errors = cp.validation_errors(bad)
    assert any(named in e for e in errors), errors
