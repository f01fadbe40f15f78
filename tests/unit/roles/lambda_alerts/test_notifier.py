"""The pipeline-alerts Lambda function: events from the AWS documentation, posts to a loopback server."""

import copy
import datetime
import json
import logging

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest

ACCOUNT, REGION, PIPELINE, EXECUTION = "123456789012", "eu-west-1", "dito-local-backend", "12345678-1234-5678-abcd-12345678abcd"


def event(detail_type, **detail):
    return {
        "version": "0",
        "id": "01234567-0123-0123-0123-012345678901",
        "detail-type": detail_type,
        "source": "aws.codepipeline",
        "account": ACCOUNT,
        "time": "2026-11-28T03:00:00Z",
        "region": REGION,
        "resources": [f"arn:aws:codepipeline:{REGION}:{ACCOUNT}:{PIPELINE}"],
        "detail": dict({"pipeline": PIPELINE, "execution-id": EXECUTION, "version": 1.0}, **detail),
    }


PIPELINE_FAILED = event(
    "CodePipeline Pipeline Execution State Change",
    state="FAILED",
    **{"execution-trigger": {"trigger-type": "Webhook", "trigger-detail": "arn:aws:codeconnections:eu-west-1:123456789012:connection/x"}},
)
STAGE_STARTED = event("CodePipeline Stage Execution State Change", stage="Build", state="STARTED")
ACTION_FAILED = event(
    "CodePipeline Action Execution State Change",
    stage="Test",
    action="UnitTests",
    state="FAILED",
    region=REGION,
    type={"owner": "AWS", "provider": "CodeBuild", "category": "Test", "version": "1"},
    **{"execution-result": {"external-execution-url": "https://example.invalid/build", "error-code": "JobFailed"}},
)
SOURCE_SUCCEEDED = event(
    "CodePipeline Action Execution State Change",
    stage="Source",
    action="Source",
    state="SUCCEEDED",
    type={"owner": "AWS", "provider": "CodeStarSourceConnection", "category": "Source", "version": "1"},
    **{
        "execution-result": {
            "external-execution-id": "6f1d2c3b4a5e6f708192a3b4c5d6e7f8091a2b3c",
            "external-execution-summary": json.dumps({"ProviderType": "GitHub", "CommitMessage": "Fix the reconnect loop"}),
        }
    },
)
APPLICATION, GROUP, DEPLOYMENT = "dito-local-backend", "dito-local-backend", "d-A1B2C3D4E"


def deployment_event(state):
    """A CodeDeploy deployment state-change event in the documented shape (CodeDeploy user guide, Monitoring
    deployments with Amazon EventBridge; EventBridge events reference, AWS CodeDeploy events)."""
    return {
        "account": ACCOUNT,
        "region": REGION,
        "detail-type": "CodeDeploy Deployment State-change Notification",
        "source": "aws.codedeploy",
        "version": "0",
        "time": "2026-11-28T03:10:00Z",
        "id": "c071bfbf-83c4-49ca-a6ff-3df053957145",
        "resources": [
            f"arn:aws:codedeploy:{REGION}:{ACCOUNT}:application:{APPLICATION}",
            f"arn:aws:codedeploy:{REGION}:{ACCOUNT}:deploymentgroup:{APPLICATION}/{GROUP}",
        ],
        "detail": {
            "instanceGroupId": "9fd2fbef-2157-40d8-91e7-6845af69e2d2",
            "region": REGION,
            "application": APPLICATION,
            "deploymentId": DEPLOYMENT,
            "state": state,
            "deploymentGroup": GROUP,
        },
    }


DEPLOYMENT_FAILED = deployment_event("FAILURE")
DEPLOYMENT_STOPPED = deployment_event("STOP")
DEPLOYMENT_SUCCEEDED = deployment_event("SUCCESS")
GET_DEPLOYMENT = {
    "deploymentInfo": {
        "deploymentId": DEPLOYMENT,
        "status": "Failed",
        "errorInformation": {"code": "ECS_UPDATE_ERROR", "message": "The ECS service cannot reach a steady state"},
        "rollbackInfo": {"rollbackDeploymentId": "d-ROLLBACK1", "rollbackMessage": "Automatic rollback on deployment failure"},
    }
}
PIPELINE_STATE = {
    "pipelineName": PIPELINE,
    "stageStates": [
        {"stageName": "Source", "latestExecution": {"pipelineExecutionId": EXECUTION, "status": "Succeeded"}},
        {"stageName": "Build", "latestExecution": {"pipelineExecutionId": EXECUTION, "status": "Failed"}},
        {"stageName": "Deploy"},
    ],
}


