"""Read the molecule-alb load balancer back with boto3, and check the role's output fact against it.

Usage: verify.py <endpoint-url> <output-fact.json>. Exits non-zero (an AssertionError naming the check) on the first miss.
"""

import json
import sys

import boto3

NAME, BUCKET, GROUP, VPC, DOMAIN = "molecule-alb", "molecule-alb-access-logs", "molecule-alb-lb", "dito-local", "*.dito.local"
TAGS = {"project": "molecule", "service": "web"}


def client(service):
    return boto3.client(service, region_name="eu-west-1", endpoint_url=sys.argv[1], aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106 - the emulator's


def forwards_to(action):
    """The target groups a forward action sends to (TargetGroupArn, or ForwardConfig's list)."""
    groups = (action.get("ForwardConfig") or {}).get("TargetGroups")
    return sorted(g["TargetGroupArn"] for g in groups) if groups else [action["TargetGroupArn"]]


elb, ec2, s3, acm = (client(s) for s in ("elbv2", "ec2", "s3", "acm"))
with open(sys.argv[2], encoding="utf-8") as handle:
    output = json.load(handle)
vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": [VPC]}])["Vpcs"][0]["VpcId"]
public = sorted(
    s["SubnetId"] for s in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "tag:tier", "Values": ["public"]}])["Subnets"]
)
group = ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": [GROUP]}])["SecurityGroups"][0]["GroupId"]
certificate = next(c["CertificateArn"] for c in acm.list_certificates()["CertificateSummaryList"] if c["DomainName"] == DOMAIN)

[lb] = elb.describe_load_balancers(Names=[NAME])["LoadBalancers"]
arn = lb["LoadBalancerArn"]
assert (lb["Type"], lb["Scheme"]) == ("application", "internet-facing"), "an internet-facing ALB"
assert sorted(z["SubnetId"] for z in lb["AvailabilityZones"]) == public, "in the public subnets"
assert lb["SecurityGroups"] == [group], "its security group, found by name"
attributes = {a["Key"]: a["Value"] for a in elb.describe_load_balancer_attributes(LoadBalancerArn=arn)["Attributes"]}
wanted = {
    "access_logs.s3.enabled": "true",
    "access_logs.s3.bucket": BUCKET,
    "access_logs.s3.prefix": NAME,
    "routing.http.drop_invalid_header_fields.enabled": "true",
    "deletion_protection.enabled": "true",
    "idle_timeout.timeout_seconds": "60",
}
assert {k: attributes.get(k) for k in wanted} == wanted, f"attributes, got {attributes}"
tags = elb.describe_tags(ResourceArns=[arn])["TagDescriptions"][0]["Tags"]
assert {t["Key"]: t["Value"] for t in tags} == TAGS, "load balancer tags"

groups = {g["TargetGroupName"]: g for g in elb.describe_target_groups(Names=[f"{NAME}-blue", f"{NAME}-green"])["TargetGroups"]}
blue, green = groups[f"{NAME}-blue"]["TargetGroupArn"], groups[f"{NAME}-green"]["TargetGroupArn"]
for name, tg in groups.items():
    assert (tg["TargetType"], tg["Protocol"], tg["Port"], tg["VpcId"]) == ("ip", "HTTP", 8080, vpc), f"{name}: ip targets on 8080"
    assert (tg["HealthCheckPath"], tg["Matcher"]["HttpCode"], tg["HealthCheckIntervalSeconds"], tg["HealthCheckTimeoutSeconds"]) == ("/", "200-399", 15, 5), (
        f"{name} health check"
    )
    assert (tg["HealthyThresholdCount"], tg["UnhealthyThresholdCount"]) == (2, 3), f"{name} thresholds"
    tg_attributes = {a["Key"]: a["Value"] for a in elb.describe_target_group_attributes(TargetGroupArn=tg["TargetGroupArn"])["Attributes"]}
    assert tg_attributes["deregistration_delay.timeout_seconds"] == "30", f"{name} deregistration delay"

listeners = {li["Port"]: li for li in elb.describe_listeners(LoadBalancerArn=arn)["Listeners"]}
assert sorted(listeners) == [80, 443, 8443], f"listeners 80, 443, 8443, got {sorted(listeners)}"
for port in (443, 8443):
    li = listeners[port]
    assert li["Protocol"] == "HTTPS" and li["Certificates"] == [{"CertificateArn": certificate}], f"{port}: HTTPS with the certificate"
    assert li["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06", f"{port}: TLS 1.3 policy"
    [action] = li["DefaultActions"]
    assert action["Type"] == "forward" and forwards_to(action) == [blue], f"{port} forwards to blue"
[redirect] = listeners[80]["DefaultActions"]
assert listeners[80]["Protocol"] == "HTTP" and redirect["Type"] == "redirect", "80 redirects"
assert (redirect["RedirectConfig"]["Protocol"], redirect["RedirectConfig"]["Port"]) == ("HTTPS", "443"), "to HTTPS 443"

rules = s3.get_bucket_encryption(Bucket=BUCKET)["ServerSideEncryptionConfiguration"]["Rules"]
assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256", "SSE-S3"
block = s3.get_public_access_block(Bucket=BUCKET)["PublicAccessBlockConfiguration"]
assert block == {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}, "public access blocked"
ownership = s3.get_bucket_ownership_controls(Bucket=BUCKET)["OwnershipControls"]["Rules"]
assert [r["ObjectOwnership"] for r in ownership] == ["BucketOwnerEnforced"], "ACLs off"
statements = {s["Sid"]: s for s in json.loads(s3.get_bucket_policy(Bucket=BUCKET)["Policy"])["Statement"]}
assert statements["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}, "TLS only"
delivery = statements["ElbAccessLogDelivery"]
assert (delivery["Action"], delivery["Principal"]) == ("s3:PutObject", {"AWS": "arn:aws:iam::156460612806:root"}), "ELB log delivery (Ireland)"
assert delivery["Resource"] == f"arn:aws:s3:::{BUCKET}/{NAME}/AWSLogs/123456789012/*", "exactly the load balancer's prefix"
keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
assert f"{NAME}/AWSLogs/123456789012/ELBAccessLogTestFile" in keys, f"ELB's test file where AWS writes it, got {keys}"
[expiry] = s3.get_bucket_lifecycle_configuration(Bucket=BUCKET)["Rules"]
assert (expiry["Status"], expiry["Expiration"]["Days"]) == ("Enabled", 90), "logs expire"
assert expiry["NoncurrentVersionExpiration"] == {"NoncurrentDays": 90}, "noncurrent versions expire"
assert s3.get_bucket_versioning(Bucket=BUCKET)["Status"] == "Enabled", "versioning on"

expected = {
    "name": NAME,
    "arn": arn,
    "dns_name": lb["DNSName"],
    "zone_id": lb["CanonicalHostedZoneId"],
    "security_group_id": group,
    "blue": {"name": f"{NAME}-blue", "arn": blue},
    "green": {"name": f"{NAME}-green", "arn": green},
    "listeners": {"production": {"port": 443, "arn": listeners[443]["ListenerArn"]}, "test": {"port": 8443, "arn": listeners[8443]["ListenerArn"]}},
    "production_target_group_arns": [blue],
    "origin_header": None,
}
assert output == expected, f"the output fact {output} is what AWS holds {expected}"
print(f"{NAME} verified")
