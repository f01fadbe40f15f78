#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudmap_namespace
short_description: Manage an AWS Cloud Map private DNS namespace
version_added: 1.0.0
description:
  - Creates or deletes one AWS Cloud Map private DNS namespace in a VPC (Cloud Map makes its Route 53 private
    hosted zone), found by name, and keeps its tags. Waits for the creation or deletion operation to finish.
    Check mode and diff mode are supported. No Ansible module managed Cloud Map before.
  - CreatePrivateDnsNamespace carries a CreatorRequestId, the same for every attempt of one run, so a request sent
    again after a lost response is answered with the first one's operation. When Cloud Map answers that the
    namespace exists already (NamespaceAlreadyExists, or ConflictingDomainExists for its domain in the VPC), the
    module takes the namespace of that name rather than failing; when it answers that the first attempt's operation
    is still in progress (DuplicateRequest), the module waits for that operation.
  - The name and the VPC of a namespace cannot change. A namespace that still has services cannot be deleted
    (AWS refuses); delete them first.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description: The namespace's DNS name, for example V(svc.prod.dito.internal).
    type: str
    required: true
  state:
    description: Whether the namespace should exist.
    type: str
    default: present
    choices: [present, absent]
  vpc_id:
    description: The VPC whose instances resolve the namespace. Required to create it.
    type: str
  description:
    description: The namespace's description, set when it is created.
    type: str
    default: ""
  wait_timeout:
    description: How many seconds to wait for a creation or deletion to finish.
    type: int
    default: 300
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Make the namespace that the services register in
  dito.chat.cloudmap_namespace:
    name: svc.prod.dito.internal
    vpc_id: vpc-0123456789abcdef0
    tags:
      project: dito
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
namespace:
  description: The namespace after the task (id and ARN unknown in check mode before it exists).
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: The namespace id.
      type: str
      sample: ns-ksj8d481f0v5rsei
    arn:
      description: The namespace ARN.
      type: str
      sample: arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-ksj8d481f0v5rsei
    name:
      description: The namespace name.
      type: str
      sample: svc.prod.dito.internal
    hosted_zone_id:
      description: The private hosted zone that Cloud Map made for the namespace.
      type: str
      sample: Z0123456789ABCDEFGHIJ
    tags:
      description: The namespace's tags.
      type: dict
      sample: {"project": "dito"}
"""

import uuid

from ansible_collections.dito.chat.plugins.module_utils import servicediscovery as sd
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def summary(namespace, tags):
    zone = ((namespace.get("Properties") or {}).get("DnsProperties") or {}).get("HostedZoneId")
    return {
        "id": namespace.get("Id"),
        "arn": namespace.get("Arn"),
        "name": namespace.get("Name"),
        "hosted_zone_id": zone.rsplit("/", 1)[-1] if zone else None,
        "tags": tags,
    }


def ensure_present(module, client):
    params = module.params
    name, tags = params["name"].rstrip("."), params["tags"]
    current = sd.find_namespace(client, name)
    if current is None:
        if not params["vpc_id"]:
            module.fail_json(msg=f"vpc_id is required to create the namespace {name}")
        if module.check_mode:
            return True, {"before": {}, "after": {"namespace": name}}, summary({"Name": name}, tags or {})
        request_tags = [{"Key": k, "Value": v} for k, v in (tags or {}).items()]
        # One CreatorRequestId for every attempt of this run: a request sent again is answered with the first one's operation.
        request_id = str(uuid.uuid4())
        namespace = sd.create_namespace_once(client, name, params["vpc_id"], params["description"], request_tags, request_id, params["wait_timeout"])
        return True, {"before": {}, "after": {"namespace": name}}, summary(namespace, tags or {})

    arn = current["Arn"]
    have = sd.list_tags(client, arn)
    changed, after = tagging.reconcile(module, have, tags, lambda t: sd.tag_resource(client, arn, t), lambda k: sd.untag_resource(client, arn, k))
    diff = {"before": {"tags": have}, "after": {"tags": after}} if changed else {}
    return changed, diff, summary(current, after)


def ensure_absent(module, client):
    current = sd.find_namespace(client, module.params["name"])
    if current is None:
        return False
    if not module.check_mode:
        sd.wait_for_operation(client, sd.delete_namespace(client, current["Id"]), module.params["wait_timeout"])
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            vpc_id=dict(type="str"),
            description=dict(type="str", default=""),
            wait_timeout=dict(type="int", default=300),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    client = module.client("servicediscovery", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, diff, namespace = ensure_present(module, client)
    except sd.AnsibleCloudMapError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, namespace=namespace)


if __name__ == "__main__":
    main()
