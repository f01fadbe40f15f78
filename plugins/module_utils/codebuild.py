# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS CodeBuild project wrappers and the pure comparison of a project with the module's options.

ARN (CodeBuild User Guide, "Resource-level permissions"): ``arn:<partition>:codebuild:<region>:<account>:project/<name>``.
CodeBuild has no TagResource for projects: tags are CreateProject's and UpdateProject's ``tags`` field
([{key, value}], lowercase), which replaces the project's whole tag set.
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils import creates
from ansible_collections.dito.chat.plugins.module_utils import iam_propagation
from ansible_collections.dito.chat.plugins.module_utils import partitions
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleCodeBuildError(AnsibleAWSError):
    pass


class CodeBuildErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCodeBuildError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


# ---------------------------------------------------------------------------------------------------
# Pure helpers

# Types whose location CodeBuild ignores or that have none (ProjectSource.location, ProjectArtifacts.location:
# "If type is set to CODEPIPELINE, CodePipeline ignores this value if specified").
SOURCES_WITHOUT_LOCATION = ("CODEPIPELINE", "NO_SOURCE")
ARTIFACTS_WITHOUT_LOCATION = ("CODEPIPELINE", "NO_ARTIFACTS")
# encryptionKey: "If you don't specify a value, CodeBuild uses the managed CMK for Amazon Simple Storage Service".
DEFAULT_ENCRYPTION_KEY = "alias/aws/s3"
TIMEOUT_RANGE = (5, 2160)  # timeoutInMinutes: 5 to 2160 (36 hours)
QUEUED_TIMEOUT_RANGE = (5, 480)  # queuedTimeoutInMinutes: 5 to 480 (8 hours)
PROJECT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$")  # ProjectName: 2 to 150 characters
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
KMS_KEY = re.compile(r"^(alias/.+|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+)$")

# The compared fields, in the order a difference is reported (tags come last, compared apart).
FIELDS = (
    "description",
    "service_role",
    "source",
    "artifacts",
    "environment",
    "timeout_in_minutes",
    "queued_timeout_in_minutes",
    "encryption_key",
    "cache",
    "logs_config",
    "concurrent_build_limit",
)
# Each compared field and the request field that sets it.
REQUEST_FIELDS = {
    "description": "description",
    "service_role": "serviceRole",
    "source": "source",
    "artifacts": "artifacts",
    "environment": "environment",
    "timeout_in_minutes": "timeoutInMinutes",
    "queued_timeout_in_minutes": "queuedTimeoutInMinutes",
    "encryption_key": "encryptionKey",
    "cache": "cache",
    "logs_config": "logsConfig",
    "concurrent_build_limit": "concurrentBuildLimit",
}


def project_arn(region, account, name):
    """``arn:<partition>:codebuild:<region>:<account>:project/<name>`` (UnknownRegion if no partition)."""
    return partitions.arn(region, "codebuild", f"project/{name}", account)


