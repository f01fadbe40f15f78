"""dito.chat.cloudfront_distribution against moto in-process with the emulator layer."""

import datetime
import json
import re
from unittest import mock

import boto3
import pytest
from moto.core.config import default_user_config

from ansible_collections.dito.chat.plugins.modules import cloudfront_distribution

SECRET = "origin-verify-0123456789abcdefghijklmnop"  # noqa: S105 - a test value
PARAMETER = "/dito/test/cloudfront/origin-verify"
# The CallerReference of a distribution the module creates: its name, "#", the UTC time of the create.
REFERENCE = r"dito-test-frontend#[0-9]{8}T[0-9]{6}\.[0-9]{3}Z"


@pytest.fixture
def cf(aws, monkeypatch):
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setitem(default_user_config, "cloudfront", {"deploy_seconds": 0.2})
    monkeypatch.setattr(cloudfront_distribution, "POLL_SECONDS", 0.1)
    client = boto3.client("cloudfront", region_name="us-east-1")
    client.certificate = boto3.client("acm", region_name="us-east-1").request_certificate(DomainName="*.example.com", SubjectAlternativeNames=["example.com"])[
        "CertificateArn"
    ]
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="dito-cf-logs")
    s3.put_bucket_ownership_controls(Bucket="dito-cf-logs", OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
    boto3.client("ssm", region_name="eu-west-1").put_parameter(Name=PARAMETER, Value=SECRET, Type="SecureString")
    return client


def args(cf, **extra):
    base = {
        "name": "dito-test-frontend",
        "aliases": ["chat.example.com"],
        "certificate_arn": cf.certificate,
        "origins": [{"id": "alb", "domain_name": "chat-origin.example.com", "custom_headers": [{"name": "X-Origin-Verify", "parameter": PARAMETER}]}],
        "default_cache_behavior": {"target_origin_id": "alb", "cache_policy": "CachingOptimized", "response_headers_policy": "Managed-SecurityHeadersPolicy"},
        "cache_behaviors": [
            {
                "path_pattern": "/api/*",
                "target_origin_id": "alb",
                "allowed_methods": ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
                "cache_policy": "CachingDisabled",
                "origin_request_policy": "AllViewerExceptHostHeader",
            },
            {"path_pattern": "/ws*", "target_origin_id": "alb", "cache_policy": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"},
        ],
        "logging": {"bucket": "dito-cf-logs", "prefix": "frontend/"},
        "tags": {"project": "dito"},
    }
    base.update(extra)
    return base


def only(cf):
    [summary] = cf.list_distributions()["DistributionList"]["Items"]
    return summary["Id"], cf.get_distribution_config(Id=summary["Id"])["DistributionConfig"]


def test_create_then_nothing_to_do_and_check_mode(cf, run_module):
    plan = run_module(cloudfront_distribution.main, args(cf), check_mode=True)
    assert plan["changed"] is True and plan["distribution"]["id"] is None and plan["distribution"]["etag"] is None
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 0

    created = run_module(cloudfront_distribution.main, args(cf))
    assert created["changed"] is True and created["differences"] == ["created"]
    dist_id, config = only(cf)
    result = created["distribution"]
    assert (result["id"], result["hosted_zone_id"], result["aliases"]) == (dist_id, "Z2FDTNDATAQYW2", ["chat.example.com"])
    assert result["domain_name"].endswith(".cloudfront.net") and result["etag"]
    assert result["policies"] == {
        "Managed-CachingOptimized": "658327ea-f89d-4fab-a63d-7e88639e58f6",
        "Managed-SecurityHeadersPolicy": "67f7725c-6f97-4210-82d7-5512b31e9d03",
        "Managed-CachingDisabled": "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
        "Managed-AllViewerExceptHostHeader": "b689b0a8-53d0-40ab-baf2-68738e2966ac",
    }
    # What CloudFront holds: the secret header from SSM, TLS 1.2 to the origin over HTTPS only, the behaviours in order.
    [origin] = config["Origins"]["Items"]
    assert origin["CustomHeaders"]["Items"] == [{"HeaderName": "X-Origin-Verify", "HeaderValue": SECRET}]
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert origin["CustomOriginConfig"]["OriginSslProtocols"]["Items"] == ["TLSv1.2"]
    assert [b["PathPattern"] for b in config["CacheBehaviors"]["Items"]] == ["/api/*", "/ws*"]
    assert config["CacheBehaviors"]["Items"][0]["OriginRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"
    assert config["ViewerCertificate"]["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert (config["HttpVersion"], config["IsIPV6Enabled"]) == ("http2and3", True)
    assert config["Logging"] == {"Enabled": True, "IncludeCookies": False, "Bucket": "dito-cf-logs.s3.amazonaws.com", "Prefix": "frontend/"}
    assert config["Comment"] == "dito-test-frontend" and re.fullmatch(REFERENCE, config["CallerReference"])
    arn = result["arn"]
    assert cf.list_tags_for_resource(Resource=arn)["Tags"]["Items"] == [{"Key": "project", "Value": "dito"}]

    again = run_module(cloudfront_distribution.main, args(cf))
    assert again["changed"] is False and again["distribution"]["etag"] == created["distribution"]["etag"]
    assert run_module(cloudfront_distribution.main, args(cf), check_mode=True)["changed"] is False


def test_a_change_updates_once_with_diff(cf, run_module):
    run_module(cloudfront_distribution.main, args(cf))
    etag = cf.get_distribution_config(Id=only(cf)[0])["ETag"]
    changed = dict(args(cf), price_class="PriceClass_100", aliases=["chat.example.com", "example.com"])
    plan = run_module(cloudfront_distribution.main, changed, check_mode=True, diff=True)
    assert plan["changed"] is True and plan["differences"] == ["config"]
    assert cf.get_distribution_config(Id=only(cf)[0])["ETag"] == etag
    assert (plan["diff"]["before"]["price_class"], plan["diff"]["after"]["price_class"]) == ("PriceClass_All", "PriceClass_100")
    assert SECRET not in json.dumps(plan)

    updated = run_module(cloudfront_distribution.main, changed, diff=True)
    assert updated["changed"] is True and updated["distribution"]["etag"] != etag
    config = only(cf)[1]
    assert config["PriceClass"] == "PriceClass_100" and sorted(config["Aliases"]["Items"]) == ["chat.example.com", "example.com"]
    # Aliases in another order are the same distribution.
    assert run_module(cloudfront_distribution.main, dict(changed, aliases=["example.com", "chat.example.com"]))["changed"] is False


def test_tags_are_compared_apart(cf, run_module):
    run_module(cloudfront_distribution.main, args(cf))
    etag = cf.get_distribution_config(Id=only(cf)[0])["ETag"]
    retagged = run_module(cloudfront_distribution.main, args(cf, tags={"project": "dito", "env": "test"}))
    assert retagged["differences"] == ["tags"] and retagged["distribution"]["tags"] == {"project": "dito", "env": "test"}
    assert cf.get_distribution_config(Id=only(cf)[0])["ETag"] == etag  # no UpdateDistribution for tags
    arn = retagged["distribution"]["arn"]
    assert {t["Key"] for t in cf.list_tags_for_resource(Resource=arn)["Tags"]["Items"]} == {"project", "env"}


def test_the_secret_header_is_never_returned(cf, run_module):
    created = run_module(cloudfront_distribution.main, args(cf), diff=True)
    text = json.dumps(created)
    assert SECRET not in text
    assert created["distribution"]["origins"][0]["custom_headers"] == [{"name": "X-Origin-Verify", "value": "********"}]
    assert created["distribution"]["config"]["Origins"]["Items"][0]["CustomHeaders"]["Items"][0]["HeaderValue"] == "********"


def test_missing_parameter_plans_in_check_mode_and_fails_for_real(cf, run_module):
    missing = args(cf)
    missing["origins"][0]["custom_headers"][0]["parameter"] = "/dito/test/absent"
    assert run_module(cloudfront_distribution.main, missing, check_mode=True)["changed"] is True
    failed = run_module(cloudfront_distribution.main, missing)
    assert failed["failed"] is True and "/dito/test/absent" in failed["msg"]
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 0


def test_absent_disables_waits_then_deletes(cf, run_module):
    run_module(cloudfront_distribution.main, args(cf))
    gone = {"name": "dito-test-frontend", "state": "absent"}
    assert run_module(cloudfront_distribution.main, gone, check_mode=True)["changed"] is True
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 1
    assert run_module(cloudfront_distribution.main, gone)["changed"] is True
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 0
    assert run_module(cloudfront_distribution.main, gone)["changed"] is False


def test_a_certificate_outside_us_east_1_fails_before_any_call(aws, run_module, api_calls):
    bad = {
        "name": "x",
        "aliases": ["chat.example.com"],
        "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
        "origins": [{"id": "alb", "domain_name": "o.example.com"}],
        "default_cache_behavior": {"target_origin_id": "alb", "cache_policy": "CachingOptimized"},
    }
    failed = run_module(cloudfront_distribution.main, bad)
    assert failed["failed"] is True and "only from us-east-1" in failed["msg"] and "certificate_arn" in failed["msg"]
    assert api_calls == []


def test_an_unknown_policy_name_fails_naming_the_option(cf, run_module):
    wrong = args(cf)
    wrong["cache_behaviors"][0]["origin_request_policy"] = "AllViewerButNotReally"
    failed = run_module(cloudfront_distribution.main, wrong)
    assert failed["failed"] is True
    assert "cache_behaviors[0].origin_request_policy" in failed["msg"] and "Managed-AllViewerExceptHostHeader" in failed["msg"]
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 0


def test_canonical_ignores_aws_defaults_and_list_order():
    ids = {("cache", "CachingOptimized"): "658327ea-f89d-4fab-a63d-7e88639e58f6"}
    p = {
        "name": "n",
        "comment": None,
        "enabled": True,
        "aliases": ["b.example.com", "a.example.com"],
        "certificate_arn": None,
        "minimum_protocol_version": "TLSv1.2_2021",
        "http_version": "http2and3",
        "ipv6": True,
        "price_class": "PriceClass_All",
        "web_acl_id": "",
        "default_root_object": "",
        "origins": [
            {
                "id": "o",
                "domain_name": "d",
                "protocol_policy": "https-only",
                "https_port": 443,
                "http_port": 80,
                "ssl_protocols": ["TLSv1.2"],
                "read_timeout": 30,
                "keepalive_timeout": 5,
            }
        ],
        "default_cache_behavior": {
            "target_origin_id": "o",
            "viewer_protocol_policy": "redirect-to-https",
            "allowed_methods": ["HEAD", "GET"],
            "cached_methods": ["GET", "HEAD"],
            "compress": True,
            "cache_policy": "CachingOptimized",
        },
        "cache_behaviors": [],
        "logging": None,
    }
    desired = cloudfront_distribution.desired_config(p, ids, {})
    from tools.emulator.patches.cloudfront import with_aws_defaults

    held = with_aws_defaults(desired)
    held["Aliases"]["Items"].reverse()
    assert cloudfront_distribution.canonical(held) == cloudfront_distribution.canonical(desired)


def test_without_tags_and_without_aliases(cf, run_module):
    plain = args(cf, aliases=[], certificate_arn=None, tags=None, logging=None)
    created = run_module(cloudfront_distribution.main, plain)
    assert created["changed"] is True and created["distribution"]["tags"] == {}
    config = only(cf)[1]
    assert config["ViewerCertificate"]["CloudFrontDefaultCertificate"] is True and config["Logging"]["Enabled"] is False
    assert run_module(cloudfront_distribution.main, plain)["changed"] is False


@pytest.mark.parametrize(("tags", "operation"), [({"project": "dito"}, "CreateDistributionWithTags"), (None, "CreateDistribution")])
def test_a_lost_create_response_is_recognised_on_the_resend(cf, run_module, lost_response, tags, operation):
    """The resend carries the same CallerReference (made once per run): CloudFront answers DistributionAlreadyExists,
    the module finds the distribution of that CallerReference and carries on as created. One distribution."""
    doubled = lost_response(operation)
    created = run_module(cloudfront_distribution.main, args(cf, tags=tags))
    assert doubled == [("cloudfront", operation)]
    assert created["changed"] is True and created["differences"] == ["created"] and "failed" not in created
    dist_id, config = only(cf)
    assert created["distribution"]["id"] == dist_id and re.fullmatch(REFERENCE, config["CallerReference"])
    assert created["distribution"]["config"]["CallerReference"] == config["CallerReference"]
    assert created["distribution"]["etag"] == cf.get_distribution(Id=dist_id)["ETag"]
    assert created["distribution"]["tags"] == (tags or {})
    assert run_module(cloudfront_distribution.main, args(cf, tags=tags))["changed"] is False


def test_already_exists_without_a_distribution_of_the_reference_fails_naming_it(cf, run_module):
    """DistributionAlreadyExists that is not the answer to this run's own create (no distribution has the reference)
    fails the task with a message that says so."""
    from moto.cloudfront.exceptions import DistributionAlreadyExists
    from moto.cloudfront.models import CloudFrontBackend

    def refused(self, distribution_config, tags):
        raise DistributionAlreadyExists("E2QWRUHAPOMQZL")

    with mock.patch.object(CloudFrontBackend, "create_distribution_with_tags", refused):
        failed = run_module(cloudfront_distribution.main, args(cf))
    assert failed["failed"] is True and "DistributionAlreadyExists" in failed["msg"]
    assert re.search(REFERENCE, failed["msg"]) and cf.list_distributions()["DistributionList"]["Quantity"] == 0


def test_a_name_is_created_again_after_its_distribution_was_deleted(cf, run_module):
    """A teardown, then a converge of the same name (ephemeral environments): CloudFront refuses a CallerReference sent
    before, that of a deleted distribution included (the emulator's cloudfront.a_caller_reference_is_never_used_again),
    so each create sends a reference of its own, which the module still finds the distribution by."""
    first = run_module(cloudfront_distribution.main, args(cf))
    first_reference = only(cf)[1]["CallerReference"]
    assert run_module(cloudfront_distribution.main, {"name": "dito-test-frontend", "state": "absent"})["changed"] is True
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 0

    again = run_module(cloudfront_distribution.main, args(cf))
    assert "failed" not in again, again.get("msg")
    assert again["changed"] is True and again["differences"] == ["created"]
    dist_id, config = only(cf)
    assert again["distribution"]["id"] == dist_id != first["distribution"]["id"]
    assert re.fullmatch(REFERENCE, config["CallerReference"]) and config["CallerReference"] != first_reference
    assert run_module(cloudfront_distribution.main, args(cf))["changed"] is False


def test_a_distribution_named_by_an_earlier_version_is_found(cf, run_module):
    """Earlier versions wrote the name alone as CallerReference: such a distribution is found and adopted, not doubled,
    and deleted by state=absent."""
    with mock.patch.object(cloudfront_distribution, "caller_reference", lambda name, now: name):
        run_module(cloudfront_distribution.main, args(cf))
    assert only(cf)[1]["CallerReference"] == "dito-test-frontend"
    again = run_module(cloudfront_distribution.main, args(cf, price_class="PriceClass_100"))
    assert again["changed"] is True and again["differences"] == ["config"]
    assert only(cf)[1]["PriceClass"] == "PriceClass_100"
    assert run_module(cloudfront_distribution.main, {"name": "dito-test-frontend", "state": "absent"})["changed"] is True
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 0


def test_a_name_finds_only_its_own_references(cf, run_module):
    """Another name that begins like this one, or this one with another suffix, is another distribution; a name that
    holds "#" is found by the last one."""
    hashed = run_module(cloudfront_distribution.main, args(cf, name="dito#test", comment="shared"))
    longer = run_module(cloudfront_distribution.main, args(cf, name="dito#test-2", comment="shared"))
    assert hashed["distribution"]["id"] != longer["distribution"]["id"]
    for name, made in (("dito#test", hashed), ("dito#test-2", longer)):
        again = run_module(cloudfront_distribution.main, args(cf, name=name, comment="shared"))
        assert again["changed"] is False and again["distribution"]["id"] == made["distribution"]["id"]
    assert run_module(cloudfront_distribution.main, args(cf, name="dito", comment="shared"))["differences"] == ["created"]
    assert cf.list_distributions()["DistributionList"]["Quantity"] == 3


def test_caller_references_are_the_name_and_the_time_of_the_create():
    now = datetime.datetime(2025, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC)
    assert cloudfront_distribution.caller_reference("dito-prod-frontend", now) == "dito-prod-frontend#20250102T030405.678Z"
    mine = cloudfront_distribution.is_reference_of
    assert mine("n#20250102T030405.678Z", "n") and mine("n", "n") and mine("a#b#20250102T030405.678Z", "a#b")
    for reference, name in (
        ("n#x", "n"),
        ("n#20250102T030405Z", "n"),
        ("n#20250102T030405.678Z#", "n"),
        ("n#20250102T030405.678Z ", "n"),
        ("n-2#20250102T030405.678Z", "n"),
        ("a#b#20250102T030405.678Z", "a"),
        ("", "n"),
        (None, "n"),
    ):
        assert not mine(reference, name), reference
