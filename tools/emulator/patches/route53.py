"""Amazon Route 53 behaviours that moto 5.2 bends."""

from moto.route53 import models as route53_models
from moto.route53.exceptions import HostedZoneNotEmpty


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
