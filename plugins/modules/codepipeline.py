#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: codepipeline
short_description: Manage an AWS CodePipeline pipeline (V2 triggers, variables, execution mode, tags)
version_added: 1.0.0
description:
  - Creates, updates or deletes one AWS CodePipeline pipeline and brings its tags to the asked ones. Check mode
    and diff mode are supported.
  - The asked declaration and the one AWS holds are normalised before they are compared (C(runOrder) 1 when absent,
    missing artifacts and configuration as empty, configuration values as strings, empty lists and dicts dropped,
    AWS's defaults V1 and SUPERSEDED for a pipeline without them). C(UpdatePipeline) is called only on a
    difference, because AWS bumps the pipeline's version on every update.
  - A configuration property that AWS answers masked (C(****), such as a GitHub OAuth token) cannot be compared
    and never makes a difference; change another field to send a new value.
  - Replaces M(community.aws.codepipeline), which calls C(UpdatePipeline) on every run, has no V2 fields, no tags
    and no check mode.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description: The pipeline name.
    type: str
    required: true
  state:
    description: Whether the pipeline should exist.
    type: str
    default: present
    choices: [present, absent]
  role_arn:
    description:
      - The ARN of the IAM role CodePipeline assumes (it must trust C(codepipeline.amazonaws.com)).
      - Required when O(state=present).
    type: str
  artifact_store:
    description:
      - The S3 bucket of the pipeline's artifacts. Required when O(state=present).
    type: dict
    suboptions:
      bucket:
        description: The bucket name.
        type: str
        required: true
      kms_key_arn:
        description: The KMS key (ARN, id or alias ARN) that encrypts the artifacts; the bucket's default
          encryption when not given.
        type: str
  stages:
    description:
      - The stages, in order, in the CodePipeline API's own shape (C(PipelineDeclaration.stages), camelCase keys),
        passed as given after normalisation. Each stage has C(name), C(actions) and optionally C(onFailure)
        (C(result) ROLLBACK, FAIL, RETRY or SKIP); each action has C(name), C(actionTypeId) (C(category), C(owner),
        C(provider), C(version)), and optionally C(configuration), C(inputArtifacts), C(outputArtifacts) (lists of
        C({name})), C(runOrder), C(namespace), C(roleArn), C(region).
      - At least two stages. Required when O(state=present).
      - Configuration values are sent as strings (C(true)/C(false) for booleans, compact JSON for lists and dicts).
    type: list
    elements: dict
  pipeline_type:
    description: The pipeline type. V2 has triggers, variables and the QUEUED and PARALLEL execution modes.
    type: str
    default: V2
    choices: [V1, V2]
  execution_mode:
    description: How the pipeline runs executions that overlap. A V1 pipeline needs SUPERSEDED.
    type: str
    default: QUEUED
    choices: [QUEUED, SUPERSEDED, PARALLEL]
  variables:
    description:
      - Pipeline-level variables in the API's shape (C([{name, defaultValue, description}])). V2 only.
    type: list
    elements: dict
    default: []
  triggers:
    description:
      - Triggers in the API's shape (C(PipelineTriggerDeclaration)), for example a push trigger with branch and
        file-path filters on a C(CodeStarSourceConnection) source action. V2 only.
      - C(gitConfiguration.sourceActionName) must name a CodeStarSourceConnection source action of O(stages).
    type: list
    elements: dict
    default: []
  refresh_on_tags:
    description:
      - Tag keys (of O(tags)) whose change of value calls C(UpdatePipeline) even when the declaration is unchanged,
        reported as C(refresh:<key>) in RV(differences).
      - For the status of the source connection - AWS registers a pipeline's push trigger with its CodeConnections
        connection only when the connection is C(AVAILABLE) at C(CreatePipeline) or C(UpdatePipeline) time (the
        CodeStarSourceConnection action reference), so a pipeline made while the connection was C(PENDING) needs one
        update after the handshake. Tag the pipeline with the status (for example C(source-connection-status)) and
        name that key here.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - IAM actions used - C(codepipeline:GetPipeline), C(codepipeline:CreatePipeline), C(codepipeline:UpdatePipeline),
    C(codepipeline:DeletePipeline), C(codepipeline:ListTagsForResource), C(codepipeline:TagResource),
    C(codepipeline:UntagResource), C(iam:PassRole) (on O(role_arn) and the actions' role ARNs),
    C(sts:GetCallerIdentity) (the ARN of a pipeline to be created).
  - While IAM propagates a role created moments ago, CodePipeline refuses it; the module then warns and retries
    for about a minute.
"""

EXAMPLES = r"""
- name: The back end's pipeline
  dito.chat.codepipeline:
    name: dito-prod-backend
    role_arn: arn:aws:iam::123456789012:role/dito-prod-backend-pipeline
    artifact_store:
      bucket: dito-prod-artifacts
      kms_key_arn: arn:aws:kms:eu-west-1:123456789012:alias/dito-prod-artifacts
    execution_mode: QUEUED
    stages:
      - name: Source
        actions:
          - name: Source
            actionTypeId: {category: Source, owner: AWS, provider: CodeStarSourceConnection, version: "1"}
            configuration:
              ConnectionArn: arn:aws:codeconnections:eu-west-1:123456789012:connection/0a1b2c3d
              FullRepositoryId: dito/chat
              BranchName: main
              DetectChanges: false
            outputArtifacts: [{name: source}]
            namespace: SourceVariables
      - name: Build
        actions:
          - name: Build
            actionTypeId: {category: Build, owner: AWS, provider: CodeBuild, version: "1"}
            configuration: {ProjectName: dito-prod-backend-build}
            inputArtifacts: [{name: source}]
            outputArtifacts: [{name: build}]
      - name: Deploy
        actions:
          - name: Deploy
            actionTypeId: {category: Deploy, owner: AWS, provider: CodeDeployToECS, version: "1"}
            configuration:
              ApplicationName: dito-prod-backend
              DeploymentGroupName: dito-prod-backend
              TaskDefinitionTemplateArtifact: build
              AppSpecTemplateArtifact: build
              Image1ArtifactName: build
              Image1ContainerName: IMAGE1_NAME
            inputArtifacts: [{name: build}]
        onFailure: {result: ROLLBACK}
    triggers:
      - providerType: CodeStarSourceConnection
        gitConfiguration:
          sourceActionName: Source
          push:
            - branches: {includes: [main]}
              filePaths: {includes: ["backend/**"]}
    tags:
      project: dito
  register: backend_pipeline

- name: Remove it
  dito.chat.codepipeline:
    name: dito-prod-backend
    state: absent
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
pipeline:
  description: The pipeline after the task (in check mode, what it would be; C(version) is null before it exists).
  returned: when O(state=present)
  type: dict
  contains:
    name:
      description: The pipeline name.
      type: str
      sample: dito-prod-backend
    arn:
      description: The pipeline ARN.
      type: str
      sample: arn:aws:codepipeline:eu-west-1:123456789012:dito-prod-backend
    version:
      description: The pipeline's version (AWS increments it on every update).
      type: int
      sample: 2
    pipeline_type:
      description: V1 or V2.
      type: str
      sample: V2
    execution_mode:
      description: QUEUED, SUPERSEDED or PARALLEL.
      type: str
      sample: QUEUED
    role_arn:
      description: The pipeline's role.
      type: str
      sample: arn:aws:iam::123456789012:role/dito-prod-backend-pipeline
    artifact_store:
      description: The artifact store (C(type), C(location), C(encryption_key) {id, type}).
      type: dict
      sample: {"type": "S3", "location": "dito-prod-artifacts", "encryption_key": {"id": "arn:aws:kms:...", "type": "KMS"}}
    stages:
      description: The stages as AWS holds them (raw, the API's camelCase shape).
      type: list
      elements: dict
    triggers:
      description: The triggers (raw).
      type: list
      elements: dict
    variables:
      description: The pipeline variables (raw).
      type: list
      elements: dict
    tags:
      description: The pipeline's tags.
      type: dict
      sample: {"project": "dito"}
differences:
  description:
    - What differed from the asked pipeline (empty when it was created or nothing changed) - C(role_arn),
      C(artifact_store), C(pipeline_type), C(execution_mode), C(variables), C(triggers), C(stages:<name>) for
      each stage added, removed or changed, C(stages) when only their order changed, and C(tags).
  returned: when O(state=present)
  type: list
  elements: str
  sample: ["stages:Build", "tags"]
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.dito.chat.plugins.module_utils import codepipeline as cp
from ansible_collections.dito.chat.plugins.module_utils import partitions
from ansible_collections.dito.chat.plugins.module_utils import sts
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def summary(pipeline, arn, tags):
    """The returned ``pipeline`` from a PipelineDeclaration (camelCase)."""
    return {
        "name": pipeline["name"],
        "arn": arn,
        "version": pipeline.get("version"),
        "pipeline_type": pipeline.get("pipelineType") or cp.DEFAULT_PIPELINE_TYPE,
        "execution_mode": pipeline.get("executionMode") or cp.DEFAULT_EXECUTION_MODE,
        "role_arn": pipeline.get("roleArn"),
        "artifact_store": camel_dict_to_snake_dict(pipeline.get("artifactStore") or {}),
        "stages": pipeline.get("stages") or [],
        "triggers": pipeline.get("triggers") or [],
        "variables": pipeline.get("variables") or [],
        "tags": tags,
    }


def ensure_present(module, client):
    params = module.params
    name, tags = params["name"], params["tags"]
    desired = cp.declaration(params)
    current = cp.get_pipeline(client, name)
    if current is None:
        reserved = sorted(k for k in tags or {} if tagging.is_aws_owned(k))
        if reserved:
            module.fail_json(msg=f"tags: keys starting with {tagging.AWS_PREFIX} are reserved by AWS and cannot be set: {', '.join(reserved)}")
        account = sts.account_id(module.client("sts", retry_decorator=AWSRetry.jittered_backoff()))
        arn = cp.pipeline_arn(module.region, account, name)
        created = dict(desired, version=None) if module.check_mode else cp.create_pipeline(module, client, name, desired, tags)
        diff = {"before": {}, "after": dict(cp.normalised(desired), tags=tags or {})}
        return True, diff, [], summary(created, arn, tags or {})

    held, arn = current["pipeline"], current["metadata"].get("pipelineArn")
    before, after = cp.normalised(held), cp.normalised(desired)
    differences = cp.differences(before, after)
    have_tags = cp.list_tags(client, arn)
    # A declaration unchanged, but a tag of refresh_on_tags changed: UpdatePipeline all the same (see the option).
    refresh = [f"refresh:{key}" for key in params["refresh_on_tags"] if key in (tags or {}) and have_tags.get(key) != tags[key]]
    result = held
    if differences or refresh:
        version = held.get("version") or 0
        result = dict(desired, version=version + 1) if module.check_mode else cp.update_pipeline(module, client, name, dict(desired, version=version))
    differences.extend(refresh)
    tags_changed, after_tags = tagging.reconcile(
        module, have_tags, tags, lambda t: cp.tag_resource(client, arn, t), lambda k: cp.untag_resource(client, arn, k)
    )
    if tags_changed:
        differences.append("tags")
    changed = bool(differences)
    diff = {"before": dict(before, tags=have_tags), "after": dict(after, tags=after_tags)} if changed else {"before": {}, "after": {}}
    return changed, diff, differences, summary(result, arn, after_tags)


def ensure_absent(module, client):
    name = module.params["name"]
    if cp.get_pipeline(client, name) is None:
        return False
    if not module.check_mode:
        cp.delete_pipeline(client, name)
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            role_arn=dict(type="str"),
            artifact_store=dict(type="dict", options=dict(bucket=dict(type="str", required=True), kms_key_arn=dict(type="str", no_log=False))),
            stages=dict(type="list", elements="dict"),
            pipeline_type=dict(type="str", default="V2", choices=["V1", "V2"]),
            execution_mode=dict(type="str", default="QUEUED", choices=["QUEUED", "SUPERSEDED", "PARALLEL"]),
            variables=dict(type="list", elements="dict", default=[]),
            triggers=dict(type="list", elements="dict", default=[]),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
            refresh_on_tags=dict(type="list", elements="str", default=[], no_log=False),
        ),
        required_if=[("state", "present", ("role_arn", "artifact_store", "stages"))],
        supports_check_mode=True,
    )
    if module.params["state"] == "present":
        errors = cp.validation_errors(module.params)
        if errors:
            module.fail_json(msg="; ".join(errors))
        try:
            partitions.partition(module.region)
        except partitions.UnknownRegion as e:
            module.fail_json(msg=str(e))
    client = module.client("codepipeline", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, diff, differences, pipeline = ensure_present(module, client)
    except (cp.AnsibleCodePipelineError, sts.AnsibleSTSError) as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, differences=differences, pipeline=pipeline)


if __name__ == "__main__":
    main()
