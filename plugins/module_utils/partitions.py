# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS partitions: which partition a region belongs to (aws, aws-cn, aws-us-gov, ...) and that partition's DNS
suffix (amazonaws.com, amazonaws.com.cn, ...), from botocore's endpoint data, so that ARNs, endpoints and image
URIs are right in every partition. Service principals (``ecs-tasks.amazonaws.com``, ``lambda.amazonaws.com``,
``events.amazonaws.com``, ...) are not derived: they are the same string in every partition (IAM User Guide,
"AWS service principals")."""

import functools
import re

try:
    import botocore.exceptions
    import botocore.loaders
    import botocore.regions
except ImportError:
    pass  # Handled by AnsibleAWSModule (modules) and the filter plugin (roles)

ACCOUNT_ID = re.compile(r"^[0-9]{12}$")


class UnknownRegion(ValueError):
    pass


@functools.lru_cache(maxsize=1)
def _resolver():
    return botocore.regions.EndpointResolver(botocore.loaders.create_loader().load_data("endpoints"))


def partition(region):
    """The partition of `region`: ``aws``, ``aws-cn``, ``aws-us-gov``, ... UnknownRegion if no partition has it."""
    try:
        return _resolver().get_partition_for_region(region)
    except (botocore.exceptions.UnknownRegionError, TypeError) as e:
        raise UnknownRegion(f"{region!r} is not a region of any AWS partition botocore knows") from e


def dns_suffix(region):
    """The DNS suffix of the endpoints of `region`'s partition: ``amazonaws.com``, ``amazonaws.com.cn``, ..."""
    return _resolver().get_partition_dns_suffix(partition(region))


def arn(region, service, resource, account="", arn_region=None):
    """``arn:<partition>:<service>:<arn_region>:<account>:<resource>``; the ARN's region is `region` unless given
    (``""`` for global services: IAM, S3)."""
    return f"arn:{partition(region)}:{service}:{region if arn_region is None else arn_region}:{account}:{resource}"


def account_root(region, account):
    """The principal ARN of an account: ``arn:<partition>:iam::<account>:root``."""
    return arn(region, "iam", "root", account, arn_region="")


def expand_account_principals(policy, region):
    """`policy` with each bare account id among its statements' ``Principal.AWS`` written as the account's root ARN,
    as IAM itself stores it (IAM User Guide, "AWS JSON policy elements: Principal", AWS account principals), so that
    a policy compares equal to what AWS returns."""
    if not isinstance(policy, dict):
        return policy
    statements = policy.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    out = []
    for statement in statements or []:
        principal = statement.get("Principal") if isinstance(statement, dict) else None
        if isinstance(principal, dict) and "AWS" in principal:
            ids = principal["AWS"]
            expanded = [account_root(region, p) if isinstance(p, str) and ACCOUNT_ID.match(p) else p for p in (ids if isinstance(ids, list) else [ids])]
            out.append(dict(statement, Principal=dict(principal, AWS=expanded if isinstance(ids, list) else expanded[0])))
        else:
            out.append(statement)
    return dict(policy, Statement=out) if statements is not None else policy
