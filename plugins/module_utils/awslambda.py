# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Lambda function wrappers and the pure comparison of a function's configuration."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils import creates
from ansible_collections.dito.chat.plugins.module_utils import iam_propagation
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleLambdaError(AnsibleAWSError):
    pass


class LambdaErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleLambdaError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


# The configuration fields this module manages, with what Lambda reports when one was never set.
FIELDS = {
    "Role": None,
    "Runtime": None,
    "Handler": None,
    "Description": "",
    "Timeout": 3,
    "MemorySize": 128,
    "Environment": {},
    "KMSKeyArn": "",
}
INVOKE_FIELDS = {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 21600, "OnFailure": ""}


def normalise(config):
    """The managed fields of a GetFunction ``Configuration`` (or of a desired one), AWS's defaults filled in."""
    config = config or {}
    out = {field: config.get(field) if config.get(field) is not None else default for field, default in FIELDS.items()}
    out["Environment"] = dict((config.get("Environment") or {}).get("Variables") or {})
    return out


def differences(current, desired):
    """The fields of ``desired`` (None: leave alone) that differ from ``current``, sorted. A pure function."""
    have, want = normalise(current), normalise(desired)
    return sorted(f for f in FIELDS if (desired or {}).get(f) is not None and have[f] != want[f])


def update_request(desired, fields):
    """The UpdateFunctionConfiguration parameters that set ``fields`` to ``desired``."""
    request = {f: desired[f] for f in fields}
    if "Environment" in request:
        request["Environment"] = {"Variables": desired["Environment"]["Variables"]}
    return request


def normalise_invoke(config):
    """The managed fields of a GetFunctionEventInvokeConfig answer (None: no configuration), defaults filled in."""
    config = config or {}
    return {
        "MaximumRetryAttempts": config.get("MaximumRetryAttempts", INVOKE_FIELDS["MaximumRetryAttempts"]),
        "MaximumEventAgeInSeconds": config.get("MaximumEventAgeInSeconds", INVOKE_FIELDS["MaximumEventAgeInSeconds"]),
        "OnFailure": ((config.get("DestinationConfig") or {}).get("OnFailure") or {}).get("Destination") or "",
    }


def invoke_differences(current, desired):
    """The fields of ``desired`` (plain dict as normalise_invoke returns, None values: leave alone) that differ."""
    have = normalise_invoke(current)
    return sorted(f for f, v in desired.items() if v is not None and have[f] != v)


def invoke_request(current, desired):
    """PutFunctionEventInvokeConfig parameters: the desired fields over the current ones (Put replaces them all)."""
    merged = dict(normalise_invoke(current), **{k: v for k, v in desired.items() if v is not None})
    request = {"MaximumRetryAttempts": merged["MaximumRetryAttempts"], "MaximumEventAgeInSeconds": merged["MaximumEventAgeInSeconds"]}
    if merged["OnFailure"]:
        request["DestinationConfig"] = {"OnFailure": {"Destination": merged["OnFailure"]}}
    return request


@LambdaErrorHandler.list_error_handler("get function {name}")
@AWSRetry.jittered_backoff()
def get_function(client, name):
    return client.get_function(FunctionName=name)


@LambdaErrorHandler.list_error_handler("get the asynchronous invocation configuration of {name}")
@AWSRetry.jittered_backoff()
def get_event_invoke_config(client, name):
    return client.get_function_event_invoke_config(FunctionName=name)


@LambdaErrorHandler.common_error_handler("create function {name}")
def create_function(module, client, name, request):
    """CreateFunction, waiting (about a minute at most, with a warning) while IAM propagates a new role."""

    def create(**kwargs):
        # A resend after a lost response meets the function the first attempt made: ResourceConflictException
        # ("Function already exist"); GetFunction's Configuration is CreateFunction's answer.
        return creates.created_or_existing(
            lambda: client.create_function(**kwargs), ["ResourceConflictException"], lambda: client.get_function(FunctionName=name)["Configuration"]
        )

    return iam_propagation.call_while_role_propagates(module, create, request["Role"], FunctionName=name, **request)


@LambdaErrorHandler.common_error_handler("update the configuration of function {name}")
def update_configuration(module, client, name, request):
    """UpdateFunctionConfiguration, waiting likewise when it names a role."""
    if "Role" in request:
        return iam_propagation.call_while_role_propagates(module, client.update_function_configuration, request["Role"], FunctionName=name, **request)
    return AWSRetry.jittered_backoff()(client.update_function_configuration)(FunctionName=name, **request)


@LambdaErrorHandler.common_error_handler("update the code of function {name}")
@AWSRetry.jittered_backoff()
def update_code(client, name, zip_bytes):
    return client.update_function_code(FunctionName=name, ZipFile=zip_bytes)


@LambdaErrorHandler.common_error_handler("configure the asynchronous invocation of {name}")
def put_event_invoke_config(module, client, name, role, request):
    """PutFunctionEventInvokeConfig, waiting likewise while the role's new policy (sending to the destination)
    propagates: Lambda checks that the role may send there. Idempotent: it replaces the whole configuration, so a
    resend after a lost response answers the same."""
    return iam_propagation.call_while_role_propagates(module, client.put_function_event_invoke_config, role, FunctionName=name, **request)


@LambdaErrorHandler.common_error_handler("wait for function {name}")
def wait(client, name, waiter):
    """``function_active_v2`` after a create, ``function_updated_v2`` after an update (Lambda refuses a change
    while the previous one is in progress: ResourceConflictException)."""
    client.get_waiter(waiter).wait(FunctionName=name, WaiterConfig={"Delay": 2, "MaxAttempts": 150})


@LambdaErrorHandler.common_error_handler("tag {arn}")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(Resource=arn, Tags=tags)


@LambdaErrorHandler.common_error_handler("untag {arn}")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(Resource=arn, TagKeys=list(keys))


@LambdaErrorHandler.list_error_handler("delete function {name}", default_value=False)
@AWSRetry.jittered_backoff()
def delete_function(client, name):
    client.delete_function(FunctionName=name)
    return True
