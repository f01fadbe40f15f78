#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: site_preflight
short_description: Check, read-only, that an existing AWS account holds what an inventory says it holds
version_added: 1.0.0
description:
  - Reads the existing VPC, its subnets and route tables, an ACM certificate and a public hosted zone, and fails with
    one message that lists every problem, each named after the inventory variable it comes from.
  - The region is one that botocore knows (nothing else is asked when it is not); the VPC exists with DNS support and
    DNS host names on; each subnet exists in that VPC, the public ones in two availability zones and routing to an
    internet gateway, the private ones in two zones and not; the certificate is of the region and the caller's
    account, exists, is C(ISSUED) and covers every public name (a wildcard covers one label); the public zone exists
    and is public.
  - When asked, the CloudFront certificate is of us-east-1 and the caller's account, exists there, is C(ISSUED) and
    covers every CloudFront name (one more ACM call, in us-east-1), and the AWS-managed prefix list of CloudFront's
    origin-facing servers exists in the play's region (one more EC2 call); its id is returned.
  - With O(public_records), none of those names of the public zone aliases a load balancer other than the one the run
    points it at (another environment of the project in the same zone, or another stack, has the name).
  - Of the caller's permissions it checks what is cheap - the credentials work (C(sts:GetCallerIdentity)) and the
    read calls above are allowed (a denied read is a problem naming the action). It does not simulate the policy
    (C(iam:SimulatePrincipalPolicy) needs a permission of its own and does not see SCPs or session policies).
  - Makes only read calls, so it runs the same in check mode and never reports a change.
author:
  - dito.chat engineering (@dito-chat)
