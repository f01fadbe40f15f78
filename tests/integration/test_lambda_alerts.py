"""The pipeline-alerts path that site.yml builds on the local inventory, read back from the emulator."""

import json

from tests.unit.roles.lambda_alerts.test_notifier import ACTION_FAILED
from tests.unit.roles.lambda_alerts.test_notifier import DEPLOYMENT_FAILED
from tests.unit.roles.lambda_alerts.test_notifier import DEPLOYMENT_STOPPED
from tests.unit.roles.lambda_alerts.test_notifier import DEPLOYMENT_SUCCEEDED
from tests.unit.roles.lambda_alerts.test_notifier import PIPELINE_FAILED
from tests.unit.roles.lambda_alerts.test_notifier import SOURCE_SUCCEEDED
from tests.unit.roles.lambda_alerts.test_notifier import STAGE_STARTED

NAME = "dito-local-pipeline-alerts"
STAND_IN_URL = "https://hooks.slack.com/services/T00000000/B00000000/local-emulator-stand-in"


def with_pipeline(event, pipeline):
    event = json.loads(json.dumps(event))
    event["detail"]["pipeline"] = pipeline
    return event


def test_site_builds_the_alerting_path(converged, client):
    run = converged  # verbose, so that a leaked URL would show
    assert STAND_IN_URL not in run.out and "local-emulator-stand-in" not in run.out

    ssm = client("ssm").get_parameter(Name="/dito/local/alerts/slack", WithDecryption=True)["Parameter"]
    assert ssm["Type"] == "SecureString" and ssm["Value"] == STAND_IN_URL
    key_id = client("ssm").describe_parameters(ParameterFilters=[{"Key": "Name", "Values": ["/dito/local/alerts/slack"]}])["Parameters"][0]["KeyId"]
    key = client("kms").describe_key(KeyId="alias/" + NAME)["KeyMetadata"]
    assert key_id in (key["KeyId"], key["Arn"], "alias/" + NAME)

    function = client("lambda").get_function(FunctionName=NAME)["Configuration"]
    assert function["Runtime"] == "python3.12" and function["Handler"] == "notifier.handler"
    env = function["Environment"]["Variables"]
    assert json.loads(env["WEBHOOKS"]) == [{"kind": "slack", "parameter": "/dito/local/alerts/slack"}]
    assert STAND_IN_URL not in json.dumps(env)
    assert (env["PIPELINE_STATES"], env["ACTION_STATES"]) == ("STARTED,SUCCEEDED,FAILED,STOPPED", "FAILED")

    logs = client("logs").describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{NAME}")["logGroups"]
    assert [g["retentionInDays"] for g in logs] == [30]

    policy = client("iam").get_role_policy(RoleName=NAME, PolicyName=NAME)["PolicyDocument"]
    statements = {s["Sid"]: s for s in policy["Statement"]}
    assert statements["WebhookParameters"]["Resource"] == ["arn:aws:ssm:eu-west-1:123456789012:parameter/dito/local/alerts/slack"]
    assert statements["DecryptThroughSsm"]["Resource"] == [key["Arn"]]
    assert statements["OwnLogs"]["Resource"] == [logs[0]["arn"]]
    assert sorted(statements["FailedStage"]["Resource"]) == [
        "arn:aws:codepipeline:eu-west-1:123456789012:dito-local-backend",
        "arn:aws:codepipeline:eu-west-1:123456789012:dito-local-frontend",
    ]
    # No wildcard but the log streams' and the deployment groups' of the named applications (asserted below).
    assert all("*" not in json.dumps(s["Resource"]) for sid, s in statements.items() if sid not in ("OwnLogs", "DeploymentOutcome"))

    events = client("events")
    rule = events.describe_rule(Name=NAME)
    targets = events.list_targets_by_rule(Rule=NAME)["Targets"]
    assert [t["Arn"] for t in targets] == [f"arn:aws:lambda:eu-west-1:123456789012:function:{NAME}"]
    permission = json.loads(client("lambda").get_policy(FunctionName=NAME)["Policy"])["Statement"][0]
    assert permission["Principal"]["Service"] == "events.amazonaws.com"
    assert permission["Condition"]["ArnLike"]["AWS:SourceArn"] == rule["Arn"]

    # Hardening: only Lambda acting for this account may assume the role (confused deputy); the environment is
    # encrypted under the role's key; an alert that fails every attempt lands in an encrypted, tagged queue that
    # only this function may send to, and a message there raises an alarm.
    trust = client("iam").get_role(RoleName=NAME)["Role"]["AssumeRolePolicyDocument"]["Statement"]
    assert [(s["Principal"], s["Condition"]) for s in trust] == [({"Service": "lambda.amazonaws.com"}, {"StringEquals": {"aws:SourceAccount": "123456789012"}})]
    assert function["KMSKeyArn"] == key["Arn"]
    queue_arn = f"arn:aws:sqs:eu-west-1:123456789012:{NAME}-failed"
    invoke = client("lambda").get_function_event_invoke_config(FunctionName=NAME)
    assert (invoke["DestinationConfig"]["OnFailure"]["Destination"], invoke["MaximumRetryAttempts"]) == (queue_arn, 2)
    sqs = client("sqs")
    queue_url = sqs.get_queue_url(QueueName=f"{NAME}-failed")["QueueUrl"]
    assert sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["KmsMasterKeyId"])["Attributes"]["KmsMasterKeyId"] == key["Arn"]
    assert sqs.list_queue_tags(QueueUrl=queue_url)["Tags"]["project"] == "dito"
    assert statements["FailureRecords"] == {"Sid": "FailureRecords", "Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": [queue_arn]}
    assert statements["FailureRecordsKey"]["Condition"] == {"StringEquals": {"kms:ViaService": "sqs.eu-west-1.amazonaws.com"}}
    depth = client("cloudwatch").describe_alarms(AlarmNames=[f"{NAME}-failed"])["MetricAlarms"]
    assert [(a["Namespace"], a["MetricName"], a["Dimensions"], a["ComparisonOperator"], a["Threshold"]) for a in depth] == [
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible", [{"Name": "QueueName", "Value": f"{NAME}-failed"}], "GreaterThanThreshold", 0.0)
    ]

    alarms = client("cloudwatch").describe_alarms(AlarmNames=[f"{NAME}-errors"])["MetricAlarms"]
    assert [(a["MetricName"], a["Namespace"], a["Threshold"]) for a in alarms] == [("Errors", "AWS/Lambda", 1.0)]
    alarm_tags = {t["Key"]: t["Value"] for t in client("cloudwatch").list_tags_for_resource(ResourceARN=alarms[0]["AlarmArn"])["Tags"]}
    assert alarm_tags == {"project": "dito", "environment": "local", "service": "platform", "owner": "devops", "cost-center": "chat"}

    # The rule's own pattern, against the documented sample events (TestEventPattern).
    pattern = rule["EventPattern"]
    for sample in (PIPELINE_FAILED, STAGE_STARTED, ACTION_FAILED, SOURCE_SUCCEEDED):
        for pipeline, expected in (("dito-local-backend", True), ("dito-local-frontend", True), ("other-pipeline", False)):
            result = events.test_event_pattern(EventPattern=pattern, Event=json.dumps(with_pipeline(sample, pipeline)))["Result"]
            assert result is expected, (sample["detail-type"], pipeline)
    not_codepipeline = dict(with_pipeline(PIPELINE_FAILED, "dito-local-backend"), source="aws.codebuild")
    assert events.test_event_pattern(EventPattern=pattern, Event=json.dumps(not_codepipeline))["Result"] is False

    # Both services are CODE_DEPLOY: their applications' failed and stopped deployments reach the function too, and
    # the function may read those deployments (error, rollback) and no others.
    for sample, expected in ((DEPLOYMENT_FAILED, True), (DEPLOYMENT_STOPPED, True), (DEPLOYMENT_SUCCEEDED, False)):
        for application, known in (("dito-local-backend", True), ("dito-local-frontend", True), ("other-app", False)):
            event = json.loads(json.dumps(sample))
            event["detail"]["application"] = application
            result = events.test_event_pattern(EventPattern=pattern, Event=json.dumps(event))["Result"]
            assert result is (expected and known), (sample["detail"]["state"], application)
    assert statements["DeploymentOutcome"] == {
        "Sid": "DeploymentOutcome",
        "Effect": "Allow",
        "Action": ["codedeploy:GetDeployment"],
        "Resource": [f"arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:dito-local-{name}/*" for name in ("backend", "frontend")],
    }