def test_summaries_of_each_detail_type(notifier):
    assert notifier.summarize(STAGE_STARTED)["kind"] == "stage"
    action = notifier.summarize(ACTION_FAILED)
    assert (action["kind"], action["stage"], action["action"], action["provider"], action["error"]) == ("action", "Test", "UnitTests", "CodeBuild", "JobFailed")
    source = notifier.summarize(SOURCE_SUCCEEDED)
    assert source["commit_id"] == "6f1d2c3b4a5e6f708192a3b4c5d6e7f8091a2b3c"
    assert source["commit_message"] == "Fix the reconnect loop"
    pipeline = notifier.summarize(PIPELINE_FAILED)
    assert pipeline["trigger"] == "Webhook"
    assert pipeline["console_url"] == (
        f"https://{REGION}.console.aws.amazon.com/codesuite/codepipeline/pipelines/{PIPELINE}/executions/{EXECUTION}/timeline?region={REGION}"
    )


def test_a_failed_pipeline_gives_one_slack_post_with_pipeline_failed_stage_and_link(notifier, server, lambda_env):
    server.script["CodePipeline_20150709.GetPipelineState"] = [(200, {}, PIPELINE_STATE)]
    result = notifier.handler(copy.deepcopy(PIPELINE_FAILED))
    assert result == {"ignored": False, "delivered": 1, "failed": 0}
    posts = server.posts(lambda_env["paths"]["slack"])
    assert len(posts) == 1
    text = json.dumps(posts[0])
    assert PIPELINE in posts[0]["text"] and "FAILED" in posts[0]["text"]
    assert "Build" in posts[0]["text"]
    assert posts[0]["attachments"][0]["color"] == "#D00000"
    button = posts[0]["attachments"][0]["blocks"][-1]["elements"][0]
    assert button["url"] == notifier.summarize(PIPELINE_FAILED)["console_url"]
    assert "Stage*\\nBuild" in text
    ssm = [r for r in server.requests if r["target"] == "AmazonSSM.GetParameter"]
    assert len(ssm) == 1 and json.loads(ssm[0]["body"]) == {"Name": "/dito/test/alerts/slack", "WithDecryption": True}
    assert ssm[0]["headers"]["Authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")


def test_webhook_urls_are_read_once_per_cold_start(notifier, server, lambda_env):
    notifier.handler(copy.deepcopy(ACTION_FAILED))
    notifier.handler(copy.deepcopy(ACTION_FAILED))
    assert len([r for r in server.requests if r["target"] == "AmazonSSM.GetParameter"]) == 1
    assert len(server.posts(lambda_env["paths"]["slack"])) == 2


def test_google_chat_and_generic_payloads(notifier, server, lambda_env, monkeypatch):
    monkeypatch.setenv(
        "WEBHOOKS",
        json.dumps(
            [
                {"kind": "google_chat", "parameter": "/dito/test/alerts/google_chat"},
                {"kind": "generic", "parameter": "/dito/test/alerts/generic"},
            ]
        ),
    )
    server.script["AmazonSSM.GetParameter"] = [
        (200, {}, {"Parameter": {"Value": server.url + lambda_env["paths"]["google_chat"]}}),
        (200, {}, {"Parameter": {"Value": server.url + lambda_env["paths"]["generic"]}}),
    ]
    assert notifier.handler(copy.deepcopy(ACTION_FAILED))["delivered"] == 2
    chat = server.posts(lambda_env["paths"]["google_chat"])[0]
    card = chat["cardsV2"][0]["card"]
    assert card["header"]["title"] == f"Action {PIPELINE} / Test / UnitTests: FAILED"
    widgets = card["sections"][0]["widgets"]
    assert {"decoratedText": {"topLabel": "Error", "text": "JobFailed"}} in widgets
    assert widgets[-1]["buttonList"]["buttons"][0]["onClick"]["openLink"]["url"].startswith(f"https://{REGION}.console.aws.amazon.com/")
    generic = server.posts(lambda_env["paths"]["generic"])[0]
    fields = (generic["source"], generic["pipeline"], generic["state"], generic["stage"], generic["action"])
    assert fields == ("dito.chat", PIPELINE, "FAILED", "Test", "UnitTests")


