"""The account state that the design takes as given: the "existing VPC".

The local inventory plays a user whose VPC already exists (two public and two private subnets in two
availability zones). The seed creates it in the emulator and writes its ids into
inventories/local/group_vars/all/emulator_network.yml (git-ignored), so nobody edits ids by hand and
site.yml reads the local inventory exactly as it reads a production one.

moto's id generator is seeded first, so every emulator instance (the developer's, each test's) gives
the same ids and the generated file is the same whichever instance wrote it last.
"""

import datetime
import urllib.request

import boto3
import botocore.config
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tools.emulator import faults

RANDOM_SEED = 4242
VPC_NAME = "dito-local"
VPC_CIDR = "10.42.0.0/16"
CERTIFICATE_DOMAIN = "*.dito.local"
# CloudFront takes its viewer certificate from ACM in us-east-1 only, whatever the stack's region.
CLOUDFRONT_CERTIFICATE_REGION = "us-east-1"
CLOUDFRONT_CERTIFICATE_NAMES = ("*.dito.local", "dito.local")
PUBLIC_ZONE = "dito.local"
SUBNETS = (
    # (tier, zone suffix, cidr)
    ("public", "a", "10.42.0.0/24"),
    ("public", "b", "10.42.1.0/24"),
    ("private", "a", "10.42.10.0/24"),
    ("private", "b", "10.42.11.0/24"),
)


def _spec(resource_type, name, **extra):
    tags = {"Name": name, "seeded-by": "dito-emulator", **extra}
    return [{"ResourceType": resource_type, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}]


# The seed stands for what the account held before any run: the fault layer lets its requests through (faults.py).
SEED_CLIENT_CONFIG = botocore.config.Config(user_agent_extra=faults.UNFAULTED_USER_AGENT)


def seed_random(endpoint):
    req = urllib.request.Request(f"{endpoint}/moto-api/seed?a={RANDOM_SEED}", data=b"", method="POST")
    urllib.request.urlopen(req, timeout=10).read()


def find_vpc(ec2):
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [VPC_NAME]}])["Vpcs"]
    return vpcs[0]["VpcId"] if vpcs else None


