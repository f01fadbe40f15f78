#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: s3_log_bucket
short_description: Manage a hardened S3 bucket for load balancer access logs or pipeline artifacts
version_added: 1.0.0
description:
  - Creates, updates or deletes one S3 bucket meant for logs, hardened in one invocation - default encryption
    SSE-S3 (the only one Elastic Load Balancing access logs support), every public access block on, object
    ownership C(BucketOwnerEnforced) (no ACLs), a bucket policy that denies any request not made over TLS and
    lets Elastic Load Balancing deliver access logs under C(<prefix>/AWSLogs/<account>/) of each of
    O(elb_log_prefixes) and nowhere else, versioning (so a log cannot be
    silently overwritten or deleted; AWS Foundational Security Best Practices S3.14), an expiry of old logs and of
    their noncurrent versions, and tags.
  - Compares each setting with what the bucket holds and writes only what differs. Check mode and diff mode are
    supported (M(amazon.aws.s3_bucket) has no check mode).
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description: The bucket name (globally unique).
    type: str
    required: true
  state:
    description: Whether the bucket should exist.
    type: str
    default: present
    choices: [present, absent]
  elb_log_delivery:
    description:
      - Let Elastic Load Balancing write access logs, as the ALB user guide's "Enable access logs" documents - to the
        Elastic Load Balancing account of the region in the regions opened before August 2022, to the
        C(logdelivery.elasticloadbalancing.amazonaws.com) service principal in the others.
    type: bool
    default: true
  elb_log_prefixes:
    description:
      - The prefixes the load balancers write their logs under (C(access_logs.s3.prefix)), V("") for none. The policy
        grants C(s3:PutObject) on C(<bucket>/<prefix>/AWSLogs/<account>/*) of each, exactly where Elastic Load
        Balancing writes (its C(ELBAccessLogTestFile) too, without which it refuses to turn logs on).
      - A prefix must not start or end with C(/) nor contain C(AWSLogs) (Elastic Load Balancing adds that part).
    type: list
    elements: str
    default: [""]
  kms_key_arn:
    description:
      - Encrypt objects by default with this KMS key (SSE-KMS, with an S3 Bucket Key to cut KMS requests) instead of SSE-S3.
      - For buckets that do not receive load balancer logs (O(elb_log_delivery=false)), such as a pipeline's artifact store;
        Elastic Load Balancing access logs support SSE-S3 only, so the two options exclude each other.
      - A key ARN (C(arn:<partition>:kms:<region>:<account>:key/<id>)), not an alias - the policies that let a role use the
        key name it by ARN.
    type: str
    version_added: 1.0.0
  cloudfront_log_delivery:
    description:
      - Let CloudFront standard logging (legacy) deliver to the bucket - object ownership C(BucketOwnerPreferred) instead of
        C(BucketOwnerEnforced). CloudFront writes standard logs through the bucket's ACL (when logging is turned on it
        grants the C(awslogsdelivery) account C(FULL_CONTROL) of the bucket) and refuses a bucket whose ACLs are
        disabled. The objects still belong to the bucket owner, every public access block stays on, and the module
        never touches the ACL that CloudFront sets.
      - With O(elb_log_delivery=false) (a bucket of CloudFront logs only). SSE-S3 encryption (no O(kms_key_arn)).
    type: bool
    default: false
    version_added: 1.0.0
  expiration_days:
    description: Days after which objects expire, and noncurrent versions after they became noncurrent (0 keeps them).
    type: int
    default: 90
  force:
    description: With O(state=absent), delete the objects first (a bucket must be empty to be deleted).
    type: bool
    default: false
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The access-log bucket of the environment's load balancers
  dito.chat.s3_log_bucket:
    name: dito-prod-alb-logs-111122223333
    elb_log_prefixes: [dito-prod-frontend, dito-prod-backend]
    expiration_days: 365
    tags:
      project: dito
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
bucket:
  description: The bucket's settings after the run.
  returned: state=present
  type: dict
  sample: {"name": "dito-prod-alb-logs", "arn": "arn:aws:s3:::dito-prod-alb-logs", "region": "eu-west-1", "expiration_days": 90, "tags": {"project": "dito"}}
differences:
  description: The settings that differed (encryption, public_access_block, ownership, policy, versioning, lifecycle, tags).
  returned: state=present
  type: list
  elements: str
  sample: ["policy"]
"""

import re

from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

from ansible_collections.dito.chat.plugins.module_utils import partitions
from ansible_collections.dito.chat.plugins.module_utils import s3
from ansible_collections.dito.chat.plugins.module_utils import sts
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

# Elastic Load Balancing's account per region (regions opened before August 2022), from the ELB user guide
# "Enable access logs for your Application Load Balancer", step "Attach a policy to your S3 bucket". Every other
# region takes the log-delivery service principal. (The GovCloud accounts of that list need the aws-us-gov partition.)
ELB_ACCOUNTS = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ap-east-1": "754344448648",
    "ap-south-1": "718504428378",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-south-1": "635631232127",
    "eu-north-1": "897822967062",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    # Their own partitions (principal arn:aws-us-gov:iam::<id>:root, arn:aws-cn:iam::<id>:root), same guide.
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
    "cn-north-1": "638102146993",
    "cn-northwest-1": "037604701340",
}
PUBLIC_ACCESS_BLOCK = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
ENCRYPTION = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": False}]}


def encryption(kms_key_arn=None):
    """The default encryption: SSE-S3, or SSE-KMS with that key and a Bucket Key."""
    if not kms_key_arn:
        return ENCRYPTION
    return {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms_key_arn}, "BucketKeyEnabled": True}]}


ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com"


def elb_principal(region):
    """Who writes a region's access logs: the regional Elastic Load Balancing account where the user guide lists one,
    the log-delivery service principal elsewhere."""
    if region in ELB_ACCOUNTS:
        return {"AWS": partitions.account_root(region, ELB_ACCOUNTS[region])}
    return {"Service": ELB_LOG_DELIVERY_SERVICE}


def prefix_problem(prefix):
    """Why Elastic Load Balancing would not take ``prefix`` as access_logs.s3.prefix, or None."""
    if prefix.startswith("/") or prefix.endswith("/"):
        return f"elb_log_prefixes: {prefix!r} must not start or end with /"
    if "AWSLogs" in prefix:
        return f"elb_log_prefixes: {prefix!r} must not contain AWSLogs (Elastic Load Balancing adds it)"
    return None


def log_keys(bucket, account, prefixes, region="us-east-1"):
    """The object ARNs Elastic Load Balancing writes to, one per prefix (<bucket>[/<prefix>]/AWSLogs/<account>/*)."""
    base = partitions.arn(region, "s3", bucket, arn_region="")
    return [f"{base}/{prefix + '/' if prefix else ''}AWSLogs/{account}/*" for prefix in sorted(set(prefixes))]


def policy_document(bucket, account, region, elb_log_delivery, prefixes=("",)):
    arn = partitions.arn(region, "s3", bucket, arn_region="")
    statements = [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [arn, f"{arn}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ]
    if elb_log_delivery:
        keys = log_keys(bucket, account, prefixes, region)
        statements.append(
            {
                "Sid": "ElbAccessLogDelivery",
                "Effect": "Allow",
                "Principal": elb_principal(region),
                "Action": "s3:PutObject",
                "Resource": keys[0] if len(keys) == 1 else keys,
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}


def lifecycle_rules(days):
    if not days:
        return []
    return [
        {
            "ID": "expire-logs",
            "Status": "Enabled",
            "Filter": {"Prefix": ""},
            "Expiration": {"Days": days},
            # Versioning is on: a log overwritten or deleted stays as a noncurrent version, for as long again.
            "NoncurrentVersionExpiration": {"NoncurrentDays": days},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7},
        }
    ]


def read(client, name):
    """What the bucket holds, or None when it does not exist. A bucket of another account fails."""
    if not s3.bucket_exists(client, name):
        return None
    policy = s3.get_policy(client, name)
    return {
        "encryption": s3.get_encryption(client, name),
        "public_access_block": s3.get_public_access_block(client, name),
        "ownership": s3.get_ownership_controls(client, name),
        "policy": policy,
        "lifecycle": s3.get_lifecycle_rules(client, name),
        "versioning": s3.get_versioning(client, name),
        "tags": s3.get_tags(client, name),
    }


def lifecycle_key(rule):
    """What the module decides in a lifecycle rule: its status, the current and the noncurrent expiry."""
    return (rule.get("Status"), (rule.get("Expiration") or {}).get("Days"), (rule.get("NoncurrentVersionExpiration") or {}).get("NoncurrentDays"))


def ownership(cloudfront_log_delivery):
    """The object ownership: no ACLs at all, unless CloudFront standard logging (which writes through ACLs) delivers."""
    return "BucketOwnerPreferred" if cloudfront_log_delivery else "BucketOwnerEnforced"


def differences(current, desired):
    """The bucket settings (tags apart) whose current value is not the desired one."""
    diffs = []
    rules = (current["encryption"] or {}).get("Rules") or [{}]
    want = desired["encryption"]["Rules"][0]
    held = rules[0].get("ApplyServerSideEncryptionByDefault") or {}
    wanted = want["ApplyServerSideEncryptionByDefault"]
    same_key = (held.get("SSEAlgorithm"), held.get("KMSMasterKeyID")) == (wanted["SSEAlgorithm"], wanted.get("KMSMasterKeyID"))
    if not same_key or (want["BucketKeyEnabled"] and not rules[0].get("BucketKeyEnabled")):
        diffs.append("encryption")
    if current["public_access_block"] != PUBLIC_ACCESS_BLOCK:
        diffs.append("public_access_block")
    if [r.get("ObjectOwnership") for r in (current["ownership"] or {}).get("Rules", [])] != [desired["ownership"]]:
        diffs.append("ownership")
    if current["policy"] is None or compare_policies(current["policy"], desired["policy"]):
        diffs.append("policy")
    if [lifecycle_key(r) for r in current["lifecycle"]] != [lifecycle_key(r) for r in desired["lifecycle"]]:
        diffs.append("lifecycle")
    if current["versioning"] != "Enabled":
        diffs.append("versioning")
    return diffs


def apply(client, name, diffs, desired):
    if "ownership" in diffs:
        s3.put_ownership_controls(client, name, desired["ownership"])
    if "public_access_block" in diffs:
        s3.put_public_access_block(client, name, PUBLIC_ACCESS_BLOCK)
    if "encryption" in diffs:
        s3.put_encryption(client, name, desired["encryption"])
    if "policy" in diffs:
        s3.put_policy(client, name, desired["policy"])
    if "versioning" in diffs:
        s3.enable_versioning(client, name)
    if "lifecycle" in diffs:
        s3.put_lifecycle_rules(client, name, desired["lifecycle"])


def ensure_present(module, client):
    p = module.params
    name = p["name"]
    region = module.region or "us-east-1"
    try:
        partitions.partition(region)  # the ARNs below are in its partition
    except partitions.UnknownRegion as e:
        module.fail_json(msg=str(e))
    account = sts.account_id(module.client("sts", retry_decorator=AWSRetry.jittered_backoff()))
    desired = {
        "policy": policy_document(name, account, region, p["elb_log_delivery"], p["elb_log_prefixes"]),
        "lifecycle": lifecycle_rules(p["expiration_days"]),
        "encryption": encryption(p["kms_key_arn"]),
        "ownership": ownership(p["cloudfront_log_delivery"]),
    }
    current = read(client, name)
    if current is None:
        diffs = ["bucket", "encryption", "public_access_block", "ownership", "policy", "versioning", "lifecycle"]
        have_tags, before = {}, {}
        if not module.check_mode:
            s3.create_bucket(client, name, region)
            s3.wait_bucket_exists(client, name)
            apply(client, name, diffs, desired)
    else:
        diffs = differences(current, desired)
        have_tags = current["tags"]
        if diffs and not module.check_mode:
            apply(client, name, diffs, desired)
        before = {"policy": current["policy"], "lifecycle": current["lifecycle"], "tags": current["tags"]}
    # PutBucketTagging replaces the whole set, after every other setting.
    retagged, tags = tagging.reconcile(module, have_tags, p["tags"], replace=lambda t: s3.put_tags(client, name, t))
    if retagged:
        diffs.append("tags")
    after = {"policy": desired["policy"], "lifecycle": desired["lifecycle"], "tags": tags}
    bucket = {"name": name, "arn": partitions.arn(region, "s3", name, arn_region=""), "region": region, "expiration_days": p["expiration_days"], "tags": tags}
    return bool(diffs), {"before": before, "after": after}, bucket, diffs


def ensure_absent(module, client):
    name = module.params["name"]
    if not s3.bucket_exists(client, name):
        return False
    if not module.check_mode:
        if module.params["force"]:
            s3.delete_all_object_versions(client, name)
        s3.delete_bucket(client, name)
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            elb_log_delivery=dict(type="bool", default=True),
            elb_log_prefixes=dict(type="list", elements="str", default=[""]),
            expiration_days=dict(type="int", default=90),
            kms_key_arn=dict(type="str", no_log=False),
            cloudfront_log_delivery=dict(type="bool", default=False),
            force=dict(type="bool", default=False),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    problems = [problem for problem in map(prefix_problem, module.params["elb_log_prefixes"]) if problem]
    if not module.params["elb_log_prefixes"]:
        problems.append("elb_log_prefixes: give at least one prefix ('' for none)")
    kms_key_arn = module.params["kms_key_arn"]
    if kms_key_arn and module.params["elb_log_delivery"]:
        problems.append("kms_key_arn: Elastic Load Balancing access logs support SSE-S3 only; set elb_log_delivery=false for a bucket encrypted with a KMS key")
    if module.params["cloudfront_log_delivery"] and (kms_key_arn or module.params["elb_log_delivery"]):
        problems.append("cloudfront_log_delivery: a bucket of CloudFront standard logs takes neither kms_key_arn nor elb_log_delivery=true")
    if kms_key_arn and not re.match(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", kms_key_arn):
        problems.append(f"kms_key_arn: must be a KMS key ARN, not an alias or id (got {kms_key_arn!r})")
    if problems:
        module.fail_json(msg="; ".join(problems))
    client = module.client("s3", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, diff, bucket, diffs = ensure_present(module, client)
    except (s3.AnsibleS3Error, sts.AnsibleSTSError) as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, bucket=bucket, differences=diffs)


if __name__ == "__main__":
    main()
