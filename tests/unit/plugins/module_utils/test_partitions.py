"""plugins/module_utils/partitions.py: partitions and DNS suffixes from botocore's endpoint data."""

import pytest

from ansible_collections.dito.chat.plugins.module_utils import partitions

REGIONS = [
    ("eu-west-1", "aws", "amazonaws.com"),
    ("us-east-1", "aws", "amazonaws.com"),
    ("cn-north-1", "aws-cn", "amazonaws.com.cn"),
    ("cn-northwest-1", "aws-cn", "amazonaws.com.cn"),
    ("us-gov-west-1", "aws-us-gov", "amazonaws.com"),
    ("us-gov-east-1", "aws-us-gov", "amazonaws.com"),
]


@pytest.mark.parametrize(("region", "partition", "suffix"), REGIONS)
def test_partition_and_dns_suffix_of_each_region(region, partition, suffix):
    assert partitions.partition(region) == partition
    assert partitions.dns_suffix(region) == suffix


@pytest.mark.parametrize(("region", "partition", "suffix"), REGIONS)
def test_arns_are_in_the_regions_partition(region, partition, suffix):
    assert partitions.account_root(region, "123456789012") == f"arn:{partition}:iam::123456789012:root"
    assert partitions.arn(region, "s3", "logs", arn_region="") == f"arn:{partition}:s3:::logs"
    assert partitions.arn(region, "logs", "log-group:/ecs/x:*", "123456789012") == f"arn:{partition}:logs:{region}:123456789012:log-group:/ecs/x:*"


@pytest.mark.parametrize("region", ["xx-nowhere-1", "", None])
def test_a_region_of_no_partition_is_refused(region):
    with pytest.raises(partitions.UnknownRegion, match="is not a region"):
        partitions.partition(region)


def test_bare_account_ids_become_root_arns_of_the_partition():
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": ["111122223333", "arn:aws-cn:iam::444455556666:role/ci"]}, "Action": "ecr:BatchGetImage"},
            {"Sid": "One", "Effect": "Allow", "Principal": {"AWS": "210987654321"}, "Action": "ecr:BatchGetImage"},
            {"Sid": "Svc", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "ecr:BatchGetImage"},
        ],
    }
    expanded = partitions.expand_account_principals(policy, "cn-north-1")
    assert [s["Principal"] for s in expanded["Statement"]] == [
        {"AWS": ["arn:aws-cn:iam::111122223333:root", "arn:aws-cn:iam::444455556666:role/ci"]},
        {"AWS": "arn:aws-cn:iam::210987654321:root"},
        {"Service": "lambda.amazonaws.com"},
    ]
    assert policy["Statement"][1]["Principal"] == {"AWS": "210987654321"}  # the input is left alone
    assert partitions.expand_account_principals(None, "cn-north-1") is None
    assert partitions.expand_account_principals({"Version": "2012-10-17"}, "eu-west-1") == {"Version": "2012-10-17"}
