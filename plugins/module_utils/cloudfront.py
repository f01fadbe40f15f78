# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon CloudFront wrappers (retries, error handling): a distribution that does not exist reads as None.

CloudFront is global: its API lives in us-east-1, whatever the region of the play."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils import creates
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

REGION = "us-east-1"
# The API's name of each policy kind: (operation suffix, list key, item key).
POLICY_KINDS = {
    "cache": ("cache_policies", "CachePolicyList", "CachePolicy"),
    "origin_request": ("origin_request_policies", "OriginRequestPolicyList", "OriginRequestPolicy"),
    "response_headers": ("response_headers_policies", "ResponseHeadersPolicyList", "ResponseHeadersPolicy"),
}


class AnsibleCloudFrontError(AnsibleAWSError):
    pass


class CloudFrontErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCloudFrontError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NoSuchDistribution")


@CloudFrontErrorHandler.list_error_handler("list distributions", default_value=[])
@AWSRetry.jittered_backoff()
def list_distributions(client):
    """Every distribution summary of the account (ListDistributions, paginated)."""
    summaries = []
    for page in client.get_paginator("list_distributions").paginate():
        summaries.extend(page["DistributionList"].get("Items") or [])
    return summaries


@CloudFrontErrorHandler.list_error_handler("get the configuration of distribution {distribution_id}", default_value=(None, None))
@AWSRetry.jittered_backoff()
def get_distribution_config(client, distribution_id):
    """``(DistributionConfig, ETag)``, or ``(None, None)`` when there is no such distribution."""
    answer = client.get_distribution_config(Id=distribution_id)
    return answer["DistributionConfig"], answer["ETag"]


@CloudFrontErrorHandler.list_error_handler("get distribution {distribution_id}")
@AWSRetry.jittered_backoff()
def get_distribution(client, distribution_id):
    """``(Distribution, ETag)``, or None."""
    answer = client.get_distribution(Id=distribution_id)
    return answer["Distribution"], answer["ETag"]


@CloudFrontErrorHandler.common_error_handler("create distribution")
@AWSRetry.jittered_backoff()
def create_distribution(client, config, tags, existing):
    """Creates the distribution with its tags in one call (CreateDistributionWithTags), or without (CreateDistribution).

    A resend after a lost response carries the same CallerReference, which CloudFront answers with
    DistributionAlreadyExists (API reference, DistributionConfig CallerReference: "If CallerReference is a value that
    you already sent in a previous request to create a distribution, CloudFront returns a DistributionAlreadyExists
    error"): ``existing()`` then answers ``(Distribution, ETag)`` of the distribution of that CallerReference."""

    def create():
        if tags:
            answer = client.create_distribution_with_tags(
                DistributionConfigWithTags={"DistributionConfig": config, "Tags": {"Items": [{"Key": k, "Value": v} for k, v in tags.items()]}}
            )
        else:
            answer = client.create_distribution(DistributionConfig=config)
        return answer["Distribution"], answer["ETag"]

    return creates.created_or_existing(create, ["DistributionAlreadyExists"], existing)


@CloudFrontErrorHandler.common_error_handler("update distribution {distribution_id}")
@AWSRetry.jittered_backoff()
def update_distribution(client, distribution_id, config, etag):
    answer = client.update_distribution(Id=distribution_id, IfMatch=etag, DistributionConfig=config)
    return answer["Distribution"], answer["ETag"]


@CloudFrontErrorHandler.deletion_error_handler("delete distribution {distribution_id}")
@AWSRetry.jittered_backoff()
def delete_distribution(client, distribution_id, etag):
    client.delete_distribution(Id=distribution_id, IfMatch=etag)
    return True


@CloudFrontErrorHandler.list_error_handler("list the tags of {arn}", default_value={})
@AWSRetry.jittered_backoff()
def list_tags(client, arn):
    return {t["Key"]: t.get("Value", "") for t in client.list_tags_for_resource(Resource=arn)["Tags"].get("Items") or []}


@CloudFrontErrorHandler.common_error_handler("tag {arn}")
@AWSRetry.jittered_backoff()
def tag(client, arn, tags):
    client.tag_resource(Resource=arn, Tags={"Items": [{"Key": k, "Value": v} for k, v in tags.items()]})


@CloudFrontErrorHandler.common_error_handler("untag {arn}")
@AWSRetry.jittered_backoff()
def untag(client, arn, keys):
    client.untag_resource(Resource=arn, TagKeys={"Items": list(keys)})


@CloudFrontErrorHandler.list_error_handler("list the {kind} policies", default_value=[])
@AWSRetry.jittered_backoff()
def list_policies(client, kind):
    """``[(name, id)]`` of every policy of a kind (``cache``, ``origin_request``, ``response_headers``), managed and
    custom, following NextMarker."""
    operation, list_key, item_key = POLICY_KINDS[kind]
    found, marker = [], None
    while True:
        answer = getattr(client, f"list_{operation}")(**({"Marker": marker} if marker else {}))[list_key]
        for item in answer.get("Items") or []:
            policy = item[item_key]
            found.append((policy[f"{item_key}Config"]["Name"], policy["Id"]))
        marker = answer.get("NextMarker")
        if not marker:
            return found
