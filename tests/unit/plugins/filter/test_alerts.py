"""The filter dito.chat.alerts_event_pattern (plugins/filter/alerts.py): the pattern, matched by the emulator's
TestEventPattern against the documented sample events."""

import json

import boto3
import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.dito.chat.plugins.filter import alerts
from tests.unit.roles.lambda_alerts.test_notifier import ACTION_FAILED
from tests.unit.roles.lambda_alerts.test_notifier import DEPLOYMENT_FAILED
from tests.unit.roles.lambda_alerts.test_notifier import DEPLOYMENT_STOPPED
from tests.unit.roles.lambda_alerts.test_notifier import DEPLOYMENT_SUCCEEDED
from tests.unit.roles.lambda_alerts.test_notifier import PIPELINE_FAILED
from tests.unit.roles.lambda_alerts.test_notifier import deployment_event


def test_the_filter_is_registered_under_its_name():
    assert alerts.FilterModule().filters() == {"alerts_event_pattern": alerts.alerts_event_pattern}


def test_without_applications_the_pattern_is_the_codepipeline_one():
    assert alerts.alerts_event_pattern(["dito-prod-backend"], "dito-ci-") == {
        "source": ["aws.codepipeline"],
        "detail-type": [
            "CodePipeline Pipeline Execution State Change",
            "CodePipeline Stage Execution State Change",
            "CodePipeline Action Execution State Change",
        ],
        "detail": {"pipeline": ["dito-prod-backend", {"prefix": "dito-ci-"}]},
    }


def test_with_applications_one_pattern_matches_both_sources():
    pattern = alerts.alerts_event_pattern(["dito-local-backend"], "", ["dito-local-backend", "dito-local-frontend", "dito-local-backend"])
    assert pattern["$or"][1] == {
        "source": ["aws.codedeploy"],
        "detail-type": ["CodeDeploy Deployment State-change Notification"],
        "detail": {"state": ["FAILURE", "STOP"], "application": ["dito-local-backend", "dito-local-frontend"]},
    }


def renamed(event, application):
    event = json.loads(json.dumps(event))
    event["detail"]["application"] = application
    return event


def test_the_pattern_matches_what_it_should(aws):
    events = boto3.client("events", region_name="eu-west-1")
    pattern = json.dumps(alerts.alerts_event_pattern(["dito-local-backend"], "", ["dito-local-backend"]))

    def matches(event):
        return events.test_event_pattern(EventPattern=pattern, Event=json.dumps(event))["Result"]

    assert matches(PIPELINE_FAILED) and matches(ACTION_FAILED)
    assert matches(DEPLOYMENT_FAILED) and matches(DEPLOYMENT_STOPPED)
    assert not matches(DEPLOYMENT_SUCCEEDED) and not matches(deployment_event("START"))
    assert not matches(renamed(DEPLOYMENT_FAILED, "someone-elses-app"))
    instance = dict(json.loads(json.dumps(DEPLOYMENT_FAILED)), **{"detail-type": "CodeDeploy Instance State-change Notification"})
    assert not matches(instance)
    pipeline_named_like_the_app = dict(json.loads(json.dumps(PIPELINE_FAILED)), source="aws.codedeploy")
    assert not matches(pipeline_named_like_the_app)
    codepipeline_only = json.dumps(alerts.alerts_event_pattern(["dito-local-backend"]))
    assert not events.test_event_pattern(EventPattern=codepipeline_only, Event=json.dumps(DEPLOYMENT_FAILED))["Result"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([], ""), "name the pipelines or a pipeline prefix"),
        ((["p"], "", "dito-app"), "codedeploy_applications must be a list"),
        ((["p"], "", [""]), "codedeploy_applications must be a list"),
        (("p",), "pipelines must be a list"),
    ],
)
def test_bad_input_is_refused(args, message):
    with pytest.raises(AnsibleFilterError, match=message):
        alerts.alerts_event_pattern(*args)
