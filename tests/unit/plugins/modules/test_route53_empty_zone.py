"""dito.chat.route53_empty_zone against moto in-process: the zone goes only when nothing but its own records remain."""

import boto3
import pytest

from ansible_collections.dito.chat.plugins.module_utils.route53 import foreign_records
from ansible_collections.dito.chat.plugins.modules import route53_empty_zone

REGION = "eu-west-1"
ZONE = "prod.dito.internal"


@pytest.fixture
def r53(aws):
    ec2 = boto3.client("ec2", region_name=REGION)
    client = boto3.client("route53", region_name=REGION)
    client.vpc, client.other_vpc = (ec2.create_vpc(CidrBlock=c)["Vpc"]["VpcId"] for c in ("10.0.0.0/16", "10.1.0.0/16"))
    return client


def private_zone(r53, vpc, name=ZONE):
    made = r53.create_hosted_zone(Name=name, CallerReference=f"{name}-{vpc}", VPC={"VPCRegion": REGION, "VPCId": vpc}, HostedZoneConfig={"PrivateZone": True})
    return made["HostedZone"]["Id"].rsplit("/", 1)[-1]


def add(r53, zone, name, kind, value):
    change = {"Action": "CREATE", "ResourceRecordSet": {"Name": name, "Type": kind, "TTL": 60, "ResourceRecords": [{"Value": value}]}}
    r53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [change]})


def zone_ids(r53):
    return {z["Id"].rsplit("/", 1)[-1] for z in r53.list_hosted_zones()["HostedZones"]}


def test_a_zone_holding_only_its_own_records_goes(r53, run_module):
    mine, theirs = private_zone(r53, r53.vpc), private_zone(r53, r53.other_vpc)
    public = r53.create_hosted_zone(Name=ZONE, CallerReference="public")["HostedZone"]["Id"].rsplit("/", 1)[-1]
    args = {"zone": ZONE, "vpc_id": r53.vpc}

    plan = run_module(route53_empty_zone.main, args, check_mode=True)
    assert (plan["changed"], plan["deleted"], plan["zone_id"]) == (True, True, mine), plan
    assert mine in zone_ids(r53)

    gone = run_module(route53_empty_zone.main, args)
    assert (gone["changed"], gone["deleted"], gone["zone_id"]) == (True, True, mine), gone
    # The zones of the same name of another VPC, and the public one, stay.
    assert zone_ids(r53) == {theirs, public}
    again = run_module(route53_empty_zone.main, args)
    assert (again["changed"], again["zone_id"]) == (False, None), again


@pytest.mark.parametrize(
    "name, kind, value",
    [
        (f"www.{ZONE}", "A", "10.0.0.10"),
        (f"team.{ZONE}", "NS", "ns-1.example.net."),  # a delegation below the apex: AWS refuses HostedZoneNotEmpty
        (ZONE, "TXT", '"owner=someone"'),
    ],
)
def test_a_zone_holding_other_records_stays_with_a_warning(r53, run_module, name, kind, value):
    zone = private_zone(r53, r53.vpc)
    add(r53, zone, name, kind, value)
    for check_mode in (True, False):
        kept = run_module(route53_empty_zone.main, {"zone": ZONE, "vpc_id": r53.vpc}, check_mode=check_mode)
        assert (kept["changed"], kept["deleted"], kept["zone_id"]) == (False, False, zone), kept
        assert kept["remaining_records"] == [f"{name}. {kind}"], kept
        warnings = [w["event"]["msg"] if isinstance(w, dict) else w for w in kept["warnings"]]
        assert any(f"Kept the hosted zone {ZONE} ({zone})" in w and f"{name}. {kind}" in w for w in warnings), warnings
    assert zone in zone_ids(r53)
    kinds = sorted(r["Type"] for r in r53.list_resource_record_sets(HostedZoneId=zone)["ResourceRecordSets"])
    assert kinds == sorted(["SOA", "NS", kind]), kinds


def test_several_zones_of_the_name_are_refused_rather_than_guessed(r53, run_module):
    private_zone(r53, r53.vpc)
    private_zone(r53, r53.other_vpc)
    result = run_module(route53_empty_zone.main, {"zone": ZONE})
    assert result["failed"] and "2 hosted zones are named" in result["msg"] and "hosted_zone_id" in result["msg"], result
    assert len(zone_ids(r53)) == 2


def test_foreign_records_are_all_but_the_apex_soa_and_ns():
    records = [
        {"Name": "prod.dito.internal.", "Type": "SOA"},
        {"Name": "Prod.Dito.Internal.", "Type": "NS"},
        {"Name": "sub.prod.dito.internal.", "Type": "NS"},
        {"Name": "redis.prod.dito.internal.", "Type": "CNAME"},
    ]
    assert foreign_records("prod.dito.internal", records) == ["sub.prod.dito.internal. NS", "redis.prod.dito.internal. CNAME"]


def test_a_lost_delete_response_is_a_deletion(r53, run_module, lost_response):
    """The module creates nothing; a DeleteHostedZone resent after a lost response answers NoSuchHostedZone, which
    is the deletion done: changed and deleted, the zone gone."""
    mine = private_zone(r53, r53.vpc)
    doubled = lost_response("DeleteHostedZone")
    gone = run_module(route53_empty_zone.main, {"zone": ZONE, "vpc_id": r53.vpc})
    assert doubled == [("route53", "DeleteHostedZone")]
    assert gone["changed"] is True and (gone["zone_id"], gone["deleted"]) == (mine, True) and "failed" not in gone
    assert zone_ids(r53) == set()