def test_500_then_200_is_exactly_two_attempts(notifier, server, lambda_env):
    server.script[lambda_env["paths"]["slack"]] = [(500, {}, b"oops"), (200, {}, b"ok")]
    result = notifier.handler(copy.deepcopy(ACTION_FAILED))
    assert result["delivered"] == 1
    assert len(server.posts(lambda_env["paths"]["slack"])) == 2


def test_retry_after_is_honoured_and_4xx_is_not_retried(notifier, server):
    waits = []
    server.script["/limited"] = [(429, {"Retry-After": "3"}, b""), (503, {}, b""), (200, {}, b"ok")]
    ok, attempts, status = notifier.post(server.url + "/limited", {"x": 1}, attempts=4, max_backoff=10, sleep=waits.append)
    assert (ok, attempts, status) == (True, 3, 200)
    assert waits == [3.0, 1.0]  # Retry-After, then the exponential backoff of the second attempt
    server.script["/gone"] = [(404, {}, b"")]
    assert notifier.post(server.url + "/gone", {}, sleep=waits.append) == (False, 1, 404)
    when = datetime.datetime(2026, 11, 28, 3, 0, 5, tzinfo=datetime.UTC)
    assert notifier.retry_after({"Retry-After": "Sat, 28 Nov 2026 03:00:07 GMT"}, now=when) == 2.0


def test_an_undeliverable_notification_is_logged_and_does_not_raise(notifier, server, lambda_env, monkeypatch, caplog):
    monkeypatch.setenv("MAX_ATTEMPTS", "3")
    server.script[lambda_env["paths"]["slack"]] = [(502, {}, b"")]
    with caplog.at_level(logging.INFO, logger="dito.alerts"):
        result = notifier.handler(copy.deepcopy(ACTION_FAILED))
    assert result == {"ignored": False, "delivered": 0, "failed": 1}
    assert len(server.posts(lambda_env["paths"]["slack"])) == 3
    assert "could not deliver slack notification" in caplog.text


@pytest.mark.parametrize(
    "bad",
    [
        {},
        {"detail-type": "EC2 Instance State-change Notification", "detail": {"state": "running"}},
        {"detail-type": "CodePipeline Stage Execution State Change"},
        "not a dict",
        None,
    ],
)
def test_malformed_events_are_logged_and_ignored(notifier, server, lambda_env, caplog, bad):
    with caplog.at_level(logging.INFO, logger="dito.alerts"):
        assert notifier.handler(bad) == {"ignored": True, "delivered": 0, "failed": 0}
    assert server.requests == []
    assert "ignored" in caplog.text


def test_states_are_configurable(notifier, server, lambda_env, monkeypatch):
    assert notifier.handler(copy.deepcopy(STAGE_STARTED))["skipped"] is True
    monkeypatch.setenv("STAGE_STATES", "STARTED")
    assert notifier.handler(copy.deepcopy(STAGE_STARTED))["delivered"] == 1


def test_the_webhook_url_never_appears_in_logs(notifier, server, lambda_env, monkeypatch, caplog):
    monkeypatch.setenv("MAX_ATTEMPTS", "2")
    server.script["CodePipeline_20150709.GetPipelineState"] = [(500, {}, b"")]
    server.script[lambda_env["paths"]["slack"]] = [(500, {}, b""), (200, {}, b"ok")]
    with caplog.at_level(logging.DEBUG):
        notifier.handler(copy.deepcopy(PIPELINE_FAILED))
        notifier.handler(copy.deepcopy(ACTION_FAILED))
        server.httpd.shutdown()
        server.httpd.server_close()
        notifier.handler(copy.deepcopy(ACTION_FAILED))  # connection refused
    assert "could not deliver" in caplog.text
    for secret in (*lambda_env["paths"].values(), "s3cr3t"):
        assert secret not in caplog.text


