"""The read-only preflight: an inventory whose ids are wrong stops the run before anything is created, naming the
variable and the problem, and the account holds nothing new afterwards.

One case goes through site.yml itself; the others run playbooks/preflight.yml, the play that site.yml imports, since
each is a few seconds that way instead of the whole first play's checks."""

import json
import os

import boto3
import pytest
import yaml

from tests.conftest import ROOT
from tests.integration import conftest
from tools.emulator import request_log

NETWORK_FILE = ROOT / "inventories" / "local" / "group_vars" / "all" / "emulator_network.yml"


@pytest.fixture(scope="module")
def seeded(emulator_endpoint):
    """An empty account holding only the seeded VPC, certificate and public zone, reset once for this file's cases
    (the preflight only reads, so they share it)."""
    conftest.reset()
    return yaml.safe_load(NETWORK_FILE.read_text())


def holdings(client):
    """How many of each thing the stack would create the account holds (and the VPCs and subnets the tests add)."""
    ec2, elbv2 = client("ec2"), client("elbv2")
    return {
        "vpcs": len(ec2.describe_vpcs()["Vpcs"]),
        "subnets": len(ec2.describe_subnets()["Subnets"]),
        "security_groups": len(ec2.describe_security_groups()["SecurityGroups"]),
        "load_balancers": len(elbv2.describe_load_balancers()["LoadBalancers"]),
        "target_groups": len(elbv2.describe_target_groups()["TargetGroups"]),
        "hosted_zones": len(client("route53").list_hosted_zones()["HostedZones"]),
        "clusters": len(client("ecs").list_clusters()["clusterArns"]),
        "repositories": len(client("ecr").describe_repositories()["repositories"]),
        "namespaces": len(client("servicediscovery").list_namespaces()["Namespaces"]),
        "replication_groups": len(client("elasticache").describe_replication_groups()["ReplicationGroups"]),
        "functions": len(client("lambda").list_functions()["Functions"]),
    }


def flat(run):
    """The run's output with its line wrapping undone (the callback wraps long messages)."""
    return " ".join(run.out.split())


def public_route_table(ec2, vpc_id):
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}, {"Name": "tag:Name", "Values": ["dito-local-public"]}])
    return tables["RouteTables"][0]["RouteTableId"]


def test_a_vpc_that_does_not_exist_stops_site_yml_before_anything_is_created(seeded, playbook, client):
    """Before the preflight, this run hung for minutes in the security-group task (the emulator now answers
    InvalidVpcID.NotFound there, as AWS does); now it stops in seconds, before the first creating play."""
    before = holdings(client)
    run = playbook("site.yml", "-e", json.dumps({"site_vpc_id": "vpc-0123456789abcdef0"}))
    assert run.rc != 0, run
    assert "site_vpc_id: VPC vpc-0123456789abcdef0 does not exist in this account and region" in flat(run), run
    assert "Make the service's security groups" not in run.out, run
    assert holdings(client) == before


def wrong_subnet_of_another_vpc(seeded, ec2):
    vpc = ec2.create_vpc(CidrBlock="10.50.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.50.1.0/24", AvailabilityZone="eu-west-1b")["Subnet"]["SubnetId"]
    extra = {"site_private_subnet_ids": [seeded["site_private_subnet_ids"][0], subnet]}
    return extra, [f"site_private_subnet_ids: subnet {subnet} belongs to {vpc}, not to {seeded['site_vpc_id']}"]


