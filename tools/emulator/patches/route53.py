"""Amazon Route 53 behaviours that moto 5.2 bends."""

from moto.route53.exceptions import Route53ClientError
from moto.route53.models import Route53Backend


def _same_name(a, b):
    return a.rstrip(".").lower() == b.rstrip(".").lower()


def _private_zone_of_name_in_vpc(backend, name, vpc_id, other_than=None):
    return any(
        zone.private_zone and zone.id != other_than and _same_name(zone.name, name) and any(v.get("vpc_id") == vpc_id for v in zone.vpcs)
        for zone in backend.zones.values()
    )


class _Conflict(Route53ClientError):
    def __init__(self, name, vpc_id):
        super().__init__("ConflictingDomainExists", f"A hosted zone named {name.rstrip('.')} is already associated with VPC {vpc_id}.")


def private_zones_of_one_name_conflict_in_a_vpc():
    """Two private hosted zones of one name cannot be associated with the same VPC (ConflictingDomainExists).

    AWS API reference, CreateHostedZone, error ConflictingDomainExists: "Create a private hosted zone: A
    hosted zone with the specified name already exists and is already associated with the Amazon VPC that
    you specified." AssociateVPCWithHostedZone, same error: "The VPC that you specified is already
    associated with another hosted zone that has the same name." moto made a second zone of the same name
    in the same VPC.
    """
    original_create = Route53Backend.create_hosted_zone
    original_associate = Route53Backend.associate_vpc_with_hosted_zone

    def create_hosted_zone(self, name, private_zone, caller_reference=None, vpcid=None, *args, **kwargs):
        if private_zone and vpcid and _private_zone_of_name_in_vpc(self, name, vpcid):
            raise _Conflict(name, vpcid)
        return original_create(self, name, private_zone, caller_reference, vpcid, *args, **kwargs)

    def associate_vpc_with_hosted_zone(self, zone_id, vpcid, vpcregion):
        zone = self.get_hosted_zone(zone_id)
        if zone.private_zone and _private_zone_of_name_in_vpc(self, zone.name, vpcid, other_than=zone.id):
            raise _Conflict(zone.name, vpcid)
        return original_associate(self, zone_id, vpcid, vpcregion)

    Route53Backend.create_hosted_zone = create_hosted_zone
    Route53Backend.associate_vpc_with_hosted_zone = associate_vpc_with_hosted_zone
