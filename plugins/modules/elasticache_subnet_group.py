#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: elasticache_subnet_group
short_description: Manage an ElastiCache subnet group with its tags
version_added: 1.0.0
description:
  - Creates, updates (description, subnets, tags) or deletes one ElastiCache cache subnet group. Check mode and
    diff mode are supported.
  - Unlike M(community.aws.elasticache_subnet_group), it tags the group.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description: The subnet group name (AWS stores it in lowercase).
    type: str
    required: true
  state:
    description: Whether the subnet group should exist.
    type: str
    default: present
    choices: [present, absent]
  description:
    description: The description. Defaults to the name.
    type: str
  subnets:
    description: The subnet ids (all in one VPC). Required to create the group.
    type: list
    elements: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: A subnet group over the private subnets
  dito.chat.elasticache_subnet_group:
    name: dito-prod-redis
    description: Private subnets of dito prod
    subnets: [subnet-0aaa, subnet-0bbb]
    tags:
      project: dito
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
subnet_group:
  description: The subnet group; under check mode before creation, what would be created.
  returned: state=present
  type: dict
  sample: {"name": "dito-prod-redis", "arn": "arn:aws:elasticache:eu-west-1:123456789012:subnetgroup:dito-prod-redis",
           "description": "Private subnets", "subnet_ids": ["subnet-0aaa", "subnet-0bbb"], "vpc_id": "vpc-0123", "tags": {"project": "dito"}}
"""

from ansible_collections.dito.chat.plugins.module_utils import elasticache as ec
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def summary(group, tags):
    return {
        "name": group.get("CacheSubnetGroupName"),
        "arn": group.get("ARN"),
        "description": group.get("CacheSubnetGroupDescription"),
        "subnet_ids": sorted(s["SubnetIdentifier"] for s in group.get("Subnets") or []),
        "vpc_id": group.get("VpcId"),
        "tags": tags,
    }


def ensure_present(module, client):
    p = module.params
    name = p["name"].lower()
    description = p["description"] or name
    group = ec.describe_subnet_group(client, name)
    if group is None:
        if not p["subnets"]:
            module.fail_json(msg="subnets is required to create a subnet group")
        after = {"name": name, "arn": None, "description": description, "subnet_ids": sorted(p["subnets"]), "vpc_id": None, "tags": p["tags"] or {}}
        if not module.check_mode:
            created = ec.create_subnet_group(client, name, description, p["subnets"], p["tags"])
            after = summary(created, p["tags"] or {})
        return True, {"before": {}, "after": after}, after
    tags = ec.list_tags(client, group["ARN"])
    before = summary(group, tags)
    subnets = sorted(p["subnets"]) if p["subnets"] else before["subnet_ids"]
    wanted_description = p["description"] if p["description"] is not None else before["description"]
    modify = subnets != before["subnet_ids"] or wanted_description != before["description"]
    if modify and not module.check_mode:
        ec.modify_subnet_group(client, name, wanted_description, subnets)
    arn = group["ARN"]
    retagged, after_tags = tagging.reconcile(module, tags, p["tags"], lambda t: ec.add_tags(client, arn, t), lambda k: ec.remove_tags(client, arn, k))
    after = dict(before, description=wanted_description, subnet_ids=subnets, tags=after_tags)
    return bool(modify or retagged), {"before": before, "after": after}, after


def ensure_absent(module, client):
    name = module.params["name"].lower()
    if ec.describe_subnet_group(client, name) is None:
        return False
    if not module.check_mode:
        ec.delete_subnet_group(client, name)
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            description=dict(type="str"),
            subnets=dict(type="list", elements="str"),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    client = module.client("elasticache", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, diff, group = ensure_present(module, client)
    except ec.AnsibleElastiCacheError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, subnet_group=group)


if __name__ == "__main__":
    main()
