# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon EventBridge rule wrappers and the pure comparison of a rule and its targets."""

import contextlib
import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleEventBridgeError(AnsibleAWSError):
    pass


class EventBridgeErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleEventBridgeError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


@EventBridgeErrorHandler.list_error_handler("describe rule {name}")
@AWSRetry.jittered_backoff()
def describe_rule(client, name, bus):
    return client.describe_rule(Name=name, EventBusName=bus)


@EventBridgeErrorHandler.list_error_handler("list the targets of rule {name}", default_value=[])
@AWSRetry.jittered_backoff()
def list_targets(client, name, bus):
    targets = []
    for page in client.get_paginator("list_targets_by_rule").paginate(Rule=name, EventBusName=bus):
        targets.extend(page["Targets"])
    return targets


@EventBridgeErrorHandler.list_error_handler("list the tags of {arn}", default_value={})
@AWSRetry.jittered_backoff()
def list_tags(client, arn):
    return {t["Key"]: t["Value"] for t in client.list_tags_for_resource(ResourceARN=arn)["Tags"]}


@EventBridgeErrorHandler.common_error_handler("put rule {name}")
@AWSRetry.jittered_backoff()
def put_rule(client, name, bus, rule, tags=None):
    # PutRule creates or updates the rule of that name: idempotent, a resend after a lost response answers the
    # same RuleArn (the tags of the first attempt stay: PutRule ignores Tags on an existing rule).
    params = dict(rule, Name=name, EventBusName=bus)
    if tags:
        params["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
    return client.put_rule(**params)["RuleArn"]


@EventBridgeErrorHandler.common_error_handler("put the targets of rule {name}")
@AWSRetry.jittered_backoff()
def put_targets(client, name, bus, targets):
    # PutTargets adds or replaces targets by Id: idempotent, a resend puts the same targets again.
    failed = client.put_targets(Rule=name, EventBusName=bus, Targets=targets).get("FailedEntries") or []
    if failed:
        raise AnsibleEventBridgeError(message=f"Failed to put targets of rule {name}: {failed}")


@EventBridgeErrorHandler.common_error_handler("remove targets of rule {name}")
@AWSRetry.jittered_backoff()
def remove_targets(client, name, bus, ids):
    client.remove_targets(Rule=name, EventBusName=bus, Ids=list(ids))


@EventBridgeErrorHandler.common_error_handler("tag {arn}")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceARN=arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


@EventBridgeErrorHandler.common_error_handler("untag {arn}")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceARN=arn, TagKeys=list(keys))


@EventBridgeErrorHandler.deletion_error_handler("delete rule {name}")
@AWSRetry.jittered_backoff()
def delete_rule(client, name, bus):
    client.delete_rule(Name=name, EventBusName=bus)
    return True


def rule_state(description):
    """The comparable part of DescribeRule's answer."""
    pattern = description.get("EventPattern")
    return {
        "EventPattern": json.loads(pattern) if pattern else None,
        "State": description.get("State", "ENABLED"),
        "Description": description.get("Description") or "",
    }


def _canonical_target(target):
    t = {k: v for k, v in target.items() if v not in (None, {}, [])}
    if isinstance(t.get("Input"), str):
        # Input is JSON text: compare it as data.
        with contextlib.suppress(ValueError):
            t["Input"] = json.loads(t["Input"])
    return t


def rule_differs(current, desired):
    return {k for k in ("EventPattern", "State", "Description") if current.get(k) != desired.get(k)}


def target_changes(current, desired):
    """(targets to put, ids to remove): targets compare by Id, as data."""
    now = {t["Id"]: _canonical_target(t) for t in current}
    want = {t["Id"]: _canonical_target(t) for t in desired}
    to_put = [t for t in desired if now.get(t["Id"]) != want[t["Id"]]]
    to_remove = sorted(set(now) - set(want))
    return to_put, to_remove
