#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: lambda_function
short_description: Manage a zip-packaged Lambda function, its asynchronous invocation settings and its tags
version_added: 1.0.0
description:
  - Creates, updates or deletes one Lambda function from a local zip, with its configuration, the customer managed
    KMS key of its environment, its asynchronous invocation settings (retries, event age, on-failure destination)
    and its tags. Check mode and diff mode are supported; a second run reports no change.
  - "While IAM propagates a role created moments ago, Lambda refuses it (InvalidParameterValueException
    C(The role defined for the function cannot be assumed by Lambda)), and refuses an on-failure destination that
    the role's policy of a moment ago allows (C(The provided execution role does not have permissions to call
    SendMessage on SQS)). The module retries exactly those answers, for about a minute at most, and warns what it
    waits for; M(amazon.aws.lambda) fails at once."
  - Unlike M(amazon.aws.lambda), giving O(kms_key_arn) does not update the function on every run, and the code is
    compared by its SHA-256 without publishing a version on each change.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description: The function's name.
    required: true
    type: str
  state:
    description: Whether the function should exist.
    choices: [present, absent]
    default: present
    type: str
  role:
    description: ARN of the execution role. Required with O(state=present).
    type: str
  runtime:
    description: The runtime, for example C(python3.12). Required with O(state=present).
    type: str
  handler:
    description: The handler, for example C(notifier.handler). Required with O(state=present).
    type: str
  zip_file:
    description: Path of the deployment zip on the host the module runs on. Required with O(state=present).
    type: path
  description:
    description: The function's description.
    default: ""
    type: str
  timeout:
    description: Timeout in seconds.
    default: 3
    type: int
  memory_size:
    description: Memory in MiB.
    default: 128
    type: int
  environment_variables:
    description: The environment variables (all of them; others are removed).
    default: {}
    type: dict
  kms_key_arn:
    description:
      - ARN of the customer managed key that encrypts the environment at rest. An empty string returns to Lambda's
        default key. Whoever runs the module needs C(kms:Encrypt), C(kms:CreateGrant) and C(kms:Decrypt) on it
        (the function's role needs nothing on the key for its environment).
    default: ""
    type: str
  maximum_retry_attempts:
    description: How many times Lambda retries a failed asynchronous invocation (0 to 2). Unset, left alone.
    type: int
  maximum_event_age_seconds:
    description: How long Lambda keeps an asynchronous event for retries (60 to 21600). Unset, left alone.
    type: int
  on_failure_destination:
    description:
      - ARN of an SQS queue, SNS topic, Lambda function or EventBridge bus that receives a record of each asynchronous
        invocation that failed every attempt. An empty string removes it; unset, left alone. The function's role
        must be allowed to send to it.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Deploy the alerts function
  dito.chat.lambda_function:
    name: dito-production-pipeline-alerts
    role: arn:aws:iam::123456789012:role/dito-production-pipeline-alerts
    runtime: python3.12
    handler: notifier.handler
    zip_file: /home/ci/.cache/dito.chat/alerts.zip
    kms_key_arn: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
    environment_variables:
      WEBHOOKS: '[{"kind": "slack", "parameter": "/dito/production/alerts/slack"}]'
    maximum_retry_attempts: 2
    on_failure_destination: arn:aws:sqs:eu-west-1:123456789012:dito-production-pipeline-alerts-failed
    tags:
      project: dito

- name: Remove it
  dito.chat.lambda_function:
    name: dito-production-pipeline-alerts
    state: absent
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
function:
  description: The function as it is (or would be, under check mode) after the task.
  returned: when O(state=present)
  type: dict
  contains:
    function_name:
      description: The name.
      type: str
      sample: dito-production-pipeline-alerts
    function_arn:
      description: The unqualified ARN (the same on every run).
      type: str
      sample: arn:aws:lambda:eu-west-1:123456789012:function:dito-production-pipeline-alerts
    code_sha256:
      description: Base64 SHA-256 of the deployed zip.
      type: str
      sample: 6Qd0G1uX6zUlZ3nqS6M7O2b4o8lYQ7QwX9yWJ1J0h1k=
    configuration:
      description: The managed configuration fields, as Lambda names them.
      type: dict
      sample: {"Role": "arn:aws:iam::123456789012:role/alerts", "Runtime": "python3.12", "KMSKeyArn": "arn:aws:kms:..."}
    event_invoke_config:
      description: MaximumRetryAttempts, MaximumEventAgeInSeconds and OnFailure (the destination ARN or "").
      type: dict
      sample: {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 3600, "OnFailure": "arn:aws:sqs:eu-west-1:123456789012:failed"}
    tags:
      description: The function's tags.
      type: dict
      sample: {"project": "dito"}
differences:
  description: The settings that were (or would be) changed, by Lambda's field names, plus C(Code) and C(Tags).
  returned: always
  type: list
  elements: str
  sample: ["Code", "KMSKeyArn"]
"""

import base64
import hashlib

from ansible_collections.dito.chat.plugins.module_utils import awslambda as lam
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def desired_configuration(params):
    return {
        "Role": params["role"],
        "Runtime": params["runtime"],
        "Handler": params["handler"],
        "Description": params["description"],
        "Timeout": params["timeout"],
        "MemorySize": params["memory_size"],
        "Environment": {"Variables": {k: str(v) for k, v in (params["environment_variables"] or {}).items()}},
        "KMSKeyArn": params["kms_key_arn"],
    }


def desired_invoke(params):
    return {
        "MaximumRetryAttempts": params["maximum_retry_attempts"],
        "MaximumEventAgeInSeconds": params["maximum_event_age_seconds"],
        "OnFailure": params["on_failure_destination"],
    }


def create_request(desired, zip_bytes, tags):
    request = {k: v for k, v in desired.items() if v not in (None, "")}
    if not request["Environment"]["Variables"]:
        del request["Environment"]
    request["Code"] = {"ZipFile": zip_bytes}
    if tags:
        request["Tags"] = tags
    return request


def read_zip(module):
    try:
        with open(module.params["zip_file"], "rb") as handle:
            data = handle.read()
    except OSError as e:
        module.fail_json(msg=f"zip_file: cannot read {module.params['zip_file']}: {e}")
    return data, base64.b64encode(hashlib.sha256(data).digest()).decode()


def check_environment_readable(module, config):
    """GetFunction answers an Error instead of the variables when the caller may not decrypt them."""
    error = (config.get("Environment") or {}).get("Error")
    if error:
        module.fail_json(
            msg=f"The environment of function {module.params['name']} cannot be read ({error.get('ErrorCode')}: {error.get('Message')}): "
            f"whoever runs this needs kms:Decrypt on {config.get('KMSKeyArn') or 'its key'} to compare it."
        )


def ensure_present(module, client):
    p = module.params
    name = p["name"]
    zip_bytes, sha256 = read_zip(module)
    desired = desired_configuration(p)
    invoke_wanted = desired_invoke(p)
    current = lam.get_function(client, name)
    config = (current or {}).get("Configuration") or {}
    check_environment_readable(module, config)
    current_tags = (current or {}).get("Tags") or {}
    current_invoke = lam.get_event_invoke_config(client, name) if current else None
    invoke_diffs = lam.invoke_differences(current_invoke, invoke_wanted)
    arn = config.get("FunctionArn")

    if current is None:
        diffs = sorted(set(lam.FIELDS) | {"Code"} | set(invoke_diffs) | ({"Tags"} if p["tags"] else set()))
        tags = p["tags"] or {}
        if not module.check_mode:
            created = lam.create_function(module, client, name, create_request(desired, zip_bytes, tags))
            arn = created["FunctionArn"]
            lam.wait(client, name, "function_active_v2")
    else:
        diffs = lam.differences(config, desired)
        if config.get("CodeSha256") != sha256:
            diffs.append("Code")
        if diffs and not module.check_mode:
            fields = [f for f in diffs if f != "Code"]
            if fields:
                lam.update_configuration(module, client, name, lam.update_request(desired, fields))
                lam.wait(client, name, "function_updated_v2")
            if "Code" in diffs:
                lam.update_code(client, name, zip_bytes)
                lam.wait(client, name, "function_updated_v2")
        diffs += invoke_diffs
        retagged, tags = tagging.reconcile(
            module, current_tags, p["tags"], lambda t: lam.tag_resource(client, arn, t), lambda k: lam.untag_resource(client, arn, k)
        )
        if retagged:
            diffs.append("Tags")
    if invoke_diffs and not module.check_mode:
        lam.put_event_invoke_config(module, client, name, p["role"], lam.invoke_request(current_invoke, invoke_wanted))

    arn = arn.split(":$LATEST")[0] if arn else None
    invoke_after = lam.normalise_invoke(current_invoke)
    invoke_after.update({k: v for k, v in invoke_wanted.items() if v is not None})
    after = dict(lam.normalise(desired), Code=sha256, Tags=tags, **invoke_after)
    before = dict(lam.normalise(config), Code=config.get("CodeSha256"), Tags=current_tags, **lam.normalise_invoke(current_invoke)) if current else {}
    result = {
        "function": {
            "function_name": name,
            "function_arn": arn,
            "code_sha256": sha256,
            "configuration": lam.normalise(desired),
            "event_invoke_config": invoke_after,
            "tags": tags,
        },
        "differences": sorted(set(diffs)),
    }
    return bool(diffs), {"before": before, "after": after}, result


def ensure_absent(module, client):
    name = module.params["name"]
    if lam.get_function(client, name) is None:
        return False
    if not module.check_mode:
        lam.delete_function(client, name)
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            role=dict(type="str"),
            runtime=dict(type="str"),
            handler=dict(type="str"),
            zip_file=dict(type="path"),
            description=dict(type="str", default=""),
            timeout=dict(type="int", default=3),
            memory_size=dict(type="int", default=128),
            environment_variables=dict(type="dict", default={}),
            kms_key_arn=dict(type="str", default="", no_log=False),
            maximum_retry_attempts=dict(type="int"),
            maximum_event_age_seconds=dict(type="int"),
            on_failure_destination=dict(type="str"),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        required_if=[["state", "present", ["role", "runtime", "handler", "zip_file"]]],
        supports_check_mode=True,
    )
    p = module.params
    if p["maximum_retry_attempts"] is not None and not 0 <= p["maximum_retry_attempts"] <= 2:
        module.fail_json(msg=f"maximum_retry_attempts must be 0 to 2 (got {p['maximum_retry_attempts']})")
    if p["maximum_event_age_seconds"] is not None and not 60 <= p["maximum_event_age_seconds"] <= 21600:
        module.fail_json(msg=f"maximum_event_age_seconds must be 60 to 21600 (got {p['maximum_event_age_seconds']})")
    client = module.client("lambda", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if p["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client), differences=[])
        changed, diff, result = ensure_present(module, client)
    except lam.AnsibleLambdaError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, **result)


if __name__ == "__main__":
    main()
