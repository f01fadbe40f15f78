"""dito.chat pipeline alerts: CodePipeline and CodeDeploy state-change events from EventBridge to Slack, Google Chat
or any webhook.

Standard library only (Python 3.12+). Configuration comes from the environment, secrets never do:

    WEBHOOKS              JSON list of {"kind": "slack" | "google_chat" | "generic", "parameter": "<SSM name>"}.
                          The webhook URLs are SSM Parameter Store SecureStrings, read at cold start and cached.
    PIPELINE_STATES       states of "CodePipeline Pipeline Execution State Change" to send (default
                          STARTED,SUCCEEDED,FAILED,STOPPED)
    STAGE_STATES          states of "CodePipeline Stage Execution State Change" to send (default: none)
    ACTION_STATES         states of "CodePipeline Action Execution State Change" to send (default FAILED)
    DEPLOYMENT_STATES     states of "CodeDeploy Deployment State-change Notification" to send (default FAILURE,STOP)
    HTTP_TIMEOUT          seconds per HTTP attempt (default 5)
    MAX_ATTEMPTS          attempts per webhook (default 4); 429 and 5xx are retried with exponential
                          backoff that honours Retry-After
    MAX_BACKOFF           longest wait between attempts, in seconds (default 8)

On a FAILED pipeline execution, the failed stage is looked up with CodePipeline GetPipelineState (the
event does not carry it); on a CodeDeploy deployment that FAILED or was STOPped, its error and rollback with
CodeDeploy GetDeployment (the event carries neither). A notification that cannot be delivered is logged and the invocation ends normally: raising would make
Lambda retry the whole event and post duplicates to the webhooks that did answer. Malformed events are
logged and ignored. Webhook URLs are never logged.
"""

import datetime
import email.utils
import hashlib
import hmac
import json
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request

LOG = logging.getLogger("dito.alerts")
LOG.setLevel(logging.INFO)

DETAIL_TYPES = {
    "CodePipeline Pipeline Execution State Change": "pipeline",
    "CodePipeline Stage Execution State Change": "stage",
    "CodePipeline Action Execution State Change": "action",
    "CodeDeploy Deployment State-change Notification": "deployment",
}
DEFAULT_STATES = {"pipeline": "STARTED,SUCCEEDED,FAILED,STOPPED", "stage": "", "action": "FAILED", "deployment": "FAILURE,STOP"}
STYLE = {  # state: (Slack emoji, colour)
    "STARTED": (":arrow_forward:", "#439FE0"),
    "RESUMED": (":arrow_forward:", "#439FE0"),
    "SUCCEEDED": (":white_check_mark:", "#2EB886"),
    "FAILED": (":x:", "#D00000"),
    "STOPPING": (":double_vertical_bar:", "#A0A0A0"),
    "STOPPED": (":octagonal_sign:", "#A0A0A0"),
    "CANCELED": (":heavy_minus_sign:", "#A0A0A0"),
    "SUPERSEDED": (":fast_forward:", "#A0A0A0"),
    "ABANDONED": (":heavy_minus_sign:", "#A0A0A0"),
    # CodeDeploy deployment states.
    "START": (":arrow_forward:", "#439FE0"),
    "READY": (":hourglass_flowing_sand:", "#439FE0"),
    "SUCCESS": (":white_check_mark:", "#2EB886"),
    "FAILURE": (":x:", "#D00000"),
    "STOP": (":octagonal_sign:", "#A0A0A0"),
}
RETRY_STATUS = {429, 500, 502, 503, 504}

_URLS = {}  # SSM parameter name -> webhook URL, for the life of the execution environment


# --------------------------------------------------------------------------------------------------
# Events


def console_host(region):
    """The AWS console's host for the region: China and GovCloud have consoles of their own."""
    if region.startswith("cn-"):
        return "console.amazonaws.cn"
    if region.startswith("us-gov-"):
        return "console.amazonaws-us-gov.com"
    return f"{region}.console.aws.amazon.com"


def summarize_deployment(event, detail):
    """The facts of a CodeDeploy deployment state-change event, or None when it lacks its ids."""
    if not detail.get("application") or not detail.get("deploymentId") or not detail.get("state"):
        return None
    region = detail.get("region") or event.get("region") or os.environ.get("AWS_REGION", "us-east-1")
    deployment_id = str(detail["deploymentId"])
    return {
        "kind": "deployment",
        "application": detail["application"],
        "deployment_group": detail.get("deploymentGroup"),
        "deployment_id": deployment_id,
        "state": str(detail["state"]).upper(),
        "account": event.get("account"),
        "region": region,
        "time": event.get("time"),
        "console_url": f"https://{console_host(region)}/codesuite/codedeploy/deployments/{urllib.parse.quote(deployment_id)}?region={region}",
    }


