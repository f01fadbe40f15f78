# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The read-only preflight of an existing account: read wrappers (EC2, ACM, Route 53, STS) and pure checks.

Each check takes plain dicts as AWS returns them and returns problems, ``(option, text)`` pairs: the module names the
inventory variable behind each option. Nothing here writes to AWS.
"""

import re

try:
    import botocore.session
except ImportError:
    botocore = None  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

# Error codes that say the caller may not make a call: reported as a problem, not raised.
DENIED = ("UnauthorizedOperation", "AccessDenied", "AccessDeniedException", "UnauthorizedException")


class AnsiblePreflightError(AnsibleAWSError):
    pass


class EC2ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsiblePreflightError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["InvalidVpcID.NotFound", "InvalidVpcID.Malformed"])


class ACMErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsiblePreflightError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ResourceNotFoundException"])


class ReadErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsiblePreflightError


def error_code(error):
    """The AWS error code behind an AnsiblePreflightError ('' when there is none, a timeout say)."""
    response = getattr(error.exception, "response", None) or {}
    return response.get("Error", {}).get("Code", "")


# ---------------------------------------------------------------------------------------------
# Read wrappers. A missing VPC or certificate reads as None; anything else raises AnsiblePreflightError.


@ReadErrorHandler.common_error_handler("get the caller identity")
@AWSRetry.jittered_backoff()
def caller_identity(client):
    """sts:GetCallerIdentity, which needs no permission: the credentials work, and whose they are."""
    return client.get_caller_identity()


@EC2ErrorHandler.list_error_handler("describe VPC {vpc_id}")
@AWSRetry.jittered_backoff()
def describe_vpc(client, vpc_id):
    return client.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]


@EC2ErrorHandler.list_error_handler("describe attribute {attribute} of VPC {vpc_id}")
@AWSRetry.jittered_backoff()
def vpc_attribute(client, vpc_id, attribute):
    """enableDnsSupport or enableDnsHostnames of a VPC, as a bool."""
    key = attribute[0].upper() + attribute[1:]
    return client.describe_vpc_attribute(VpcId=vpc_id, Attribute=attribute)[key]["Value"]


@EC2ErrorHandler.common_error_handler("describe subnets {subnet_ids}")
@AWSRetry.jittered_backoff()
def describe_subnets(client, subnet_ids):
    """The subnets of these ids that exist (a filter, so that a missing id is left out rather than refused)."""
    paginator = client.get_paginator("describe_subnets")
    pages = paginator.paginate(Filters=[{"Name": "subnet-id", "Values": list(subnet_ids)}])
    return pages.build_full_result()["Subnets"]


@EC2ErrorHandler.common_error_handler("describe the route tables of {vpc_ids}")
@AWSRetry.jittered_backoff()
def describe_route_tables(client, vpc_ids):
    paginator = client.get_paginator("describe_route_tables")
    pages = paginator.paginate(Filters=[{"Name": "vpc-id", "Values": sorted(vpc_ids)}])
    return pages.build_full_result()["RouteTables"]


@ReadErrorHandler.common_error_handler("describe the managed prefix lists named {name}")
@AWSRetry.jittered_backoff()
def managed_prefix_lists_named(client, name):
    paginator = client.get_paginator("describe_managed_prefix_lists")
    pages = paginator.paginate(Filters=[{"Name": "prefix-list-name", "Values": [name]}])
    return pages.build_full_result()["PrefixLists"]


@ACMErrorHandler.list_error_handler("describe certificate {arn}")
@AWSRetry.jittered_backoff()
def describe_certificate(client, arn):
    return client.describe_certificate(CertificateArn=arn)["Certificate"]


@ReadErrorHandler.common_error_handler("list the hosted zones named {name}")
@AWSRetry.jittered_backoff()
def hosted_zones_named(client, name):
    """Every hosted zone of exactly this name (ListHostedZonesByName starts at the name, in name order)."""
    wanted = name.rstrip(".").lower() + "."
    zones, params = [], {"DNSName": wanted, "MaxItems": "100"}
    while True:
        page = client.list_hosted_zones_by_name(**params)
        same = [z for z in page["HostedZones"] if z["Name"].lower() == wanted]
        zones.extend(same)
        if not page.get("IsTruncated") or len(same) < len(page["HostedZones"]):
            return zones
        params = {"DNSName": page["NextDNSName"], "HostedZoneId": page["NextHostedZoneId"], "MaxItems": "100"}


@ReadErrorHandler.common_error_handler("list the records named {name}")
@AWSRetry.jittered_backoff()
def address_records_named(client, zone_id, name):
    """The A and AAAA records of exactly this name in the zone (ListResourceRecordSets starts at the name and type, in
    Route 53's order: one page of a few records holds them)."""
    wanted = name.rstrip(".").lower() + "."
    page = client.list_resource_record_sets(HostedZoneId=zone_id, StartRecordName=wanted, StartRecordType="A", MaxItems="4")
    return [r for r in page["ResourceRecordSets"] if r["Name"].lower() == wanted and r["Type"] in ("A", "AAAA")]


# ---------------------------------------------------------------------------------------------
# Pure checks: plain data in, problems ((option, text) pairs) out.

# An Application Load Balancer's DNS name: [dualstack.][internal-]<name>-<number>.<region>.elb.amazonaws.com[.cn][.]
_LOAD_BALANCER_DNS = re.compile(r"^(?:dualstack\.)?(?:internal-)?(?P<name>[a-z0-9-]+)-[0-9]+\.[a-z0-9-]+\.elb\.amazonaws\.com(?:\.cn)?\.?$")


def load_balancer_named_in(dns_name):
    """The load balancer's name that an alias target's DNS name carries, or None for any other target."""
    found = _LOAD_BALANCER_DNS.match((dns_name or "").lower())
    return found["name"] if found else None


def public_record_problems(records_by_name, wanted):
    """records_by_name: each public name's A/AAAA records as Route 53 lists them; wanted: {name: the load balancer that
    this stack points it at}. A name that aliases another load balancer belongs to another stack - another environment of
    the project in the same zone, most often - and the run would take it over (the route53 role overwrites the record).
    A name that points at CloudFront or at something else than a load balancer is not judged here (CloudFront itself
    refuses an alias that another distribution holds)."""
    problems = []
    for name, load_balancer in wanted.items():
        targets = {load_balancer_named_in((r.get("AliasTarget") or {}).get("DNSName")) for r in records_by_name.get(name) or []} - {None}
        others = sorted(t for t in targets if t != load_balancer.lower())
        if others:
            problems.append(
                (
                    "public_zone",
                    f"{name} already points at load balancer {', '.join(others)}, not at {load_balancer}: another environment or stack has"
                    ' this name, and the run would take it over; give each environment its own zone or dns_name (README.md, "Environments"),'
                    " or delete the record if nothing uses it",
                )
            )
    return problems


def known_regions():
    """Every region of every partition that the installed botocore has endpoints for."""
    session = botocore.session.get_session()
    return {r for p in session.get_available_partitions() for r in session.get_available_regions("ec2", partition_name=p)}


def region_problems(region, known_regions):
    if region not in known_regions:
        return [("region", f"{region} is not a region that this botocore knows (a typo, or a region newer than botocore: upgrade it)")]
    return []


def vpc_problems(vpc_id, vpc, dns_support, dns_hostnames):
    if vpc is None:
        return [("vpc_id", f"VPC {vpc_id} does not exist in this account and region")]
    off = [name for name, value in (("enableDnsSupport", dns_support), ("enableDnsHostnames", dns_hostnames)) if not value]
    if off:
        return [("vpc_id", f"VPC {vpc_id} has {' and '.join(off)} off; the private zone and Cloud Map need DNS support and DNS host names on")]
    return []


def route_table_of(subnet, route_tables):
    """The route table a subnet uses: the one associated with it, else its VPC's main route table."""
    explicit = main = None
    for table in route_tables:
        if table.get("VpcId") != subnet["VpcId"]:
            continue
        for association in table.get("Associations", []):
            if association.get("SubnetId") == subnet["SubnetId"]:
                explicit = table
            elif association.get("Main"):
                main = table
    return explicit or main


def routes_to_internet_gateway(table):
    """Whether a route table sends traffic to an internet gateway (an active route; blackhole ones do not count)."""
    return any(str(r.get("GatewayId", "")).startswith("igw-") and r.get("State", "active") == "active" for r in (table or {}).get("Routes", []))


def subnet_problems(vpc_id, tiers, subnets, route_tables):
    """tiers: {'public_subnet_ids': [...], 'private_subnet_ids': [...]}. subnets and route_tables as EC2 describes them."""
    problems = []
    found = {s["SubnetId"]: s for s in subnets}
    for option, ids in tiers.items():
        public = option.startswith("public")
        zones = {}
        for subnet_id in ids:
            subnet = found.get(subnet_id)
            if subnet is None:
                problems.append((option, f"subnet {subnet_id} does not exist in this account and region"))
                continue
            if subnet["VpcId"] != vpc_id:
                problems.append((option, f"subnet {subnet_id} belongs to {subnet['VpcId']}, not to {vpc_id}"))
                continue
            zones.setdefault(subnet["AvailabilityZone"], []).append(subnet_id)
            table = route_table_of(subnet, route_tables)
            if public and not routes_to_internet_gateway(table):
                problems.append((option, f"subnet {subnet_id} is not public: its route table has no route to an internet gateway"))
            if not public and routes_to_internet_gateway(table):
                problems.append((option, f"subnet {subnet_id} is public (its route table routes to an internet gateway), not private"))
        for zone, in_zone in sorted(zones.items()):
            if len(in_zone) > 1:
                problems.append((option, f"subnets {', '.join(in_zone)} are all in {zone}; they must be in two availability zones"))
    return problems


def parse_certificate_arn(arn):
    """{partition, region, account} of an ACM certificate ARN, or None when it is not one."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "acm" or not parts[5].startswith("certificate/"):
        return None
    return {"partition": parts[1], "region": parts[3], "account": parts[4]}


def covers(certificate_names, name):
    """Whether a certificate of these names is valid for ``name``: an exact name, or a wildcard ``*.rest`` for one
    more label (``*.example.com`` covers ``chat.example.com``, not ``example.com`` nor ``a.chat.example.com``)."""
    name = name.rstrip(".").lower()
    for certificate_name in certificate_names:
        pattern = certificate_name.rstrip(".").lower()
        if pattern == name:
            return True
        if pattern.startswith("*.") and "." in name and name.split(".", 1)[1] == pattern[2:]:
            return True
    return False


# CloudFront takes its viewer certificate from ACM in US East (N. Virginia) only (CloudFront Developer Guide,
# "Requirements for using SSL/TLS certificates with CloudFront").
CLOUDFRONT_CERTIFICATE_REGION = "us-east-1"
CLOUDFRONT_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing"


def certificate_arn_problems(arn, region, account, partition, option="certificate_arn"):
    """What the ARN alone says is wrong (another region, account or partition): no call needed. ``option``
    certificate_arn (a load balancer's, of the play's region) or cloudfront_certificate_arn (of us-east-1)."""
    parsed = parse_certificate_arn(arn)
    if parsed is None:
        return [(option, f"{arn} is not an ACM certificate ARN (arn:<partition>:acm:<region>:<account>:certificate/<id>)")]
    problems = []
    if parsed["region"] != region:
        if option == "cloudfront_certificate_arn":
            need = f"CloudFront accepts ACM certificates only from {region}"
        else:
            need = f"a load balancer in {region} needs a certificate of {region}"
        problems.append((option, f"certificate {arn} is in {parsed['region']}; {need}"))
    if account and parsed["account"] != account:
        problems.append((option, f"certificate {arn} belongs to account {parsed['account']}; the credentials are of account {account}"))
    if partition and parsed["partition"] != partition:
        problems.append((option, f"certificate {arn} is of partition {parsed['partition']}; the credentials are of {partition}"))
    return problems


def certificate_problems(arn, certificate, names, option="certificate_arn"):
    """The certificate as ACM describes it: it exists, is ISSUED and covers every public name."""
    if certificate is None:
        where = "in us-east-1" if option == "cloudfront_certificate_arn" else "and region"
        return [(option, f"certificate {arn} does not exist in this account {where}")]
    problems = []
    if certificate.get("Status") != "ISSUED":
        problems.append((option, f"certificate {arn} is {certificate.get('Status')}, not ISSUED"))
    certificate_names = certificate.get("SubjectAlternativeNames") or [certificate.get("DomainName", "")]
    missing = [n for n in names if not covers(certificate_names, n)]
    if missing:
        problems.append((option, f"certificate {arn} ({', '.join(certificate_names)}) does not cover {', '.join(missing)}"))
    return problems


def prefix_list_problems(name, prefix_lists):
    """prefix_lists: DescribeManagedPrefixLists filtered by name. Returns (problems, the list's id or None)."""
    if not prefix_lists:
        return [("cloudfront_prefix_list", f"no managed prefix list named {name} in this region (the ALB could not admit CloudFront only)")], None
    return [], prefix_lists[0]["PrefixListId"]


def zone_problems(name, zones):
    """zones: every hosted zone of that name (ListHostedZonesByName). Returns (problems, warnings)."""
    public = [z for z in zones if not z.get("Config", {}).get("PrivateZone")]
    if not zones:
        return [("public_zone", f"no hosted zone named {name} in this account (it is never created)")], []
    if not public:
        return [("public_zone", f"{name} is a private hosted zone; the public names need a public one")], []
    if len(public) > 1:
        ids = ", ".join(z["Id"].split("/")[-1] for z in public)
        return [], [f"{len(public)} public hosted zones are named {name} ({ids}); the records go to the first that Route 53 lists"]
    return [], []
