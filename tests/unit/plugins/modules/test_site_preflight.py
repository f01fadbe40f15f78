"""dito.chat.site_preflight against moto in-process: every problem of an account in one failure, only read calls."""

import boto3
import botocore.exceptions
import pytest

from ansible_collections.dito.chat.plugins.module_utils import preflight
from ansible_collections.dito.chat.plugins.modules import site_preflight
from tools.emulator import seed

NAMES = {
    "vpc_id": "site_vpc_id",
    "public_subnet_ids": "site_public_subnet_ids",
    "private_subnet_ids": "site_private_subnet_ids",
    "certificate_arn": "site_certificate_arn",
    "public_zone": "site_public_zone",
    "region": "site_region",
}


@pytest.fixture
def account(aws):
    """The seeded existing account: VPC, subnets, route tables, an issued certificate of *.dito.local, the zone."""
    ec2 = boto3.client("ec2", region_name="eu-west-1")
    network = seed.describe_network(ec2, seed.create_network(ec2, "eu-west-1"))
    network["certificate_arn"] = seed.certificate(boto3.client("acm", region_name="eu-west-1"))
    seed.public_zone(boto3.client("route53", region_name="eu-west-1"))
    network["ec2"] = ec2
    return network


def args(account, **extra):
    return {
        "region": "eu-west-1",
        "vpc_id": account["vpc_id"],
        "public_subnet_ids": account["public_subnet_ids"],
        "private_subnet_ids": account["private_subnet_ids"],
        "certificate_arn": account["certificate_arn"],
        "public_names": ["chat.dito.local"],
        "public_zone": "dito.local",
        "variable_names": NAMES,
        **extra,
    }


def test_the_seeded_account_passes_with_read_calls_only(account, run_module, api_calls):
    result = run_module(site_preflight.main, args(account), check_mode=True)
    assert result["changed"] is False and "failed" not in result, result
    assert result["account_id"] == "123456789012" and result["partition"] == "aws"
    assert sorted(result["subnet_zones"].values()) == ["eu-west-1a", "eu-west-1a", "eu-west-1b", "eu-west-1b"]
    assert result["public_zone_id"]
    operations = [op for _service, op in api_calls]
    assert all(op.startswith(("Describe", "List", "Get")) for op in operations), operations
    assert {"DescribeVpcs", "DescribeVpcAttribute", "DescribeSubnets", "DescribeRouteTables", "DescribeCertificate"} <= set(operations)
    assert {"ListHostedZonesByName", "GetCallerIdentity"} <= set(operations)


def test_every_problem_is_reported_at_once_naming_the_variable(account, run_module):
    ec2 = account["ec2"]
    other_vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    foreign = ec2.create_subnet(VpcId=other_vpc, CidrBlock="10.9.0.0/24", AvailabilityZone="eu-west-1a")["Subnet"]["SubnetId"]
    public, private = account["public_subnet_ids"], account["private_subnet_ids"]
    acm = boto3.client("acm", region_name="eu-west-1")
    pending = acm.request_certificate(DomainName="www.example.com", ValidationMethod="DNS")["CertificateArn"]
    result = run_module(
        site_preflight.main,
        args(
            account,
            public_subnet_ids=[public[0], foreign],
            # Two private subnets in one zone (a), and a public one given as private.
            private_subnet_ids=[private[0], public[0]],
            certificate_arn=pending,
            public_zone="nowhere.example",
        ),
    )
    assert result["failed"] is True
    problems = result["problems"]
    assert f"site_public_subnet_ids: subnet {foreign} belongs to {other_vpc}, not to {account['vpc_id']}" in problems
    assert f"site_private_subnet_ids: subnet {public[0]} is public (its route table routes to an internet gateway), not private" in problems
    assert f"site_private_subnet_ids: subnets {private[0]}, {public[0]} are all in eu-west-1a; they must be in two availability zones" in problems
    assert f"site_certificate_arn: certificate {pending} is PENDING_VALIDATION, not ISSUED" in problems
    assert f"site_certificate_arn: certificate {pending} (www.example.com) does not cover chat.dito.local" in problems
    assert "site_public_zone: no hosted zone named nowhere.example in this account (it is never created)" in problems
    assert len(problems) == 6, problems
    assert result["msg"] == "The account does not hold what the inventory says (6 problems):" + "".join(f"\n- {p}" for p in problems)


