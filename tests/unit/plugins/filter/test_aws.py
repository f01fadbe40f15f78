"""The filters dito.chat.aws_partition and dito.chat.aws_dns_suffix (plugins/filter/aws.py), as roles call them."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.dito.chat.plugins.filter import aws as filters


def test_the_filters_are_registered_under_their_names():
    assert filters.FilterModule().filters() == {"aws_partition": filters.aws_partition, "aws_dns_suffix": filters.aws_dns_suffix}


@pytest.mark.parametrize(
    ("region", "partition", "suffix"),
    [("eu-west-1", "aws", "amazonaws.com"), ("cn-north-1", "aws-cn", "amazonaws.com.cn"), ("us-gov-west-1", "aws-us-gov", "amazonaws.com")],
)
def test_partition_and_suffix(region, partition, suffix):
    assert filters.aws_partition(region) == partition
    assert filters.aws_dns_suffix(region) == suffix


@pytest.mark.parametrize("region", ["xx-nowhere-1", "", None, ["eu-west-1"]])
def test_a_bad_region_is_refused_naming_the_filter(region):
    with pytest.raises(AnsibleFilterError, match=r"^aws_partition: "):
        filters.aws_partition(region)
    with pytest.raises(AnsibleFilterError, match=r"^aws_dns_suffix: "):
        filters.aws_dns_suffix(region)
