# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon CloudWatch metric-alarm wrappers and the pure comparison of an alarm's settings."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleCloudWatchError(AnsibleAWSError):
    pass


class CloudWatchErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCloudWatchError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFound")


# The PutMetricAlarm fields this module manages, with the value AWS reports when one is not set.
FIELDS = {
    "AlarmDescription": "",
    "Namespace": None,
    "MetricName": None,
    "Dimensions": [],
    "Statistic": None,
    "ComparisonOperator": None,
    "Threshold": None,
    "Period": None,
    "EvaluationPeriods": None,
    "DatapointsToAlarm": None,
    "TreatMissingData": "missing",
    "Unit": None,
    "ActionsEnabled": True,
    "AlarmActions": [],
    "OKActions": [],
    "InsufficientDataActions": [],
}


@CloudWatchErrorHandler.list_error_handler("describe alarm {name}")
@AWSRetry.jittered_backoff()
def describe_alarm(client, name):
    alarms = client.describe_alarms(AlarmNames=[name], AlarmTypes=["MetricAlarm"])["MetricAlarms"]
    return alarms[0] if alarms else None


@CloudWatchErrorHandler.list_error_handler("describe alarms {names}", default_value={})
@AWSRetry.jittered_backoff()
def describe_alarms(client, names):
    """The metric alarms of these names that exist, by name: DescribeAlarms takes at most 100 names per call."""
    held = {}
    for start in range(0, len(names), 100):
        paginator = client.get_paginator("describe_alarms")
        for page in paginator.paginate(AlarmNames=names[start : start + 100], AlarmTypes=["MetricAlarm"]):
            held.update({a["AlarmName"]: a for a in page["MetricAlarms"]})
    return held


@CloudWatchErrorHandler.list_error_handler("list the tags of {arn}", default_value={})
@AWSRetry.jittered_backoff()
def list_tags(client, arn):
    return {t["Key"]: t["Value"] for t in client.list_tags_for_resource(ResourceARN=arn)["Tags"]}


@CloudWatchErrorHandler.common_error_handler("put alarm {name}")
@AWSRetry.jittered_backoff()
def put_alarm(client, name, settings, tags=None):
    # PutMetricAlarm creates or replaces the alarm of that name: idempotent, a resend after a lost response sets the
    # same alarm again (the tags of the first attempt stay: PutMetricAlarm ignores Tags on an existing alarm).
    params = {k: v for k, v in settings.items() if v is not None}
    if tags:
        params["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
    client.put_metric_alarm(AlarmName=name, **params)


@CloudWatchErrorHandler.common_error_handler("tag {arn}")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceARN=arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


@CloudWatchErrorHandler.common_error_handler("untag {arn}")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceARN=arn, TagKeys=list(keys))


@CloudWatchErrorHandler.common_error_handler("delete alarm {name}")
@AWSRetry.jittered_backoff()
def delete_alarm(client, name):
    client.delete_alarms(AlarmNames=[name])


def normalise(settings):
    """The comparable form: defaults filled in, dimensions and action lists ordered, numbers as floats/ints."""
    result = {}
    for key, default in FIELDS.items():
        value = settings.get(key)
        if value is None:
            value = default
        if key == "Dimensions":
            value = sorted(({"Name": d["Name"], "Value": str(d["Value"])} for d in value or []), key=lambda d: (d["Name"], d["Value"]))
        elif key.endswith("Actions") and isinstance(value, list):
            value = sorted(value)
        elif key == "Threshold" and value is not None:
            value = float(value)
        result[key] = value
    return result


def differences(current, desired):
    a, b = normalise(current), normalise(desired)
    return sorted(k for k in FIELDS if a[k] != b[k])
