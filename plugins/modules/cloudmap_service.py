#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudmap_service
short_description: Manage an AWS Cloud Map service in a DNS namespace, for ECS service discovery
version_added: 1.0.0
description:
  - Creates, updates or deletes one AWS Cloud Map service in a DNS namespace found by name - the DNS records
    that its instances get (C(A) records of the tasks' addresses for an ECS service in awsvpc mode), the
    custom health check that ECS drives, and its tags. Check mode and diff mode are supported.
  - CreateService carries a CreatorRequestId, the same for every attempt of one run, so a request sent again after a
    lost response is answered with the service the first one created. When Cloud Map answers ServiceAlreadyExists,
    the module takes the service of that name in the namespace rather than failing.
  - The routing policy and the health-check kind cannot change on AWS; a change of them fails and changes nothing.
  - ECS registers and deregisters the instances (the tasks); a service with instances cannot be deleted.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description: The service name; its instances are resolved as C(<name>.<namespace>).
    type: str
    required: true
  namespace:
    description: The name of the private DNS namespace (see M(dito.chat.cloudmap_namespace)).
    type: str
    required: true
  state:
    description: Whether the service should exist.
    type: str
    default: present
    choices: [present, absent]
  description:
    description: The service's description.
    type: str
    default: ""
  dns_records:
    description: The records each instance gets.
    type: list
    elements: dict
    default: [{type: A, ttl: 10}]
    suboptions:
      type:
        description: The record type.
        type: str
        required: true
        choices: [A, AAAA, SRV, CNAME]
      ttl:
        description: The TTL in seconds.
        type: int
        required: true
  routing_policy:
    description: How Route 53 answers with several instances.
    type: str
    default: MULTIVALUE
    choices: [MULTIVALUE, WEIGHTED]
  custom_health_check:
    description:
      - Whether the instances' health is reported by the service that registers them (ECS reports its tasks'
        health). Set when the service is created.
    type: bool
    default: true
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Register the back end's tasks as backend.svc.prod.dito.internal
  dito.chat.cloudmap_service:
    name: backend
    namespace: svc.prod.dito.internal
    dns_records:
      - type: A
        ttl: 10
    tags:
      service: backend
  register: discovery

- name: Then give discovery.service.arn to the ECS service (dito.chat.ecs_service service_registry_arn)
  ansible.builtin.debug:
    var: discovery.service.arn
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
service:
  description: The service after the task (id and ARN unknown in check mode before it exists).
  returned: when O(state=present)
  type: dict
  contains:
    id:
      description: The service id.
      type: str
      sample: srv-h3gzi8hf
    arn:
      description: The service ARN, the C(registryArn) of an ECS service registry.
      type: str
      sample: arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-h3gzi8hf
    name:
      description: The service name.
      type: str
      sample: backend
    namespace_id:
      description: The namespace id.
      type: str
      sample: ns-ksj8d481f0v5rsei
    dns_records:
      description: The records each instance gets.
      type: list
      elements: dict
      sample: [{"type": "A", "ttl": 10}]
    tags:
      description: The service's tags.
      type: dict
      sample: {"service": "backend"}
"""

import uuid

from ansible_collections.dito.chat.plugins.module_utils import servicediscovery as sd
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def summary(service, namespace_id, tags):
    records = (service.get("DnsConfig") or {}).get("DnsRecords") or []
    return {
        "id": service.get("Id"),
        "arn": service.get("Arn"),
        "name": service.get("Name"),
        "namespace_id": namespace_id,
        "dns_records": [{"type": r["Type"], "ttl": r["TTL"]} for r in records],
        "tags": tags,
    }


def ensure_present(module, client):
    params = module.params
    namespace = sd.find_namespace(client, params["namespace"])
    name, tags = params["name"], params["tags"]
    records = sd.dns_records_normalised([{"Type": r["type"], "TTL": r["ttl"]} for r in params["dns_records"]])
    namespace_id = (namespace or {}).get("Id")
    current = sd.find_service(client, namespace_id, name) if namespace_id else None
    if current is None:
        request = {
            "Name": name,
            "NamespaceId": namespace_id,
            "Description": params["description"],
            "DnsConfig": {"RoutingPolicy": params["routing_policy"], "DnsRecords": records},
        }
        if params["custom_health_check"]:
            request["HealthCheckCustomConfig"] = {"FailureThreshold": 1}
        if tags:
            request["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        if module.check_mode:
            return True, {"before": {}, "after": {"service": name}}, summary(request, namespace_id, tags or {})
        if namespace is None:
            module.fail_json(msg=f"namespace {params['namespace']} does not exist")
        # One CreatorRequestId for every attempt of this run: a request sent again is answered with the first one's service.
        service = sd.create_service_once(client, dict(request, CreatorRequestId=str(uuid.uuid4())))
        return True, {"before": {}, "after": {"service": name}}, summary(service, namespace_id, tags or {})

    dns = current.get("DnsConfig") or {}
    if dns.get("RoutingPolicy", "MULTIVALUE") != params["routing_policy"]:
        module.fail_json(msg=f"routing_policy: the service {name} answers {dns.get('RoutingPolicy')}; AWS cannot change it in place. Nothing was changed.")
    if bool(current.get("HealthCheckCustomConfig")) != params["custom_health_check"]:
        module.fail_json(msg=f"custom_health_check: the health-check kind of the service {name} cannot change in place. Nothing was changed.")

    changed, before, after = False, {}, {}
    have_records = sd.dns_records_normalised(dns.get("DnsRecords"))
    if have_records != records or (current.get("Description") or "") != params["description"]:
        changed = True
        before.update(dns_records=have_records, description=current.get("Description") or "")
        after.update(dns_records=records, description=params["description"])
        if not module.check_mode:
            update = {"DnsConfig": {"DnsRecords": records}, "Description": params["description"]}
            sd.wait_for_operation(client, sd.update_service(client, current["Id"], update))
        current = dict(current, DnsConfig=dict(dns, DnsRecords=records))

    arn = current["Arn"]
    have = sd.list_tags(client, arn)
    retagged, have_tags = tagging.reconcile(module, have, tags, lambda t: sd.tag_resource(client, arn, t), lambda k: sd.untag_resource(client, arn, k))
    if retagged:
        changed, before["tags"], after["tags"] = True, have, have_tags
    return changed, {"before": before, "after": after}, summary(current, namespace_id, have_tags)


def ensure_absent(module, client):
    namespace = sd.find_namespace(client, module.params["namespace"])
    current = sd.find_service(client, namespace["Id"], module.params["name"]) if namespace else None
    if current is None:
        return False
    if not module.check_mode:
        sd.delete_service(client, current["Id"])
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            namespace=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            description=dict(type="str", default=""),
            dns_records=dict(
                type="list",
                elements="dict",
                default=[{"type": "A", "ttl": 10}],
                options=dict(type=dict(type="str", required=True, choices=["A", "AAAA", "SRV", "CNAME"]), ttl=dict(type="int", required=True)),
            ),
            routing_policy=dict(type="str", default="MULTIVALUE", choices=["MULTIVALUE", "WEIGHTED"]),
            custom_health_check=dict(type="bool", default=True),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    client = module.client("servicediscovery", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, diff, service = ensure_present(module, client)
    except sd.AnsibleCloudMapError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, service=service)


if __name__ == "__main__":
    main()