def summarize(event):
    """The facts of a CodePipeline or CodeDeploy deployment state-change event, or None when it is not one."""
    if not isinstance(event, dict):
        return None
    kind = DETAIL_TYPES.get(event.get("detail-type"))
    detail = event.get("detail")
    if kind is None or not isinstance(detail, dict):
        return None
    if kind == "deployment":
        return summarize_deployment(event, detail)
    if not detail.get("pipeline") or not detail.get("state"):
        return None
    region = detail.get("region") or event.get("region") or os.environ.get("AWS_REGION", "us-east-1")
    execution_id = detail.get("execution-id", "")
    pipeline = detail["pipeline"]
    facts = {
        "kind": kind,
        "pipeline": pipeline,
        "state": str(detail["state"]).upper(),
        "execution_id": execution_id,
        "stage": detail.get("stage"),
        "action": detail.get("action"),
        "provider": (detail.get("type") or {}).get("provider"),
        "account": event.get("account"),
        "region": region,
        "time": event.get("time"),
        "console_url": (
            f"https://{console_host(region)}/codesuite/codepipeline/pipelines/"
            f"{urllib.parse.quote(pipeline)}/executions/{urllib.parse.quote(execution_id)}/timeline?region={region}"
        ),
    }
    trigger = detail.get("execution-trigger") or {}
    if trigger.get("trigger-type"):
        facts["trigger"] = trigger["trigger-type"]
    result = detail.get("execution-result") or {}
    # A source action's result carries the commit: its id, and a JSON summary with the message.
    if (detail.get("type") or {}).get("category") == "Source" and result.get("external-execution-id"):
        facts["commit_id"] = result["external-execution-id"]
    summary = result.get("external-execution-summary")
    if summary:
        try:
            parsed = json.loads(summary)
            if isinstance(parsed, dict) and parsed.get("CommitMessage"):
                facts["commit_message"] = parsed["CommitMessage"]
        except ValueError:
            facts["summary"] = summary
    if result.get("error-code"):
        facts["error"] = result["error-code"]
    return facts


def title(facts):
    if facts["kind"] == "deployment":
        group = f" / {facts['deployment_group']}" if facts.get("deployment_group") else ""
        return f"Deployment {facts['application']}{group}: {facts['state']}"
    where = facts["pipeline"]
    if facts.get("stage"):
        where += f" / {facts['stage']}"
    if facts["kind"] == "action" and facts.get("action"):
        where += f" / {facts['action']}"
    return f"{facts['kind'].capitalize()} {where}: {facts['state']}"


def details(facts):
    """(label, value) lines shown under the title."""
    if facts["kind"] == "deployment":
        lines = [("Application", facts["application"])]
        for label, key in (("Deployment group", "deployment_group"), ("Deployment", "deployment_id"), ("State", "state"), ("Region", "region")):
            if facts.get(key):
                lines.append((label, str(facts[key])))
        for label, key in (("Error", "error"), ("Rollback", "rollback")):
            if facts.get(key):
                lines.append((label, str(facts[key])[:300]))
        return lines
    lines = [("Pipeline", facts["pipeline"])]
    for label, key in (
        ("Stage", "stage"),
        ("Action", "action"),
        ("Provider", "provider"),
        ("Trigger", "trigger"),
        ("Commit", "commit_id"),
        ("Commit message", "commit_message"),
        ("Error", "error"),
        ("Summary", "summary"),
    ):
        if facts.get(key):
            lines.append((label, str(facts[key])[:300]))
    lines.append(("Execution", facts["execution_id"] or "-"))
    return lines


def link_text(facts):
    return "Open deployment" if facts["kind"] == "deployment" else "Open execution"


def slack_payload(facts):
    emoji, colour = STYLE.get(facts["state"], (":grey_question:", "#A0A0A0"))
    text = f"{emoji} {title(facts)}"
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{text}*"}},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": f"*{label}*\n{value}"} for label, value in details(facts)][:10]},
        {
            "type": "actions",
            "elements": [{"type": "button", "text": {"type": "plain_text", "text": link_text(facts)}, "url": facts["console_url"]}],
        },
    ]
    return {"text": text, "attachments": [{"color": colour, "blocks": blocks}]}


def google_chat_payload(facts):
    text = title(facts)
    widgets = [{"decoratedText": {"topLabel": label, "text": value}} for label, value in details(facts)]
    widgets.append({"buttonList": {"buttons": [{"text": link_text(facts), "onClick": {"openLink": {"url": facts["console_url"]}}}]}})
    card = {
        "cardId": f"dito-{facts.get('execution_id') or facts.get('deployment_id') or 'pipeline'}",
        "card": {"header": {"title": text, "subtitle": f"{facts['account'] or ''} {facts['region']}".strip()}, "sections": [{"widgets": widgets}]},
    }
    return {"text": text, "cardsV2": [card]}


