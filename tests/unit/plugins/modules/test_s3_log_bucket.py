"""dito.chat.s3_log_bucket against moto in-process."""

import json

import boto3
import pytest

from ansible_collections.dito.chat.plugins.modules import s3_log_bucket

ARGS = {"name": "dito-local-alb-logs", "expiration_days": 30, "tags": {"project": "dito"}}


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
    assert delivery["Principal"]["AWS"] == "arn:aws:iam::156460612806:root"
    assert delivery["Resource"] == f"arn:aws:s3:::{name}/AWSLogs/123456789012/*"
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
    # moto evaluates the TLS-only statement against its in-process client as insecure: lift it to write.
    s3.delete_bucket_policy(Bucket=ARGS["name"])
    s3.put_object(Bucket=ARGS["name"], Key="AWSLogs/123456789012/x.log", Body=b"x")
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
