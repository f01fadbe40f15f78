#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: codedeploy_application
short_description: Manage an AWS CodeDeploy application
version_added: 1.0.0
description:
  - Creates or deletes one AWS CodeDeploy application and brings its tags to the asked ones. Check mode and
    diff mode are supported.
  - The compute platform of an application cannot change on AWS; an existing application of another
    platform fails the task and nothing is changed.
  - Deleting an application deletes its deployment groups with it (AWS DeleteApplication).
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description: The application name.
    type: str
    required: true
  state:
    description: Whether the application should exist.
    type: str
    default: present
    choices: [present, absent]
  compute_platform:
    description: What the application deploys to; set when it is created.
    type: str
    default: ECS
    choices: [ECS, Server, Lambda]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - IAM actions used - C(codedeploy:GetApplication), C(codedeploy:CreateApplication),
    C(codedeploy:DeleteApplication), C(codedeploy:ListTagsForResource), C(codedeploy:TagResource),
    C(codedeploy:UntagResource), C(sts:GetCallerIdentity) (the account of the ARN).
"""

EXAMPLES = r"""
- name: The CodeDeploy application of the back end
  dito.chat.codedeploy_application:
    name: dito-prod-backend
    compute_platform: ECS
    tags:
      project: dito
  register: codedeploy_app

- name: Remove it (and its deployment groups)
  dito.chat.codedeploy_application:
    name: dito-prod-backend
    state: absent
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
application:
  description: The application after the task (its id is null in check mode before it exists).
  returned: when O(state=present)
  type: dict
  contains:
    application_id:
      description: The application id.
      type: str
      sample: 6d8a4b5a-8a8c-4cde-9a83-0a1c7c3f1c2e
    application_name:
      description: The application name.
      type: str
      sample: dito-prod-backend
    compute_platform:
      description: The compute platform.
      type: str
      sample: ECS
    arn:
      description: The application ARN.
      type: str
      sample: arn:aws:codedeploy:eu-west-1:123456789012:application:dito-prod-backend
    tags:
      description: The application's tags.
      type: dict
      sample: {"project": "dito"}
"""

from ansible_collections.dito.chat.plugins.module_utils import codedeploy as cd
from ansible_collections.dito.chat.plugins.module_utils import partitions
from ansible_collections.dito.chat.plugins.module_utils import sts
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def summary(application_id, name, platform, arn, tags):
    return {"application_id": application_id, "application_name": name, "compute_platform": platform, "arn": arn, "tags": tags}


def ensure_present(module, client, arn):
    params = module.params
    name, platform, tags = params["name"], params["compute_platform"], params["tags"]
    current = cd.get_application(client, name)
    if current is None:
        reserved = sorted(k for k in tags or {} if tagging.is_aws_owned(k))
        if reserved:
            module.fail_json(msg=f"tags: keys starting with {tagging.AWS_PREFIX} are reserved by AWS and cannot be set: {', '.join(reserved)}")
        application_id = None if module.check_mode else cd.create_application(client, name, platform, tags)
        diff = {"before": {}, "after": {"application_name": name, "compute_platform": platform, "tags": tags or {}}}
        return True, diff, summary(application_id, name, platform, arn, tags or {})

    have_platform = current.get("computePlatform") or "Server"
    if have_platform != platform:
        module.fail_json(
            msg=f"compute_platform: the application {name} deploys to {have_platform}, not {platform}; AWS cannot change "
            "the compute platform of an application (delete it and create it again). Nothing was changed."
        )
    have = cd.list_tags(client, arn)
    changed, have_tags = tagging.reconcile(module, have, tags, lambda t: cd.tag_resource(client, arn, t), lambda k: cd.untag_resource(client, arn, k))
    diff = {"before": {"tags": have}, "after": {"tags": have_tags}} if changed else {"before": {}, "after": {}}
    return changed, diff, summary(current.get("applicationId"), name, have_platform, arn, have_tags)


def ensure_absent(module, client):
    name = module.params["name"]
    if cd.get_application(client, name) is None:
        return False
    if not module.check_mode:
        cd.delete_application(client, name)
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            compute_platform=dict(type="str", default="ECS", choices=["ECS", "Server", "Lambda"]),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    client = module.client("codedeploy", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        try:
            partitions.partition(module.region)
        except partitions.UnknownRegion as e:
            module.fail_json(msg=str(e))
        account = sts.account_id(module.client("sts", retry_decorator=AWSRetry.jittered_backoff()))
        changed, diff, application = ensure_present(module, client, cd.application_arn(module.region, account, module.params["name"]))
    except (cd.AnsibleCodeDeployError, sts.AnsibleSTSError) as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, application=application)


if __name__ == "__main__":
    main()