def test_a_missing_vpc_with_dns_names_off_and_main_route_tables(account, run_module):
    ec2 = account["ec2"]
    result = run_module(site_preflight.main, args(account, vpc_id="vpc-0123456789abcdef0"))
    assert "site_vpc_id: VPC vpc-0123456789abcdef0 does not exist in this account and region" in result["problems"]
    assert all("belongs to" in p for p in result["problems"][1:]) and len(result["problems"]) == 5, result["problems"]

    # A VPC as CreateVpc leaves it (DNS host names off), whose public subnet has no table of its own: the main table
    # decides, and it routes to no internet gateway.
    vpc = ec2.create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.8.{i}.0/24", AvailabilityZone=f"eu-west-1{z}")["Subnet"]["SubnetId"] for i, z in enumerate("abab")]
    result = run_module(site_preflight.main, args(account, vpc_id=vpc, public_subnet_ids=subnets[:2], private_subnet_ids=subnets[2:]))
    assert result["problems"] == [
        f"site_vpc_id: VPC {vpc} has enableDnsHostnames off; the private zone and Cloud Map need DNS support and DNS host names on",
        f"site_public_subnet_ids: subnet {subnets[0]} is not public: its route table has no route to an internet gateway",
        f"site_public_subnet_ids: subnet {subnets[1]} is not public: its route table has no route to an internet gateway",
    ]


def test_a_certificate_of_another_region_is_refused_without_asking_acm(account, run_module, api_calls):
    arn = account["certificate_arn"].replace(":eu-west-1:", ":us-east-1:")
    result = run_module(site_preflight.main, args(account, certificate_arn=arn))
    assert result["problems"] == [f"site_certificate_arn: certificate {arn} is in us-east-1; a load balancer in eu-west-1 needs a certificate of eu-west-1"]
    assert ("acm", "DescribeCertificate") not in api_calls


def test_a_missing_certificate_and_a_private_zone(account, run_module):
    arn = account["certificate_arn"][:-4] + "0000"
    route53 = boto3.client("route53", region_name="eu-west-1")
    route53.create_hosted_zone(
        Name="corp.example", CallerReference="p", HostedZoneConfig={"PrivateZone": True}, VPC={"VPCRegion": "eu-west-1", "VPCId": account["vpc_id"]}
    )
    result = run_module(site_preflight.main, args(account, certificate_arn=arn, public_zone="corp.example"))
    assert result["problems"] == [
        f"site_certificate_arn: certificate {arn} does not exist in this account and region",
        "site_public_zone: corp.example is a private hosted zone; the public names need a public one",
    ]


def test_an_unknown_region_is_the_only_problem_and_nothing_is_asked(account, run_module, api_calls):
    result = run_module(site_preflight.main, args(account, region="eu-wset-1"))
    assert result["problems"] == ["site_region: eu-wset-1 is not a region that this botocore knows (a typo, or a region newer than botocore: upgrade it)"]
    assert api_calls == []


def test_a_denied_read_is_a_problem_naming_the_action(account, run_module, monkeypatch):
    def denied(*_args):
        error = botocore.exceptions.ClientError({"Error": {"Code": "UnauthorizedOperation", "Message": "no"}}, "DescribeRouteTables")
        raise preflight.AnsiblePreflightError(message="Failed to describe the route tables", exception=error)

    monkeypatch.setattr(preflight, "describe_route_tables", denied)
    result = run_module(site_preflight.main, args(account))
    assert result["problems"] == [
        "site_public_subnet_ids: the caller may not call ec2:DescribeRouteTables (UnauthorizedOperation); the run reads it",
    ]


