#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudwatch_alarm
short_description: Manage a CloudWatch metric alarm with its tags
version_added: 1.0.0
description:
  - Creates, updates or deletes one CloudWatch metric alarm, with its tags, comparing every setting after
    filling in what AWS defaults, so a second run reports no change. Check mode and diff mode are supported.
  - With O(alarms), one task manages several alarms (one module process and one DescribeAlarms call for all of them,
    instead of a loop of tasks); the top-level options are then every alarm's defaults.
  - Unlike M(amazon.aws.cloudwatch_metric_alarm), it tags the alarm (PutMetricAlarm ignores tags on an existing
    alarm, so tags are kept in step with TagResource and UntagResource).
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description:
      - The alarm's name.
      - Exactly one of O(name) and O(alarms) is required.
    type: str
  alarms:
    description:
      - Several alarms in one task, each an entry with its O(alarms[].name) and any of the top-level options below
        (O(description) to O(tags)), which default to the top-level ones.
      - Exactly one of O(name) and O(alarms) is required. O(state) and O(purge_tags) apply to every alarm.
      - The result is then RV(alarms) and RV(differences) by name, instead of RV(alarm).
    type: list
    elements: dict
    suboptions:
      name:
        description: The alarm's name.
        type: str
        required: true
      description:
        description: Overrides O(description).
        type: str
      namespace:
        description: Overrides O(namespace).
        type: str
      metric_name:
        description: Overrides O(metric_name).
        type: str
      dimensions:
        description: Overrides O(dimensions).
        type: dict
      statistic:
        description: Overrides O(statistic).
        type: str
        choices: [SampleCount, Average, Sum, Minimum, Maximum]
      comparison:
        description: Overrides O(comparison).
        type: str
        choices: [GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold]
      threshold:
        description: Overrides O(threshold).
        type: float
      period:
        description: Overrides O(period).
        type: int
      evaluation_periods:
        description: Overrides O(evaluation_periods).
        type: int
      datapoints_to_alarm:
        description: Overrides O(datapoints_to_alarm).
        type: int
      treat_missing_data:
        description: Overrides O(treat_missing_data).
        type: str
        choices: [breaching, notBreaching, ignore, missing]
      unit:
        description: Overrides O(unit).
        type: str
      alarm_actions:
        description: Overrides O(alarm_actions).
        type: list
        elements: str
      ok_actions:
        description: Overrides O(ok_actions).
        type: list
        elements: str
      insufficient_data_actions:
        description: Overrides O(insufficient_data_actions).
        type: list
        elements: str
      tags:
        description: Overrides O(tags).
        type: dict
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

- name: Alarm on a target group's 5XX answers and unhealthy targets, in one task
  dito.chat.cloudwatch_alarm:
    namespace: AWS/ApplicationELB
    dimensions:
      LoadBalancer: app/dito-production-backend/50dc6c495c0c9188
      TargetGroup: targetgroup/dito-production-backend-blue/73e2d6bc24d8a067
    period: 60
    evaluation_periods: 2
    treat_missing_data: notBreaching
    tags:
      project: dito
    alarms:
      - name: dito-production-backend-5xx-blue
        metric_name: HTTPCode_Target_5XX_Count
        statistic: Sum
        threshold: 10
      - name: dito-production-backend-unhealthy-blue
        metric_name: UnHealthyHostCount
        statistic: Maximum
        threshold: 1
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
alarm:
  description: The alarm after the task.
  returned: when O(state=present) and O(name) is given
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
alarms:
  description: With O(alarms), each alarm after the task, as RV(alarm) is, in the given order.
  returned: when O(state=present) and O(alarms) is given
  type: list
  elements: dict
  sample: [{"name": "dito-production-backend-5xx-blue", "arn": null, "settings": {"Threshold": 10.0}, "tags": {}}]
differences:
  description:
    - The settings that differed from what AWS held.
    - With O(alarms), a mapping of each alarm's name to its list.
  returned: when O(state=present)
  type: raw
  sample: ["Threshold"]
