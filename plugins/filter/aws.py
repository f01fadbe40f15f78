# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS partition filters for the roles' ARNs and endpoints, from the collection's one source in module_utils
(botocore's partition data). The documentation of each filter is in its own file beside this one (aws_partition.yml,
aws_dns_suffix.yml)."""

import importlib.util

from ansible.errors import AnsibleFilterError

from ansible_collections.dito.chat.plugins.module_utils import partitions

# Whether botocore (whose partition data the module_utils above read) is installed, without importing it: Ansible
# loads this file in each forked worker that templates any filter of this collection.
HAS_BOTOCORE = importlib.util.find_spec("botocore") is not None


def _checked(name, region, derive):
    if not HAS_BOTOCORE:
        raise AnsibleFilterError(f"{name} needs botocore on the control node (amazon.aws needs it too)")
    if not isinstance(region, str) or not region:
        raise AnsibleFilterError(f"{name}: the region must be a non-empty string, got {region!r}")
    try:
        return derive(region)
    except partitions.UnknownRegion as e:
        raise AnsibleFilterError(f"{name}: {e}") from e


def aws_partition(region):
    """The partition of ``region``: aws, aws-cn, aws-us-gov, ..."""
    return _checked("aws_partition", region, partitions.partition)


def aws_dns_suffix(region):
    """The DNS suffix of ``region``'s endpoints: amazonaws.com, amazonaws.com.cn, ..."""
    return _checked("aws_dns_suffix", region, partitions.dns_suffix)


class FilterModule:
    def filters(self):
        return {"aws_partition": aws_partition, "aws_dns_suffix": aws_dns_suffix}