@pytest.mark.parametrize(
    "names, name, expected",
    [
        (["*.example.com"], "chat.example.com", True),
        (["*.example.com"], "CHAT.example.com.", True),
        (["*.example.com"], "example.com", False),
        (["*.example.com"], "a.chat.example.com", False),
        (["example.com", "chat.example.com"], "chat.example.com", True),
        (["*.chat.example.com"], "chat.example.com", False),
    ],
)
def test_covers(names, name, expected):
    assert preflight.covers(names, name) is expected


def test_a_subnet_that_does_not_exist():
    tiers = {"public_subnet_ids": ["subnet-0123456789abcdef0"], "private_subnet_ids": []}
    assert preflight.subnet_problems("vpc-1", tiers, [], []) == [
        ("public_subnet_ids", "subnet subnet-0123456789abcdef0 does not exist in this account and region")
    ]


def test_a_certificate_arn_of_another_account_or_partition_or_none_at_all():
    arn = "arn:aws-cn:acm:cn-north-1:111122223333:certificate/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert [text for _option, text in preflight.certificate_arn_problems(arn, "cn-north-1", "444455556666", "aws")] == [
        f"certificate {arn} belongs to account 111122223333; the credentials are of account 444455556666",
        f"certificate {arn} is of partition aws-cn; the credentials are of aws",
    ]
    assert preflight.certificate_arn_problems(arn, "cn-north-1", "111122223333", "aws-cn") == []
    assert preflight.certificate_arn_problems("1234abcd", "eu-west-1", "111122223333", "aws")[0][1].startswith("1234abcd is not an ACM certificate ARN")


CLOUDFRONT_NAMES = dict(NAMES, cloudfront_certificate_arn="site_cloudfront_certificate_arn", cloudfront_prefix_list="site_cloudfront_enabled")


def cloudfront_args(account, **extra):
    cloudfront = {
        "cloudfront_certificate_arn": account["cloudfront_certificate_arn"],
        "cloudfront_names": ["chat.dito.local", "dito.local"],
        "cloudfront_prefix_list": True,
        "variable_names": CLOUDFRONT_NAMES,
    }
    return args(account, **{**cloudfront, **extra})


@pytest.fixture
def cloudfront_account(account):
    account["cloudfront_certificate_arn"] = seed.cloudfront_certificate(boto3.client("acm", region_name="us-east-1"))
    return account


def test_the_cloudfront_certificate_and_prefix_list(cloudfront_account, run_module, api_calls):
    result = run_module(site_preflight.main, cloudfront_args(cloudfront_account), check_mode=True)
    assert result["changed"] is False and "failed" not in result, result
    assert api_calls.count(("acm", "DescribeCertificate")) == 2 and api_calls.count(("ec2", "DescribeManagedPrefixLists")) == 1
    expected = boto3.client("ec2", region_name="eu-west-1").describe_managed_prefix_lists(
        Filters=[{"Name": "prefix-list-name", "Values": ["com.amazonaws.global.cloudfront.origin-facing"]}]
    )["PrefixLists"][0]["PrefixListId"]
    assert result["cloudfront_prefix_list_id"] == expected

    # Not asked: no extra call, no id.
    api_calls.clear()
    plain = run_module(site_preflight.main, args(cloudfront_account))
    assert plain["cloudfront_prefix_list_id"] is None
    assert api_calls.count(("acm", "DescribeCertificate")) == 1 and ("ec2", "DescribeManagedPrefixLists") not in api_calls


def test_a_regional_certificate_for_cloudfront_is_refused_without_asking_acm(cloudfront_account, run_module, api_calls):
    regional = cloudfront_account["certificate_arn"]
    result = run_module(site_preflight.main, cloudfront_args(cloudfront_account, cloudfront_certificate_arn=regional))
    assert result["problems"] == [
        f"site_cloudfront_certificate_arn: certificate {regional} is in eu-west-1; CloudFront accepts ACM certificates only from us-east-1"
    ]
    assert api_calls.count(("acm", "DescribeCertificate")) == 1  # the regional check only