def wrong_two_subnets_in_one_zone(seeded, ec2):
    # A second public subnet in zone a, routed to the internet gateway like the first: only the zones are wrong.
    vpc = seeded["site_vpc_id"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.42.2.0/24", AvailabilityZone="eu-west-1a")["Subnet"]["SubnetId"]
    ec2.associate_route_table(RouteTableId=public_route_table(ec2, vpc), SubnetId=subnet)
    first = seeded["site_public_subnet_ids"][0]
    assert ec2.describe_subnets(SubnetIds=[first])["Subnets"][0]["AvailabilityZone"] == "eu-west-1a"
    extra = {"site_public_subnet_ids": [first, subnet]}
    return extra, [f"site_public_subnet_ids: subnets {first}, {subnet} are all in eu-west-1a; they must be in two availability zones"]


def wrong_certificate_of_another_region(seeded, ec2):
    arn = seeded["site_certificate_arn"].replace(":eu-west-1:", ":us-east-1:")
    problem = f"site_certificate_arn: certificate {arn} is in us-east-1; a load balancer in eu-west-1 needs a certificate of eu-west-1"
    return {"site_certificate_arn": arn}, [problem]


def wrong_zone_that_does_not_exist(seeded, ec2):
    # The front end's name moves with the zone (chat.dito.example); the regional certificate's names are not read here,
    # since its ARN is of another region already; CloudFront's (us-east-1, *.dito.local) no longer covers the name.
    arn = seeded["site_cloudfront_certificate_arn"]
    acm = boto3.client("acm", region_name="us-east-1", endpoint_url=ec2.meta.endpoint_url)
    names = acm.describe_certificate(CertificateArn=arn)["Certificate"]["SubjectAlternativeNames"]
    return {"site_public_zone": "dito.example"}, [
        "site_public_zone: no hosted zone named dito.example in this account (it is never created)",
        f"site_cloudfront_certificate_arn: certificate {arn} ({', '.join(names)}) does not cover chat.dito.example",
    ]


def test_each_kind_of_wrong_id_is_named_at_once_and_nothing_is_created(seeded, playbook, client):
    """One run with every kind of wrong id at once (each alone: tests/unit/plugins/modules/test_site_preflight.py):
    the message lists each problem, naming its variable. site.yml's --check and --limit runs (test_site.py) pass
    through the same preflight on the seeded account."""
    ec2 = client("ec2")
    extra, problems = {}, []
    for wrong in (wrong_subnet_of_another_vpc, wrong_two_subnets_in_one_zone, wrong_certificate_of_another_region, wrong_zone_that_does_not_exist):
        more, found = wrong(seeded, ec2)
        extra.update(more)
        problems.extend(found)
    # The module's order: the subnets by tier, the certificate, the zone.
    order = ("site_public_subnet_ids", "site_private_subnet_ids", "site_certificate_arn", "site_cloudfront_certificate_arn", "site_public_zone")
    problems.sort(key=lambda p: order.index(p.split(":")[0]))
    before = holdings(client)
    run = playbook("preflight.yml", "-e", json.dumps(extra))
    assert run.rc != 0, run
    assert "(5 problems): " + " ".join(f"- {p}" for p in problems) in flat(run), run
    assert holdings(client) == before


def test_a_role_per_environment_makes_every_call_after_the_assume_role(seeded, playbook, client):
    """site_aws_role_arn: the run assumes the role once, with the inventory's keys (the emulator's `testing`), and every
    later call is signed with the session's key, which the emulator's request log names (tools/emulator/request_log.py).
    preflight.yml is the first play of site.yml that calls AWS; tests/unit/playbooks/test_assume_role.py checks that
    every playbook assumes it the same way before its first AWS call."""
    assert os.path.exists(conftest.REQUEST_LOG), f"the tests' emulator keeps no request log at {conftest.REQUEST_LOG}"
    # The role exists, as it must on AWS (the emulator refuses to assume one that does not).
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}
    iam = client("iam")
    if "dito-deployer" not in [r["RoleName"] for r in iam.list_roles()["Roles"]]:
        iam.create_role(RoleName="dito-deployer", AssumeRolePolicyDocument=json.dumps(trust))
    offset = os.path.getsize(conftest.REQUEST_LOG)
    run = playbook("preflight.yml", "-e", "site_aws_role_arn=arn:aws:iam::123456789012:role/dito-deployer")
    assert run.rc == 0, run
    assert "made as arn:aws:sts::123456789012:assumed-role/dito-deployer/dito-local-preflight" in flat(run), run
    calls = [(e["operation"], e["access_key"], e["role"]) for e in request_log.read(conftest.REQUEST_LOG, offset)]
    assert calls[0] == ("AssumeRole", "testing", "dito.chat.site"), calls
    keys = {key for _operation, key, _role in calls[1:]}
    assert len(keys) == 1 and "testing" not in keys, calls
    assert "DescribeVpcs" in [operation for operation, _key, _role in calls[1:]], calls
