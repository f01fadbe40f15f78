"""Amazon Route 53 behaviours that moto 5.2 bends."""

from moto.route53 import models as route53_models
from moto.route53.exceptions import HostedZoneNotEmpty
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


def a_caller_reference_creates_one_hosted_zone():
    """CreateHostedZone with the CallerReference of an existing zone answers HostedZoneAlreadyExists.

    AWS API reference, CreateHostedZone, CallerReference: "A unique string that identifies the request and that
    allows failed CreateHostedZone requests to be retried without the risk of executing the operation twice."
    Error HostedZoneAlreadyExists (HTTP 409): "The hosted zone you're trying to create already exists. Amazon Route 53
    returns this error when a hosted zone has already been created with the specified CallerReference." moto made a
    second zone, so a create resent after a lost response (botocore resends the same request) doubled the zone.
    Checked before any other check of the request, as a resend is recognised whatever else changed since.
    """
    original_create = Route53Backend.create_hosted_zone

    def create_hosted_zone(self, name, private_zone, caller_reference=None, *args, **kwargs):
        if caller_reference and any(zone.caller_reference == caller_reference for zone in self.zones.values()):
            raise Route53ClientError(
                "HostedZoneAlreadyExists",
                f"A hosted zone has already been created with the specified caller reference {caller_reference}.",
            )
        return original_create(self, name, private_zone, caller_reference, *args, **kwargs)

    Route53Backend.create_hosted_zone = create_hosted_zone


def a_caller_reference_is_never_used_again():
    """CreateHostedZone with the CallerReference of a zone that was deleted answers HostedZoneAlreadyExists too.

    AWS API reference, CreateHostedZone, CallerReference: "You must use a unique CallerReference string every time you
    submit a CreateHostedZone request. CallerReference can be any unique string, for example, a date/time stamp."
    Route 53 remembers the references of deleted zones (Netflix/denominator#356: "caller references can never be
    reused. This means that if you delete a zone, you can never create a new one with the same caller reference").
    moto (with a_caller_reference_creates_one_hosted_zone) refused only the reference of a zone that still exists, so a
    reference built from the zone's name alone passed a teardown and re-create that AWS refuses.
    """
    original_create, original_delete = Route53Backend.create_hosted_zone, Route53Backend.delete_hosted_zone

    def create_hosted_zone(self, name, private_zone, caller_reference=None, *args, **kwargs):
        if caller_reference and caller_reference in getattr(self, "dito_deleted_caller_references", ()):
            raise Route53ClientError(
                "HostedZoneAlreadyExists",
                f"A hosted zone has already been created with the specified caller reference {caller_reference}.",
            )
        return original_create(self, name, private_zone, caller_reference, *args, **kwargs)

    def delete_hosted_zone(self, id_):
        zone = self.get_hosted_zone(id_)
        deleted = original_delete(self, id_)
        if zone.caller_reference:
            self.__dict__.setdefault("dito_deleted_caller_references", set()).add(zone.caller_reference)
        return deleted

    Route53Backend.create_hosted_zone = create_hosted_zone
    Route53Backend.delete_hosted_zone = delete_hosted_zone


def deleting_a_hosted_zone_needs_only_its_apex_soa_and_ns_left():
    """DeleteHostedZone refuses a zone holding any record set other than the SOA and NS at its apex.

    AWS API reference, DeleteHostedZone: "You can delete a hosted zone only if it contains only the default SOA record
    and NS resource record sets. If the hosted zone contains other resource record sets, you must delete them before
    you can delete the hosted zone. If you try to delete a hosted zone that contains other resource record sets, the
    request fails, and Route 53 returns a HostedZoneNotEmpty error." (The console says it plainly: "all resource
    record sets except the NS and SOA resource record sets for the zone apex".) moto accepted NS record sets anywhere
    in the zone, so a zone with a delegation below its apex (``team.<zone> NS``) was deleted.
    """
    backend_cls = route53_models.Route53Backend
    original = backend_cls.delete_hosted_zone

    def delete_hosted_zone(self, id_):
        zone = self.get_hosted_zone(id_)
        apex = zone.name.rstrip(".").lower()
        for rrset in zone.rrsets:
            if not (rrset.name.rstrip(".").lower() == apex and rrset.type in ("SOA", "NS")):
                raise HostedZoneNotEmpty()
        return original(self, id_)

    backend_cls.delete_hosted_zone = delete_hosted_zone


# The hosted zone of every CloudFront distribution's alias target (Route 53 API reference, AliasTarget, HostedZoneId:
# "CloudFront distribution - Specify Z2FDTNDATAQYW2").
CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2"


def alias_records_to_cloudfront_cannot_evaluate_target_health():
    """ChangeResourceRecordSets refuses an alias to a CloudFront distribution with EvaluateTargetHealth true.

    AWS API reference, AliasTarget, EvaluateTargetHealth: "CloudFront distributions - You can't set
    EvaluateTargetHealth to true when the alias target is a CloudFront distribution." The reference names no error
    code for it; the emulator answers InvalidChangeBatch, Route 53's error for a change it refuses ("This exception
    contains a list of messages that might contain one or more error messages"). moto accepted the record.
    """
    backend_cls = route53_models.Route53Backend
    original = backend_cls.change_resource_record_sets

    def change_resource_record_sets(self, zoneid, change_list):
        for change in change_list:
            record = change.get("ResourceRecordSet") or {}
            alias = record.get("AliasTarget") or {}
            evaluate = str(alias.get("EvaluateTargetHealth", "false")).lower() == "true"
            if change.get("Action") in ("CREATE", "UPSERT") and alias.get("HostedZoneId") == CLOUDFRONT_HOSTED_ZONE_ID and evaluate:
                message = (
                    f"[Tried to create an alias that targets {alias.get('DNSName')}, type {record.get('Type')} in zone {CLOUDFRONT_HOSTED_ZONE_ID}, "
                    "but EvaluateTargetHealth cannot be true when the alias target is a CloudFront distribution]"
                )
                raise Route53ClientError("InvalidChangeBatch", message)
        return original(self, zoneid, change_list)

    backend_cls.change_resource_record_sets = change_resource_record_sets
