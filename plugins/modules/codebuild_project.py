#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: codebuild_project
short_description: Manage an AWS CodeBuild project
version_added: 1.0.0
description:
  - Creates, updates or deletes one AWS CodeBuild project. Check mode and diff mode are supported.
  - With O(projects), one task manages several projects, each exactly as a task of its own would (one module
    process and one BatchGetProjects call for up to 100 of them, instead of a loop of tasks); the top-level options
    are then every project's defaults.
  - The project is compared field by field with the options after both are normalised (AWS's defaults filled in,
    the order of environment variables and cache modes ignored, the location CodeBuild ignores for a
    C(CODEPIPELINE) source or artifact ignored); UpdateProject is called only when a field or a tag differs, and
    only with the fields that differ.
  - CodeBuild has no TagResource for projects; tags are set through CreateProject and UpdateProject.
  - A service role created moments ago is refused by CodeBuild until IAM has propagated it; the module then
    waits for about a minute at most, with a warning.
  - Unlike M(community.aws.codebuild_project), a re-run with the same options makes no mutating call, and check
    mode makes none at all.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description:
      - The project name (2 to 150 letters, digits, V(-) and V(_)).
      - Exactly one of O(name) and O(projects) is required.
    type: str
  projects:
    description:
      - Several projects in one task, each an entry with its O(projects[].name) and any of the top-level options
        below (O(description) to O(tags)), which default to the top-level ones.
      - An entry's own value wins over the top-level one when it is not null. O(projects[].environment) and
        O(projects[].logs) are merged key by key over O(environment) and O(logs) (so the top level may hold the
        image and compute type, an entry its own variables; a given C(environment_variables) replaces the top-level
        list whole); O(projects[].source), O(projects[].artifacts), O(projects[].cache) and O(projects[].tags)
        replace the top-level value whole.
      - Each merged entry is checked as the top-level options are (the same defaults, choices and errors), before
        any AWS call; an error names the entry, as in C(projects[1] \(name\)) followed by the message. A top-level O(environment) needs its
        O(environment.image) even when every entry gives its own.
      - Exactly one of O(name) and O(projects) is required. O(state) and O(purge_tags) apply to every project.
      - The result is then RV(projects), RV(differences) by name and the diff by name, instead of RV(project).
    type: list
    elements: dict
    suboptions:
      name:
        description: The project name.
        type: str
        required: true
      description:
        description: Overrides O(description).
        type: str
      service_role:
        description: Overrides O(service_role).
        type: str
      source:
        description: Replaces O(source) (same keys).
        type: dict
      artifacts:
        description: Replaces O(artifacts) (same keys).
        type: dict
      environment:
        description: Merged key by key over O(environment) (same keys).
        type: dict
      timeout_in_minutes:
        description: Overrides O(timeout_in_minutes).
        type: int
      queued_timeout_in_minutes:
        description: Overrides O(queued_timeout_in_minutes).
        type: int
      encryption_key:
        description: Overrides O(encryption_key).
        type: str
      cache:
        description: Replaces O(cache) (same keys).
        type: dict
      logs:
        description: Merged key by key over O(logs) (same keys).
        type: dict
      concurrent_build_limit:
        description: Overrides O(concurrent_build_limit).
        type: int
      tags:
        description: Replaces O(tags).
        type: dict
  state:
    description: Whether the project should exist.
    type: str
    default: present
    choices: [present, absent]
  description:
    description: The project description; none when left out.
    type: str
  service_role:
    description:
      - The ARN of the IAM role CodeBuild assumes to run builds; it must trust C(codebuild.amazonaws.com).
      - Required when O(state=present).
    type: str
  source:
    description: Where the build's source comes from.
    type: dict
    default: {}
    suboptions:
      type:
        description: The source type.
        type: str
        default: CODEPIPELINE
        choices: [CODEPIPELINE, GITHUB, GITHUB_ENTERPRISE, GITLAB, GITLAB_SELF_MANAGED, BITBUCKET, CODECOMMIT, S3, NO_SOURCE]
      buildspec:
        description:
          - The build specification, as inline YAML content or as a path inside the source.
          - Left out, CodeBuild reads C(buildspec.yml) at the source root. Required for V(NO_SOURCE).
        type: str
      location:
        description:
          - The source location (a repository URL, C(bucket/key) for S3). Required for every type but
            V(CODEPIPELINE) and V(NO_SOURCE), for which CodeBuild ignores it (and the module does not compare it).
        type: str
  artifacts:
    description: Where the build's output goes.
    type: dict
    default: {}
    suboptions:
      type:
        description: The artifacts type.
        type: str
        default: CODEPIPELINE
        choices: [CODEPIPELINE, S3, NO_ARTIFACTS]
      location:
        description: The S3 bucket name. Required for V(S3); ignored for the other types.
        type: str
      name:
        description: The output name (V(S3) only). Left out, CodeBuild chooses it and the module does not compare it.
        type: str
      packaging:
        description: Whether CodeBuild zips the output (V(S3) only); CodeBuild's default is V(NONE).
        type: str
        choices: [NONE, ZIP]
  environment:
    description: The build environment. Required when O(state=present).
    type: dict
    suboptions:
      type:
        description: The environment type (for example V(LINUX_CONTAINER), V(ARM_CONTAINER), V(LINUX_LAMBDA_CONTAINER)).
        type: str
        default: LINUX_CONTAINER
      image:
        description: The build image (for example V(aws/codebuild/amazonlinux-x86_64-standard:5.0)).
        type: str
        required: true
      compute_type:
        description:
          - The compute type (V(BUILD_GENERAL1_SMALL) to V(BUILD_GENERAL1_2XLARGE), V(BUILD_LAMBDA_1GB) to
            V(BUILD_LAMBDA_10GB), ...); CodeBuild checks it against the environment type.
        type: str
        default: BUILD_GENERAL1_SMALL
      privileged_mode:
        description: Whether the build may run the Docker daemon (needed to build images); give it only to projects that build images.
        type: bool
        default: false
      image_pull_credentials_type:
        description: Whose credentials pull the image; V(SERVICE_ROLE) for an image of a private registry (ECR).
        type: str
        default: CODEBUILD
        choices: [CODEBUILD, SERVICE_ROLE]
      environment_variables:
        description:
          - The build's environment variables; their order does not matter.
          - Prefer V(PARAMETER_STORE) or V(SECRETS_MANAGER) for anything secret; a V(PLAINTEXT) value is readable
            by anyone who may read the project.
        type: list
        elements: dict
        default: []
        suboptions:
          name:
            description: The variable's name.
            type: str
            required: true
          value:
            description: Its value, or the name of the parameter or secret that holds it.
            type: str
            required: true
          type:
            description: Where the value comes from.
            type: str
            default: PLAINTEXT
            choices: [PLAINTEXT, PARAMETER_STORE, SECRETS_MANAGER]
  timeout_in_minutes:
    description: How long a build may run, 5 to 2160 minutes.
    type: int
    default: 60
  queued_timeout_in_minutes:
    description: How long a build may wait in the queue, 5 to 480 minutes.
    type: int
    default: 480
  encryption_key:
    description:
      - The KMS key that encrypts the build output, as a key ARN, an alias ARN or V(alias/<name>).
      - Left out, the AWS managed key for S3 (V(alias/aws/s3)); a project that has another key goes back to it.
    type: str
  cache:
    description: The build cache.
    type: dict
    default: {}
    suboptions:
      type:
        description: The cache type.
        type: str
        default: NO_CACHE
        choices: [NO_CACHE, LOCAL, S3]
      modes:
        description: The local cache modes; their order does not matter. Required for V(LOCAL), refused otherwise.
        type: list
        elements: str
        choices: [LOCAL_DOCKER_LAYER_CACHE, LOCAL_SOURCE_CACHE, LOCAL_CUSTOM_CACHE]
      location:
        description: The C(bucket/prefix) of an V(S3) cache. Required for V(S3).
        type: str
  logs:
    description: The build logs in CloudWatch Logs (logs to S3 are turned off).
    type: dict
    default: {}
    suboptions:
      status:
        description: Whether builds log to CloudWatch Logs.
        type: str
        default: ENABLED
        choices: [ENABLED, DISABLED]
      group_name:
        description: The log group; left out, CodeBuild's own (C(/aws/codebuild/<project>)).
        type: str
      stream_name:
        description: The log stream prefix; left out, the build id.
        type: str
  concurrent_build_limit:
    description: The most builds of the project that may run at once; left out, no limit (an existing limit is removed).
    type: int
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - IAM actions used - C(codebuild:BatchGetProjects), C(codebuild:CreateProject), C(codebuild:UpdateProject),
    C(codebuild:DeleteProject), C(iam:PassRole) on the service role, C(sts:GetCallerIdentity) (the ARN of a project
    planned in check mode).