def generic_payload(facts):
    return {"source": "dito.chat", "title": title(facts), **facts}


FORMATTERS = {"slack": slack_payload, "google_chat": google_chat_payload, "generic": generic_payload}


# --------------------------------------------------------------------------------------------------
# Delivery


def retry_after(headers, now=None):
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), or None."""
    value = (headers or {}).get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    now = now or datetime.datetime.now(datetime.UTC)
    return max(0.0, (when - now).total_seconds())


def post(url, payload, timeout=5.0, attempts=4, max_backoff=8.0, sleep=time.sleep, deadline=None):
    """POST ``payload`` as JSON; retry 429, 5xx and network errors. Returns (delivered, attempts made, last status)."""
    body = json.dumps(payload).encode()
    status = None
    for attempt in range(1, attempts + 1):
        wait = None
        request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json; charset=UTF-8"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return True, attempt, response.status
        except urllib.error.HTTPError as e:
            status = e.code
            if status not in RETRY_STATUS:
                return False, attempt, status
            wait = retry_after(e.headers)
        except (urllib.error.URLError, TimeoutError, OSError):
            status = None
        if attempt == attempts:
            break
        if wait is None:
            wait = 0.5 * 2 ** (attempt - 1)
        wait = min(wait, max_backoff)
        if deadline is not None and time.monotonic() + wait + timeout > deadline:
            break  # no time left in this invocation for another attempt
        sleep(wait)
    return False, attempt, status


# --------------------------------------------------------------------------------------------------
# SSM GetParameter, signed with SigV4 by hand: no SDK in the package.


def _sign(key, message):
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def sigv4_headers(method, url, body, region, service, access_key, secret_key, session_token=None, headers=None, now=None):
    """The headers of a request signed with AWS Signature Version 4 (a JSON POST to the service's root)."""
    now = now or datetime.datetime.now(datetime.UTC)
    amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
    parsed = urllib.parse.urlsplit(url)
    all_headers = dict(headers or {}, host=parsed.netloc, **{"x-amz-date": amz_date})
    if session_token:
        all_headers["x-amz-security-token"] = session_token
    lowered = {k.lower(): " ".join(str(v).split()) for k, v in all_headers.items()}
    signed = ";".join(sorted(lowered))
    canonical = "\n".join(
        [
            method,
            parsed.path or "/",
            parsed.query,
            "".join(f"{k}:{lowered[k]}\n" for k in sorted(lowered)),
            signed,
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _sign(_sign(_sign(_sign(f"AWS4{secret_key}".encode(), day), region), service), "aws4_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    result = {k: v for k, v in all_headers.items() if k != "host"}
    result["Authorization"] = f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={signed}, Signature={signature}"
    return result


# The endpoints' DNS suffix by region prefix, for the partitions other than aws (botocore's endpoint data: the
# partitions' regionRegex and dnsSuffix; tests/unit/roles/lambda_alerts/test_notifier.py compares the two).
DNS_SUFFIXES = (
    ("cn-", "amazonaws.com.cn"),
    ("us-isob-", "sc2s.sgov.gov"),
    ("us-isof-", "csp.hci.ic.gov"),
    ("us-iso-", "c2s.ic.gov"),
    ("eu-isoe-", "cloud.adc-e.uk"),
    ("eusc-", "amazonaws.eu"),
)


def dns_suffix(region):
    """The DNS suffix of the region's endpoints: amazonaws.com, amazonaws.com.cn, ..."""
    return next((suffix for prefix, suffix in DNS_SUFFIXES if region.startswith(prefix)), "amazonaws.com")


def aws_json(service, target, payload, timeout=5.0):
    """Call an AWS JSON-protocol API (SSM, CodePipeline) with the Lambda's own credentials."""
    region = os.environ["AWS_REGION"]
    endpoint = os.environ.get(f"AWS_ENDPOINT_URL_{service.upper()}") or os.environ.get("AWS_ENDPOINT_URL") or f"https://{service}.{region}.{dns_suffix(region)}"
    url = endpoint.rstrip("/") + "/"
    body = json.dumps(payload).encode()
    headers = sigv4_headers(
        "POST",
        url,
        body,
        region,
        service,
        os.environ["AWS_ACCESS_KEY_ID"],
        os.environ["AWS_SECRET_ACCESS_KEY"],
        os.environ.get("AWS_SESSION_TOKEN"),
        headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target},
    )
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def get_parameter(name):
    """The decrypted value of an SSM parameter."""
    return aws_json("ssm", "AmazonSSM.GetParameter", {"Name": name, "WithDecryption": True})["Parameter"]["Value"]


def failed_stage(pipeline, execution_id):
    """The stage that failed in this execution (GetPipelineState), or None.

    A "Pipeline Execution State Change" event does not say which stage failed; the team wants to know.
    """
    state = aws_json("codepipeline", "CodePipeline_20150709.GetPipelineState", {"name": pipeline})
    for stage in state.get("stageStates") or []:
        latest = stage.get("latestExecution") or {}
        if latest.get("status") == "Failed" and latest.get("pipelineExecutionId") in (execution_id, None):
            return stage.get("stageName")
    return None


def deployment_outcome(deployment_id):
    """The error and the rollback of a CodeDeploy deployment (GetDeployment), as facts to add.

    A "CodeDeploy Deployment State-change Notification" says FAILURE or STOP, not why, nor whether the
    deployment was rolled back; the team wants to know both.
    """
    info = aws_json("codedeploy", "CodeDeploy_20141006.GetDeployment", {"deploymentId": deployment_id}).get("deploymentInfo") or {}
    facts = {}
    error = info.get("errorInformation") or {}
    if error.get("code") or error.get("message"):
        facts["error"] = ": ".join(str(v) for v in (error.get("code"), error.get("message")) if v)
    rollback = info.get("rollbackInfo") or {}
    if rollback.get("rollbackDeploymentId"):
        facts["rollback"] = f"rolled back by {rollback['rollbackDeploymentId']}"
        if rollback.get("rollbackMessage"):
            facts["rollback"] += f": {rollback['rollbackMessage']}"
    elif rollback.get("rollbackMessage"):
        facts["rollback"] = rollback["rollbackMessage"]
    return facts


def webhook_url(parameter):
    if parameter not in _URLS:
        _URLS[parameter] = get_parameter(parameter)
    return _URLS[parameter]


# --------------------------------------------------------------------------------------------------
# Handler


def _states(kind):
    raw = os.environ.get(f"{kind.upper()}_STATES", DEFAULT_STATES[kind])
    return {s.strip().upper() for s in raw.split(",") if s.strip()}


def handler(event, context=None):
    facts = summarize(event)
    if facts is None:
        detail_type = event.get("detail-type") if isinstance(event, dict) else type(event).__name__
        LOG.warning("ignored: not a CodePipeline or CodeDeploy deployment state-change event (detail-type %r)", detail_type)
        return {"ignored": True, "delivered": 0, "failed": 0}
    if facts["state"] not in _states(facts["kind"]):
        LOG.info("skipped: %s is not a configured state", title(facts))
        return {"ignored": False, "skipped": True, "delivered": 0, "failed": 0}

    if facts["kind"] == "pipeline" and facts["state"] == "FAILED" and not facts.get("stage"):
        try:
            facts["stage"] = failed_stage(facts["pipeline"], facts["execution_id"])
        except Exception as e:  # the alert goes out without the stage rather than not at all
            LOG.warning("could not find the failed stage of %s: %s", facts["pipeline"], type(e).__name__)
    if facts["kind"] == "deployment" and facts["state"] in ("FAILURE", "STOP"):
        try:
            facts.update(deployment_outcome(facts["deployment_id"]))
        except Exception as e:  # the alert goes out without the reason rather than not at all
            LOG.warning("could not read deployment %s: %s", facts["deployment_id"], type(e).__name__)

    timeout = float(os.environ.get("HTTP_TIMEOUT", "5"))
    attempts = int(os.environ.get("MAX_ATTEMPTS", "4"))
    max_backoff = float(os.environ.get("MAX_BACKOFF", "8"))
    deadline = None
    if context is not None and hasattr(context, "get_remaining_time_in_millis"):
        deadline = time.monotonic() + context.get_remaining_time_in_millis() / 1000.0 - 1.0
    delivered = failed = 0
    for webhook in json.loads(os.environ.get("WEBHOOKS", "[]")):
        kind = webhook.get("kind")
        try:
            payload = FORMATTERS[kind](facts)
            ok, made, status = post(webhook_url(webhook["parameter"]), payload, timeout, attempts, max_backoff, deadline=deadline)
        except Exception as e:  # one bad webhook must not stop the others, nor raise into a retry loop
            ok, made, status = False, 0, type(e).__name__
        if ok:
            delivered += 1
            LOG.info("sent %s notification: %s (%d attempt(s))", kind, title(facts), made)
        else:
            failed += 1
            LOG.error("could not deliver %s notification: %s (%d attempt(s), last status %s)", kind, title(facts), made, status)
    return {"ignored": False, "delivered": delivered, "failed": failed}
