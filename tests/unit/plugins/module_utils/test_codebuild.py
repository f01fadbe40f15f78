"""The pure helpers of plugins/module_utils/codebuild.py: the request from the options, its normalised form (what
BatchGetProjects answers vs what the module asks), the differences, the update request and the validation."""

import copy

import pytest

from ansible_collections.dito.chat.plugins.module_utils import codebuild as cb

ROLE = "arn:aws:iam::123456789012:role/dito-build"
REGION, ACCOUNT = "eu-west-1", "123456789012"

PARAMS = {
    "name": "dito-build",
    "description": None,
    "service_role": ROLE,
    "source": {"type": "CODEPIPELINE", "buildspec": "buildspec.yml", "location": None},
    "artifacts": {"type": "CODEPIPELINE", "location": None, "name": None, "packaging": None},
    "environment": {
        "type": "LINUX_CONTAINER",
        "image": "aws/codebuild/amazonlinux-x86_64-standard:5.0",
        "compute_type": "BUILD_GENERAL1_SMALL",
        "privileged_mode": False,
        "image_pull_credentials_type": "CODEBUILD",
        "environment_variables": [{"name": "B", "value": "2", "type": "PLAINTEXT"}, {"name": "A", "value": "/p/a", "type": "PARAMETER_STORE"}],
    },
    "timeout_in_minutes": 60,
    "queued_timeout_in_minutes": 480,
    "encryption_key": None,
    "cache": {"type": "NO_CACHE", "modes": None, "location": None},
    "logs": {"status": "ENABLED", "group_name": None, "stream_name": None},
    "concurrent_build_limit": None,
}

# What BatchGetProjects answers for the project PARAMS created: AWS's additions, other orders, the key as an ARN.
AWS_PROJECT = {
    "name": "dito-build",
    "arn": "arn:aws:codebuild:eu-west-1:123456789012:project/dito-build",
    "source": {"type": "CODEPIPELINE", "buildspec": "buildspec.yml", "insecureSsl": False},
    "secondarySources": [],
    "artifacts": {"type": "CODEPIPELINE", "name": "dito-build", "packaging": "NONE", "encryptionDisabled": False},
    "cache": {"type": "NO_CACHE"},
    "environment": {
        "type": "LINUX_CONTAINER",
        "image": "aws/codebuild/amazonlinux-x86_64-standard:5.0",
        "computeType": "BUILD_GENERAL1_SMALL",
        "environmentVariables": [{"name": "A", "value": "/p/a", "type": "PARAMETER_STORE"}, {"name": "B", "value": "2", "type": "PLAINTEXT"}],
        "privilegedMode": False,
        "imagePullCredentialsType": "CODEBUILD",
    },
    "serviceRole": ROLE,
    "timeoutInMinutes": 60,
    "queuedTimeoutInMinutes": 480,
    "encryptionKey": "arn:aws:kms:eu-west-1:123456789012:alias/aws/s3",
    "tags": [],
    "badge": {"badgeEnabled": False},
    "logsConfig": {"cloudWatchLogs": {"status": "ENABLED"}, "s3Logs": {"status": "DISABLED", "encryptionDisabled": False}},
    "projectVisibility": "PRIVATE",
}


def params(**over):
    merged = copy.deepcopy(PARAMS)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key].update(value)
        else:
            merged[key] = value
    return merged


def compare(project, p):
    return cb.differences(cb.normalised(project, REGION, ACCOUNT), cb.normalised(cb.project_request(p), REGION, ACCOUNT))


def test_the_project_aws_answers_equals_the_request():
    assert compare(AWS_PROJECT, PARAMS) == []


def test_the_request_has_the_api_shape():
    request = cb.project_request(params(concurrent_build_limit=3, encryption_key="alias/dito", cache={"type": "LOCAL", "modes": ["LOCAL_SOURCE_CACHE"]}))
    assert request["source"] == {"type": "CODEPIPELINE", "buildspec": "buildspec.yml"}
    assert request["artifacts"] == {"type": "CODEPIPELINE"}
    assert request["environment"]["environmentVariables"][1] == {"name": "A", "value": "/p/a", "type": "PARAMETER_STORE"}
    assert request["logsConfig"] == {"cloudWatchLogs": {"status": "ENABLED"}, "s3Logs": {"status": "DISABLED"}}
    assert request["cache"] == {"type": "LOCAL", "modes": ["LOCAL_SOURCE_CACHE"]}
    assert (request["encryptionKey"], request["concurrentBuildLimit"], request["description"]) == ("alias/dito", 3, "")
    assert "encryptionKey" not in cb.project_request(PARAMS) and "concurrentBuildLimit" not in cb.project_request(PARAMS)