options:
  vpc_id:
    description: The existing VPC.
    required: true
    type: str
  public_subnet_ids:
    description: Two public subnets of that VPC, in two availability zones, routing to an internet gateway.
    required: true
    type: list
    elements: str
  private_subnet_ids:
    description: Two private subnets of that VPC, in two availability zones, with no route to an internet gateway.
    required: true
    type: list
    elements: str
  certificate_arn:
    description: The ACM certificate of the load balancers. Unset or empty, not checked.
    type: str
  public_names:
    description: The names the certificate must cover (the public services' names).
    type: list
    elements: str
    default: []
  public_zone:
    description: The existing public hosted zone. Unset or empty, not checked.
    type: str
  cloudfront_certificate_arn:
    description:
      - The ACM certificate of the CloudFront distributions, which CloudFront accepts only from us-east-1. Unset or
        empty, not checked.
    type: str
  cloudfront_names:
    description: The names the CloudFront certificate must cover (the distributions' aliases).
    type: list
    elements: str
    default: []
  public_records:
    description:
      - Names of O(public_zone) and the load balancer that the run points each at (its name). A name that already
        aliases another load balancer is a problem - another environment or stack has it, and the run would take it
        over. A name that does not exist yet, or that points at CloudFront or anything but a load balancer, passes.
      - One C(route53:ListResourceRecordSets) call a name.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: The record's name (C(chat.example.com)).
        type: str
        required: true
      load_balancer:
        description: The name of the load balancer that the run points it at.
        type: str
        required: true
  cloudfront_prefix_list:
    description:
      - Look up the AWS-managed prefix list C(com.amazonaws.global.cloudfront.origin-facing) in the play's region and
        return its id as RV(cloudfront_prefix_list_id); a missing list is a problem.
    type: bool
    default: false
  variable_names:
    description:
      - How the failure message names each option (C(vpc_id), C(public_subnet_ids), C(private_subnet_ids),
        C(certificate_arn), C(public_zone), C(cloudfront_certificate_arn), C(cloudfront_prefix_list), C(region)) - the
        inventory variable it comes from. An option not listed is named as itself.
    type: dict
    default: {}
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Check the existing account against the inventory (read-only)
  dito.chat.site_preflight:
    region: eu-west-1
    vpc_id: vpc-0123456789abcdef0
    public_subnet_ids: [subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2]
    private_subnet_ids: [subnet-0ccccccccccccccc3, subnet-0ddddddddddddddd4]
    certificate_arn: arn:aws:acm:eu-west-1:111122223333:certificate/1234abcd-12ab-34cd-56ef-1234567890ab
    public_names: [chat.example.com]
    public_zone: example.com
    cloudfront_certificate_arn: arn:aws:acm:us-east-1:111122223333:certificate/5678abcd-12ab-34cd-56ef-1234567890ab
    cloudfront_names: [chat.example.com]
    cloudfront_prefix_list: true
    public_records:
      - name: chat-origin.example.com
        load_balancer: dito-production-frontend
    variable_names:
      vpc_id: site_vpc_id
      public_zone: site_public_zone
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
account_id:
  description: The account of the credentials.
  returned: success
  type: str
  sample: "111122223333"
partition:
  description: The partition of the credentials (C(aws), C(aws-cn), C(aws-us-gov)).
  returned: success
  type: str
  sample: aws
public_zone_id:
  description: The id of the public hosted zone, when one was checked.
  returned: success
  type: str
  sample: Z0123456789ABCDEFGHIJ
cloudfront_prefix_list_id:
  description: The id of the managed prefix list of CloudFront's origin-facing servers in the region, with O(cloudfront_prefix_list=true); otherwise null.
  returned: success
  type: str
  sample: pl-4fa04526
subnet_zones:
  description: The availability zone of each subnet.
  returned: success
  type: dict
  sample: {"subnet-0aaaaaaaaaaaaaaa1": "eu-west-1a"}
problems:
  description: Every problem found, each as C(<variable>) C(:) C(<what is wrong>).
  returned: failure
  type: list
  elements: str
  sample: ["site_vpc_id: VPC vpc-0123456789abcdef0 does not exist in this account and region"]
"""

from ansible_collections.dito.chat.plugins.module_utils import preflight
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class Checks:
    """Collects problems; a read that the caller may not make is one more problem, any other error fails the module."""

    def __init__(self, module):
        self.module = module
        self.problems = []
        self.warnings = []

    def read(self, option, action, function, *args):
        try:
            return function(*args), True
        except preflight.AnsiblePreflightError as e:
            code = preflight.error_code(e)
            if code not in preflight.DENIED:
                self.module.fail_json_aws_error(e)
            self.problems.append((option, f"the caller may not call {action} ({code}); the run reads it"))
            return None, False

    def report(self, problems):
        self.problems.extend(problems)

    def finish(self, **result):
        names = self.module.params["variable_names"]
        for warning in self.warnings:
            self.module.warn(warning)
        if self.problems:
            lines = [f"{names.get(option, option)}: {text}" for option, text in self.problems]
            count = f"{len(lines)} problem{'s' if len(lines) > 1 else ''}"
            listed = "".join(f"\n- {line}" for line in lines)
            self.module.fail_json(msg=f"The account does not hold what the inventory says ({count}):{listed}", problems=lines)
        self.module.exit_json(changed=False, **result)


def check_network(checks, ec2):
    params = checks.module.params
    vpc_id = params["vpc_id"]
    vpc, ok = checks.read("vpc_id", "ec2:DescribeVpcs", preflight.describe_vpc, ec2, vpc_id)
    if ok:
        dns = {}
        if vpc is not None:
            for attribute in ("enableDnsSupport", "enableDnsHostnames"):
                dns[attribute], _ok = checks.read("vpc_id", "ec2:DescribeVpcAttribute", preflight.vpc_attribute, ec2, vpc_id, attribute)
        checks.report(preflight.vpc_problems(vpc_id, vpc, dns.get("enableDnsSupport", True), dns.get("enableDnsHostnames", True)))

    tiers = {option: params[option] for option in ("public_subnet_ids", "private_subnet_ids")}
    every_id = tiers["public_subnet_ids"] + tiers["private_subnet_ids"]
    subnets, ok = checks.read("public_subnet_ids", "ec2:DescribeSubnets", preflight.describe_subnets, ec2, every_id)
    if not ok:
        return {}
    tables, ok = checks.read("public_subnet_ids", "ec2:DescribeRouteTables", preflight.describe_route_tables, ec2, {vpc_id} | {s["VpcId"] for s in subnets})
    if ok:
        checks.report(preflight.subnet_problems(vpc_id, tiers, subnets, tables))
    return {s["SubnetId"]: s["AvailabilityZone"] for s in subnets}


def check_certificate(checks, acm, identity):
    params = checks.module.params
    arn = params["certificate_arn"]
    if not arn:
        return
    partition = identity["Arn"].split(":")[1]
    arn_problems = preflight.certificate_arn_problems(arn, checks.module.region, identity["Account"], partition)
    if arn_problems:
        checks.report(arn_problems)
        return
    certificate, ok = checks.read("certificate_arn", "acm:DescribeCertificate", preflight.describe_certificate, acm, arn)
    if ok:
        checks.report(preflight.certificate_problems(arn, certificate, params["public_names"]))


def check_cloudfront_certificate(checks, module, identity, retry):
    params = module.params
    arn = params["cloudfront_certificate_arn"]
    if not arn:
        return
    option, region = "cloudfront_certificate_arn", preflight.CLOUDFRONT_CERTIFICATE_REGION
    arn_problems = preflight.certificate_arn_problems(arn, region, identity["Account"], identity["Arn"].split(":")[1], option=option)
    if arn_problems:
        checks.report(arn_problems)
        return
    acm = module.client("acm", region=region, retry_decorator=retry)
    certificate, ok = checks.read(option, "acm:DescribeCertificate", preflight.describe_certificate, acm, arn)
    if ok:
        checks.report(preflight.certificate_problems(arn, certificate, params["cloudfront_names"], option=option))


def check_cloudfront_prefix_list(checks, ec2):
    if not checks.module.params["cloudfront_prefix_list"]:
        return None
    name = preflight.CLOUDFRONT_PREFIX_LIST
    found, ok = checks.read("cloudfront_prefix_list", "ec2:DescribeManagedPrefixLists", preflight.managed_prefix_lists_named, ec2, name)
    if not ok:
        return None
    problems, prefix_list_id = preflight.prefix_list_problems(name, found)
    checks.report(problems)
    return prefix_list_id


def check_public_zone(checks, route53):
    name = checks.module.params["public_zone"]
    if not name:
        return None
    zones, ok = checks.read("public_zone", "route53:ListHostedZonesByName", preflight.hosted_zones_named, route53, name)
    if not ok:
        return None
    problems, warnings = preflight.zone_problems(name, zones)
    checks.report(problems)
    checks.warnings.extend(warnings)
    public = [z for z in zones if not z.get("Config", {}).get("PrivateZone")]
    return public[0]["Id"].split("/")[-1] if public else None


def check_public_records(checks, route53, zone_id):
    wanted = {r["name"].rstrip(".").lower(): r["load_balancer"] for r in checks.module.params["public_records"]}
    if not zone_id or not wanted:
        return
    found = {}
    for name in wanted:
        records, ok = checks.read("public_zone", "route53:ListResourceRecordSets", preflight.address_records_named, route53, zone_id, name)
        if not ok:
            return
        found[name] = records
    checks.report(preflight.public_record_problems(found, wanted))


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            vpc_id=dict(type="str", required=True),
            public_subnet_ids=dict(type="list", elements="str", required=True),
            private_subnet_ids=dict(type="list", elements="str", required=True),
            certificate_arn=dict(type="str"),
            public_names=dict(type="list", elements="str", default=[]),
            public_zone=dict(type="str"),
            cloudfront_certificate_arn=dict(type="str"),
            cloudfront_names=dict(type="list", elements="str", default=[]),
            cloudfront_prefix_list=dict(type="bool", default=False),
            public_records=dict(
                type="list", elements="dict", default=[], options=dict(name=dict(type="str", required=True), load_balancer=dict(type="str", required=True))
            ),
            variable_names=dict(type="dict", default={}),
        ),
        supports_check_mode=True,
    )
    checks = Checks(module)
    # An unknown region has no endpoints: every call would time out, so nothing else is asked.
    checks.report(preflight.region_problems(module.region, preflight.known_regions()))
    if checks.problems:
        checks.finish()

    retry = AWSRetry.jittered_backoff()
    try:
        identity = preflight.caller_identity(module.client("sts", retry_decorator=retry))
    except preflight.AnsiblePreflightError as e:
        # Bad credentials, or an opt-in region that the account has not enabled (its endpoints refuse them).
        region = module.params["variable_names"].get("region", "region")
        cause = f"the credentials, or {region} not enabled for the account"
        module.fail_json_aws(e.exception, msg=f"Could not get the caller identity in {module.region} ({cause})")

    ec2 = module.client("ec2", retry_decorator=retry)
    subnet_zones = check_network(checks, ec2)
    check_certificate(checks, module.client("acm", retry_decorator=retry), identity)
    check_cloudfront_certificate(checks, module, identity, retry)
    prefix_list_id = check_cloudfront_prefix_list(checks, ec2)
    route53 = module.client("route53", retry_decorator=retry)
    public_zone_id = check_public_zone(checks, route53)
    check_public_records(checks, route53, public_zone_id)
    checks.finish(
        account_id=identity["Account"],
        partition=identity["Arn"].split(":")[1],
        public_zone_id=public_zone_id,
        cloudfront_prefix_list_id=prefix_list_id,
        subnet_zones=subnet_zones,
    )


if __name__ == "__main__":
    main()
