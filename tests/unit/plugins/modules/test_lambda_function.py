"""dito.chat.lambda_function against moto in-process (with the emulator layer, its IAM propagation fault mode included)."""

import importlib
import json

import boto3
import pytest
from moto.core.config import default_user_config

from ansible_collections.dito.chat.plugins.module_utils import iam_propagation
from ansible_collections.dito.chat.plugins.modules import lambda_function
from ansible_collections.dito.chat.plugins.modules import lambda_package

TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
stock_lambda = importlib.import_module("ansible_collections.amazon.aws.plugins.modules.lambda")
QUEUE = "arn:aws:sqs:eu-west-1:123456789012:alerts-failed"


@pytest.fixture
def setup(aws, tmp_path, run_module):
    source = tmp_path / "handler.py"
    source.write_text("def handler(event, context):\n    return event\n")
    zip_file = run_module(lambda_package.main, {"files": {"handler.py": str(source)}, "dest": str(tmp_path / "f.zip")})["dest"]
    iam = boto3.client("iam", region_name="eu-west-1")
    role = iam.create_role(RoleName="alerts", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    key = boto3.client("kms", region_name="eu-west-1").create_key()["KeyMetadata"]["Arn"]
    args = {
        "name": "alerts",
        "role": role,
        "runtime": "python3.12",
        "handler": "handler.handler",
        "zip_file": zip_file,
        "timeout": 30,
        "environment_variables": {"WEBHOOKS": "[]"},
        "kms_key_arn": key,
        "maximum_retry_attempts": 2,
        "maximum_event_age_seconds": 3600,
        "on_failure_destination": QUEUE,
        "tags": {"project": "dito"},
    }
    return {"args": args, "client": boto3.client("lambda", region_name="eu-west-1"), "iam": iam, "source": source, "key": key}


@pytest.fixture
def propagation(monkeypatch):
    """The emulator's fault mode on (new roles unassumable for N seconds), with a fast retry."""
    monkeypatch.setattr(iam_propagation, "DELAY", 0.25)
    monkeypatch.setattr(iam_propagation, "MAX_DELAY", 1)

    def turn_on(seconds):
        default_user_config["iam"]["propagation_seconds"] = seconds

    yield turn_on
    default_user_config["iam"].pop("propagation_seconds", None)


def test_create_then_nothing_to_do(setup, run_module):
    args, client = setup["args"], setup["client"]
    plan = run_module(lambda_function.main, args, check_mode=True)
    assert plan["changed"] is True and client.list_functions()["Functions"] == []
    created = run_module(lambda_function.main, args)
    config = client.get_function(FunctionName="alerts")
    assert created["changed"] is True and created["function"]["function_arn"] == "arn:aws:lambda:eu-west-1:123456789012:function:alerts"
    assert config["Configuration"]["KMSKeyArn"] == setup["key"] and config["Configuration"]["Timeout"] == 30
    assert config["Configuration"]["Environment"]["Variables"] == {"WEBHOOKS": "[]"}
    assert config["Tags"] == {"project": "dito"}
    invoke = client.get_function_event_invoke_config(FunctionName="alerts")
    assert (invoke["MaximumRetryAttempts"], invoke["MaximumEventAgeInSeconds"], invoke["DestinationConfig"]["OnFailure"]["Destination"]) == (2, 3600, QUEUE)
    again = run_module(lambda_function.main, args)
    assert again["changed"] is False and again["differences"] == []
    assert run_module(lambda_function.main, args, check_mode=True)["changed"] is False


def test_changes_follow(setup, run_module):
    args, client = setup["args"], setup["client"]
    run_module(lambda_function.main, dict(args, kms_key_arn="", on_failure_destination=""))
    assert "KMSKeyArn" not in client.get_function(FunctionName="alerts")["Configuration"]
    setup["source"].write_text("def handler(event, context):\n    return None\n")
    run_module(lambda_package.main, {"files": {"handler.py": str(setup["source"])}, "dest": args["zip_file"]})
    result = run_module(lambda_function.main, dict(args, tags={"project": "dito", "team": "chat"}), diff=True)
    assert result["differences"] == ["Code", "KMSKeyArn", "OnFailure", "Tags"]
    assert result["diff"]["before"]["KMSKeyArn"] == "" and result["diff"]["after"]["KMSKeyArn"] == setup["key"]
    config = client.get_function(FunctionName="alerts")
    assert config["Configuration"]["KMSKeyArn"] == setup["key"] and config["Configuration"]["CodeSha256"] == result["function"]["code_sha256"]
    assert config["Tags"] == {"project": "dito", "team": "chat"}
    assert client.get_function_event_invoke_config(FunctionName="alerts")["DestinationConfig"]["OnFailure"]["Destination"] == QUEUE
    assert run_module(lambda_function.main, dict(args, tags={"project": "dito", "team": "chat"}))["changed"] is False


def test_absent(setup, run_module):
    run_module(lambda_function.main, setup["args"])
    assert run_module(lambda_function.main, {"name": "alerts", "state": "absent"}, check_mode=True)["changed"] is True
    assert run_module(lambda_function.main, {"name": "alerts", "state": "absent"})["changed"] is True
    assert setup["client"].list_functions()["Functions"] == []
    assert run_module(lambda_function.main, {"name": "alerts", "state": "absent"})["changed"] is False


def test_a_role_made_moments_ago_is_waited_for(setup, run_module, propagation, request):
    """Under the emulator's fault mode, the stock module fails where ours waits, says why, and converges."""
    propagation(60)
    role = setup["iam"].create_role(RoleName="fresh", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    stock = run_module(
        stock_lambda.main, {"name": "stock", "role": role, "runtime": "python3.12", "handler": "handler.handler", "zip_file": setup["args"]["zip_file"]}
    )
    assert stock.get("failed") and "cannot be assumed by Lambda" in stock["msg"]

    role = setup["iam"].create_role(RoleName="fresh-too", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    # Refused until the module's retry sleeps, whatever the machine's load (a window of seconds closed too early on CI).
    request.getfixturevalue("iam_propagating")
    result = run_module(lambda_function.main, dict(setup["args"], role=role))
    assert result["changed"] is True and not result.get("failed"), result
    warnings = json.dumps(result["warnings"])
    assert "Waiting up to" in warnings and f"IAM to propagate the role {role}" in warnings
    assert setup["client"].get_function(FunctionName="alerts")["Configuration"]["Role"] == role


def test_the_wait_is_bounded_and_other_errors_are_not_waited_for(setup, run_module, propagation, monkeypatch):
    monkeypatch.setattr(iam_propagation, "ATTEMPTS", 2)
    propagation(60)
    role = setup["iam"].create_role(RoleName="fresh", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    result = run_module(lambda_function.main, dict(setup["args"], role=role))
    assert result.get("failed") and "cannot be assumed by Lambda" in result["msg"]
    assert setup["client"].list_functions()["Functions"] == []
    wrong = run_module(lambda_function.main, dict(setup["args"], maximum_retry_attempts=3))
    assert wrong.get("failed") and wrong["msg"] == "maximum_retry_attempts must be 0 to 2 (got 3)"


def test_a_lost_create_response_is_recognised_on_the_resend(setup, run_module, lost_response):
    """CreateFunction's resend answers ResourceConflictException: the module reads the function back and carries on;
    PutFunctionEventInvokeConfig replaces the configuration (idempotent)."""
    args, client = setup["args"], setup["client"]
    doubled = lost_response("CreateFunction", "PutFunctionEventInvokeConfig")
    created = run_module(lambda_function.main, args)
    assert [c[1] for c in doubled] == ["CreateFunction", "PutFunctionEventInvokeConfig"]
    assert created["changed"] is True and "failed" not in created
    assert created["function"]["function_arn"] == "arn:aws:lambda:eu-west-1:123456789012:function:alerts"
    assert [f["FunctionName"] for f in client.list_functions()["Functions"]] == ["alerts"]
    assert client.get_function(FunctionName="alerts")["Tags"] == {"project": "dito"}
    invoke = client.get_function_event_invoke_config(FunctionName="alerts")
    assert (invoke["MaximumRetryAttempts"], invoke["DestinationConfig"]["OnFailure"]["Destination"]) == (2, QUEUE)
    assert run_module(lambda_function.main, args)["changed"] is False
