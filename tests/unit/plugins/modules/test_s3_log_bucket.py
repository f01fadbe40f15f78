"""dito.chat.s3_log_bucket against moto in-process."""

import json

import boto3
import pytest

from ansible_collections.dito.chat.plugins.modules import s3_log_bucket

ARGS = {"name": "dito-local-alb-logs", "expiration_days": 30, "elb_log_prefixes": ["dito-local-web"], "tags": {"project": "dito"}}


@pytest.fixture
def s3(aws, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    return boto3.client("s3", region_name="eu-west-1")


def test_hardened_bucket_then_nothing_to_do(s3, run_module):
    plan = run_module(s3_log_bucket.main, ARGS, check_mode=True)
    assert plan["changed"] is True and s3.list_buckets()["Buckets"] == []
    created = run_module(s3_log_bucket.main, ARGS)
    assert created["changed"] is True and created["bucket"]["arn"] == "arn:aws:s3:::dito-local-alb-logs"
    name = ARGS["name"]
    assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] == "eu-west-1"
    assert s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"] == s3_log_bucket.PUBLIC_ACCESS_BLOCK
    rule = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    statements = {s["Sid"]: s for s in json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])["Statement"]}
    assert statements["DenyInsecureTransport"]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    delivery = statements["ElbAccessLogDelivery"]
    # Exactly where the load balancer writes (its prefix's AWSLogs/<account>/), by Ireland's ELB account alone.
    assert delivery["Principal"] == {"AWS": "arn:aws:iam::156460612806:root"}
    assert delivery["Resource"] == f"arn:aws:s3:::{name}/dito-local-web/AWSLogs/123456789012/*"
    [rule] = s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]
    assert (rule["Expiration"], rule["NoncurrentVersionExpiration"]) == ({"Days": 30}, {"NoncurrentDays": 30})
    assert s3.get_bucket_versioning(Bucket=name)["Status"] == "Enabled"
    assert s3.get_bucket_tagging(Bucket=name)["TagSet"] == [{"Key": "project", "Value": "dito"}]

    assert run_module(s3_log_bucket.main, ARGS)["changed"] is False
    assert run_module(s3_log_bucket.main, ARGS, check_mode=True)["changed"] is False


def test_drift_is_repaired_and_only_that(s3, run_module):
    run_module(s3_log_bucket.main, ARGS)
    s3.delete_public_access_block(Bucket=ARGS["name"])
    s3.delete_bucket_policy(Bucket=ARGS["name"])
    s3.put_bucket_versioning(Bucket=ARGS["name"], VersioningConfiguration={"Status": "Suspended"})
    repaired = run_module(s3_log_bucket.main, dict(ARGS, expiration_days=60))
    assert repaired["differences"] == ["public_access_block", "policy", "lifecycle", "versioning"]
    assert s3.get_bucket_versioning(Bucket=ARGS["name"])["Status"] == "Enabled"
    assert run_module(s3_log_bucket.main, dict(ARGS, expiration_days=60))["changed"] is False


def test_delete_with_force(s3, run_module):
    run_module(s3_log_bucket.main, ARGS)
    # Two versions of a log, under the hardened policy (its TLS-only statement admits these requests, as on AWS).
    for body in (b"x", b"y"):
        s3.put_object(Bucket=ARGS["name"], Key="dito-local-web/AWSLogs/123456789012/x.log", Body=body)
    assert run_module(s3_log_bucket.main, {"name": ARGS["name"], "state": "absent", "force": True})["changed"] is True
    assert s3.list_buckets()["Buckets"] == []
    assert run_module(s3_log_bucket.main, {"name": ARGS["name"], "state": "absent"})["changed"] is False


@pytest.mark.parametrize(
    ("region", "partition", "elb_account"),
    [
        ("cn-north-1", "aws-cn", "638102146993"),
        ("cn-northwest-1", "aws-cn", "037604701340"),
        ("us-gov-west-1", "aws-us-gov", "048591011584"),
        ("us-gov-east-1", "aws-us-gov", "190560391635"),
    ],
)
def test_arns_and_the_elb_account_are_those_of_the_regions_partition(aws, monkeypatch, run_module, region, partition, elb_account):
    """China and GovCloud have partitions of their own, with their own ELB log-delivery accounts (ALB user guide,
    "Enable access logs": the bucket policy names arn:aws-cn:iam::<id>:root or arn:aws-us-gov:iam::<id>:root)."""
    monkeypatch.setenv("AWS_REGION", region)
    client = boto3.client("s3", region_name=region)
    created = run_module(s3_log_bucket.main, ARGS)
    name = ARGS["name"]
    assert created["bucket"]["arn"] == f"arn:{partition}:s3:::{name}"
    statements = {s["Sid"]: s for s in json.loads(client.get_bucket_policy(Bucket=name)["Policy"])["Statement"]}
    assert statements["ElbAccessLogDelivery"]["Principal"]["AWS"] == f"arn:{partition}:iam::{elb_account}:root"
    assert statements["ElbAccessLogDelivery"]["Resource"].startswith(f"arn:{partition}:s3:::{name}/")
    assert sorted(statements["DenyInsecureTransport"]["Resource"]) == [f"arn:{partition}:s3:::{name}", f"arn:{partition}:s3:::{name}/*"]
    assert run_module(s3_log_bucket.main, ARGS)["changed"] is False


