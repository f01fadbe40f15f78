# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS CodePipeline wrappers (pipelines, tags) and the pure normalisation and comparison of a pipeline declaration.

ARN (CodePipeline User Guide, "Resources and operations"): ``arn:<partition>:codepipeline:<region>:<account>:<name>``.
Tags are ``[{"key": ..., "value": ...}]`` (lower-case keys) in this API.
"""

import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils import creates
from ansible_collections.dito.chat.plugins.module_utils import iam_propagation
from ansible_collections.dito.chat.plugins.module_utils import partitions
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleCodePipelineError(AnsibleAWSError):
    pass


class CodePipelineErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCodePipelineError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["PipelineNotFoundException"])


# ---------------------------------------------------------------------------------------------------
# Pure helpers

# What AWS answers for a pipeline declared without them (API reference, PipelineDeclaration: "The default mode is
# SUPERSEDED"; a pipeline without V2 parameters is V1).
DEFAULT_PIPELINE_TYPE = "V1"
DEFAULT_EXECUTION_MODE = "SUPERSEDED"
V2_ONLY_EXECUTION_MODES = ("QUEUED", "PARALLEL")
# A configuration property CodePipeline keeps secret (NoEcho, e.g. a GitHub OAuthToken) is answered as this mask.
MASKED = "****"
TRIGGER_PROVIDERS = ("CodeStarSourceConnection",)

# The compared top-level fields, in the order a difference is reported (stages are reported per stage).
FIELDS = ("role_arn", "artifact_store", "pipeline_type", "execution_mode", "variables", "triggers")


def pipeline_arn(region, account, name):
    """``arn:<partition>:codepipeline:<region>:<account>:<name>`` (UnknownRegion if no partition has the region)."""
    return partitions.arn(region, "codepipeline", name, account)


def config_value(value):
    """A configuration value as CodePipeline holds it (a string): booleans as ``true``/``false``, numbers as their
    digits, lists and dicts as compact JSON (e.g. CodeBuild's EnvironmentVariables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    if value is None:
        return ""
    return str(value)


def _clean(value):
    """``value`` without None, empty lists and empty dicts, at every depth."""
    if isinstance(value, dict):
        cleaned = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v is not None and v != [] and v != {}}
    if isinstance(value, list):
        cleaned = [_clean(v) for v in value]
        return [v for v in cleaned if v is not None and v != [] and v != {}]
    return value


def normalised_action(action):
    """An ActionDeclaration as compared: runOrder 1 when absent, configuration values as strings, version a string,
    empty fields dropped (AWS answers ``inputArtifacts: []``, ``configuration: {}`` where none were given)."""
    action = dict(action or {})
    action["runOrder"] = int(action.get("runOrder") or 1)
    if "actionTypeId" in action:
        type_id = dict(action["actionTypeId"] or {})
        if "version" in type_id:
            type_id["version"] = str(type_id["version"])
        action["actionTypeId"] = type_id
    action["configuration"] = {str(k): config_value(v) for k, v in (action.get("configuration") or {}).items()}
    return _clean(action)


def normalised_stage(stage):
    stage = dict(stage or {})
    stage["actions"] = [normalised_action(a) for a in stage.get("actions") or []]
    return _clean(stage)


def artifact_store_declaration(artifact_store):
    """PipelineDeclaration's ``artifactStore`` from the module's option {bucket, kms_key_arn}."""
    store = {"type": "S3", "location": artifact_store["bucket"]}
    if artifact_store.get("kms_key_arn"):
        store["encryptionKey"] = {"id": artifact_store["kms_key_arn"], "type": "KMS"}
    return store


def declaration(params):
    """The PipelineDeclaration (camelCase, without ``version``) that the module's options ask for, normalised:
    it is what is sent to CreatePipeline / UpdatePipeline."""
    result = {
        "name": params["name"],
        "roleArn": params["role_arn"],
        "artifactStore": artifact_store_declaration(params["artifact_store"]),
        "stages": [normalised_stage(s) for s in params["stages"]],
        "pipelineType": params["pipeline_type"],
        "executionMode": params["execution_mode"],
    }
    variables = _clean(list(params.get("variables") or []))
    triggers = _clean(list(params.get("triggers") or []))
    if variables:
        result["variables"] = variables
    if triggers:
        result["triggers"] = triggers
    return result


