#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecr_repository
short_description: Manage an Amazon ECR private repository with its policies and tags
version_added: 1.0.0
description:
  - Creates, updates or deletes one Amazon ECR private repository together with its sub-resources in a
    single invocation - tag mutability, scan on push, encryption, lifecycle policy, repository policy and tags.
  - Compares the desired state with what ECR holds and calls only the APIs whose setting differs, so a
    second run reports C(changed=false). Policies are compared as data, not as text.
  - Encryption is fixed when ECR creates a repository. Asking for other encryption on an existing
    repository fails before anything is changed.
  - Unlike M(community.aws.ecs_ecr), it manages tags, defaults to the secure settings (immutable tags,
    scan on push) and supports check mode and diff mode throughout.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description:
      - The name of the repository, for example C(dito/frontend).
    required: true
    type: str
  state:
    description:
      - Whether the repository should exist.
    choices: [present, absent]
    default: present
    type: str
  image_tag_mutability:
    description:
      - C(IMMUTABLE) stops an image tag from being pushed again with other content.
    choices: [MUTABLE, IMMUTABLE]
    default: IMMUTABLE
    type: str
  scan_on_push:
    description:
      - Scan each image for known vulnerabilities when it is pushed (basic scanning).
    default: true
    type: bool
  encryption_type:
    description:
      - Encryption at rest. C(AES256) uses Amazon S3-managed keys, C(KMS) a KMS key.
      - Only applied when the repository is created.
    choices: [AES256, KMS]
    default: AES256
    type: str
  kms_key:
    description:
      - With I(encryption_type=KMS), the key to encrypt with. Without it, ECR uses the AWS managed key C(aws/ecr).
      - A key ARN is compared exactly with the repository's key. A key id is compared with the key id in
        that ARN. An alias cannot be resolved without a KMS call and is taken as matching.
    type: str
  lifecycle_policy:
    description:
      - The lifecycle policy, as a dict or a JSON string.
      - When not set, the lifecycle policy is left alone unless I(purge_lifecycle_policy=true).
    type: json
  purge_lifecycle_policy:
    description:
      - Remove the lifecycle policy when I(lifecycle_policy) is not set. Ignored when it is set.
    default: false
    type: bool
  policy:
    description:
      - The repository policy (for example cross-account pull), as a dict or a JSON string.
      - A bare account id among a statement's C(Principal.AWS) is written as that account's root ARN in the
        region's partition (C(arn:aws-cn:iam::<account>:root) in China), as IAM stores it.
      - When not set, the repository policy is left alone unless I(purge_policy=true).
    type: json
  purge_policy:
    description:
      - Remove the repository policy when I(policy) is not set. Ignored when it is set.
    default: false
    type: bool
  force_delete:
    description:
      - With I(state=absent), delete the repository even when it still holds images.
    default: false
    type: bool
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Create the front end's repository with the secure defaults and a lifecycle policy
  dito.chat.ecr_repository:
    name: dito/frontend
    lifecycle_policy:
      rules:
        - rulePriority: 1
          description: Expire untagged images after 7 days
          selection:
            tagStatus: untagged
            countType: sinceImagePushed
            countUnit: days
            countNumber: 7
          action:
            type: expire
    tags:
      project: dito
      environment: production
      service: frontend

- name: Encrypt with a customer managed key and let another account pull
  dito.chat.ecr_repository:
    name: dito/backend
    encryption_type: KMS
    kms_key: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    policy:
      Version: "2012-10-17"
      Statement:
        - Sid: CrossAccountPull
          Effect: Allow
          Principal:
            AWS: arn:aws:iam::210987654321:root
          Action:
            - ecr:BatchCheckLayerAvailability
            - ecr:BatchGetImage
            - ecr:GetDownloadUrlForLayer

- name: Delete a repository and its images
  dito.chat.ecr_repository:
    name: dito/old
    state: absent
    force_delete: true
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
repository:
  description: The repository as ECR holds it after the task (as check mode predicts it under C(--check)).
  returned: when I(state=present)
  type: dict
  contains:
    repository_name:
      description: The name of the repository.
      type: str
      sample: dito/frontend
    repository_arn:
      description: The ARN of the repository. Absent when check mode predicts a creation.
      type: str
      sample: arn:aws:ecr:eu-west-1:123456789012:repository/dito/frontend
    repository_uri:
      description: The URI to push to and pull from. Absent when check mode predicts a creation.
      type: str
      sample: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/frontend
    registry_id:
      description: The account id of the registry.
      type: str
      sample: "123456789012"
    image_tag_mutability:
      description: The tag mutability.
      type: str
      sample: IMMUTABLE
    scan_on_push:
      description: Whether images are scanned on push.
      type: bool
      sample: true
    encryption_type:
      description: The encryption at rest.
      type: str
      sample: AES256
    kms_key:
      description: The KMS key ARN, with I(encryption_type=KMS).
      type: str
      sample: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    lifecycle_policy:
      description: The lifecycle policy, or null.
      type: dict
      sample: {"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged"}, "action": {"type": "expire"}}]}
    policy:
      description: The repository policy, or null.
      type: dict
      sample: {"Version": "2012-10-17", "Statement": []}
    tags:
      description: The tags of the repository.
      type: dict
      sample: {"project": "dito", "service": "frontend"}