def test_sigv4_signature_matches_botocore(notifier):
    now = datetime.datetime(2026, 11, 28, 3, 4, 5, tzinfo=datetime.UTC)
    url, body = "https://ssm.eu-west-1.amazonaws.com/", b'{"Name": "/x", "WithDecryption": true}'
    extra = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonSSM.GetParameter"}
    ours = notifier.sigv4_headers("POST", url, body, "eu-west-1", "ssm", "AKIDEXAMPLE", "secret", "token", headers=extra, now=now)

    request = botocore.awsrequest.AWSRequest(method="POST", url=url, data=body, headers=dict(extra))
    signer = botocore.auth.SigV4Auth(botocore.credentials.Credentials("AKIDEXAMPLE", "secret", "token"), "ssm", "eu-west-1")
    from unittest import mock

    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=now.replace(tzinfo=None)):
        signer.add_auth(request)
    assert ours["Authorization"] == request.headers["Authorization"]
    assert ours["x-amz-date"] == request.headers["X-Amz-Date"] == "20261128T030405Z"


def test_endpoints_and_console_links_are_in_the_regions_partition(notifier, monkeypatch):
    """The notifier (standard library only) knows the partitions' DNS suffixes as botocore's endpoint data has them,
    for every region botocore knows; the SSM endpoint and the console link follow the event's region."""
    import botocore.loaders

    endpoints = botocore.loaders.create_loader().load_data("endpoints")
    regions = {region: p["dnsSuffix"] for p in endpoints["partitions"] for region in p["regions"]}
    assert {"eu-west-1", "cn-north-1", "us-gov-west-1"} <= set(regions)
    assert {region: notifier.dns_suffix(region) for region in regions} == regions

    seen = []
    monkeypatch.setattr(notifier.urllib.request, "urlopen", lambda request, timeout: seen.append(request.full_url) or _Answer())
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL_SSM", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLEEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret-example-secret-example")
    for region, url in (
        ("eu-west-1", "https://ssm.eu-west-1.amazonaws.com/"),
        ("cn-north-1", "https://ssm.cn-north-1.amazonaws.com.cn/"),
        ("us-gov-west-1", "https://ssm.us-gov-west-1.amazonaws.com/"),
    ):
        monkeypatch.setenv("AWS_REGION", region)
        notifier.aws_json("ssm", "AmazonSSM.GetParameter", {"Name": "/x"})
        assert seen[-1] == url

    for region, host in (
        ("eu-west-1", "eu-west-1.console.aws.amazon.com"),
        ("cn-north-1", "console.amazonaws.cn"),
        ("us-gov-east-1", "console.amazonaws-us-gov.com"),
    ):
        failed = copy.deepcopy(PIPELINE_FAILED)
        failed["region"] = region
        failed["detail"].pop("region", None)
        assert notifier.summarize(failed)["console_url"].startswith(f"https://{host}/codesuite/"), region


class _Answer:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def read(self):
        return b"{}"


def test_a_codedeploy_deployment_summary(notifier):
    facts = notifier.summarize(copy.deepcopy(DEPLOYMENT_FAILED))
    assert (facts["kind"], facts["application"], facts["deployment_group"], facts["deployment_id"], facts["state"], facts["region"]) == (
        "deployment",
        APPLICATION,
        GROUP,
        DEPLOYMENT,
        "FAILURE",
        REGION,
    )
    assert facts["console_url"] == f"https://{REGION}.console.aws.amazon.com/codesuite/codedeploy/deployments/{DEPLOYMENT}?region={REGION}"
    assert notifier.title(facts) == f"Deployment {APPLICATION} / {GROUP}: FAILURE"
    no_id = copy.deepcopy(DEPLOYMENT_FAILED)
    del no_id["detail"]["deploymentId"]
    assert notifier.summarize(no_id) is None