def normalised(pipeline):
    """The compared fields of a PipelineDeclaration (GetPipeline's ``pipeline`` or ``declaration()``), snake_case keys:
    AWS's defaults filled in, empty fields dropped, ``version``/``name`` left out."""
    pipeline = pipeline or {}
    return {
        "role_arn": pipeline.get("roleArn"),
        "artifact_store": _clean(pipeline.get("artifactStore") or {}),
        "pipeline_type": pipeline.get("pipelineType") or DEFAULT_PIPELINE_TYPE,
        "execution_mode": pipeline.get("executionMode") or DEFAULT_EXECUTION_MODE,
        "variables": _clean(list(pipeline.get("variables") or [])),
        "triggers": _clean(list(pipeline.get("triggers") or [])),
        "stages": [normalised_stage(s) for s in pipeline.get("stages") or []],
    }


def _unmask(current_stage, desired_stage):
    """``current_stage`` with each configuration value that AWS answers masked (``****``) replaced by the asked one:
    a secret cannot be compared, so it does not make a difference."""
    desired_actions = {a.get("name"): a for a in (desired_stage or {}).get("actions") or []}
    actions = []
    for action in current_stage.get("actions") or []:
        asked = (desired_actions.get(action.get("name")) or {}).get("configuration") or {}
        config = action.get("configuration")
        if config:
            config = {k: asked.get(k, v) if v == MASKED else v for k, v in config.items()}
            actions.append(dict(action, configuration=config))
        else:
            actions.append(action)
    return dict(current_stage, actions=actions)


def differences(current, desired):
    """What differs between two ``normalised()`` declarations: the names of FIELDS that differ, then
    ``stages:<name>`` for each stage added, removed or changed, or ``stages`` when only their order differs."""
    found = [f for f in FIELDS if current.get(f) != desired.get(f)]
    have = {s.get("name"): s for s in current.get("stages") or []}
    want = {s.get("name"): s for s in desired.get("stages") or []}
    names = list(want) + [n for n in have if n not in want]
    changed = [n for n in names if n not in have or n not in want or _unmask(have[n], want[n]) != want[n]]
    found.extend(f"stages:{n}" for n in changed)
    if not changed and list(have) != list(want):
        found.append("stages")
    return found


def validation_errors(params):
    """What is wrong with the options of a present pipeline, each message naming the option (empty: all good)."""
    errors = [f"{option}: required when state is present" for option in ("role_arn", "artifact_store", "stages") if not params.get(option)]
    stages = params.get("stages") or []
    if len(stages) < 2:
        errors.append(f"stages: a pipeline needs at least 2 stages (a source stage and another), got {len(stages)}")
    stage_names, source_actions = set(), {}
    for i, stage in enumerate(stages):
        where = f"stages[{i}]"
        if not isinstance(stage, dict) or not isinstance(stage.get("name"), str) or not stage.get("name"):
            errors.append(f"{where}.name: each stage needs a name")
            continue
        if stage["name"] in stage_names:
            errors.append(f"{where}.name: the stage name {stage['name']} is used twice")
        stage_names.add(stage["name"])
        actions = stage.get("actions")
        if not isinstance(actions, list) or not actions:
            errors.append(f"{where}.actions: stage {stage['name']} needs a list of at least one action")
            continue
        action_names = set()
        for j, action in enumerate(actions):
            at = f"{where}.actions[{j}]"
            if not isinstance(action, dict) or not action.get("name"):
                errors.append(f"{at}.name: each action needs a name")
                continue
            if action["name"] in action_names:
                errors.append(f"{at}.name: the action name {action['name']} is used twice in stage {stage['name']}")
            action_names.add(action["name"])
            type_id = action.get("actionTypeId")
            missing = [k for k in ("category", "owner", "provider", "version") if not isinstance(type_id, dict) or not type_id.get(k)]
            if missing:
                errors.append(f"{at}.actionTypeId: needs {', '.join(missing)}")
            elif type_id["category"] == "Source":
                source_actions[action["name"]] = type_id["provider"]
            if "configuration" in action and not isinstance(action["configuration"], dict):
                errors.append(f"{at}.configuration: must be a dict of configuration properties")
            run_order = action.get("runOrder", 1)
            if isinstance(run_order, bool) or not isinstance(run_order, int) or not 1 <= run_order <= 999:
                errors.append(f"{at}.runOrder: must be an integer from 1 to 999")
            for key in ("inputArtifacts", "outputArtifacts"):
                artifacts = action.get(key, [])
                if not isinstance(artifacts, list) or not all(isinstance(a, dict) and a.get("name") for a in artifacts):
                    errors.append(f"{at}.{key}: must be a list of {{name: ...}}")
        on_failure = stage.get("onFailure")
        if on_failure is not None and (not isinstance(on_failure, dict) or on_failure.get("result", "FAIL") not in ("ROLLBACK", "FAIL", "RETRY", "SKIP")):
            errors.append(f"{where}.onFailure.result: must be one of ROLLBACK, FAIL, RETRY, SKIP")
    if params.get("pipeline_type") == "V1":
        if params.get("execution_mode") in V2_ONLY_EXECUTION_MODES:
            errors.append(f"execution_mode: {params['execution_mode']} needs pipeline_type V2 (a V1 pipeline is SUPERSEDED)")
        for option in ("triggers", "variables"):
            if params.get(option):
                errors.append(f"{option}: only a V2 pipeline has {option}")
    for i, variable in enumerate(params.get("variables") or []):
        if not isinstance(variable, dict) or not variable.get("name"):
            errors.append(f"variables[{i}].name: each variable needs a name")
    for i, trigger in enumerate(params.get("triggers") or []):
        where = f"triggers[{i}]"
        if not isinstance(trigger, dict) or trigger.get("providerType") not in TRIGGER_PROVIDERS:
            errors.append(f"{where}.providerType: must be one of {', '.join(TRIGGER_PROVIDERS)}")
            continue
        git = trigger.get("gitConfiguration")
        source = git.get("sourceActionName") if isinstance(git, dict) else None
        if source not in source_actions or source_actions[source] != "CodeStarSourceConnection":
            errors.append(f"{where}.gitConfiguration.sourceActionName: must name a CodeStarSourceConnection source action of the stages, got {source!r}")
    return errors