"""

import json

from ansible_collections.dito.chat.plugins.module_utils import ecr
from ansible_collections.dito.chat.plugins.module_utils import partitions
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def _as_dict(module, value, option):
    if value is None or isinstance(value, dict):
        return value
    try:
        parsed = json.loads(value)
    except ValueError as e:
        module.fail_json(msg=f"{option} is not valid JSON: {e}")
    if not isinstance(parsed, dict):
        module.fail_json(msg=f"{option} must be a JSON object, not {type(parsed).__name__}")
    return parsed


def _account_principals(module, policy):
    """The policy with bare account ids among its AWS principals written as root ARNs of the region's partition."""
    try:
        return partitions.expand_account_principals(policy, module.region)
    except partitions.UnknownRegion as e:
        module.fail_json(msg=f"policy: cannot write account principals as ARNs: {e}")


def validate(module):
    if module.params["kms_key"] and module.params["encryption_type"] != "KMS":
        module.fail_json(msg="kms_key is only valid with encryption_type=KMS")


def desired_state(module):
    params = module.params
    return {
        "image_tag_mutability": params["image_tag_mutability"],
        "scan_on_push": params["scan_on_push"],
        "encryption_type": params["encryption_type"],
        "kms_key": params["kms_key"],
        "lifecycle_policy": _as_dict(module, params["lifecycle_policy"], "lifecycle_policy"),
        "policy": _account_principals(module, _as_dict(module, params["policy"], "policy")),
        "tags": params["tags"],
    }


def ensure_present(module, client):
    name = module.params["name"]
    desired = desired_state(module)
    repository, current = ecr.read_repository(client, name)

    if repository is None:
        after = dict(desired, tags=desired["tags"] or {})
        if desired["encryption_type"] != "KMS":
            after["kms_key"] = None
        if not module.check_mode:
            repository = ecr.create_repository(client, name, desired)
            if desired["lifecycle_policy"] is not None:
                ecr.put_lifecycle_policy(client, name, desired["lifecycle_policy"])
            if desired["policy"] is not None:
                ecr.set_repository_policy(client, name, desired["policy"])
            repository, after = ecr.read_repository(client, name)
        else:
            repository = {"repositoryName": name}
        return True, {"before": {}, "after": after}, ecr.to_result(repository, after)

    changes = ecr.compare_repository(
        current,
        desired,
        purge_tags=module.params["purge_tags"],
        purge_lifecycle_policy=module.params["purge_lifecycle_policy"],
        purge_policy=module.params["purge_policy"],
    )
    if changes.get("conflicts"):
        module.fail_json(msg=f"Repository {name}: " + "; ".join(changes["conflicts"]) + ". Nothing was changed.")
    if not changes:
        return False, {"before": current, "after": current}, ecr.to_result(repository, current)

    after = ecr.apply_changes(current, changes)
    if not module.check_mode:
        if "image_tag_mutability" in changes:
            ecr.put_image_tag_mutability(client, name, changes["image_tag_mutability"])
        if "scan_on_push" in changes:
            ecr.put_image_scanning_configuration(client, name, changes["scan_on_push"])
        if "lifecycle_policy" in changes:
            if changes["lifecycle_policy"] is None:
                ecr.delete_lifecycle_policy(client, name)
            else:
                ecr.put_lifecycle_policy(client, name, changes["lifecycle_policy"])
        if "policy" in changes:
            if changes["policy"] is None:
                ecr.delete_repository_policy(client, name)
            else:
                ecr.set_repository_policy(client, name, changes["policy"])
    arn = repository["repositoryArn"]
    tagging.reconcile(module, current["tags"], desired["tags"], lambda t: ecr.tag_repository(client, arn, t), lambda k: ecr.untag_repository(client, arn, k))
    return True, {"before": current, "after": after}, ecr.to_result(repository, after)


def ensure_absent(module, client):
    name = module.params["name"]
    repository = ecr.describe_repository(client, name)
    if repository is None:
        return False
    if not module.check_mode:
        ecr.delete_repository(client, name, module.params["force_delete"])
    return True


def main():
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        image_tag_mutability=dict(type="str", default="IMMUTABLE", choices=["MUTABLE", "IMMUTABLE"]),
        scan_on_push=dict(type="bool", default=True),
        encryption_type=dict(type="str", default="AES256", choices=["AES256", "KMS"]),
        kms_key=dict(type="str", no_log=False),  # a key ARN, id or alias: not a secret
        lifecycle_policy=dict(type="json"),
        purge_lifecycle_policy=dict(type="bool", default=False),
        policy=dict(type="json"),
        purge_policy=dict(type="bool", default=False),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        force_delete=dict(type="bool", default=False),
    )
    module = AnsibleAWSModule(argument_spec=argument_spec, supports_check_mode=True)
    validate(module)
    client = module.client("ecr", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, diff, repository = ensure_present(module, client)
    except ecr.AnsibleECRError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, repository=repository)


if __name__ == "__main__":
    main()