@pytest.mark.parametrize(
    ("over", "fields"),
    [
        ({"description": "new"}, ["description"]),
        ({"service_role": "arn:aws:iam::123456789012:role/other"}, ["service_role"]),
        ({"source": {"buildspec": "version: 0.2\n"}}, ["source"]),
        ({"source": {"location": "ignored for CODEPIPELINE"}}, []),
        ({"artifacts": {"type": "NO_ARTIFACTS"}}, ["artifacts"]),
        ({"environment": {"privileged_mode": True}}, ["environment"]),
        ({"environment": {"environment_variables": [{"name": "A", "value": "/p/a", "type": "PARAMETER_STORE"}]}}, ["environment"]),
        ({"timeout_in_minutes": 30, "queued_timeout_in_minutes": 60}, ["timeout_in_minutes", "queued_timeout_in_minutes"]),
        ({"encryption_key": "alias/aws/s3"}, []),
        ({"encryption_key": "arn:aws:kms:eu-west-1:123456789012:alias/aws/s3"}, []),
        ({"encryption_key": "arn:aws:kms:eu-west-1:123456789012:key/1"}, ["encryption_key"]),
        ({"cache": {"type": "LOCAL", "modes": ["LOCAL_SOURCE_CACHE"]}}, ["cache"]),
        ({"logs": {"group_name": "/dito/build"}}, ["logs_config"]),
        ({"logs": {"status": "DISABLED"}}, ["logs_config"]),
        ({"concurrent_build_limit": 1}, ["concurrent_build_limit"]),
    ],
)
def test_each_field_is_compared_on_its_own(over, fields):
    assert compare(AWS_PROJECT, params(**over)) == fields


def test_orders_and_the_group_of_disabled_logs_carry_no_meaning():
    project = copy.deepcopy(AWS_PROJECT)
    project["cache"] = {"type": "LOCAL", "modes": ["LOCAL_SOURCE_CACHE", "LOCAL_DOCKER_LAYER_CACHE"]}
    project["logsConfig"]["cloudWatchLogs"] = {"status": "DISABLED", "groupName": "/old"}
    asked = params(cache={"type": "LOCAL", "modes": ["LOCAL_DOCKER_LAYER_CACHE", "LOCAL_SOURCE_CACHE"]}, logs={"status": "DISABLED"})
    assert compare(project, asked) == []


def test_s3_artifacts_compare_their_location_and_a_name_only_when_asked():
    project = copy.deepcopy(AWS_PROJECT)
    project["artifacts"] = {"type": "S3", "location": "dito-bucket", "name": "chosen-by-aws", "packaging": "NONE", "encryptionDisabled": False}
    assert compare(project, params(artifacts={"type": "S3", "location": "dito-bucket"})) == []
    assert compare(project, params(artifacts={"type": "S3", "location": "dito-bucket", "name": "out"})) == ["artifacts"]
    assert compare(project, params(artifacts={"type": "S3", "location": "other"})) == ["artifacts"]
    assert compare(project, params(artifacts={"type": "S3", "location": "dito-bucket", "packaging": "ZIP"})) == ["artifacts"]


def test_the_update_request_holds_only_the_differing_fields():
    request = cb.project_request(params(timeout_in_minutes=30))
    default_key = cb.default_encryption_key(REGION, ACCOUNT)
    assert default_key == "arn:aws:kms:eu-west-1:123456789012:alias/aws/s3"
    assert cb.update_request(request, ["timeout_in_minutes"], default_key) == {"timeoutInMinutes": 30}
    # Left out: the limit is removed (-1), the key returns to the S3 managed key.
    assert cb.update_request(request, ["concurrent_build_limit", "encryption_key"], default_key) == {"concurrentBuildLimit": -1, "encryptionKey": default_key}


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"name": "x"}, "name:"),
        ({"description": "d" * 256}, "description: longer than 255"),
        ({"service_role": "dito-build"}, "service_role:"),
        ({"timeout_in_minutes": 2161}, "timeout_in_minutes: 2161 is outside 5..2160"),
        ({"queued_timeout_in_minutes": 4}, "queued_timeout_in_minutes: 4 is outside 5..480"),
        ({"concurrent_build_limit": -1}, "concurrent_build_limit:"),
        ({"encryption_key": "1234abcd"}, "encryption_key:"),
        ({"source": {"type": "S3"}}, "source.location:"),
        ({"source": {"type": "NO_SOURCE", "buildspec": None}}, "source.buildspec:"),
        ({"artifacts": {"type": "S3"}}, "artifacts.location:"),
        ({"cache": {"type": "S3"}}, "cache.location:"),
        ({"cache": {"type": "LOCAL"}}, "cache.modes:"),
        ({"cache": {"modes": ["LOCAL_SOURCE_CACHE"]}}, "cache.modes: only a LOCAL cache"),
    ],
)
def test_validation_names_the_option(over, message):
    errors = cb.validation_errors(params(**over))
    assert len(errors) == 1 and errors[0].startswith(message.split(":")[0]) and message in errors[0]


def test_valid_options_pass_validation():
    assert cb.validation_errors(PARAMS) == []
    assert cb.validation_errors(params(encryption_key="alias/dito", source={"type": "GITHUB", "location": "https://github.com/dito/chat"})) == []


def test_tags_use_codebuilds_lowercase_keys():
    assert cb.tags_list({"project": "dito"}) == [{"key": "project", "value": "dito"}]
    assert cb.tags_dict([{"key": "project", "value": "dito"}, {"key": "empty"}]) == {"project": "dito", "empty": ""}