"""

EXAMPLES = r"""
- name: The project that builds the back end's image in its pipeline
  dito.chat.codebuild_project:
    name: dito-prod-backend-build
    description: Builds and pushes the back end's image
    service_role: arn:aws:iam::123456789012:role/dito-prod-backend-build
    source:
      type: CODEPIPELINE
      buildspec: "{{ lookup('ansible.builtin.template', 'buildspec.yml.j2') }}"
    artifacts:
      type: CODEPIPELINE
    environment:
      image: aws/codebuild/amazonlinux-x86_64-standard:5.0
      compute_type: BUILD_GENERAL1_MEDIUM
      privileged_mode: true
      environment_variables:
        - name: REPOSITORY_URI
          value: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/backend
        - name: NPM_TOKEN
          value: /dito/prod/npm-token
          type: PARAMETER_STORE
    timeout_in_minutes: 30
    encryption_key: arn:aws:kms:eu-west-1:123456789012:key/0b7f2a4e-1111-4000-8000-000000000001
    cache:
      type: LOCAL
      modes: [LOCAL_DOCKER_LAYER_CACHE, LOCAL_SOURCE_CACHE]
    logs:
      group_name: /dito/prod/codebuild
    tags:
      project: dito
  register: codebuild_build

- name: Remove it
  dito.chat.codebuild_project:
    name: dito-prod-backend-build
    state: absent