def create_network(ec2, region):
    """Create the VPC, its subnets, an internet gateway and the route tables. Returns the ids."""
    vpc_id = ec2.create_vpc(CidrBlock=VPC_CIDR, TagSpecifications=_spec("vpc", VPC_NAME))["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsSupport={"Value": True})
    ec2.modify_vpc_attribute(VpcId=vpc_id, EnableDnsHostnames={"Value": True})
    igw = ec2.create_internet_gateway(TagSpecifications=_spec("internet-gateway", VPC_NAME))["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc_id)
    public_rt = ec2.create_route_table(VpcId=vpc_id, TagSpecifications=_spec("route-table", f"{VPC_NAME}-public"))["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    private_rt = ec2.create_route_table(VpcId=vpc_id, TagSpecifications=_spec("route-table", f"{VPC_NAME}-private"))["RouteTable"]["RouteTableId"]
    for tier, zone, cidr in SUBNETS:
        subnet_id = ec2.create_subnet(
            VpcId=vpc_id,
            CidrBlock=cidr,
            AvailabilityZone=f"{region}{zone}",
            TagSpecifications=_spec("subnet", f"{VPC_NAME}-{tier}-{zone}", tier=tier),
        )["Subnet"]["SubnetId"]
        ec2.associate_route_table(RouteTableId=public_rt if tier == "public" else private_rt, SubnetId=subnet_id)
    return vpc_id


def describe_network(ec2, vpc_id):
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    by_tier = {"public": [], "private": []}
    for subnet in sorted(subnets, key=lambda s: s["AvailabilityZone"]):
        tier = {t["Key"]: t["Value"] for t in subnet.get("Tags", [])}.get("tier")
        if tier in by_tier:
            by_tier[tier].append(subnet["SubnetId"])
    return {"vpc_id": vpc_id, "public_subnet_ids": by_tier["public"], "private_subnet_ids": by_tier["private"]}


def self_signed(domain, *other_names):
    """A certificate of ``domain`` (and ``other_names``) and its key, in PEM, valid for a year."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name) for name in (domain, *other_names)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def certificate(acm):
    """The ACM certificate of the local names (the production inventory names its own), made once.

    Imported, so ISSUED at once as on AWS. A requested (DNS-validated) one stays PENDING_VALIDATION on AWS
    until its validation record resolves, which a .local zone never does; moto issues it after a minute
    whatever, so the preflight would see a pending certificate in the first minute of every test.
    """
    for summary in acm.list_certificates()["CertificateSummaryList"]:
        if summary["DomainName"] == CERTIFICATE_DOMAIN:
            return summary["CertificateArn"]
    cert, key = self_signed(CERTIFICATE_DOMAIN)
    return acm.import_certificate(Certificate=cert, PrivateKey=key)["CertificateArn"]


def cloudfront_certificate(acm):
    """The us-east-1 ACM certificate of the CloudFront distributions (site_cloudfront_certificate_arn), made once:
    ``acm`` is a client of us-east-1. Imported, so ISSUED at once, like the regional one."""
    for summary in acm.list_certificates()["CertificateSummaryList"]:
        if summary["DomainName"] == CLOUDFRONT_CERTIFICATE_NAMES[0]:
            return summary["CertificateArn"]
    cert, key = self_signed(*CLOUDFRONT_CERTIFICATE_NAMES)
    return acm.import_certificate(Certificate=cert, PrivateKey=key)["CertificateArn"]


def public_zone(route53):
    """The public hosted zone that the local inventory takes as the user's (site_public_zone), made once."""
    zones = route53.list_hosted_zones_by_name(DNSName=PUBLIC_ZONE)["HostedZones"]
    if not any(z["Name"] == f"{PUBLIC_ZONE}." and not z["Config"]["PrivateZone"] for z in zones):
        route53.create_hosted_zone(Name=PUBLIC_ZONE, CallerReference="dito-emulator-seed", HostedZoneConfig={"Comment": "seeded by dito-emulator"})


def render_inventory_file(network):
    lines = [
        "# Written by `python -m tools.emulator` when it seeds the emulator: do not edit, not in git.",
        "# The ids of the VPC that the local inventory treats as already existing (tools/emulator/seed.py).",
        f"site_vpc_id: {network['vpc_id']}",
        "site_public_subnet_ids:",
        *[f"  - {s}" for s in network["public_subnet_ids"]],
        "site_private_subnet_ids:",
        *[f"  - {s}" for s in network["private_subnet_ids"]],
        f"site_certificate_arn: {network['certificate_arn']}",
        *([f"site_cloudfront_certificate_arn: {network['cloudfront_certificate_arn']}"] if network.get("cloudfront_certificate_arn") else []),
    ]
    return "\n".join(lines) + "\n"


def ec2_like(client, service, region=None):
    """Another client of the same endpoint and keys, in the same region unless told."""
    return boto3.client(
        service,
        region_name=region or client.meta.region_name,
        endpoint_url=client.meta.endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - the emulator takes any key
        config=SEED_CLIENT_CONFIG,
    )


def seed(endpoint, region, inventory_file=None):
    """Make the existing VPC exist (once) and write the local inventory's network file."""
    ec2 = boto3.client(
        "ec2",
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - the emulator takes any key
        config=SEED_CLIENT_CONFIG,
    )
    vpc_id = find_vpc(ec2)
    if vpc_id is None:
        seed_random(endpoint)
        vpc_id = create_network(ec2, region)
    network = describe_network(ec2, vpc_id)
    network["certificate_arn"] = certificate(ec2_like(ec2, "acm"))
    network["cloudfront_certificate_arn"] = cloudfront_certificate(ec2_like(ec2, "acm", CLOUDFRONT_CERTIFICATE_REGION))
    public_zone(ec2_like(ec2, "route53"))
    if inventory_file:
        content = render_inventory_file(network)
        try:
            with open(inventory_file, encoding="utf-8") as handle:
                unchanged = handle.read() == content
        except FileNotFoundError:
            unchanged = False
        if not unchanged:
            with open(inventory_file, "w", encoding="utf-8") as handle:
                handle.write(content)
    return network