def test_a_cloudfront_certificate_missing_or_not_covering(cloudfront_account, run_module):
    arn = cloudfront_account["cloudfront_certificate_arn"]
    uncovered = run_module(site_preflight.main, cloudfront_args(cloudfront_account, cloudfront_names=["chat.example.com"]))
    assert uncovered["problems"] == [f"site_cloudfront_certificate_arn: certificate {arn} (*.dito.local, dito.local) does not cover chat.example.com"]
    missing = arn[:-4] + "0000"
    gone = run_module(site_preflight.main, cloudfront_args(cloudfront_account, cloudfront_certificate_arn=missing))
    assert gone["problems"] == [f"site_cloudfront_certificate_arn: certificate {missing} does not exist in this account in us-east-1"]


def test_a_missing_cloudfront_prefix_list_is_a_problem(cloudfront_account, run_module, monkeypatch):
    monkeypatch.setattr(preflight, "managed_prefix_lists_named", lambda *_args: [])
    result = run_module(site_preflight.main, cloudfront_args(cloudfront_account))
    assert result["problems"] == [
        "site_cloudfront_enabled: no managed prefix list named com.amazonaws.global.cloudfront.origin-facing in this region"
        " (the ALB could not admit CloudFront only)"
    ]


def alias(zone_id, name, target, record_type="A"):
    """An alias record of the zone, as the route53 role writes them."""
    boto3.client("route53", region_name="eu-west-1").change_resource_record_sets(
        HostedZoneId=zone_id,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "UPSERT",
                    "ResourceRecordSet": {
                        "Name": name,
                        "Type": record_type,
                        "AliasTarget": {"HostedZoneId": "Z32O12XQLNTSW2", "DNSName": target, "EvaluateTargetHealth": True},
                    },
                }
            ]
        },
    )


def test_a_public_name_that_another_environments_load_balancer_has_is_a_problem(account, run_module, api_calls):
    """Two environments of one project in one public zone with the same dns_name would take turns on the name (the
    route53 role overwrites the record): the second one's preflight says so before anything is created."""
    wanted = [
        {"name": "chat-origin.dito.local", "load_balancer": "dito-production-frontend"},
        {"name": "api.dito.local", "load_balancer": "dito-production-api"},
    ]
    # Nothing yet under those names (a first run), or the record of this environment's own load balancer: no problem.
    first = run_module(site_preflight.main, args(account, public_records=wanted), check_mode=True)
    assert "failed" not in first, first
    assert api_calls.count(("route53", "ListResourceRecordSets")) == 2
    zone_id = first["public_zone_id"]
    alias(zone_id, "chat-origin.dito.local", "dito-production-frontend-1.eu-west-1.elb.amazonaws.com")
    # A CloudFront distribution is not judged (CloudFront refuses an alias that another distribution has).
    alias(zone_id, "api.dito.local", "d111111abcdef8.cloudfront.net")
    assert "failed" not in run_module(site_preflight.main, args(account, public_records=wanted)), "own or CloudFront"

    # Staging's load balancer has the name already (an internal one's DNS name, dualstack, with the final dot).
    alias(zone_id, "chat-origin.dito.local", "dualstack.internal-dito-staging-frontend-12345.eu-west-1.elb.amazonaws.com.")
    taken = run_module(site_preflight.main, args(account, public_records=wanted))
    assert taken["problems"] == [
        "site_public_zone: chat-origin.dito.local already points at load balancer dito-staging-frontend, not at dito-production-frontend:"
        " another environment or stack has this name, and the run would take it over; give each environment its own zone or dns_name"
        ' (README.md, "Environments"), or delete the record if nothing uses it'
    ]


@pytest.mark.parametrize(
    "dns_name, name",
    [
        ("dito-production-frontend-1234567890.eu-west-1.elb.amazonaws.com", "dito-production-frontend"),
        ("internal-dito-local-backend-1.eu-west-1.elb.amazonaws.com.", "dito-local-backend"),
        ("dualstack.dito-prod-web-99.cn-north-1.elb.amazonaws.com.cn", "dito-prod-web"),
        ("d111111abcdef8.cloudfront.net", None),
        ("", None),
        (None, None),
    ],
)
def test_load_balancer_named_in(dns_name, name):
    assert preflight.load_balancer_named_in(dns_name) == name
