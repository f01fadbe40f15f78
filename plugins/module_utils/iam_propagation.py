# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Wait out IAM's eventual consistency where a service must assume a role created moments ago.

IAM is eventually consistent (IAM User Guide, "Troubleshoot IAM": "Changes that I make are not always
immediately visible"). A service that validates its role when a resource is created or reconfigured refuses a
role made seconds before, with an error code that also covers real mistakes. So the retry matches the code
*and* the message, and gives up after about a minute: past that, the role is wrong, not new.

``AWSRetry.jittered_backoff(catch_extra_error_codes=...)`` matches codes only (``AWSRetry.found`` gets the
code from ``status_code_from_exception``); ``IAMPropagationRetry`` hands ``found`` the code and the message.
"""

import re

try:
    from botocore.exceptions import ClientError
except ImportError:  # Handled by AnsibleAWSModule
    ClientError = None

from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

# What each service answers while it cannot assume a new role yet: (error code, message pattern).
# Lambda: CreateFunction / UpdateFunctionConfiguration refuse a role it cannot assume yet; PutFunctionEventInvokeConfig
# (and a DeadLetterConfig) check that the role may send to the destination, and refuse a policy put moments ago
# ("The provided execution role does not have permissions to call SendMessage on SQS").
LAMBDA = (
    ("InvalidParameterValueException", re.compile(r"The role defined for the function cannot be assumed by Lambda")),
    ("InvalidParameterValueException", re.compile(r"execution role does not have permissions to call \w+ on")),
)
# For the modules to come (CodeBuild CreateProject/UpdateProject, CodeDeploy CreateDeploymentGroup, CodePipeline
# CreatePipeline/UpdatePipeline), as those services word it; pass the tuple of the service the module calls.
CODEBUILD = (("InvalidInputException", re.compile(r"CodeBuild is not authorized to perform: sts:AssumeRole")),)
CODEDEPLOY = (("InvalidRoleException", re.compile(r"does not have the permissions required to assume the role|cannot be assumed")),)
CODEPIPELINE = (("InvalidStructureException", re.compile(r"CodePipeline is not authorized to perform AssumeRole")),)

# About a minute in all: sleeps of 2, 3, 4.5, 6.75, then 10 s, between 9 attempts (56 s of waiting).
ATTEMPTS = 9
DELAY = 2
BACKOFF = 1.5
MAX_DELAY = 10


def waiting_bound():
    """The longest time the retry sleeps, in seconds."""
    return sum(min(DELAY * BACKOFF**n, MAX_DELAY) for n in range(ATTEMPTS - 1))


def _code_and_message(error):
    details = error.response.get("Error", {})
    return details.get("Code", ""), details.get("Message", "")


def role_not_yet_assumable(error, known=LAMBDA):
    """Whether a botocore ClientError is a service's "cannot assume the role (yet)" answer."""
    if ClientError is None or not isinstance(error, ClientError):
        return False
    code, message = _code_and_message(error)
    return any(code == known_code and pattern.search(message) for known_code, pattern in known)


def iam_propagation_retry(known=LAMBDA):
    """A retry decorator for the errors ``AWSRetry`` retries (throttling, ...) plus the ``known`` propagation errors."""

    class IAMPropagationRetry(AWSRetry):
        @staticmethod
        def status_code_from_exception(error):
            return _code_and_message(error)

        @staticmethod
        def found(response_code, catch_extra_error_codes=None):
            code, message = response_code
            if AWSRetry.found(code, catch_extra_error_codes):
                return True
            return any(code == known_code and pattern.search(message) for known_code, pattern in known)

    # Not jittered: the bound stated to the user holds.
    return IAMPropagationRetry.exponential_backoff(retries=ATTEMPTS, delay=DELAY, backoff=BACKOFF, max_delay=MAX_DELAY)


def call_while_role_propagates(module, func, role, known=LAMBDA, **kwargs):
    """Call ``func(**kwargs)``; while the service answers that it cannot assume ``role`` (or use its policy)
    yet, warn what is awaited and retry for about a minute. Any other error, or the same one after the bound,
    is raised."""
    try:
        return func(**kwargs)
    except ClientError as e:
        if not role_not_yet_assumable(e, known):
            raise
        module.warn(
            f"Waiting up to {int(waiting_bound())} s for IAM to propagate the role {role} and its policies: "
            f"AWS answered {_code_and_message(e)[1]!r}, as it does for a role created moments ago."
        )
    return iam_propagation_retry(known)(func)(**kwargs)