def test_each_prefix_and_the_regions_principal():
    """The user guide's principal per region: the ELB account before August 2022, the log-delivery service after."""
    policy = s3_log_bucket.policy_document("logs", "111122223333", "me-central-1", True, ["b", "a", "a"])
    [delivery] = [s for s in policy["Statement"] if s["Sid"] == "ElbAccessLogDelivery"]
    assert delivery["Principal"] == {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
    assert delivery["Resource"] == ["arn:aws:s3:::logs/a/AWSLogs/111122223333/*", "arn:aws:s3:::logs/b/AWSLogs/111122223333/*"]
    [delivery] = [s for s in s3_log_bucket.policy_document("logs", "111122223333", "us-east-1", True, [""])["Statement"] if s["Sid"] == "ElbAccessLogDelivery"]
    assert (delivery["Principal"], delivery["Resource"]) == ({"AWS": "arn:aws:iam::127311923021:root"}, "arn:aws:s3:::logs/AWSLogs/111122223333/*")


def test_a_changed_prefix_rewrites_the_grant(s3, run_module):
    run_module(s3_log_bucket.main, ARGS)
    moved = run_module(s3_log_bucket.main, dict(ARGS, elb_log_prefixes=["dito-local-api"]))
    assert moved["changed"] is True and moved["differences"] == ["policy"]
    [delivery] = [s for s in json.loads(s3.get_bucket_policy(Bucket=ARGS["name"])["Policy"])["Statement"] if s["Sid"] == "ElbAccessLogDelivery"]
    assert delivery["Resource"] == f"arn:aws:s3:::{ARGS['name']}/dito-local-api/AWSLogs/123456789012/*"


@pytest.mark.parametrize("prefix", ["/web", "web/", "web/AWSLogs"])
def test_a_prefix_elb_refuses_fails_before_any_call(s3, run_module, prefix):
    failed = run_module(s3_log_bucket.main, dict(ARGS, elb_log_prefixes=[prefix]))
    assert failed["failed"] is True and "elb_log_prefixes" in failed["msg"] and s3.list_buckets()["Buckets"] == []


def test_objects_it_cannot_delete_fail_the_run(s3, run_module):
    """DeleteObjects answers 200 with Errors: the module says which, rather than fail later on BucketNotEmpty."""
    run_module(s3_log_bucket.main, ARGS)
    s3.put_object(Bucket=ARGS["name"], Key="dito-local-web/AWSLogs/123456789012/x.log", Body=b"x")
    deny = {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": f"arn:aws:s3:::{ARGS['name']}/*"}
    s3.put_bucket_policy(Bucket=ARGS["name"], Policy=json.dumps({"Version": "2012-10-17", "Statement": [deny]}))
    failed = run_module(s3_log_bucket.main, {"name": ARGS["name"], "state": "absent", "force": True})
    assert failed["failed"] is True and "Could not delete 1 object version(s)" in failed["msg"] and "AccessDenied" in failed["msg"]


def test_a_bucket_encrypted_with_a_kms_key_for_artifacts(s3, run_module):
    """An artifact store: no ELB grant, SSE-KMS with the given key and a Bucket Key; a key change is rewritten."""
    kms = boto3.client("kms", region_name="eu-west-1")
    key, other = (kms.create_key(Description=role)["KeyMetadata"]["Arn"] for role in ("artifacts", "rotated"))
    args = {"name": "dito-local-artifacts", "elb_log_delivery": False, "kms_key_arn": key}
    assert run_module(s3_log_bucket.main, args)["changed"] is True
    rule = s3.get_bucket_encryption(Bucket=args["name"])["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key} and rule["BucketKeyEnabled"] is True
    assert [s["Sid"] for s in json.loads(s3.get_bucket_policy(Bucket=args["name"])["Policy"])["Statement"]] == ["DenyInsecureTransport"]
    assert run_module(s3_log_bucket.main, args)["changed"] is False
    rotated = run_module(s3_log_bucket.main, dict(args, kms_key_arn=other))
    assert rotated["differences"] == ["encryption"]
    assert (
        s3.get_bucket_encryption(Bucket=args["name"])["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]["KMSMasterKeyID"]
        == other
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"elb_log_delivery": True}, "kms_key_arn: Elastic Load Balancing access logs support SSE-S3 only"),
        ({"elb_log_delivery": False, "kms_key_arn": "alias/dito"}, "kms_key_arn: must be a KMS key ARN"),
    ],
)
def test_a_kms_key_the_bucket_cannot_use_fails_before_any_call(s3, run_module, extra, message):
    args = dict({"name": "dito-local-artifacts", "kms_key_arn": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}, **extra)
    failed = run_module(s3_log_bucket.main, args)
    assert failed["failed"] is True and message in failed["msg"] and s3.list_buckets()["Buckets"] == []


def test_a_bucket_of_cloudfront_standard_logs_keeps_acls_on(s3, run_module):
    """CloudFront standard logging (legacy) writes through the bucket ACL: ownership BucketOwnerPreferred, no ELB grant,
    public access still blocked; a bucket once made with ACLs disabled is switched, and the ACL CloudFront sets is kept."""
    args = {"name": "dito-local-frontend-cdn-logs", "elb_log_delivery": False, "cloudfront_log_delivery": True}
    s3.create_bucket(Bucket=args["name"], CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_bucket_ownership_controls(Bucket=args["name"], OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
    made = run_module(s3_log_bucket.main, args)
    assert made["changed"] is True and "ownership" in made["differences"]
    assert s3.get_bucket_ownership_controls(Bucket=args["name"])["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerPreferred"}]
    assert s3.get_public_access_block(Bucket=args["name"])["PublicAccessBlockConfiguration"] == s3_log_bucket.PUBLIC_ACCESS_BLOCK
    assert [s["Sid"] for s in json.loads(s3.get_bucket_policy(Bucket=args["name"])["Policy"])["Statement"]] == ["DenyInsecureTransport"]
    owner = s3.get_bucket_acl(Bucket=args["name"])["Owner"]
    # What CloudFront does when logging is turned on: the awslogsdelivery account gets FULL_CONTROL.
    grants = [
        {"Grantee": {"Type": "CanonicalUser", "ID": owner["ID"]}, "Permission": "FULL_CONTROL"},
        {"Grantee": {"Type": "CanonicalUser", "ID": "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0"}, "Permission": "FULL_CONTROL"},
    ]
    s3.put_bucket_acl(Bucket=args["name"], AccessControlPolicy={"Owner": owner, "Grants": grants})
    assert run_module(s3_log_bucket.main, args)["changed"] is False
    assert len(s3.get_bucket_acl(Bucket=args["name"])["Grants"]) == 2


@pytest.mark.parametrize("extra", [{"elb_log_delivery": True}, {"elb_log_delivery": False, "kms_key_arn": "arn:aws:kms:eu-west-1:123456789012:key/1234abcd"}])
def test_cloudfront_logs_take_neither_elb_grant_nor_kms(s3, run_module, extra):
    failed = run_module(s3_log_bucket.main, dict({"name": "dito-local-cdn-logs", "cloudfront_log_delivery": True}, **extra))
    assert failed["failed"] is True and "cloudfront_log_delivery:" in failed["msg"] and s3.list_buckets()["Buckets"] == []


@pytest.mark.parametrize("region", ["eu-west-1", "us-east-1"])
def test_a_lost_create_response_is_recognised_on_the_resend(aws, monkeypatch, run_module, lost_response, region):
    """CreateBucket's resend answers BucketAlreadyOwnedByYou (us-east-1: 200 again); the bucket settings are puts,
    idempotent: the module carries on as created and the bucket is hardened as on a clean create."""
    monkeypatch.setenv("AWS_REGION", region)
    s3 = boto3.client("s3", region_name=region)
    doubled = lost_response("CreateBucket", "PutBucketPolicy", "PutBucketTagging")
    created = run_module(s3_log_bucket.main, ARGS)
    assert [c[1] for c in doubled] == ["CreateBucket", "PutBucketPolicy", "PutBucketTagging"]
    assert created["changed"] is True and "failed" not in created and created["bucket"]["arn"] == "arn:aws:s3:::dito-local-alb-logs"
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == [ARGS["name"]]
    assert s3.get_bucket_versioning(Bucket=ARGS["name"])["Status"] == "Enabled"
    assert s3.get_bucket_tagging(Bucket=ARGS["name"])["TagSet"] == [{"Key": "project", "Value": "dito"}]
    assert run_module(s3_log_bucket.main, ARGS)["changed"] is False
