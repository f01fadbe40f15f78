# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon Route 53 wrappers (retries, error handling) for hosted zones, and the pure test of what a zone still
holds beyond its own records."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleRoute53Error(AnsibleAWSError):
    pass


class Route53ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleRoute53Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NoSuchHostedZone")


def zone_id(value):
    """A zone id without its ``/hostedzone/`` prefix."""
    return value.rsplit("/", 1)[-1] if value else value


def fqdn(name):
    return name.rstrip(".").lower() + "."


@Route53ErrorHandler.list_error_handler("list the hosted zones named {name}", default_value=[])
@AWSRetry.jittered_backoff()
def zones_named(client, name):
    """Every hosted zone called ``name`` (public and private), as ListHostedZonesByName returns them."""
    wanted, found, request = fqdn(name), [], {"DNSName": fqdn(name)}
    while True:
        page = client.list_hosted_zones_by_name(**request)
        for zone in page["HostedZones"]:
            if zone["Name"].lower() != wanted:
                return found
            found.append(zone)
        if not page.get("IsTruncated"):
            return found
        request = {"DNSName": page["NextDNSName"], "HostedZoneId": page["NextHostedZoneId"]}


@Route53ErrorHandler.list_error_handler("get hosted zone {zone}")
@AWSRetry.jittered_backoff()
def get_zone(client, zone):
    return client.get_hosted_zone(Id=zone)


@Route53ErrorHandler.list_error_handler("list the records of hosted zone {zone}", default_value=([], False))
@AWSRetry.jittered_backoff()
def first_records(client, zone, count=20):
    """The first ``count`` record sets of a zone, and whether it holds more."""
    page = client.list_resource_record_sets(HostedZoneId=zone, MaxItems=str(count))
    return page["ResourceRecordSets"], bool(page.get("IsTruncated"))


@Route53ErrorHandler.deletion_error_handler("delete hosted zone {zone}")
@AWSRetry.jittered_backoff()
def delete_zone(client, zone):
    """True once deleted, False when it was already gone, None when AWS refuses it as not empty (HostedZoneNotEmpty:
    someone added a record since it was read)."""
    try:
        client.delete_hosted_zone(Id=zone)
    except is_boto3_error_code("HostedZoneNotEmpty"):
        return None
    return True


def foreign_records(zone_name, records):
    """The records (``"<name> <type>"``) of a zone other than its own: the SOA and NS record sets at its apex, which
    Route 53 makes with the zone and deletes with it. A zone holding anything else cannot be deleted (AWS:
    HostedZoneNotEmpty), and an NS record below the apex is a delegation that someone made."""
    apex = fqdn(zone_name)
    return [f"{r['Name']} {r['Type']}" for r in records if not (r["Name"].lower() == apex and r["Type"] in ("SOA", "NS"))]
