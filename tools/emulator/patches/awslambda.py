"""AWS Lambda behaviours that moto 5.2 lacks or bends."""

import json
import os

from moto.awslambda import models as lambda_models
from moto.awslambda import policy as lambda_policy
from moto.awslambda.exceptions import InvalidParameterValueException
from moto.awslambda.exceptions import LambdaClientError
from moto.core.config import default_user_config
from moto.core.utils import utcnow
from moto.iam.exceptions import NotFoundException as IAMNotFoundException
from moto.iam.models import iam_backends
from moto.moto_api._internal.models import MotoAPIBackend

# The fault mode's switch: how many seconds a new role stays unassumable. 0 (the default) turns it off.
PROPAGATION_ENV = "DITO_EMULATOR_IAM_PROPAGATION_SECONDS"


def propagation_seconds():
    """The fault mode's setting: POST /moto-api/config {"iam": {"propagation_seconds": N}}, else the environment."""
    configured = default_user_config.get("iam", {}).get("propagation_seconds")
    if configured is None:
        configured = os.environ.get(PROPAGATION_ENV) or 0
    return float(configured)


def new_roles_cannot_be_assumed_while_iam_propagates():
    """Opt-in fault mode: for its first N seconds, a new role cannot be assumed by Lambda.

    IAM is eventually consistent (IAM User Guide, "Troubleshoot IAM", "Changes that I make are not always
    immediately visible"): a role created seconds ago is not yet visible to the service that must assume it.
    Lambda then refuses CreateFunction and UpdateFunctionConfiguration (Lambda API reference, errors:
    InvalidParameterValueException, "One of the parameters in the request is not valid") with the message
    "The role defined for the function cannot be assumed by Lambda." moto accepts a role at once.

    Off by default. On with N > 0 seconds: ``DITO_EMULATOR_IAM_PROPAGATION_SECONDS=N`` when the server starts,
    or at any time ``POST /moto-api/config {"iam": {"propagation_seconds": N}}`` (0 turns it off again).
    ``POST /moto-api/reset`` returns it to the start value, so a scenario that turned it on cannot leak it.
    """
    backend_cls = lambda_models.LambdaBackend
    original_create = backend_cls.create_function
    original_update = backend_cls.update_function_configuration

    def refuse_while_propagating(backend, role_arn):
        seconds = propagation_seconds()
        if seconds <= 0 or not role_arn:
            return
        try:
            role = iam_backends[backend.account_id][backend.partition].get_role_by_arn(role_arn)
        except IAMNotFoundException:
            return  # moto's own check answers for a role that does not exist
        if (utcnow() - role.create_date).total_seconds() < seconds:
            raise InvalidParameterValueException("The role defined for the function cannot be assumed by Lambda.")

    def create_function(self, spec):
        refuse_while_propagating(self, spec.get("Role"))
        return original_create(self, spec)

    def update_function_configuration(self, function_name, qualifier, body):
        refuse_while_propagating(self, (body or {}).get("Role"))
        return original_update(self, function_name, qualifier, body)

    backend_cls.create_function = create_function
    backend_cls.update_function_configuration = update_function_configuration

    original_set_config = MotoAPIBackend.set_config

    def set_config(self, config):
        original_set_config(self, config)
        if "propagation_seconds" in config.get("iam", {}):
            default_user_config.setdefault("iam", {})["propagation_seconds"] = float(config["iam"]["propagation_seconds"])

    MotoAPIBackend.set_config = set_config

    original_get_config = MotoAPIBackend.get_config

    def get_config(self):
        return dict(original_get_config(self), iam={"propagation_seconds": propagation_seconds()})

    MotoAPIBackend.get_config = get_config

    original_reset = MotoAPIBackend.reset

    def reset(self):
        default_user_config.get("iam", {}).pop("propagation_seconds", None)
        original_reset(self)

    MotoAPIBackend.reset = reset


def update_function_configuration_applies_the_kms_key():
    """UpdateFunctionConfiguration applies ``KMSKeyArn``.

    Lambda API reference, UpdateFunctionConfiguration, request parameter ``KMSKeyArn``: "The ARN of the AWS
    Key Management Service (AWS KMS) customer managed key that's used to encrypt the following resources:
    the function's environment variables ..." An empty string returns to Lambda's default key. moto ignored the
    field on update (it kept it on create only), so a function could never move to a customer managed key.
    """
    original = lambda_models.LambdaFunction.update_configuration

    def update_configuration(self, config_updates):
        if "KMSKeyArn" in config_updates:
            self.kms_key_arn = config_updates["KMSKeyArn"] or None
        return original(self, config_updates)

    lambda_models.LambdaFunction.update_configuration = update_configuration


def put_function_event_invoke_config_overwrites():
    """PutFunctionEventInvokeConfig replaces the function's configuration for asynchronous invocation.

    Lambda API reference, PutFunctionEventInvokeConfig: "Configures options for asynchronous invocation on a
    function ... If a configuration already exists for a function, version, or alias, this operation
    overwrites it. If you exclude any settings, they are removed." moto appended a second configuration and
    GetFunctionEventInvokeConfig kept answering the first.
    """

    def put_function_event_invoke_config(self, function_name, config):
        fn = self.get_function(function_name)
        event_config = lambda_models.EventInvokeConfig(fn.function_arn, fn.last_modified, config)
        fn.event_invoke_config = [event_config]
        return event_config.response()

    lambda_models.LambdaBackend.put_function_event_invoke_config = put_function_event_invoke_config


class _StatementIdInUse(LambdaClientError):
    code = 409

    def __init__(self, sid):
        message = f"The statement id ({sid}) provided already exists. Please provide a new statement id, or remove the existing statement."
        super().__init__("ResourceConflictException", message)


def add_permission_refuses_a_statement_id_in_use():
    """AddPermission with the StatementId of a statement the policy holds answers ResourceConflictException (409).

    AWS API reference, AddPermission, ``StatementId``: "A statement identifier that differentiates the statement from
    others in the same policy." Errors: "ResourceConflictException: The resource already exists, or another operation
    is in progress. HTTP Status Code: 409". moto appended a second statement of the same id, so a permission resent
    after a lost response doubled the statement where Lambda refuses it (the lambda_alerts role retries on that answer).
    """
    policy_cls = lambda_policy.Policy
    original = policy_cls.add_statement

    def add_statement(self, raw, qualifier=None):
        sid = json.loads(raw).get("StatementId")
        if sid and any(statement.get("Sid") == sid for statement in self.statements):
            raise _StatementIdInUse(sid)
        return original(self, raw, qualifier)

    policy_cls.add_statement = add_statement
