"""dito.chat.cloudwatch_alarm against moto in-process."""

import boto3
import pytest

from ansible_collections.dito.chat.plugins.modules import cloudwatch_alarm

ARGS = {
    "name": "alerts-errors",
    "namespace": "AWS/Lambda",
    "metric_name": "Errors",
    "dimensions": {"FunctionName": "alerts"},
    "threshold": 1,
    "treat_missing_data": "notBreaching",
    "tags": {"project": "dito", "service": "platform"},
}


@pytest.fixture
def cloudwatch(aws):
    return boto3.client("cloudwatch", region_name="eu-west-1")


def held(cloudwatch):
    alarm = cloudwatch.describe_alarms(AlarmNames=["alerts-errors"])["MetricAlarms"][0]
    tags = {t["Key"]: t["Value"] for t in cloudwatch.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"]}
    return alarm, tags


def test_create_tagged_then_nothing_to_do(cloudwatch, run_module):
    plan = run_module(cloudwatch_alarm.main, ARGS, check_mode=True)
    assert plan["changed"] is True and cloudwatch.describe_alarms()["MetricAlarms"] == []
    created = run_module(cloudwatch_alarm.main, ARGS)
    alarm, tags = held(cloudwatch)
    assert (alarm["MetricName"], alarm["Threshold"], alarm["TreatMissingData"], alarm["Statistic"]) == ("Errors", 1.0, "notBreaching", "Sum")
    assert tags == {"project": "dito", "service": "platform"}
    assert created["alarm"]["arn"] == alarm["AlarmArn"]
    assert run_module(cloudwatch_alarm.main, ARGS)["changed"] is False
    assert run_module(cloudwatch_alarm.main, ARGS, check_mode=True)["changed"] is False


def test_settings_and_tags_follow(cloudwatch, run_module):
    run_module(cloudwatch_alarm.main, ARGS)
    result = run_module(cloudwatch_alarm.main, dict(ARGS, threshold=5, tags={"project": "dito"}), diff=True)
    assert result["changed"] is True and result["differences"] == ["Threshold"]
    alarm, tags = held(cloudwatch)
    assert alarm["Threshold"] == 5.0 and tags == {"project": "dito"}


def test_absent(cloudwatch, run_module):
    run_module(cloudwatch_alarm.main, ARGS)
    assert run_module(cloudwatch_alarm.main, {"name": "alerts-errors", "state": "absent"})["changed"] is True
    assert cloudwatch.describe_alarms()["MetricAlarms"] == []
    assert run_module(cloudwatch_alarm.main, {"name": "alerts-errors", "state": "absent"})["changed"] is False


# Several alarms in one task: the top-level options are every entry's defaults.
MANY = {
    "namespace": "AWS/ApplicationELB",
    "dimensions": {"LoadBalancer": "app/web/1", "TargetGroup": "targetgroup/web-blue/2"},
    "period": 60,
    "evaluation_periods": 2,
    "treat_missing_data": "notBreaching",
    "tags": {"project": "dito"},
    "alarms": [
        {"name": "web-5xx-blue", "metric_name": "HTTPCode_Target_5XX_Count", "statistic": "Sum", "threshold": "10"},
        {"name": "web-unhealthy-blue", "metric_name": "UnHealthyHostCount", "statistic": "Maximum", "threshold": 1, "tags": {"tier": "web"}},
    ],
}


def alarms_held(cloudwatch):
    return {a["AlarmName"]: a for a in cloudwatch.describe_alarms()["MetricAlarms"]}


def test_several_alarms_in_one_call(cloudwatch, run_module, api_calls):
    plan = run_module(cloudwatch_alarm.main, MANY, check_mode=True)
    assert plan["changed"] is True and [a["arn"] for a in plan["alarms"]] == [None, None] and alarms_held(cloudwatch) == {}
    made = run_module(cloudwatch_alarm.main, MANY)
    held = alarms_held(cloudwatch)
    assert sorted(held) == ["web-5xx-blue", "web-unhealthy-blue"]
    five, unhealthy = held["web-5xx-blue"], held["web-unhealthy-blue"]
    # Top-level defaults in both, each entry's own values on top.
    assert (five["Period"], five["EvaluationPeriods"], five["TreatMissingData"], five["Namespace"]) == (60, 2, "notBreaching", "AWS/ApplicationELB")
    assert (five["Statistic"], five["Threshold"], unhealthy["Statistic"], unhealthy["Threshold"]) == ("Sum", 10.0, "Maximum", 1.0)
    assert {d["Name"]: d["Value"] for d in unhealthy["Dimensions"]} == MANY["dimensions"]
    tags = {n: {t["Key"]: t["Value"] for t in cloudwatch.list_tags_for_resource(ResourceARN=a["AlarmArn"])["Tags"]} for n, a in held.items()}
    assert tags == {"web-5xx-blue": {"project": "dito"}, "web-unhealthy-blue": {"tier": "web"}}
    assert [a["name"] for a in made["alarms"]] == ["web-5xx-blue", "web-unhealthy-blue"]
    assert [a["arn"] for a in made["alarms"]] == [five["AlarmArn"], unhealthy["AlarmArn"]]
    api_calls.clear()
    again = run_module(cloudwatch_alarm.main, MANY)
    # One read of every alarm, then each alarm's tags.
    assert api_calls == [("cloudwatch", "DescribeAlarms"), ("cloudwatch", "ListTagsForResource"), ("cloudwatch", "ListTagsForResource")]
    assert again["changed"] is False and again["differences"] == {"web-5xx-blue": [], "web-unhealthy-blue": []}
    assert run_module(cloudwatch_alarm.main, MANY, check_mode=True)["changed"] is False


def test_one_entry_changed_changes_it_only(cloudwatch, run_module):
    run_module(cloudwatch_alarm.main, MANY)
    before = alarms_held(cloudwatch)["web-unhealthy-blue"]
    changed = dict(MANY, alarms=[dict(MANY["alarms"][0], threshold=20), MANY["alarms"][1]])
    result = run_module(cloudwatch_alarm.main, changed, diff=True)
    assert result["changed"] is True and result["differences"] == {"web-5xx-blue": ["Threshold"], "web-unhealthy-blue": []}
    assert result["diff"]["after"]["web-5xx-blue"]["Threshold"] == 20.0
    held = alarms_held(cloudwatch)
    assert held["web-5xx-blue"]["Threshold"] == 20.0
    assert held["web-unhealthy-blue"]["AlarmConfigurationUpdatedTimestamp"] == before["AlarmConfigurationUpdatedTimestamp"]


def test_several_absent(cloudwatch, run_module):
    run_module(cloudwatch_alarm.main, MANY)
    absent = {"state": "absent", "alarms": [{"name": "web-5xx-blue"}, {"name": "web-unhealthy-blue"}, {"name": "never-made"}]}
    assert run_module(cloudwatch_alarm.main, absent, check_mode=True)["changed"] is True and len(alarms_held(cloudwatch)) == 2
    assert run_module(cloudwatch_alarm.main, absent)["changed"] is True
    assert alarms_held(cloudwatch) == {}
    assert run_module(cloudwatch_alarm.main, absent)["changed"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (dict(MANY, alarms=[{"name": "x", "threshold": 1}]), "alarms[0] (x): state is present but all of the following are missing: metric_name"),
        (dict(MANY, alarms=[MANY["alarms"][0], MANY["alarms"][0]]), "alarms: each name once, got web-5xx-blue more than once"),
        (dict(MANY, name="web-5xx-blue"), "parameters are mutually exclusive: name|alarms"),
    ],
)
def test_bad_entries_fail_before_any_alarm(cloudwatch, run_module, args, message):
    result = run_module(cloudwatch_alarm.main, args)
    assert result["failed"] is True and message in result["msg"]
    assert alarms_held(cloudwatch) == {}


def test_a_lost_put_response_is_harmless(cloudwatch, run_module, lost_response):
    """PutMetricAlarm is idempotent: its resend sets the same alarm, the module carries on as created."""
    doubled = lost_response("PutMetricAlarm")
    created = run_module(cloudwatch_alarm.main, ARGS)
    assert doubled == [("cloudwatch", "PutMetricAlarm")]
    assert created["changed"] is True and "failed" not in created
    alarm, tags = held(cloudwatch)
    assert created["alarm"]["arn"] == alarm["AlarmArn"] and tags == {"project": "dito", "service": "platform"}
    assert len(cloudwatch.describe_alarms()["MetricAlarms"]) == 1
    assert run_module(cloudwatch_alarm.main, ARGS)["changed"] is False