def tags_dict(tags):
    return {t["key"]: t.get("value", "") for t in tags or []}


def tags_list(tags):
    return [{"key": k, "value": v} for k, v in (tags or {}).items()]


# ---------------------------------------------------------------------------------------------------
# Pipelines


@CodePipelineErrorHandler.list_error_handler("get pipeline {name}")
@AWSRetry.jittered_backoff()
def get_pipeline(client, name):
    """GetPipeline's answer ({pipeline, metadata}), or None when there is no such pipeline."""
    response = client.get_pipeline(name=name)
    return {"pipeline": response["pipeline"], "metadata": response.get("metadata") or {}}


@CodePipelineErrorHandler.common_error_handler("create pipeline {name}")
def create_pipeline(module, client, name, pipeline, tags=None):
    """CreatePipeline, waiting (about a minute at most, with a warning) while IAM propagates a role created
    moments ago: CodePipeline refuses it with InvalidStructureException until it can assume it."""
    request = {"pipeline": pipeline}
    if tags:
        request["tags"] = tags_list(tags)

    def create(**kwargs):
        # A resend after a lost response meets the pipeline the first attempt made: PipelineNameInUseException.
        return creates.created_or_existing(lambda: client.create_pipeline(**kwargs), ["PipelineNameInUseException"], lambda: client.get_pipeline(name=name))

    return iam_propagation.call_while_role_propagates(module, create, pipeline["roleArn"], iam_propagation.CODEPIPELINE, **request)["pipeline"]


@CodePipelineErrorHandler.common_error_handler("update pipeline {name}")
def update_pipeline(module, client, name, pipeline):
    """UpdatePipeline (the whole declaration with the version it replaces, as GetPipeline answered it; AWS bumps the
    version), waiting likewise while IAM propagates a new role."""
    return iam_propagation.call_while_role_propagates(module, client.update_pipeline, pipeline["roleArn"], iam_propagation.CODEPIPELINE, pipeline=pipeline)[
        "pipeline"
    ]


@CodePipelineErrorHandler.deletion_error_handler("delete pipeline {name}")
@AWSRetry.jittered_backoff()
def delete_pipeline(client, name):
    client.delete_pipeline(name=name)


# ---------------------------------------------------------------------------------------------------
# Tags


@CodePipelineErrorHandler.common_error_handler("list the tags of {arn}")
@AWSRetry.jittered_backoff()
def list_tags(client, arn):
    tags, request = [], {"resourceArn": arn}
    while True:
        page = client.list_tags_for_resource(**request)
        tags.extend(page.get("tags") or [])
        if not page.get("nextToken"):
            return tags_dict(tags)
        request["nextToken"] = page["nextToken"]


@CodePipelineErrorHandler.common_error_handler("tag {arn}")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=tags_list(tags))


@CodePipelineErrorHandler.common_error_handler("untag {arn}")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=list(keys))