def test_a_failed_deployment_gives_one_slack_post_with_its_error_rollback_and_link(notifier, server, lambda_env):
    server.script["CodeDeploy_20141006.GetDeployment"] = [(200, {}, GET_DEPLOYMENT)]
    assert notifier.handler(copy.deepcopy(DEPLOYMENT_FAILED)) == {"ignored": False, "delivered": 1, "failed": 0}
    [post] = server.posts(lambda_env["paths"]["slack"])
    assert post["text"] == f":x: Deployment {APPLICATION} / {GROUP}: FAILURE"
    attachment = post["attachments"][0]
    assert attachment["color"] == "#D00000"
    fields = [f["text"] for f in attachment["blocks"][1]["fields"]]
    assert fields == [
        f"*Application*\n{APPLICATION}",
        f"*Deployment group*\n{GROUP}",
        f"*Deployment*\n{DEPLOYMENT}",
        "*State*\nFAILURE",
        f"*Region*\n{REGION}",
        "*Error*\nECS_UPDATE_ERROR: The ECS service cannot reach a steady state",
        "*Rollback*\nrolled back by d-ROLLBACK1: Automatic rollback on deployment failure",
    ]
    button = attachment["blocks"][-1]["elements"][0]
    assert (button["text"]["text"], button["url"]) == ("Open deployment", notifier.summarize(DEPLOYMENT_FAILED)["console_url"])
    [lookup] = [r for r in server.requests if r["target"] == "CodeDeploy_20141006.GetDeployment"]
    assert json.loads(lookup["body"]) == {"deploymentId": DEPLOYMENT}
    assert "/codedeploy/aws4_request" in lookup["headers"]["Authorization"]


def test_a_stopped_deployment_in_google_chat_and_generic(notifier, server, lambda_env, monkeypatch):
    monkeypatch.setenv(
        "WEBHOOKS",
        json.dumps([{"kind": "google_chat", "parameter": "/dito/test/alerts/google_chat"}, {"kind": "generic", "parameter": "/dito/test/alerts/generic"}]),
    )
    server.script["AmazonSSM.GetParameter"] = [
        (200, {}, {"Parameter": {"Value": server.url + lambda_env["paths"]["google_chat"]}}),
        (200, {}, {"Parameter": {"Value": server.url + lambda_env["paths"]["generic"]}}),
    ]
    server.script["CodeDeploy_20141006.GetDeployment"] = [(200, {}, {"deploymentInfo": {"status": "Stopped", "rollbackInfo": {}}})]
    assert notifier.handler(copy.deepcopy(DEPLOYMENT_STOPPED))["delivered"] == 2
    card = server.posts(lambda_env["paths"]["google_chat"])[0]["cardsV2"][0]
    assert card["cardId"] == f"dito-{DEPLOYMENT}"
    assert card["card"]["header"] == {"title": f"Deployment {APPLICATION} / {GROUP}: STOP", "subtitle": f"{ACCOUNT} {REGION}"}
    widgets = card["card"]["sections"][0]["widgets"]
    assert {"decoratedText": {"topLabel": "Deployment", "text": DEPLOYMENT}} in widgets
    assert {"decoratedText": {"topLabel": "Region", "text": REGION}} in widgets
    assert not [w for w in widgets if w.get("decoratedText", {}).get("topLabel") in ("Error", "Rollback")]
    button = widgets[-1]["buttonList"]["buttons"][0]
    assert (button["text"], button["onClick"]["openLink"]["url"]) == ("Open deployment", notifier.summarize(DEPLOYMENT_STOPPED)["console_url"])
    generic = server.posts(lambda_env["paths"]["generic"])[0]
    assert (generic["kind"], generic["application"], generic["deployment_id"], generic["state"]) == ("deployment", APPLICATION, DEPLOYMENT, "STOP")


def test_a_deployment_alert_goes_out_when_its_lookup_fails_and_success_is_skipped(notifier, server, lambda_env):
    server.script["CodeDeploy_20141006.GetDeployment"] = [(400, {}, {"__type": "AccessDeniedException"})]
    assert notifier.handler(copy.deepcopy(DEPLOYMENT_FAILED))["delivered"] == 1
    assert notifier.handler(copy.deepcopy(DEPLOYMENT_SUCCEEDED))["skipped"] is True
    assert len(server.posts(lambda_env["paths"]["slack"])) == 1