"""

from ansible_collections.dito.chat.plugins.module_utils import cloudwatch as cw
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

# The options an entry of `alarms` may set; the top-level ones are their defaults.
ALARM_OPTIONS = (
    "description",
    "namespace",
    "metric_name",
    "dimensions",
    "statistic",
    "comparison",
    "threshold",
    "period",
    "evaluation_periods",
    "datapoints_to_alarm",
    "treat_missing_data",
    "unit",
    "alarm_actions",
    "ok_actions",
    "insufficient_data_actions",
    "tags",
)
REQUIRED_PRESENT = ("namespace", "metric_name", "threshold")


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


def alarm_params(module):
    """Each alarm's parameters: the top-level options, or each entry of `alarms` over them. Checked before any call."""
    top = module.params
    if top["alarms"] is None:
        entries = [dict(top)]
    else:
        entries = [dict({k: top[k] for k in ALARM_OPTIONS}, **{k: v for k, v in entry.items() if v is not None}) for entry in top["alarms"]]
        names = [e["name"] for e in entries]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            module.fail_json(msg=f"alarms: each name once, got {', '.join(twice)} more than once")
    if top["state"] == "present":
        for index, params in enumerate(entries):
            missing = [k for k in REQUIRED_PRESENT if params.get(k) is None]
            if missing:
                where = f"alarms[{index}] ({params['name']})" if top["alarms"] is not None else params["name"]
                module.fail_json(msg=f"{where}: state is present but all of the following are missing: {', '.join(missing)}")
    return entries


def ensure_present(module, client, params, current):
    name = params["name"]
    desired = desired_settings(params)
    current_tags = cw.list_tags(client, current["AlarmArn"]) if current else {}
    diffs = cw.differences(current, desired) if current else sorted(cw.FIELDS)
    if (current is None or diffs) and not module.check_mode:
        cw.put_alarm(client, name, desired, tags=params["tags"] if current is None else None)
    if current is None:
        retagged, tags = False, params["tags"] or {}  # PutMetricAlarm tags a new alarm
    else:
        alarm_arn = current["AlarmArn"]
        retagged, tags = tagging.reconcile(
            module, current_tags, params["tags"], lambda t: cw.tag_resource(client, alarm_arn, t), lambda k: cw.untag_resource(client, alarm_arn, k)
        )
    changed = current is None or bool(diffs) or retagged
    arn = current["AlarmArn"] if current else None
    if arn is None and not module.check_mode:
        arn = cw.describe_alarm(client, name)["AlarmArn"]
    before = dict(cw.normalise(current), Tags=current_tags) if current else {}
    after = dict(cw.normalise(desired), Tags=tags)
    result = {"alarm": {"name": name, "arn": arn, "settings": cw.normalise(desired), "tags": tags}, "differences": diffs if current else []}
    return changed, {"before": before, "after": after}, result


def ensure_absent(module, client, name, current):
    if current is None:
        return False
    if not module.check_mode:
        cw.delete_alarm(client, name)
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str"),
            alarms=dict(
                type="list",
                elements="dict",
                # No defaults here: an option an entry leaves out is the top-level one (alarm_params).
                options=dict(
                    name=dict(type="str", required=True),
                    description=dict(type="str"),
                    namespace=dict(type="str"),
                    metric_name=dict(type="str"),
                    dimensions=dict(type="dict"),
                    statistic=dict(type="str", choices=["SampleCount", "Average", "Sum", "Minimum", "Maximum"]),
                    comparison=dict(
                        type="str",
                        choices=["GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"],
                    ),
                    threshold=dict(type="float"),
                    period=dict(type="int"),
                    evaluation_periods=dict(type="int"),
                    datapoints_to_alarm=dict(type="int"),
                    treat_missing_data=dict(type="str", choices=["breaching", "notBreaching", "ignore", "missing"]),
                    unit=dict(type="str"),
                    alarm_actions=dict(type="list", elements="str"),
                    ok_actions=dict(type="list", elements="str"),
                    insufficient_data_actions=dict(type="list", elements="str"),
                    tags=dict(type="dict"),
                ),
            ),
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
        required_one_of=[["name", "alarms"]],
        mutually_exclusive=[["name", "alarms"]],
        supports_check_mode=True,
    )
    entries = alarm_params(module)
    client = module.client("cloudwatch", retry_decorator=AWSRetry.jittered_backoff())
    try:
        held = cw.describe_alarms(client, [e["name"] for e in entries])
        if module.params["state"] == "absent":
            # Every alarm, not up to the first one deleted (a generator in any() would stop there).
            deleted = [ensure_absent(module, client, e["name"], held.get(e["name"])) for e in entries]
            module.exit_json(changed=any(deleted))
        outcomes = [ensure_present(module, client, e, held.get(e["name"])) for e in entries]
    except cw.AnsibleCloudWatchError as e:
        module.fail_json_aws_error(e)
    changed = any(outcome[0] for outcome in outcomes)
    if module.params["alarms"] is None:
        changed, diff, result = outcomes[0]
        module.exit_json(changed=changed, diff=diff, **result)
    results = {o[2]["alarm"]["name"]: o for o in outcomes}
    module.exit_json(
        changed=changed,
        diff={"before": {n: o[1]["before"] for n, o in results.items()}, "after": {n: o[1]["after"] for n, o in results.items()}},
        alarms=[o[2]["alarm"] for o in outcomes],
        differences={n: o[2]["differences"] for n, o in results.items()},
    )


if __name__ == "__main__":
    main()
