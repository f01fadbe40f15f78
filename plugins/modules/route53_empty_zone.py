#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: route53_empty_zone
short_description: Delete a Route 53 hosted zone once nothing but its own records remain in it
version_added: 1.0.0
description:
  - Deletes the hosted zone O(zone) (a private zone associated with O(vpc_id), or a public one) when it holds only
    its own records, the SOA and NS record sets at its apex that Route 53 made with it. When it holds anything else
    (records other roles or people added, a delegation below the apex), the zone and every record stay, the module
    warns naming the records, and reports RV(deleted=false) with RV(remaining_records). It never deletes a record.
  - A missing zone is not an error (nothing to do). Several zones of that name (for the same VPC) make it fail and
    ask for the zone's id, rather than pick one.
  - C(amazon.aws.route53_zone) with O(state=absent) fails with HostedZoneNotEmpty on a zone that still holds records,
    and deletes every zone of a name with C(hosted_zone_id=all); this module decides from what the zone holds.
  - Check mode is supported (it reads, and reports whether it would delete).
author:
  - dito.chat engineering (@dito-chat)
options:
  zone:
    description: The zone's DNS name, for example V(prod.dito.internal).
    type: str
    required: true
  state:
    description: Only V(absent) - the zone should be gone when nothing but its own records remain.
    type: str
    default: absent
    choices: [absent]
  private_zone:
    description: Whether the zone is a private one (otherwise public).
    type: bool
    default: true
  vpc_id:
    description: For a private zone, only the zone of that name associated with this VPC.
    type: str
  hosted_zone_id:
    description: The zone's id, when several zones share its name.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Remove the private zone when only its own records remain
  dito.chat.route53_empty_zone:
    zone: prod.dito.internal
    vpc_id: vpc-0123456789abcdef0
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
zone_id:
  description: The zone's id (without C(/hostedzone/)); null when no such zone exists.
  returned: always
  type: str
  sample: Z0123456789ABCDEFGHIJ
deleted:
  description: Whether the zone is (or, in check mode, would be) deleted by this run.
  returned: always
  type: bool
  sample: true
remaining_records:
  description: The records (C(<name> <type>)) other than the zone's own that kept it (the first 20 at most).
  returned: always
  type: list
  elements: str
  sample: ["www.prod.dito.internal. A"]
"""

from ansible_collections.dito.chat.plugins.module_utils import route53
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def find_zone(module, client):
    """The id of the one zone that the options name, or None. Fails when several match."""
    params = module.params
    if params["hosted_zone_id"]:
        found = route53.get_zone(client, route53.zone_id(params["hosted_zone_id"]))
        return route53.zone_id(found["HostedZone"]["Id"]) if found else None
    candidates = [z for z in route53.zones_named(client, params["zone"]) if bool(z.get("Config", {}).get("PrivateZone")) == params["private_zone"]]
    ids = [route53.zone_id(z["Id"]) for z in candidates]
    if params["private_zone"] and params["vpc_id"]:
        ids = [i for i in ids if any(v.get("VPCId") == params["vpc_id"] for v in (route53.get_zone(client, i) or {}).get("VPCs", []))]
    if len(ids) > 1:
        module.fail_json(msg=f"{len(ids)} hosted zones are named {params['zone']} ({', '.join(ids)}): give hosted_zone_id")
    return ids[0] if ids else None


def ensure_absent(module, client):
    name = module.params["zone"]
    zone = find_zone(module, client)
    if zone is None:
        return False, {"zone_id": None, "deleted": False, "remaining_records": []}
    records, more = route53.first_records(client, zone)
    remaining = route53.foreign_records(name, records)
    if more and not remaining:  # more than 20 record sets: never only the apex SOA and NS
        remaining = [f"{r['Name']} {r['Type']}" for r in records]
    if not remaining and not module.check_mode and route53.delete_zone(client, zone) is None:
        remaining = ["(records added since they were read: HostedZoneNotEmpty)"]
    if remaining:
        module.warn(
            f"Kept the hosted zone {name} ({zone}): it holds records other than its own SOA and NS"
            f" ({', '.join(remaining)}{', ...' if more else ''}). Delete them (if nothing needs them) and run again to remove the zone."
        )
        return False, {"zone_id": zone, "deleted": False, "remaining_records": remaining}
    return True, {"zone_id": zone, "deleted": True, "remaining_records": []}


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            zone=dict(type="str", required=True),
            state=dict(type="str", default="absent", choices=["absent"]),
            private_zone=dict(type="bool", default=True),
            vpc_id=dict(type="str"),
            hosted_zone_id=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    client = module.client("route53", retry_decorator=AWSRetry.jittered_backoff())
    try:
        changed, result = ensure_absent(module, client)
    except route53.AnsibleRoute53Error as e:
        module.fail_json_aws_error(e)
    diff = {"before": {"zone": module.params["zone"]}, "after": {}} if changed else {}
    module.exit_json(changed=changed, diff=diff, **result)


if __name__ == "__main__":
    main()
