#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_repository_info
short_description: Read Amazon ECR private repositories with their policies and tags
version_added: 1.0.0
description:
  - Returns each named repository as M(dito.chat.ecr_repository) returns it - settings, lifecycle policy,
    repository policy and tags. Read-only.
author:
  - dito.chat engineering (@dito-chat)
options:
  names:
    description:
      - The repositories to read. A name that does not exist is left out of the result.
    required: true
    type: list
    elements: str
  image:
    description:
      - An image tag (V(v1.4.2)) or digest (V(sha256:...)) to resolve in the repository.
      - Allowed only with exactly one name in O(names).
      - The module fails when the repository does not exist or does not hold the image.
      - With O(image), RV(repositories) holds the repository's identifiers only (name, ARN, URI, registry id), so the
        look-up needs C(ecr:DescribeRepositories) and C(ecr:DescribeImages) and nothing more.
    type: str
    version_added: 1.0.0
  registry_id:
    description:
      - The account whose registry holds the repository, when it is not the caller's (a shared tooling account). Only
        with O(image). That repository's policy must allow the caller C(ecr:DescribeRepositories) and
        C(ecr:DescribeImages) (the dito.chat.ecr role grants them with C(ecr_pull_account_ids)).
    type: str
    version_added: 1.0.0
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Read the service repositories
  dito.chat.ecr_repository_info:
    names:
      - dito/frontend
      - dito/backend
  register: repos

- name: Every repository scans on push
  ansible.builtin.assert:
    that: repos.repositories | rejectattr('scan_on_push') | list == []

- name: Resolve the tag to deploy (fails when it was never pushed)
  dito.chat.ecr_repository_info:
    names: [dito/backend]
    image: "{{ image_tag }}"
  register: backend_repo

- name: Pin the task definition to the exact image
  ansible.builtin.debug:
    msg: "{{ backend_repo.image.uri_by_digest }}"
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
repositories:
  description: The repositories that exist, in the order asked for, in the shape of M(dito.chat.ecr_repository)'s RV(ignore:repository).
  returned: always
  type: list
  elements: dict
  sample:
    - repository_name: dito/frontend
      repository_arn: arn:aws:ecr:eu-west-1:123456789012:repository/dito/frontend
      repository_uri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/frontend
      registry_id: "123456789012"
      image_tag_mutability: IMMUTABLE
      scan_on_push: true
      encryption_type: AES256
      lifecycle_policy: {"rules": []}
      policy: null
      tags: {"service": "frontend"}
image:
  description: The image O(image) names.
  returned: when O(image) is given
  type: dict
  contains:
    digest:
      description: The image manifest digest.
      type: str
      sample: sha256:5b1c5a4e3f0d4c8e9a2b7d6f1e0c3b4a5d6e7f8091a2b3c4d5e6f708192a3b4c
    tags:
      description: Every tag the image carries, sorted.
      type: list
      elements: str
      sample: ["v1.4.2", "latest"]
    pushed_at:
      description: When the image was pushed (ISO 8601).
      type: str
      sample: "2026-11-30T13:15:39+00:00"
    uri_by_digest:
      description: C(<repositoryUri>@<digest>), the exact image whatever happens to its tags later.
      type: str
      sample: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/backend@sha256:5b1c5a4e3f0d4c8e9a2b7d6f1e0c3b4a5d6e7f8091a2b3c4d5e6f708192a3b4c
    uri:
      description: C(<repositoryUri>:<tag>) when O(image) is a tag, else the same as RV(image.uri_by_digest).
      type: str
      sample: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/backend:v1.4.2
"""

from ansible_collections.dito.chat.plugins.module_utils import ecr
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(names=dict(type="list", elements="str", required=True), image=dict(type="str"), registry_id=dict(type="str")),
        supports_check_mode=True,
    )
    names, image, registry_id = module.params["names"], module.params["image"], module.params["registry_id"]
    if registry_id and image is None:
        module.fail_json(msg="registry_id is allowed only with image (an image look-up in another account's repository)")
    if registry_id and not registry_id.isdigit():
        module.fail_json(msg=f"registry_id must be an AWS account id (12 digits), got {registry_id}")
    if image is not None and len(names) != 1:
        module.fail_json(msg=f"image is allowed only with exactly one name in names, got {len(names)}: {', '.join(names) or '(none)'}")
    if image is not None and not image:
        module.fail_json(msg="image must be a tag or a sha256:... digest, got an empty string")
    client = module.client("ecr", retry_decorator=AWSRetry.jittered_backoff())
    repositories = []
    try:
        if image is None:
            for name in names:
                repository, state = ecr.read_repository(client, name)
                if repository is not None:
                    repositories.append(ecr.to_result(repository, state))
            module.exit_json(changed=False, repositories=repositories)
        # An image look-up (the deploy path) reads the repository's identifiers only: two calls, ecr:DescribeRepositories
        # and ecr:DescribeImages, no policy or tag reads that a deployer would need permissions for.
        repository = ecr.describe_repository(client, names[0], registry_id)
        if repository is None:
            where = f" of account {registry_id}" if registry_id else ""
            module.fail_json(msg=f"image {image} is not in repository {names[0]}{where}: the repository does not exist", repositories=[])
        repositories.append(ecr.to_result(repository, {}))
        detail = ecr.describe_image(client, names[0], image, registry_id)
    except ecr.AnsibleECRError as e:
        module.fail_json_aws_error(e)
    if detail is None:
        module.fail_json(msg=f"image {image} is not in repository {names[0]}", repositories=repositories)
    module.exit_json(changed=False, repositories=repositories, image=ecr.image_result(repositories[0]["repository_uri"], detail, image))


if __name__ == "__main__":
    main()
