"""module_utils/iam_propagation.py: which answers are waited out, for how long, and what the user is told."""

import pytest
from botocore.exceptions import ClientError

from ansible_collections.dito.chat.plugins.module_utils import iam_propagation

LAMBDA_MESSAGE = "The role defined for the function cannot be assumed by Lambda."


def error(code, message):
    return ClientError({"Error": {"Code": code, "Message": message}}, "CreateFunction")


class Module:
    def __init__(self):
        self.warnings = []

    def warn(self, message):
        self.warnings.append(message)


@pytest.fixture
def fast(monkeypatch):
    monkeypatch.setattr(iam_propagation, "DELAY", 0.01)
    monkeypatch.setattr(iam_propagation, "MAX_DELAY", 0.01)
    monkeypatch.setattr(iam_propagation, "ATTEMPTS", 4)


def failing(times, exc):
    calls = []

    def call(**kwargs):
        calls.append(kwargs)
        if len(calls) <= times:
            raise exc
        return {"ok": True, **kwargs}

    return call, calls


def test_only_the_services_own_answer_is_a_propagation_error():
    assert iam_propagation.role_not_yet_assumable(error("InvalidParameterValueException", LAMBDA_MESSAGE))
    # The same code for another mistake, and the same words under another code, are real errors.
    assert not iam_propagation.role_not_yet_assumable(error("InvalidParameterValueException", "Value python2.7 at 'runtime' failed to satisfy constraint"))
    assert not iam_propagation.role_not_yet_assumable(error("AccessDeniedException", LAMBDA_MESSAGE))
    assert not iam_propagation.role_not_yet_assumable(ValueError(LAMBDA_MESSAGE))
    codebuild = error("InvalidInputException", "CodeBuild is not authorized to perform: sts:AssumeRole on arn:aws:iam::123456789012:role/build")
    assert iam_propagation.role_not_yet_assumable(codebuild, iam_propagation.CODEBUILD)
    assert not iam_propagation.role_not_yet_assumable(codebuild)


def test_the_bound_is_about_a_minute():
    assert 50 <= iam_propagation.waiting_bound() <= 65


def test_a_new_role_is_waited_for_with_one_warning(fast):
    module = Module()
    call, calls = failing(2, error("InvalidParameterValueException", LAMBDA_MESSAGE))
    assert iam_propagation.call_while_role_propagates(module, call, "arn:aws:iam::123456789012:role/alerts", FunctionName="f") == {
        "ok": True,
        "FunctionName": "f",
    }
    assert len(calls) == 3
    assert len(module.warnings) == 1
    assert "IAM to propagate the role arn:aws:iam::123456789012:role/alerts" in module.warnings[0] and LAMBDA_MESSAGE in module.warnings[0]


def test_throttling_is_retried_too_while_waiting(fast):
    module = Module()
    answers = [
        error("InvalidParameterValueException", LAMBDA_MESSAGE),
        error("TooManyRequestsException", "Rate exceeded"),
        error("Throttling", "Rate exceeded"),
    ]

    def call(**kwargs):
        if answers:
            raise answers.pop(0)
        return "created"

    assert iam_propagation.call_while_role_propagates(module, call, "r") == "created"


def test_the_wait_is_bounded(fast):
    module = Module()
    call, calls = failing(100, error("InvalidParameterValueException", LAMBDA_MESSAGE))
    with pytest.raises(ClientError, match=r"cannot be assumed by Lambda"):
        iam_propagation.call_while_role_propagates(module, call, "r")
    assert len(calls) == 1 + iam_propagation.ATTEMPTS


def test_other_errors_fail_at_once(fast):
    module = Module()
    call, calls = failing(100, error("InvalidParameterValueException", "Unzipped size must be smaller than 262144000 bytes"))
    with pytest.raises(ClientError, match=r"Unzipped size"):
        iam_propagation.call_while_role_propagates(module, call, "r")
    assert len(calls) == 1 and module.warnings == []


def test_a_destination_policy_of_a_moment_ago_is_waited_for(fast):
    module = Module()
    call, calls = failing(1, error("InvalidParameterValueException", "The provided execution role does not have permissions to call SendMessage on SQS"))
    assert iam_propagation.call_while_role_propagates(module, call, "r")["ok"] is True
    assert len(calls) == 2 and len(module.warnings) == 1


@pytest.mark.parametrize(
    "message",
    [
        # What CodeDeploy answers (and the emulator with DITO_EMULATOR_IAM_PROPAGATION_SECONDS) for a new role.
        "AWS CodeDeploy does not have the permissions required to assume the role arn:aws:iam::123456789012:role/deploy.",
        "CodeDeploy does not have the permissions required to assume the role arn:aws:iam::123456789012:role/deploy",
    ],
)
def test_codedeploy_s_answer_for_a_new_role_is_a_propagation_error(message):
    refused = ClientError({"Error": {"Code": "InvalidRoleException", "Message": message}}, "CreateDeploymentGroup")
    assert iam_propagation.role_not_yet_assumable(refused, iam_propagation.CODEDEPLOY)
    # A role that is not a role at all (another InvalidRoleException) is a real error.
    malformed = ClientError({"Error": {"Code": "InvalidRoleException", "Message": "The service role ARN is not valid."}}, "CreateDeploymentGroup")
    assert not iam_propagation.role_not_yet_assumable(malformed, iam_propagation.CODEDEPLOY)