def validation_errors(params):
    """What is wrong with the module's options (present), each naming the option; an empty list when nothing is."""
    errors = []
    if not PROJECT_NAME.match(params.get("name") or ""):
        errors.append(f"name: {params.get('name')!r} is not a project name (2 to 150 letters, digits, - and _, starting with a letter or digit)")
    if len(params.get("description") or "") > 255:
        errors.append("description: longer than 255 characters")
    role = params.get("service_role")
    if role and not ROLE_ARN.match(role):
        errors.append(f"service_role: {role!r} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
    for option, (low, high) in (("timeout_in_minutes", TIMEOUT_RANGE), ("queued_timeout_in_minutes", QUEUED_TIMEOUT_RANGE)):
        value = params.get(option)
        if value is not None and not low <= value <= high:
            errors.append(f"{option}: {value} is outside {low}..{high}")
    limit = params.get("concurrent_build_limit")
    if limit is not None and limit < 1:
        errors.append(f"concurrent_build_limit: {limit} is not a positive number (leave it out for no limit)")
    key = params.get("encryption_key")
    if key is not None and not KMS_KEY.match(key):
        errors.append(f"encryption_key: {key!r} is neither a KMS key ARN, an alias ARN nor alias/<name>")
    source = params.get("source") or {}
    if source.get("type") not in SOURCES_WITHOUT_LOCATION and not source.get("location"):
        errors.append(f"source.location: a {source.get('type')} source needs a location")
    if source.get("type") == "NO_SOURCE" and not source.get("buildspec"):
        errors.append("source.buildspec: a NO_SOURCE project needs its buildspec inline")
    artifacts = params.get("artifacts") or {}
    if artifacts.get("type") == "S3" and not artifacts.get("location"):
        errors.append("artifacts.location: S3 artifacts need a bucket name")
    environment = params.get("environment") or {}
    names = [v["name"] for v in environment.get("environment_variables") or []]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        errors.append(f"environment.environment_variables: names given twice: {', '.join(repeated)}")
    cache = params.get("cache") or {}
    if cache.get("type") == "S3" and not cache.get("location"):
        errors.append("cache.location: an S3 cache needs a bucket (bucket/prefix)")
    if cache.get("type") == "LOCAL" and not cache.get("modes"):
        errors.append("cache.modes: a LOCAL cache needs at least one mode")
    if cache.get("type") != "LOCAL" and cache.get("modes"):
        errors.append(f"cache.modes: only a LOCAL cache has modes, not {cache.get('type')}")
    return errors


def _drop_none(d):
    return {k: v for k, v in d.items() if v is not None}


def project_request(params):
    """CreateProject's fields (without name and tags) from the module's options, in the API's camelCase."""
    source, artifacts, environment = params["source"], params["artifacts"], params["environment"]
    cache, logs = params["cache"], params["logs"]
    request = {
        "description": params.get("description") or "",
        "serviceRole": params["service_role"],
        "source": _drop_none({"type": source["type"], "buildspec": source.get("buildspec"), "location": source.get("location")}),
        "artifacts": _drop_none(
            {"type": artifacts["type"], "location": artifacts.get("location"), "name": artifacts.get("name"), "packaging": artifacts.get("packaging")}
        ),
        "environment": {
            "type": environment["type"],
            "image": environment["image"],
            "computeType": environment["compute_type"],
            "privilegedMode": bool(environment["privileged_mode"]),
            "imagePullCredentialsType": environment["image_pull_credentials_type"],
            "environmentVariables": [
                {"name": v["name"], "value": v["value"], "type": v.get("type") or "PLAINTEXT"} for v in environment.get("environment_variables") or []
            ],
        },
        "timeoutInMinutes": params["timeout_in_minutes"],
        "queuedTimeoutInMinutes": params["queued_timeout_in_minutes"],
        "cache": _drop_none({"type": cache["type"], "modes": list(cache["modes"]) if cache.get("modes") else None, "location": cache.get("location")}),
        "logsConfig": {
            "cloudWatchLogs": _drop_none({"status": logs["status"], "groupName": logs.get("group_name"), "streamName": logs.get("stream_name")}),
            "s3Logs": {"status": "DISABLED"},
        },
    }
    if params.get("encryption_key"):
        request["encryptionKey"] = params["encryption_key"]
    if params.get("concurrent_build_limit") is not None:
        request["concurrentBuildLimit"] = params["concurrent_build_limit"]
    return request


def _kms_key(key, region, account):
    """A key or alias as one string whatever its form: ``alias/x`` becomes the alias ARN of the region and account."""
    key = key or DEFAULT_ENCRYPTION_KEY
    if key.startswith("alias/") and region and account:
        return partitions.arn(region, "kms", key, account)
    return key


def normalised(project, region=None, account=None):
    """The compared fields of a project (BatchGetProjects's ``project``) or of ``project_request()`` (both camelCase),
    as a plain snake_case dict.

    AWS's defaults are filled in (timeouts 60/480, the S3 managed key, privilegedMode false,
    imagePullCredentialsType CODEBUILD, variables of type PLAINTEXT, no cache, CloudWatch Logs ENABLED), what
    carries no meaning is dropped (the order of environment variables and cache modes, the location of a
    CODEPIPELINE source or artifact, the name/packaging AWS gives a CODEPIPELINE artifact, the group and stream of
    disabled logs), and what AWS adds for other uses (insecureSsl, badge, encryptionDisabled...) is left out.
    ``region`` and ``account`` turn an ``alias/x`` key into its ARN.
    """
    project = project or {}
    source = project.get("source") or {}
    source_type = source.get("type")
    artifacts = project.get("artifacts") or {}
    artifacts_type = artifacts.get("type")
    environment = project.get("environment") or {}
    cache = project.get("cache") or {}
    cache_type = cache.get("type") or "NO_CACHE"
    logs = (project.get("logsConfig") or {}).get("cloudWatchLogs") or {}
    logs_on = (logs.get("status") or "ENABLED") == "ENABLED"
    s3_logs = (project.get("logsConfig") or {}).get("s3Logs") or {}
    return {
        "description": project.get("description") or "",
        "service_role": project.get("serviceRole"),
        "source": {
            "type": source_type,
            "buildspec": source.get("buildspec") or "",
            "location": "" if source_type in SOURCES_WITHOUT_LOCATION else source.get("location") or "",
        },
        "artifacts": (
            {"type": artifacts_type}
            if artifacts_type in ARTIFACTS_WITHOUT_LOCATION
            else {
                "type": artifacts_type,
                "location": artifacts.get("location") or "",
                "name": artifacts.get("name"),
                "packaging": artifacts.get("packaging") or "NONE",
            }
        ),
        "environment": {
            "type": environment.get("type"),
            "image": environment.get("image"),
            "compute_type": environment.get("computeType"),
            "privileged_mode": bool(environment.get("privilegedMode")),
            "image_pull_credentials_type": environment.get("imagePullCredentialsType") or "CODEBUILD",
            "environment_variables": sorted(
                ({"name": v.get("name"), "value": v.get("value"), "type": v.get("type") or "PLAINTEXT"} for v in environment.get("environmentVariables") or []),
                key=lambda v: v["name"],
            ),
        },
        "timeout_in_minutes": int(project.get("timeoutInMinutes") or 60),
        "queued_timeout_in_minutes": int(project.get("queuedTimeoutInMinutes") or 480),
        "encryption_key": _kms_key(project.get("encryptionKey"), region, account),
        "cache": {
            "type": cache_type,
            "modes": sorted(cache.get("modes") or []) if cache_type == "LOCAL" else [],
            "location": (cache.get("location") or "") if cache_type == "S3" else "",
        },
        "logs_config": {
            "cloud_watch_logs": {
                "status": "ENABLED" if logs_on else "DISABLED",
                "group_name": (logs.get("groupName") or "") if logs_on else "",
                "stream_name": (logs.get("streamName") or "") if logs_on else "",
            },
            "s3_logs": {"status": s3_logs.get("status") or "DISABLED"},
        },
        "concurrent_build_limit": project.get("concurrentBuildLimit") if project.get("concurrentBuildLimit") not in (None, -1) else None,
    }


def differences(current, desired):
    """The names of the fields (FIELDS order) where two normalised projects differ.

    An artifact ``name`` that the options leave out (None) is not compared: CodeBuild chooses one.
    """
    found = []
    for field in FIELDS:
        have, want = current.get(field), desired.get(field)
        if field == "artifacts" and "name" in want and want["name"] is None:
            have = dict(have, name=None)
        if have != want:
            found.append(field)
    return found


def default_encryption_key(region, account):
    """The ARN of the alias of the AWS managed key for S3, as BatchGetProjects reports a project without a key."""
    return partitions.arn(region, "kms", DEFAULT_ENCRYPTION_KEY, account)


def update_request(request, fields, default_key=DEFAULT_ENCRYPTION_KEY):
    """UpdateProject's fields for the differing ``fields``, from ``project_request()``: a limit left out is -1
    ("To remove this limit, set this value to -1"), a key left out is ``default_key`` (the S3 managed key)."""
    update = {}
    for field in fields:
        name = REQUEST_FIELDS[field]
        if field == "concurrent_build_limit":
            update[name] = request.get(name, -1)
        elif field == "encryption_key":
            update[name] = request.get(name, default_key)
        else:
            update[name] = request[name]
    return update


def tags_dict(tags):
    return {t["key"]: t.get("value", "") for t in tags or []}


def tags_list(tags):
    return [{"key": k, "value": v} for k, v in (tags or {}).items()]


# ---------------------------------------------------------------------------------------------------
# Projects


BATCH_GET_LIMIT = 100  # BatchGetProjects: "names: ... Minimum number of 1 item. Maximum number of 100 items"


@AWSRetry.jittered_backoff()
def _batch_get_projects(client, names):
    return client.batch_get_projects(names=names).get("projects") or []


@CodeBuildErrorHandler.common_error_handler("get projects")
def get_projects(client, names):
    """Each of the named projects that exists, by name (one BatchGetProjects call per 100 names)."""
    found = {}
    for start in range(0, len(names), BATCH_GET_LIMIT):
        found.update({p["name"]: p for p in _batch_get_projects(client, names[start : start + BATCH_GET_LIMIT])})
    return found


@CodeBuildErrorHandler.common_error_handler("create project {name}")
def create_project(module, client, name, request, tags=None):
    """CreateProject, waiting (about a minute at most, with a warning) while IAM propagates a service role created
    moments ago: CodeBuild refuses it ("CodeBuild is not authorized to perform: sts:AssumeRole") until then."""
    request = dict(request, name=name)
    if tags:
        request["tags"] = tags_list(tags)
    retrying = AWSRetry.jittered_backoff()(client.create_project)

    def create(**kwargs):
        # A resend after a lost response meets the project the first attempt made: ResourceAlreadyExistsException.
        return creates.created_or_existing(
            lambda: retrying(**kwargs), ["ResourceAlreadyExistsException"], lambda: {"project": _batch_get_projects(client, [name])[0]}
        )

    return iam_propagation.call_while_role_propagates(module, create, request["serviceRole"], iam_propagation.CODEBUILD, **request)["project"]


@CodeBuildErrorHandler.common_error_handler("update project {name}")
def update_project(module, client, name, changes, role):
    """UpdateProject with the changed fields only (each replaces the project's); waits likewise for a new role."""
    retrying = AWSRetry.jittered_backoff()(client.update_project)
    return iam_propagation.call_while_role_propagates(module, retrying, role, iam_propagation.CODEBUILD, name=name, **changes)["project"]


@CodeBuildErrorHandler.deletion_error_handler("delete project {name}")
@AWSRetry.jittered_backoff()
def delete_project(client, name):
    client.delete_project(name=name)
