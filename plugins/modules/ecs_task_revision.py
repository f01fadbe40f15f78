#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecs_task_revision
short_description: Look up the latest ACTIVE revision of an ECS task-definition family, or register one only when it changed
version_added: 1.0.0
description:
  - B(Lookup.) With no definition given, returns the latest ACTIVE revision of O(family) in one
    DescribeTaskDefinition call. A family with no ACTIVE revision returns RV(exists=false), not an error.
    This replaces a Lambda behind API Gateway that returned the revision to a deploy script.
  - B(Idempotent registration.) Given a definition (O(definition), O(definition_file), or the options
    below, which override the definition's fields), compares it with the latest ACTIVE revision after
    normalising what AWS adds (C(essential), port-mapping C(protocol), C(hostPort) under awsvpc, a container
    C(cpu) of 0, empty lists, key order, the order of C(environment), C(secrets), port mappings, volumes and
    containers, cpu and memory units) and registers a new revision only when a compared field differs.
  - Compares every task-level field - container definitions, cpu, memory, network mode, requires
    compatibilities, runtime platform, execution and task roles, volumes, ephemeral storage, placement
    constraints, pid and ipc mode, proxy configuration. Tags that differ are changed on the latest
    revision in place (TagResource), without registering a new one.
  - B(One revision per change, even when a response is lost.) RegisterTaskDefinition is not idempotent; a request
    that botocore sends again after a lost response registers a second revision of the same content. The module
    sends it through a client that botocore does not retry and retries it itself (6 attempts in all, jittered
    back-off). After throttling or a 5xx answer it registers again; after a lost connection it first reads the
    latest ACTIVE revision and adopts it when it is newer than the one compared with and has the content asked
    for.
  - O(container_images) replaces container images (the deploy path), O(keep_revisions) deregisters the
    oldest ACTIVE revisions beyond a count, O(state=absent) deregisters every ACTIVE revision.
  - Unlike M(community.aws.ecs_taskdefinition), it compares task-level fields and does not describe every
    revision of the family.
author:
  - dito.chat engineering (@dito-chat)
options:
  family:
    description:
      - The task-definition family. It wins over a C(family) in O(definition) or O(definition_file).
    required: true
    type: str
  state:
    description:
      - V(present) looks up, or registers when a definition is given. V(absent) deregisters every ACTIVE revision.
    choices: [present, absent]
    default: present
    type: str
  definition:
    description:
      - The task definition in the shape of the RegisterTaskDefinition request (camelCase keys), for example
        the content of an application repository's C(config/task-definition.json).
      - Keys that describe a registered revision (C(taskDefinitionArn), C(revision), C(status),
        C(compatibilities), C(requiresAttributes), C(registeredAt), C(registeredBy), C(deregisteredAt)) are ignored,
        so the output of C(aws ecs describe-task-definition) can be used as it is.
    type: dict
  definition_file:
    description:
      - A JSON file with the task definition in the same shape as O(definition), on the host the module
        runs on. Read before O(definition), whose keys win.
    type: path
  container_definitions:
    description:
      - The container definitions (camelCase keys, as in the AWS API). Override the definition's.
    type: list
    elements: dict
  cpu:
    description: Task cpu units (C(256)) or vCPU (C(0.25 vCPU)).
    type: str
  memory:
    description: Task memory in MiB (C(512)) or GB (C(1 GB)).
    type: str
  network_mode:
    description: The network mode. Fargate needs C(awsvpc).
    choices: [awsvpc, bridge, host, none]
    type: str
  requires_compatibilities:
    description: Launch types, for example C([FARGATE]).
    type: list
    elements: str
  runtime_platform:
    description: C(cpuArchitecture) and C(operatingSystemFamily) (camelCase keys).
    type: dict
  execution_role_arn:
    description: The task execution role (pulls images, reads secrets, writes logs).
    type: str
  task_role_arn:
    description: The role the containers assume.
    type: str
  volumes:
    description: Task volumes (camelCase keys).
    type: list
    elements: dict
  ephemeral_storage:
    description: C(sizeInGiB) of Fargate ephemeral storage.
    type: dict
  container_images:
    description:
      - Replace container images, a mapping of container name to image. Every name must be a container of the definition.
      - Given without a definition (no O(definition), O(definition_file) or O(container_definitions)), the definition
        is the latest ACTIVE revision as registered, with only these images changed (the deploy path of
        C(playbooks/deploy.yml)); the options below still override its fields. The family must have an ACTIVE revision.
        A new revision carries the tags of that revision unless O(tags) is given.
    type: dict
  keep_deployed_images:
    description:
      - Containers not named in O(container_images) keep the image of the latest ACTIVE revision, when it has a
        container of that name. The definition's image is then only the image of the family's first revision.
      - For the infrastructure run (site.yml), beside a pipeline that registers revisions with the images it built -
        the run still changes cpu, memory, roles, environment and the like, without rolling the image back.
    type: bool
    default: false
  keep_revisions:
    description:
      - Keep at most this many ACTIVE revisions, newest first, and deregister the older ones. Needs a
        ListTaskDefinitions call. Not set, nothing is deregistered.
    type: int
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - Tags are compared only when O(tags) is given.
  - In check mode a registration is predicted with the next revision number; nothing is registered.
"""

EXAMPLES = r"""
- name: Look up the latest ACTIVE revision of the back end (one API call)
  dito.chat.ecs_task_revision:
    family: dito-backend
  register: backend_td

- name: Register the application team's task definition, with the image just built
  dito.chat.ecs_task_revision:
    family: dito-backend
    definition_file: "{{ checkout }}/config/task-definition.json"
    execution_role_arn: "{{ execution_role_arn }}"
    container_images:
      backend: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/backend:{{ git_sha }}"
    keep_revisions: 10
    tags:
      project: dito
      service: backend

- name: Register a definition given as data
  dito.chat.ecs_task_revision:
    family: dito-frontend
    cpu: "256"
    memory: "512"
    network_mode: awsvpc
    requires_compatibilities: [FARGATE]
    container_definitions:
      - name: frontend
        image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/frontend:1.4.2
        portMappings:
          - containerPort: 80
        readonlyRootFilesystem: true
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
exists:
  description: Whether the family has an ACTIVE revision (after the task, as check mode predicts it).
  returned: always
  type: bool
  sample: true
registered:
  description: Whether the task registered (or, in check mode, would register) a new revision.
  returned: always
  type: bool
  sample: false
task_definition:
  description: The latest ACTIVE revision after the task.
  returned: when RV(exists=true)
  type: dict
  contains:
    family:
      description: The family.
      type: str
      sample: dito-backend
    revision:
      description: The revision number (predicted in check mode).
      type: int
      sample: 7
    task_definition_arn:
      description: The revision's ARN (predicted in check mode when a revision exists already, else null).
      type: str
      sample: arn:aws:ecs:eu-west-1:123456789012:task-definition/dito-backend:7
    status:
      description: C(ACTIVE).
      type: str
      sample: ACTIVE
    containers:
      description: Name and image of each container.
      type: list
      elements: dict
      sample: [{"name": "backend", "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/backend:abc123"}]
    cpu:
      description: Task cpu units.
      type: str
      sample: "256"
    memory:
      description: Task memory in MiB.
      type: str
      sample: "512"
    network_mode:
      description: The network mode.
      type: str
      sample: awsvpc
    execution_role_arn:
      description: The execution role.
      type: str
      sample: arn:aws:iam::123456789012:role/dito-backend-execution
    task_role_arn:
      description: The task role.
      type: str
      sample: arn:aws:iam::123456789012:role/dito-backend-task
    registered_at:
      description: When the revision was registered (ISO 8601).
      type: str
      sample: "2026-11-28T03:31:17+00:00"
    tags:
      description: The revision's tags.
      type: dict
      sample: {"service": "backend"}
differences:
  description: The compared fields in which the desired definition differed from the latest ACTIVE revision.
  returned: when a definition is given
  type: list
  elements: str
  sample: ["cpu", "containerDefinitions"]
deregistered:
  description: ARNs deregistered (or, in check mode, that would be) by O(keep_revisions) or O(state=absent).
  returned: always
  type: list
  elements: str
  sample: ["arn:aws:ecs:eu-west-1:123456789012:task-definition/dito-backend:1"]
"""

import copy
import json

from ansible_collections.dito.chat.plugins.module_utils import ecs
from ansible_collections.dito.chat.plugins.module_utils import ecs_task_definitions as task_definitions
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

# Keys of a described revision that are not part of a RegisterTaskDefinition request.
DESCRIBE_ONLY = ("taskDefinitionArn", "revision", "status", "compatibilities", "requiresAttributes", "registeredAt", "registeredBy", "deregisteredAt")
OPTION_FIELDS = {
    "container_definitions": "containerDefinitions",
    "cpu": "cpu",
    "memory": "memory",
    "network_mode": "networkMode",
    "requires_compatibilities": "requiresCompatibilities",
    "runtime_platform": "runtimePlatform",
    "execution_role_arn": "executionRoleArn",
    "task_role_arn": "taskRoleArn",
    "volumes": "volumes",
    "ephemeral_storage": "ephemeralStorage",
}


def desired_request(module, current=None):
    """The RegisterTaskDefinition request asked for, or None when only a lookup is asked for. With only
    ``container_images``, the latest ACTIVE revision ``current`` with those images."""
    params = module.params
    request = {}
    if not (params["definition"] or params["definition_file"] or params["container_definitions"]):
        if not params["container_images"]:
            return None
        if current is None:
            module.fail_json(msg=f"container_images without a definition: the family {params['family']} has no ACTIVE revision to take the images into")
        request.update(copy.deepcopy(current))
    if params["definition_file"]:
        try:
            with open(params["definition_file"], encoding="utf-8") as handle:
                loaded = json.load(handle)
        except (OSError, ValueError) as e:
            module.fail_json(msg=f"definition_file {params['definition_file']}: {e}")
        if not isinstance(loaded, dict):
            module.fail_json(msg=f"definition_file {params['definition_file']} must hold a JSON object")
        request.update(loaded.get("taskDefinition", loaded))
    request.update(copy.deepcopy(params["definition"] or {}))
    for option, field in OPTION_FIELDS.items():
        if params[option] is not None:
            request[field] = params[option]
    for key in (*DESCRIBE_ONLY, "family", "tags"):
        request.pop(key, None)
    containers = request.get("containerDefinitions") or []
    if not containers:
        module.fail_json(msg="the task definition has no containerDefinitions")
    names = [c.get("name") for c in containers]
    missing = sorted(set(params["container_images"] or {}) - set(names))
    if missing:
        module.fail_json(msg=f"container_images names {', '.join(missing)}, not a container of the definition ({', '.join(map(str, names))})")
    for container in containers:
        if container.get("name") in (params["container_images"] or {}):
            container["image"] = params["container_images"][container["name"]]
    return request


def predicted(current, request, family, tags):
    """The revision that registering ``request`` would give (check mode)."""
    revision = (current or {}).get("revision", 0) + 1
    arn = None
    if current and current.get("taskDefinitionArn"):
        arn = current["taskDefinitionArn"].rsplit(":", 1)[0] + f":{revision}"
    return dict(request, family=family, revision=revision, taskDefinitionArn=arn, status="ACTIVE", tags=tag_list(tags))


def tag_list(tags):
    return [{"key": k, "value": v} for k, v in (tags or {}).items()]


def prune_revisions(module, client, keep, registered_new):
    """Deregister ACTIVE revisions beyond ``keep``, newest first; returns the ARNs."""
    arns = task_definitions.list_active_arns(client, module.params["family"])
    if registered_new and module.check_mode:
        keep -= 1  # the predicted revision is not listed yet
    old = arns[max(keep, 0) :]
    if not module.check_mode:
        for arn in old:
            task_definitions.deregister(client, arn)
    return old


def field_diff(current, request, fields):
    before, after = (task_definitions.normalise(current) if current else {}), task_definitions.normalise(request)
    return {"before": {k: before[k] for k in fields if k in before}, "after": {k: after[k] for k in fields if k in after}}


def retag(module, client, current, tags):
    """Bring the latest revision's tags to ``tags`` in place. Returns (changed, diff, current)."""
    arn, current_tags = current["taskDefinitionArn"], ecs.tags_to_dict(current.get("tags"))
    changed, new_tags = tagging.reconcile(module, current_tags, tags, lambda t: ecs.tag_resource(client, arn, t), lambda k: ecs.untag_resource(client, arn, k))
    if not changed:
        return False, None, current
    return True, {"before": {"tags": current_tags}, "after": {"tags": new_tags}}, dict(current, tags=tag_list(new_tags))


def ensure_present(module, client):
    params = module.params
    family, tags = params["family"], params["tags"]
    current = task_definitions.describe_latest(client, family)  # the lookup: one API call
    request = desired_request(module, current)
    if request is not None and tags is None and current and not (params["definition"] or params["definition_file"] or params["container_definitions"]):
        tags = ecs.tags_to_dict(current.get("tags"))  # the deploy path: a new revision keeps the live one's tags
    if request is not None and current and params["keep_deployed_images"]:
        deployed = {c.get("name"): c.get("image") for c in current.get("containerDefinitions") or []}
        for container in request["containerDefinitions"]:
            if container.get("name") in deployed and container.get("name") not in (params["container_images"] or {}):
                container["image"] = deployed[container["name"]]
    result = {"registered": False, "deregistered": []}
    changed = False

    if request is not None:
        diffs = task_definitions.differences(current, request) if current else sorted(task_definitions.normalise(request))
        result["differences"] = diffs
        if diffs:
            if tags:
                request["tags"] = tag_list(tags)
            result["diff"] = field_diff(current, request, diffs)
            if module.check_mode:
                current = predicted(current, request, family, tags)
            else:
                once = module.single_attempt_client("ecs")
                current = task_definitions.register(client, once, family, request, previous_revision=(current or {}).get("revision", 0))
            changed = result["registered"] = True
        elif tags is not None:
            changed, diff, current = retag(module, client, current, tags)
            if diff:
                result["diff"] = diff

    if params["keep_revisions"] is not None and current:
        result["deregistered"] = prune_revisions(module, client, params["keep_revisions"], result["registered"])
        changed = changed or bool(result["deregistered"])

    result["exists"] = current is not None
    if current is not None:
        result["task_definition"] = task_definitions.summary(current)
    return changed, result


def ensure_absent(module, client):
    arns = task_definitions.list_active_arns(client, module.params["family"])
    if not module.check_mode:
        for arn in arns:
            task_definitions.deregister(client, arn)
    return bool(arns), {"exists": False, "registered": False, "deregistered": arns}


def main():
    argument_spec = dict(
        family=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        definition=dict(type="dict"),
        definition_file=dict(type="path"),
        container_definitions=dict(type="list", elements="dict"),
        cpu=dict(type="str"),
        memory=dict(type="str"),
        network_mode=dict(type="str", choices=["awsvpc", "bridge", "host", "none"]),
        requires_compatibilities=dict(type="list", elements="str"),
        runtime_platform=dict(type="dict"),
        execution_role_arn=dict(type="str"),
        task_role_arn=dict(type="str"),
        volumes=dict(type="list", elements="dict"),
        ephemeral_storage=dict(type="dict"),
        container_images=dict(type="dict"),
        keep_deployed_images=dict(type="bool", default=False),
        keep_revisions=dict(type="int", no_log=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    if module.params["keep_revisions"] is not None and module.params["keep_revisions"] < 1:
        module.fail_json(msg="keep_revisions must be at least 1")
    client = module.client("ecs", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            changed, result = ensure_absent(module, client)
        else:
            changed, result = ensure_present(module, client)
    except ecs.AnsibleECSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, **result)


if __name__ == "__main__":
    main()
