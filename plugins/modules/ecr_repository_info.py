#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_repository_info
short_description: Read Amazon ECR private repositories with their policies and tags
version_added: 0.1.0
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
"""

RETURN = r"""
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
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.dito.chat.plugins.module_utils import ecr


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(names=dict(type="list", elements="str", required=True)),
        supports_check_mode=True,
    )
    client = module.client("ecr", retry_decorator=AWSRetry.jittered_backoff())
    repositories = []
    try:
        for name in module.params["names"]:
            repository, state = ecr.read_repository(client, name)
            if repository is not None:
                repositories.append(ecr.to_result(repository, state))
    except ecr.AnsibleECRError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=False, repositories=repositories)


if __name__ == "__main__":
    main()
