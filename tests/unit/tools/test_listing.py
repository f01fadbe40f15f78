"""The account listing's environment arithmetic (tools/listing.py), used by test_faults and test_site's teardown."""

import boto3
from moto import mock_aws

from tools.emulator import patches
from tools.listing import REGION
from tools.listing import as_environment
from tools.listing import differences
from tools.listing import distribution_name
from tools.listing import environment_part
from tools.listing import listing
from tools.listing import merged
from tools.listing import renamed

CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"  # the managed policy's id (CloudFront Developer Guide)
LOCAL = {
    "route53 zones": {"dito.local. private=False": 1, "local.dito.internal. private=True": 1},
    "route53 records": {
        "dito.local. dito.local. NS": 1,
        "dito.local. chat.dito.local. A": 1,
        "dito.local. chat-origin.dito.local. A": 1,
        "local.dito.internal. redis.local.dito.internal. CNAME": 1,
    },
    "security groups": {"default": 1, "dito-local-backend-tasks": 1},
    "ecs services": {"dito-local/dito-local-backend": 1},
    "ecr repositories": {"dito/local/backend": 1},
    "ssm parameters": {"/dito/local/redis/auth-token": 1},
    "cloud map services": {"svc.local.dito.internal/backend": 1},
    "task definition revisions": {"dito-local-backend": 3},
}


def test_every_name_of_the_environment_is_renamed_and_shared_names_are_not():
    assert renamed("dito-local-backend-tasks ingress tcp 8080-8080 dito-local-backend-alb", "faults") == (
        "dito-faults-backend-tasks ingress tcp 8080-8080 dito-faults-backend-alb"
    )
    assert (
        renamed("TargetTracking-service/dito-local/dito-local-backend-AlarmHigh-<uuid>", "b") == "TargetTracking-service/dito-b/dito-b-backend-AlarmHigh-<uuid>"
    )
    assert renamed("local.dito.internal. redis.local.dito.internal. CNAME", "b") == "b.dito.internal. redis.b.dito.internal. CNAME"
    assert renamed("dito.local. chat-origin.dito.local. A", "b") == "dito.local. chat-b-origin.dito.local. A"
    assert renamed("dito-local-frontend:443 priority 1", "b") == "dito-b-frontend:443 priority 1"
    for shared in ("dito.local. dito.local. NS", "default", "dito.local. private=False"):
        assert renamed(shared, "b") == shared


def test_the_environments_part_and_its_image_in_another_environment():
    part = environment_part(LOCAL)
    assert "default" not in part["security groups"] and "route53 zones" in part
    assert part["route53 zones"] == {"local.dito.internal. private=True": 1}
    other = as_environment(LOCAL, "b")
    assert other["ecr repositories"] == {"dito/b/backend": 1} and other["task definition revisions"] == {"dito-b-backend": 3}
    both = merged(LOCAL, other)
    assert both["security groups"] == {"default": 1, "dito-local-backend-tasks": 1, "dito-b-backend-tasks": 1}
    assert differences(both, merged(LOCAL, other)) == []
    doubled = merged(LOCAL, other, {"security groups": {"dito-b-backend-tasks": 1}})
    assert differences(both, doubled) == ["security groups: dito-b-backend-tasks: expected 1, found 2"]


def test_a_distribution_is_listed_by_its_name_without_the_time_of_its_create():
    # dito.chat.cloudfront_distribution writes "<name>#<UTC time of the create>"; earlier versions wrote the name alone.
    assert distribution_name("dito-local-frontend#20250102T030405.678Z") == "dito-local-frontend"
    assert distribution_name("dito-local-frontend") == "dito-local-frontend"
    assert distribution_name("a#b#20250102T030405.678Z") == "a#b"
    # Only that stamp is taken off: anything else after a "#" is part of the name.
    for kept in ("a#b", "a#20250102T030405Z", "a#20250102T030405.678Z ", "#20250102T030405.678Z", "a#2025010203040567"):
        assert distribution_name(kept) == kept


def test_two_converges_list_their_distributions_alike():
    """Each converge creates the distribution with a CallerReference of its own (a teardown in between): the listings of
    the two accounts compare equal."""
    patches.apply_all()
    found = []
    for stamp in ("20250102T030405.678Z", "20250102T041500.001Z"):
        with mock_aws():
            vpc = boto3.client("ec2", region_name=REGION).create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
            custom = {"HTTPPort": 80, "HTTPSPort": 443, "OriginProtocolPolicy": "https-only"}
            origin = {"Id": "alb", "DomainName": "origin.example.com", "CustomOriginConfig": custom}
            config = {
                "CallerReference": f"dito-local-frontend#{stamp}",
                "Comment": "dito-local-frontend",
                "Enabled": True,
                "Origins": {"Quantity": 1, "Items": [origin]},
                "DefaultCacheBehavior": {"TargetOriginId": "alb", "ViewerProtocolPolicy": "redirect-to-https", "CachePolicyId": CACHING_OPTIMIZED},
            }
            boto3.client("cloudfront", region_name="us-east-1").create_distribution(DistributionConfig=config)
            found.append(listing(None, vpc))
    assert found[0]["cloudfront distributions"] == {"dito-local-frontend": 1}
    assert differences(found[0], found[1]) == []
