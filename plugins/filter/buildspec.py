# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The buildspecs of a service's pipeline (role codepipeline): the Test stage runs the inventory's commands; the Build
stage logs in to ECR, builds and pushes the image tagged with the commit id, and writes the three files
CodeDeployToECS reads (``imageDetail.json``, ``taskdef.json`` with the image as ``<IMAGE1_NAME>``, ``appspec.yaml``
with ``<TASK_DEFINITION>``). Both read their settings from the project's environment variables (REPOSITORY_URI,
TASK_FAMILY, CONTAINER_NAME, SOURCE_DIRECTORY, DOCKERFILE and the pipeline's COMMIT_ID), so a service that keeps its
own buildspec in its repository gets the same variables. Each filter is documented in the ``<filter>.yml`` file beside
this one; tests/unit/plugins/filter/test_buildspec.py runs ``bash -n`` and shellcheck on their commands.

No botocore here: Ansible loads every filter file of the collection in each worker (see test_filter_imports.py).
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

try:
    import yaml
except ImportError:  # pragma: no cover - ansible-core requires PyYAML
    yaml = None

# CodeDeployToECS replaces this placeholder of taskdef.json with the image of imageDetail.json (the pipeline's
# Image1ContainerName is IMAGE1_NAME).
IMAGE_PLACEHOLDER = "<IMAGE1_NAME>"
# The fields of DescribeTaskDefinition that RegisterTaskDefinition takes back (the rest is read-only: ARN, revision,
# status, requiresAttributes, compatibilities, registeredAt/By...).
REGISTERABLE = (
    "family",
    "taskRoleArn",
    "executionRoleArn",
    "networkMode",
    "containerDefinitions",
    "volumes",
    "placementConstraints",
    "requiresCompatibilities",
    "cpu",
    "memory",
    "pidMode",
    "ipcMode",
    "proxyConfiguration",
    "inferenceAccelerators",
    "ephemeralStorage",
    "runtimePlatform",
)
TASKDEF_JQ = (
    "(.tags // []) as $tags | .taskDefinition | {"
    + ", ".join(REGISTERABLE)
    + "} | with_entries(select(.value != null))"
    + ' | .containerDefinitions |= map(if .name == $name then .image = "'
    + IMAGE_PLACEHOLDER
    + '" else . end)'
    + " | if ($tags | length) > 0 then . + {tags: $tags} else . end"
)


def _dump(spec):
    return yaml.safe_dump(spec, sort_keys=False, default_flow_style=False, width=1000)


def _commands(commands, name):
    if isinstance(commands, str):
        commands = [commands]
    if not isinstance(commands, (list, tuple)) or not commands or not all(isinstance(c, str) and c.strip() for c in commands):
        raise AnsibleFilterError(f"{name}: give a list of shell commands, at least one (got {commands!r})")
    return [c.rstrip("\n") for c in commands]


def buildspec_test(commands):
    """The Test stage's buildspec: the commands, in the service's directory, one shell for all (buildspec 0.2)."""
    return _dump(
        {
            "version": 0.2,
            "env": {"shell": "bash"},
            "phases": {"build": {"commands": ['cd "$CODEBUILD_SRC_DIR/$SOURCE_DIRECTORY" || exit 1', *_commands(commands, "test commands")]}},
        }
    )


def buildspec_build(appspec):
    """The Build stage's buildspec, the AppSpec (content with ``<TASK_DEFINITION>``) written as appspec.yaml."""
    if not isinstance(appspec, str) or "<TASK_DEFINITION>" not in appspec:
        raise AnsibleFilterError(
            "buildspec_build: the AppSpec must be the content dito.chat.ecs_appspec renders with use_placeholder (it names <TASK_DEFINITION>)"
        )
    if "\nAPPSPEC\n" in f"\n{appspec}\n":
        raise AnsibleFilterError("buildspec_build: the AppSpec must not contain a line APPSPEC (the here-document's end)")
    return _dump(
        {
            "version": 0.2,
            "env": {"shell": "bash"},
            "phases": {
                "pre_build": {
                    "commands": [
                        # One shell runs every command (buildspec 0.2): a failed command anywhere in a pipe fails it
                        # (CodeBuild's bash has no pipefail; jq would write an empty taskdef.json from a failed read).
                        "set -o pipefail",
                        # The commit the pipeline's Source action fetched (#{SourceVariables.CommitId}); CodeBuild's own
                        # resolved version when the project runs outside the pipeline.
                        'TAG="${COMMIT_ID:-$CODEBUILD_RESOLVED_SOURCE_VERSION}"',
                        'test -n "$TAG" || { echo "no commit id: COMMIT_ID and CODEBUILD_RESOLVED_SOURCE_VERSION are empty" >&2; exit 1; }',
                        'aws ecr get-login-password --region "$AWS_REGION" | docker login --username AWS --password-stdin "${REPOSITORY_URI%%/*}"',
                    ]
                },
                "build": {
                    "commands": [
                        'cd "$CODEBUILD_SRC_DIR/$SOURCE_DIRECTORY" || exit 1',
                        # A commit already built (a re-run, a retried stage) is not built again: ECR repositories are
                        # immutable by default, and the same commit makes the same image.
                        'if aws ecr describe-images --repository-name "${REPOSITORY_URI#*/}" --image-ids imageTag="$TAG" > /dev/null 2>&1; then\n'
                        '  echo "$REPOSITORY_URI:$TAG exists: not built again"\n'
                        "else\n"
                        '  docker build --tag "$REPOSITORY_URI:$TAG" --file "${DOCKERFILE:-Dockerfile}" . && docker push "$REPOSITORY_URI:$TAG"\n'
                        "fi",
                        'cd "$CODEBUILD_SRC_DIR" || exit 1',
                        'printf \'{"ImageURI":"%s"}\\n\' "$REPOSITORY_URI:$TAG" > imageDetail.json',
                        # The live task definition (what the ecs_service role registered, its tags too), image as the
                        # placeholder: the same source of truth as site.yml's.
                        'aws ecs describe-task-definition --task-definition "$TASK_FAMILY" --include TAGS --output json'
                        f" | jq --exit-status --arg name \"$CONTAINER_NAME\" '{TASKDEF_JQ}' > taskdef.json",
                        'test -s taskdef.json || { echo "taskdef.json is empty: no task definition $TASK_FAMILY to template" >&2; exit 1; }',
                        f"cat > appspec.yaml <<'APPSPEC'\n{appspec.rstrip()}\nAPPSPEC",
                    ]
                },
            },
            "artifacts": {"files": ["imageDetail.json", "taskdef.json", "appspec.yaml"]},
        }
    )


def buildspec_commands(buildspec):
    """Every command of a buildspec, in order, as one bash script (what the tests give to bash -n and shellcheck)."""
    spec = yaml.safe_load(buildspec)
    lines = ["#!/usr/bin/env bash"]
    for phase in ("install", "pre_build", "build", "post_build"):
        lines.extend((spec.get("phases", {}).get(phase) or {}).get("commands") or [])
    return "\n".join(lines) + "\n"


class FilterModule:
    def filters(self):
        return {"buildspec_test": buildspec_test, "buildspec_build": buildspec_build}
