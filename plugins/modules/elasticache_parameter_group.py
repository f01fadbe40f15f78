#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: elasticache_parameter_group
short_description: Manage an ElastiCache parameter group, its parameters and tags
version_added: 1.0.0
description:
  - Creates, updates or deletes one ElastiCache cache parameter group. The parameters given are set; with
    O(purge_parameters=true) every other parameter set on the group goes back to its engine default. Check mode
    and diff mode are supported.
  - Unlike M(community.aws.elasticache_parameter_group), it supports check mode, tags the group and compares
    the parameters, so a second run reports no change.
  - The family of a group cannot change. Asking for another family fails and changes nothing; name the group
    after its family (for example C(dito-prod-redis7)) so an engine upgrade brings a new group.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description: The parameter group name.
    type: str
    required: true
  state:
    description: Whether the parameter group should exist.
    type: str
    default: present
    choices: [present, absent]
  family:
    description: The family, for example V(redis7), V(redis6.x) or V(valkey8). Required to create the group.
    type: str
  description:
    description: The description, chosen at creation. Defaults to the name.
    type: str
  parameters:
    description: Parameter names and values, for example V(maxmemory-policy) set to V(allkeys-lru).
    type: dict
    default: {}
  purge_parameters:
    description: Reset to the engine default every parameter set on the group but not given in O(parameters).
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Redis 7 parameters with an eviction policy
  dito.chat.elasticache_parameter_group:
    name: dito-prod-redis7
    family: redis7
    parameters:
      maxmemory-policy: allkeys-lru
    tags:
      project: dito
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
parameter_group:
  description: The parameter group; under check mode before creation, what would be created.
  returned: state=present
  type: dict
  sample: {"name": "dito-prod-redis7", "family": "redis7", "arn": "arn:aws:elasticache:eu-west-1:123456789012:parametergroup:dito-prod-redis7",
           "description": "dito prod", "parameters": {"maxmemory-policy": "allkeys-lru"}, "tags": {"project": "dito"}}
"""

from ansible_collections.dito.chat.plugins.module_utils import elasticache as ec
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def parameter_changes(current, wanted, purge):
    """(to_set, to_reset): the parameters to set and those to reset to their default."""
    to_set = {k: v for k, v in wanted.items() if current.get(k) != v}
    to_reset = sorted(set(current) - set(wanted)) if purge else []
    return to_set, to_reset


def ensure_present(module, client):
    p = module.params
    name = p["name"]
    wanted = {k: str(v) for k, v in p["parameters"].items()}
    group = ec.describe_parameter_group(client, name)
    if group is None:
        if not p["family"]:
            module.fail_json(msg="family is required to create a parameter group")
        after = {"name": name, "family": p["family"], "arn": None, "description": p["description"] or name, "parameters": wanted, "tags": p["tags"] or {}}
        if not module.check_mode:
            created = ec.create_parameter_group(client, name, p["family"], p["description"] or name, p["tags"])
            if wanted:
                ec.set_parameters(client, name, wanted)
            after["arn"] = created["ARN"]
        return True, {"before": {}, "after": after}, after
    if p["family"] and p["family"] != group["CacheParameterGroupFamily"]:
        module.fail_json(
            msg=f"The parameter group {name} has the family {group['CacheParameterGroupFamily']}, not {p['family']}, and a family cannot change: "
            "nothing was changed. Use a new group name for the new family."
        )
    current = ec.user_parameters(client, name)
    tags = ec.list_tags(client, group["ARN"])
    before = {
        "name": name,
        "family": group["CacheParameterGroupFamily"],
        "arn": group["ARN"],
        "description": group.get("Description"),
        "parameters": current,
        "tags": tags,
    }
    to_set, to_reset = parameter_changes(current, wanted, p["purge_parameters"])
    parameters = {k: v for k, v in dict(current, **to_set).items() if k not in to_reset}
    if not module.check_mode:
        if to_set:
            ec.set_parameters(client, name, to_set)
        if to_reset:
            ec.reset_parameters(client, name, to_reset)
    arn = group["ARN"]
    retagged, after_tags = tagging.reconcile(module, tags, p["tags"], lambda t: ec.add_tags(client, arn, t), lambda k: ec.remove_tags(client, arn, k))
    after = dict(before, parameters=parameters, tags=after_tags)
    return bool(to_set or to_reset or retagged), {"before": before, "after": after}, after


def ensure_absent(module, client):
    name = module.params["name"]
    if ec.describe_parameter_group(client, name) is None:
        return False
    if not module.check_mode:
        ec.delete_parameter_group(client, name)
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            family=dict(type="str"),
            description=dict(type="str"),
            parameters=dict(type="dict", default={}),
            purge_parameters=dict(type="bool", default=True),
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
    module.exit_json(changed=changed, diff=diff, parameter_group=group)


if __name__ == "__main__":
    main()