- name: A pipeline's Test and Build projects in one task (the top level holds what they share)
  dito.chat.codebuild_project:
    source:
      type: CODEPIPELINE
    environment:
      image: aws/codebuild/amazonlinux-x86_64-standard:5.0
      compute_type: BUILD_GENERAL1_MEDIUM
    timeout_in_minutes: 30
    logs:
      group_name: /dito/prod/codebuild
    tags:
      project: dito
    projects:
      - name: dito-prod-backend-test
        service_role: arn:aws:iam::123456789012:role/dito-prod-backend-test
        source: {type: CODEPIPELINE, buildspec: "{{ lookup('ansible.builtin.file', 'buildspec-test.yml') }}"}
        logs: {stream_name: test}  # group_name stays /dito/prod/codebuild
      - name: dito-prod-backend-build
        service_role: arn:aws:iam::123456789012:role/dito-prod-backend-build
        environment:  # merged over the top-level environment: same image and compute type
          privileged_mode: true
          environment_variables:
            - name: REPOSITORY_URI
              value: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/backend
        cache: {type: LOCAL, modes: [LOCAL_DOCKER_LAYER_CACHE]}
        logs: {stream_name: build}
  register: codebuild_projects

- name: Remove both
  dito.chat.codebuild_project:
    state: absent
    projects:
      - name: dito-prod-backend-test
      - name: dito-prod-backend-build
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
project:
  description:
    - The project after the task, in snake_case (AWS's own fields included, such as C(insecure_ssl)); in check mode
      the project the task would leave.
  returned: when O(state=present) and O(name) is given
  type: dict
  contains:
    name:
      description: The project name.
      type: str
      sample: dito-prod-backend-build
    arn:
      description: The project ARN.
      type: str
      sample: arn:aws:codebuild:eu-west-1:123456789012:project/dito-prod-backend-build
    description:
      description: The project description.
      type: str
      sample: Builds and pushes the back end's image
    service_role:
      description: The service role ARN.
      type: str
      sample: arn:aws:iam::123456789012:role/dito-prod-backend-build
    source:
      description: The source (type, buildspec, location...).
      type: dict
      sample: {"type": "CODEPIPELINE", "buildspec": "version: 0.2\n...", "insecure_ssl": false}
    artifacts:
      description: The artifacts (type, location, name, packaging...).
      type: dict
      sample: {"type": "CODEPIPELINE", "name": "dito-prod-backend-build", "packaging": "NONE", "encryption_disabled": false}
    environment:
      description: The build environment; C(environment_variables) as [{name, value, type}].
      type: dict
      sample: {"type": "LINUX_CONTAINER", "image": "aws/codebuild/amazonlinux-x86_64-standard:5.0", "compute_type": "BUILD_GENERAL1_MEDIUM",
               "privileged_mode": true, "image_pull_credentials_type": "CODEBUILD", "environment_variables": []}
    timeout_in_minutes:
      description: The build timeout.
      type: int
      sample: 30
    queued_timeout_in_minutes:
      description: The queue timeout.
      type: int
      sample: 480
    encryption_key:
      description: The KMS key of the build output (null in check mode before the project exists, when left out).
      type: str
      sample: arn:aws:kms:eu-west-1:123456789012:alias/aws/s3
    cache:
      description: The cache (type, modes, location).
      type: dict
      sample: {"type": "LOCAL", "modes": ["LOCAL_DOCKER_LAYER_CACHE"]}
    logs_config:
      description: The logs configuration (C(cloud_watch_logs), C(s3_logs)).
      type: dict
      sample: {"cloud_watch_logs": {"status": "ENABLED", "group_name": "/dito/prod/codebuild"}, "s3_logs": {"status": "DISABLED"}}
    concurrent_build_limit:
      description: The concurrent build limit; null when there is none.
      type: int
      sample: 2
    tags:
      description: The project's tags.
      type: dict
      sample: {"project": "dito"}
projects:
  description: With O(projects), each project after the task, as RV(project) is, in the given order.
  returned: when O(state=present) and O(projects) is given
  type: list
  elements: dict
  sample: [{"name": "dito-prod-backend-test", "arn": "arn:aws:codebuild:eu-west-1:123456789012:project/dito-prod-backend-test",
            "timeout_in_minutes": 30, "tags": {"project": "dito"}}]
differences:
  description:
    - The fields that differed and were changed (or would be, in check mode), among C(description), C(service_role),
      C(source), C(artifacts), C(environment), C(timeout_in_minutes), C(queued_timeout_in_minutes), C(encryption_key),
      C(cache), C(logs_config), C(concurrent_build_limit), C(tags). Empty when the project was created or nothing differed.
    - With O(projects), a mapping of each project's name to its list.
  returned: when O(state=present)
  type: raw
  sample: ["environment", "tags"]
"""

import copy

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.dito.chat.plugins.module_utils import codebuild as cb
from ansible_collections.dito.chat.plugins.module_utils import partitions
from ansible_collections.dito.chat.plugins.module_utils import sts
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

# The options of one project: the argument spec of the single-project call, and what each entry of `projects` is
# checked against after its merge over the top-level options (so an entry gets the same defaults and checks).
PROJECT_SPEC = dict(
    name=dict(type="str", required=True),
    description=dict(type="str"),
    service_role=dict(type="str"),
    source=dict(
        type="dict",
        default={},
        options=dict(
            type=dict(
                type="str",
                default="CODEPIPELINE",
                choices=["CODEPIPELINE", "GITHUB", "GITHUB_ENTERPRISE", "GITLAB", "GITLAB_SELF_MANAGED", "BITBUCKET", "CODECOMMIT", "S3", "NO_SOURCE"],
            ),
            buildspec=dict(type="str"),
            location=dict(type="str"),
        ),
    ),
    artifacts=dict(
        type="dict",
        default={},
        options=dict(
            type=dict(type="str", default="CODEPIPELINE", choices=["CODEPIPELINE", "S3", "NO_ARTIFACTS"]),
            location=dict(type="str"),
            name=dict(type="str"),
            packaging=dict(type="str", choices=["NONE", "ZIP"]),
        ),
    ),
    environment=dict(
        type="dict",
        options=dict(
            type=dict(type="str", default="LINUX_CONTAINER"),
            image=dict(type="str", required=True),
            compute_type=dict(type="str", default="BUILD_GENERAL1_SMALL"),
            privileged_mode=dict(type="bool", default=False),
            image_pull_credentials_type=dict(type="str", default="CODEBUILD", choices=["CODEBUILD", "SERVICE_ROLE"]),
            environment_variables=dict(
                type="list",
                elements="dict",
                default=[],
                options=dict(
                    name=dict(type="str", required=True),
                    value=dict(type="str", required=True),
                    type=dict(type="str", default="PLAINTEXT", choices=["PLAINTEXT", "PARAMETER_STORE", "SECRETS_MANAGER"]),
                ),
            ),
        ),
    ),
    timeout_in_minutes=dict(type="int", default=60),
    queued_timeout_in_minutes=dict(type="int", default=480),
    encryption_key=dict(type="str", no_log=False),
    cache=dict(
        type="dict",
        default={},
        options=dict(
            type=dict(type="str", default="NO_CACHE", choices=["NO_CACHE", "LOCAL", "S3"]),
            modes=dict(type="list", elements="str", choices=["LOCAL_DOCKER_LAYER_CACHE", "LOCAL_SOURCE_CACHE", "LOCAL_CUSTOM_CACHE"]),
            location=dict(type="str"),
        ),
    ),
    logs=dict(
        type="dict",
        default={},
        options=dict(
            status=dict(type="str", default="ENABLED", choices=["ENABLED", "DISABLED"]),
            group_name=dict(type="str"),
            stream_name=dict(type="str"),
        ),
    ),
    concurrent_build_limit=dict(type="int"),
    tags=dict(type="dict", aliases=["resource_tags"]),
)
PROJECT_OPTIONS = tuple(k for k in PROJECT_SPEC if k != "name")
# Dict options an entry merges key by key over the top-level one; the other dicts (source, artifacts, cache: whose
# keys depend on their type) and tags replace the top-level one whole.
MERGED_OPTIONS = ("environment", "logs")
REQUIRED_PRESENT = ("service_role", "environment")


def _entry_option(spec):
    """An entry's option: no default (left out = None = the top-level value) and not required; a dict's keys are
    checked after the merge, against PROJECT_SPEC."""
    return {k: v for k, v in spec.items() if k in ("type", "elements", "choices", "no_log")}


def argument_spec():
    # A copy each time: validation fills the dict defaults ({}) in place.
    spec = copy.deepcopy(PROJECT_SPEC)
    return dict(
        name=dict(type="str"),
        projects=dict(
            type="list",
            elements="dict",
            options=dict(name=dict(type="str", required=True), **{k: _entry_option(PROJECT_SPEC[k]) for k in PROJECT_OPTIONS}),
        ),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        **{k: v for k, v in spec.items() if k != "name"},
        purge_tags=dict(type="bool", default=True),
    )


def _pruned(value):
    """``value`` without its None values (in dicts, also inside lists): what is left out gets PROJECT_SPEC's default."""
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def merged_entry(top, entry):
    """An entry of `projects` over the top-level options: its own non-null values win; environment and logs are
    merged one level deep (environment_variables, a list, replaces the top-level list whole)."""
    params = {k: top[k] for k in PROJECT_OPTIONS}
    for key, value in entry.items():
        if value is None or key == "name":
            continue
        if key in MERGED_OPTIONS and isinstance(value, dict) and params[key]:
            params[key] = dict(params[key], **{k: v for k, v in value.items() if v is not None})
        else:
            params[key] = value
    return dict(params, name=entry["name"])


def present_errors(params):
    """What is wrong with one project's parameters under state=present, each naming the option."""
    missing = [k for k in REQUIRED_PRESENT if params.get(k) is None]
    errors = [f"state is present but all of the following are missing: {', '.join(missing)}"] if missing else []
    errors += cb.validation_errors(params)
    reserved = sorted(k for k in params["tags"] or {} if tagging.is_aws_owned(k))
    if reserved:
        errors.append(f"tags: keys starting with {tagging.AWS_PREFIX} are reserved by AWS and cannot be set: {', '.join(reserved)}")
    return errors


def project_params(module):
    """Each project's parameters, in the given order, with ``where`` (how an error names it: None in the
    single-project call). Checked before any call; the first bad entry fails the module."""
    top = module.params
    present = top["state"] == "present"
    if top["projects"] is None:
        errors = present_errors(top) if present else []
        if errors:
            module.fail_json(msg="; ".join(errors))
        return [dict(top, where=None)]
    names = [e["name"] for e in top["projects"]]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        module.fail_json(msg=f"projects: each name once, got {', '.join(twice)} more than once")
    entries = []
    for index, entry in enumerate(top["projects"]):
        where = f"projects[{index}] ({entry['name']})"
        if not present:
            entries.append({"name": entry["name"], "where": where})
            continue
        checked = ArgumentSpecValidator(copy.deepcopy(PROJECT_SPEC)).validate(_pruned(merged_entry(top, entry)))
        params = dict(checked.validated_parameters, state=top["state"], purge_tags=top["purge_tags"], where=where)
        errors = checked.error_messages or present_errors(params)
        if errors:
            module.fail_json(msg=f"{where}: {'; '.join(errors)}")
        entries.append(params)
    return entries


RETURNED = (
    "name",
    "arn",
    "description",
    "serviceRole",
    "source",
    "artifacts",
    "environment",
    "timeoutInMinutes",
    "queuedTimeoutInMinutes",
    "encryptionKey",
    "cache",
    "logsConfig",
    "concurrentBuildLimit",
)


def summary(project):
    """The returned ``project``: the RETURNED fields of a camelCase project in snake_case, its tags as a dict."""
    snake = camel_dict_to_snake_dict({k: project.get(k) for k in RETURNED})
    snake["concurrent_build_limit"] = project.get("concurrentBuildLimit") if project.get("concurrentBuildLimit") not in (None, -1) else None
    snake["tags"] = cb.tags_dict(project.get("tags"))
    return snake


def ensure_present(module, client, params, current, account_of):
    """One project made to match ``params``; ``current`` is the project AWS holds (None: none). Returns
    (changed, diff, project, differences), as the single-project call returns them."""
    name = params["name"]
    request = cb.project_request(params)
    if current is None:
        if module.check_mode:
            account = account_of()
            project = dict(request, name=name, arn=cb.project_arn(module.region, account, name), tags=cb.tags_list(params["tags"]))
        else:
            project = cb.create_project(module, client, name, {k: v for k, v in request.items() if v != ""}, params["tags"])
        diff = {"before": {}, "after": dict(cb.normalised(request), tags=params["tags"] or {})}
        return True, diff, summary(project), []

    account = current["arn"].split(":")[4]
    have = cb.normalised(current, module.region, account)
    want = cb.normalised(request, module.region, account)
    fields = cb.differences(have, want)
    have_tags = cb.tags_dict(current.get("tags"))
    # UpdateProject's tags replace the project's: the whole set after the change is sent with the other fields.
    tags_changed, tags_after = tagging.reconcile(module, have_tags, params["tags"], replace=lambda after: None, purge_tags=params["purge_tags"])
    if not fields and not tags_changed:
        return False, {"before": {}, "after": {}}, summary(current), []

    changes = cb.update_request(request, fields, cb.default_encryption_key(module.region, account))
    if tags_changed:
        changes["tags"] = cb.tags_list(tags_after)
    if module.check_mode:
        project = dict(current, **changes)
    else:
        project = cb.update_project(module, client, name, changes, changes.get("serviceRole") or current.get("serviceRole"))
    diff = {"before": dict(have, tags=have_tags), "after": dict(want, tags=tags_after)}
    return True, diff, summary(project), fields + (["tags"] if tags_changed else [])


def ensure_absent(module, client, name, current):
    if current is None:
        return False
    if not module.check_mode:
        cb.delete_project(client, name)
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=argument_spec(),
        required_one_of=[["name", "projects"]],
        mutually_exclusive=[["name", "projects"]],
        supports_check_mode=True,
    )
    entries = project_params(module)
    if module.params["state"] == "present":
        try:
            partitions.partition(module.region)
        except partitions.UnknownRegion as e:
            module.fail_json(msg=str(e))
    client = module.client("codebuild", retry_decorator=AWSRetry.jittered_backoff())
    accounts = []

    def account_of():
        """The account of a project planned in check mode (one GetCallerIdentity for all of them)."""
        if not accounts:
            accounts.append(sts.account_id(module.client("sts", retry_decorator=AWSRetry.jittered_backoff())))
        return accounts[0]

    try:
        held = cb.get_projects(client, [e["name"] for e in entries])
    except cb.AnsibleCodeBuildError as e:
        module.fail_json_aws_error(e)
    outcomes = []
    for params in entries:
        try:
            if module.params["state"] == "absent":
                outcomes.append(ensure_absent(module, client, params["name"], held.get(params["name"])))
            else:
                outcomes.append(ensure_present(module, client, params, held.get(params["name"]), account_of))
        except (cb.AnsibleCodeBuildError, sts.AnsibleSTSError) as e:
            if params["where"]:
                e.message = f"{params['where']}: {e.message}"
            module.fail_json_aws_error(e)
    if module.params["state"] == "absent":
        module.exit_json(changed=any(outcomes))
    if module.params["projects"] is None:
        changed, diff, project, differences = outcomes[0]
        module.exit_json(changed=changed, diff=diff, project=project, differences=differences)
    names = [e["name"] for e in entries]
    module.exit_json(
        changed=any(o[0] for o in outcomes),
        diff={
            "before": {n: o[1]["before"] for n, o in zip(names, outcomes, strict=True)},
            "after": {n: o[1]["after"] for n, o in zip(names, outcomes, strict=True)},
        },
        projects=[o[2] for o in outcomes],
        differences={n: o[3] for n, o in zip(names, outcomes, strict=True)},
    )


if __name__ == "__main__":
    main()
