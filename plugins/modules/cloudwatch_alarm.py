#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudwatch_alarm
short_description: Manage a CloudWatch metric alarm with its tags
version_added: 0.1.0
description:
  - Creates, updates or deletes one CloudWatch metric alarm, with its tags, comparing every setting after
    filling in what AWS defaults, so a second run reports no change. Check mode and diff mode are supported.
  - Unlike M(amazon.aws.cloudwatch_metric_alarm), it tags the alarm (PutMetricAlarm ignores tags on an existing
    alarm, so tags are kept in step with TagResource and UntagResource).
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description: The alarm's name.
    required: true
    type: str
  state:
    description: Whether the alarm should exist.
    choices: [present, absent]
    default: present
    type: str
  description:
    description: The alarm's description.
    default: ""
    type: str
  namespace:
    description: The metric's namespace, for example C(AWS/Lambda). Required with O(state=present).
    type: str
  metric_name:
    description: The metric, for example C(Errors). Required with O(state=present).
    type: str
  dimensions:
    description: The metric's dimensions, as a mapping of name to value.
    type: dict
    default: {}
  statistic:
    description: The statistic.
    choices: [SampleCount, Average, Sum, Minimum, Maximum]
    default: Sum
    type: str
  comparison:
    description: How the statistic compares with O(threshold).
    choices: [GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold]
    default: GreaterThanOrEqualToThreshold
    type: str
  threshold:
    description: The threshold. Required with O(state=present).
    type: float
  period:
    description: Seconds over which the statistic is taken.
    default: 300
    type: int
  evaluation_periods:
    description: How many periods are compared with the threshold.
    default: 1
    type: int
  datapoints_to_alarm:
    description: How many of those periods must breach (M out of N); not set means all of them.
    type: int
  treat_missing_data:
    description: How missing data points are treated.
    choices: [breaching, notBreaching, ignore, missing]
    default: missing
    type: str
  unit:
    description: The metric's unit.
    type: str
  alarm_actions:
    description: ARNs notified when the alarm goes to ALARM.
    type: list
    elements: str
    default: []
  ok_actions:
    description: ARNs notified when the alarm goes to OK.
    type: list
    elements: str
    default: []
  insufficient_data_actions:
    description: ARNs notified when the alarm goes to INSUFFICIENT_DATA.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Alarm when the alerts function errors
  dito.chat.cloudwatch_alarm:
    name: dito-production-pipeline-alerts-errors
    description: The pipeline-alerts function failed
    namespace: AWS/Lambda
    metric_name: Errors
    dimensions:
      FunctionName: dito-production-pipeline-alerts
    threshold: 1
    treat_missing_data: notBreaching
    alarm_actions: [arn:aws:sns:eu-west-1:123456789012:ops]
    tags:
      project: dito
"""

RETURN = r"""
alarm:
  description: The alarm after the task.
  returned: when O(state=present)
  type: dict
  contains:
    name:
      description: The alarm's name.
      type: str
      sample: dito-production-pipeline-alerts-errors
    arn:
      description: The alarm's ARN (null when check mode predicts a creation).
      type: str
      sample: arn:aws:cloudwatch:eu-west-1:123456789012:alarm:dito-production-pipeline-alerts-errors
    settings:
      description: The alarm's settings, in PutMetricAlarm's names.
      type: dict
      sample: {"Namespace": "AWS/Lambda", "MetricName": "Errors", "Threshold": 1.0}
    tags:
      description: The alarm's tags.
      type: dict
      sample: {"project": "dito"}
differences:
  description: The settings that differed from what AWS held.
  returned: when O(state=present)
  type: list
  elements: str
  sample: ["Threshold"]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.dito.chat.plugins.module_utils import cloudwatch as cw
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging


def desired_settings(params):
    return {
        "AlarmDescription": params["description"],
        "Namespace": params["namespace"],
        "MetricName": params["metric_name"],
        "Dimensions": [{"Name": k, "Value": str(v)} for k, v in sorted(params["dimensions"].items())],
        "Statistic": params["statistic"],
        "ComparisonOperator": params["comparison"],
        "Threshold": params["threshold"],
        "Period": params["period"],
        "EvaluationPeriods": params["evaluation_periods"],
        "DatapointsToAlarm": params["datapoints_to_alarm"],
        "TreatMissingData": params["treat_missing_data"],
        "Unit": params["unit"],
        "ActionsEnabled": True,
        "AlarmActions": params["alarm_actions"],
        "OKActions": params["ok_actions"],
        "InsufficientDataActions": params["insufficient_data_actions"],
    }


def ensure_present(module, client):
    p = module.params
    name = p["name"]
    desired = desired_settings(p)
    current = cw.describe_alarm(client, name)
    current_tags = cw.list_tags(client, current["AlarmArn"]) if current else {}
    diffs = cw.differences(current, desired) if current else sorted(cw.FIELDS)
    if (current is None or diffs) and not module.check_mode:
        cw.put_alarm(client, name, desired, tags=p["tags"] if current is None else None)
    if current is None:
        retagged, tags = False, p["tags"] or {}  # PutMetricAlarm tags a new alarm
    else:
        alarm_arn = current["AlarmArn"]
        retagged, tags = tagging.reconcile(
            module, current_tags, p["tags"], lambda t: cw.tag_resource(client, alarm_arn, t), lambda k: cw.untag_resource(client, alarm_arn, k)
        )
    changed = current is None or bool(diffs) or retagged
    arn = current["AlarmArn"] if current else None
    if arn is None and not module.check_mode:
        arn = cw.describe_alarm(client, name)["AlarmArn"]
    before = dict(cw.normalise(current), Tags=current_tags) if current else {}
    after = dict(cw.normalise(desired), Tags=tags)
    result = {"alarm": {"name": name, "arn": arn, "settings": cw.normalise(desired), "tags": tags}, "differences": diffs if current else []}
    return changed, {"before": before, "after": after}, result


def ensure_absent(module, client):
    name = module.params["name"]
    if cw.describe_alarm(client, name) is None:
        return False
    if not module.check_mode:
        cw.delete_alarm(client, name)
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            description=dict(type="str", default=""),
            namespace=dict(type="str"),
            metric_name=dict(type="str"),
            dimensions=dict(type="dict", default={}),
            statistic=dict(type="str", default="Sum", choices=["SampleCount", "Average", "Sum", "Minimum", "Maximum"]),
            comparison=dict(
                type="str",
                default="GreaterThanOrEqualToThreshold",
                choices=["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"],
            ),
            threshold=dict(type="float"),
            period=dict(type="int", default=300),
            evaluation_periods=dict(type="int", default=1),
            datapoints_to_alarm=dict(type="int"),
            treat_missing_data=dict(type="str", default="missing", choices=["breaching", "notBreaching", "ignore", "missing"]),
            unit=dict(type="str"),
            alarm_actions=dict(type="list", elements="str", default=[]),
            ok_actions=dict(type="list", elements="str", default=[]),
            insufficient_data_actions=dict(type="list", elements="str", default=[]),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        required_if=[["state", "present", ["namespace", "metric_name", "threshold"]]],
        supports_check_mode=True,
    )
    client = module.client("cloudwatch", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, diff, result = ensure_present(module, client)
    except cw.AnsibleCloudWatchError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, **result)


if __name__ == "__main__":
    main()
