# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon ECS: the error handler and the tag wrappers that every ECS API area shares, and the capacity-provider
strategy (argument spec and conversions) that clusters and services share.

Task definitions, clusters and services have their own files: ecs_task_definitions.py, ecs_clusters.py,
ecs_services.py.
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_message
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleECSError(AnsibleAWSError):
    pass


class ECSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleECSError

    @classmethod
    def _is_missing(cls):
        # DescribeTaskDefinition answers ClientException "Unable to describe task definition." for a
        # family with no ACTIVE revision.
        return is_boto3_error_message("Unable to describe task definition")


# ---------------------------------------------------------------------------------------------
# Tags (every ECS resource is tagged by ARN, with lowercase key/value)


@ECSErrorHandler.common_error_handler("tag {arn}")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=[{"key": k, "value": v} for k, v in tags.items()])


@ECSErrorHandler.common_error_handler("untag {arn}")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=list(keys))


def tags_to_dict(tags):
    return {t["key"]: t["value"] for t in tags or []}


# ---------------------------------------------------------------------------------------------
# Capacity-provider strategies

# The argument spec of a capacity provider strategy entry, shared by ecs_cluster and ecs_service.
STRATEGY_OPTIONS = dict(capacity_provider=dict(type="str", required=True), weight=dict(type="int", default=1), base=dict(type="int", default=0))


def strategy_request(specs):
    """A capacity provider strategy in the API's shape, from the modules' snake_case entries."""
    return [{"capacityProvider": s["capacity_provider"], "weight": s["weight"], "base": s["base"]} for s in specs or []]


def strategy_normalised(strategy):
    """A capacity provider strategy with AWS's defaults filled in (weight 0, base 0), in a stable order."""
    return sorted(
        ({"capacityProvider": s["capacityProvider"], "weight": int(s.get("weight") or 0), "base": int(s.get("base") or 0)} for s in strategy or []),
        key=lambda s: s["capacityProvider"],
    )
