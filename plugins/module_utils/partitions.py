# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS partitions: which partition a region belongs to (aws, aws-cn, aws-us-gov, ...) and that partition's DNS
suffix (amazonaws.com, amazonaws.com.cn, ...), from botocore's partition data, so that ARNs, endpoints and image
URIs are right in every partition. Service principals (``ecs-tasks.amazonaws.com``, ``lambda.amazonaws.com``,
``events.amazonaws.com``, ...) are not derived: they are the same string in every partition (IAM User Guide,
"AWS service principals").

The data file is read without importing botocore: the filters dito.chat.aws_partition and aws_dns_suffix load this
file in every forked Ansible worker that templates a filter of this collection, and importing botocore there cost
about 0.3 s of CPU per task (measured: half of the CPU time of site.yml's input checks)."""

import functools
import gzip
import importlib.util
import json
import os
import re

ACCOUNT_ID = re.compile(r"^[0-9]{12}$")


class UnknownRegion(ValueError):
    pass


@functools.lru_cache(maxsize=1)
def _partitions():
    """botocore's data/partitions.json: the partitions, each with its regions, its region pattern and its DNS
    suffix (the data botocore's endpoint rulesets resolve a region's partition from)."""
    spec = importlib.util.find_spec("botocore")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("botocore is not installed")
    data = os.path.join(next(iter(spec.submodule_search_locations)), "data")
    path = os.path.join(data, "partitions.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            return json.load(f)["partitions"]
    with gzip.open(path + ".gz", "rt", encoding="utf-8") as f:  # botocore may ship its data compressed
        return json.load(f)["partitions"]


def _partition_of(region):
    if isinstance(region, str) and region:
        known = _partitions()
        for candidate in known:  # a region listed by name first, as botocore's aws.partition function does
            if region in candidate.get("regions", {}):
                return candidate
        for candidate in known:
            if re.match(candidate["regionRegex"], region):
                return candidate
    raise UnknownRegion(f"{region!r} is not a region of any AWS partition botocore knows")


def partition(region):
    """The partition of `region`: ``aws``, ``aws-cn``, ``aws-us-gov``, ... UnknownRegion if no partition has it."""
    return _partition_of(region)["id"]


def dns_suffix(region):
    """The DNS suffix of the endpoints of `region`'s partition: ``amazonaws.com``, ``amazonaws.com.cn``, ..."""
    return _partition_of(region)["outputs"]["dnsSuffix"]


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
