# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS IAM service roles: the pure input checks, the trust document a service role gets, the comparison of a
role with the asked one, and the IAM wrappers (retry, pagination, error handling) that read and change a role,
its inline policies, its managed policies and its tags.

Limits and patterns are those of the IAM API reference (CreateRole, PutRolePolicy, AttachRolePolicy): a role name
``[\\w+=,.@-]{1,64}``, a path ``/`` or ``/.../`` of printable ASCII up to 512 characters, an inline policy name
``[\\w+=,.@-]{1,128}``, a description of at most 1000 characters, MaxSessionDuration 3600..43200 seconds.
Role ARN: ``arn:<partition>:iam::<account>:role<path><name>`` (IAM User Guide, "IAM identifiers").
"""

import json
import re

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies

from ansible_collections.dito.chat.plugins.module_utils import creates
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleIAMRoleError(AnsibleAWSError):
    pass


class IAMRoleErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleIAMRoleError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NoSuchEntity")


# ---------------------------------------------------------------------------------------------------
# Pure helpers

TRUST_VERSION = "2012-10-17"
ROLE_NAME = re.compile(r"^[\w+=,.@-]{1,64}$")
POLICY_NAME = re.compile(r"^[\w+=,.@-]{1,128}$")
ROLE_PATH = re.compile(r"^(/|/[\x21-\x7E]+/)$")
DESCRIPTION = re.compile(r"^[\t\n\r\x20-\x7E\xA1-\xFF]*$")
# A service principal is a DNS-like name (codebuild.amazonaws.com, ecs-tasks.amazonaws.com, alexa-appkit.amazon.com).
SERVICE_PRINCIPAL = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
POLICY_ARN = re.compile(r"^arn:[a-z-]+:iam::(aws|[0-9]{12}):policy/\S+$")
MIN_SESSION, MAX_SESSION = 3600, 43200

# The order in which differences are reported (inline policies expand to inline_policies:<name>).
DIFFERENCE_ORDER = ("trust", "description", "max_session_duration", "permissions_boundary", "inline_policies", "managed_policies", "tags")


def unique(items):
    """``items`` without repeats, in their first order."""
    seen, out = set(), []
    for item in items or []:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def policy_document(name, document):
    """A policy document (dict, or its JSON text) as a dict; ValueError naming ``inline_policies.<name>`` otherwise."""
    option = f"inline_policies.{name}"
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError as e:
            raise ValueError(f"{option}: not a JSON policy document ({e})") from None
    if not isinstance(document, dict):
        raise ValueError(f"{option}: a policy document is a JSON object (a dict), not {type(document).__name__}")
    if "Statement" not in document:
        raise ValueError(f"{option}: a policy document needs a Statement")
    return document


def check_params(params):
    """The module's options checked before any AWS call: a list of messages, each naming its option (empty: fine)."""
    errors = []
    name = params.get("name")
    if not isinstance(name, str) or not ROLE_NAME.match(name):
        errors.append(f"name: {name!r} is not an IAM role name (1 to 64 letters, digits or +=,.@_-)")
    if params.get("state") == "absent":
        return errors
    path = params.get("path")
    if not isinstance(path, str) or len(path) > 512 or not ROLE_PATH.match(path):
        errors.append(f"path: {path!r} is not an IAM path (/ or /a/b/: printable ASCII between slashes, at most 512 characters)")
    description = params.get("description")
    if description is not None and (len(description) > 1000 or not DESCRIPTION.match(description)):
        errors.append("description: at most 1000 characters of printable Latin-1 text")
    services = params.get("trusted_services") or []
    if not services:
        errors.append("trusted_services: required (and not empty) with state=present: the service principals that may assume the role")
    for service in services:
        if not isinstance(service, str) or not SERVICE_PRINCIPAL.match(service):
            errors.append(f"trusted_services: {service!r} is not a service principal such as codebuild.amazonaws.com")
    account = params.get("source_account")
    if account is not None and not ACCOUNT_ID.match(str(account)):
        errors.append(f"source_account: {account!r} is not a 12-digit AWS account id")
    for arn in params.get("source_arn") or []:
        if not isinstance(arn, str) or not arn.startswith("arn:"):
            errors.append(f"source_arn: {arn!r} is not an ARN (wildcards allowed)")
    for policy_name, document in (params.get("inline_policies") or {}).items():
        if not POLICY_NAME.match(str(policy_name)):
            errors.append(f"inline_policies: {policy_name!r} is not an IAM policy name (1 to 128 letters, digits or +=,.@_-)")
            continue
        try:
            policy_document(policy_name, document)
        except ValueError as e:
            errors.append(str(e))
    for arn in params.get("managed_policy_arns") or []:
        if not isinstance(arn, str) or not POLICY_ARN.match(arn):
            errors.append(f"managed_policy_arns: {arn!r} is not an IAM policy ARN (arn:<partition>:iam::<account or aws>:policy/<name>)")
    boundary = params.get("permissions_boundary")
    if boundary and not POLICY_ARN.match(boundary):
        errors.append(f"permissions_boundary: {boundary!r} is not an IAM policy ARN (an empty string removes the boundary)")
    duration = params.get("max_session_duration")
    if not isinstance(duration, int) or not MIN_SESSION <= duration <= MAX_SESSION:
        errors.append(f"max_session_duration: {duration!r} is not between {MIN_SESSION} and {MAX_SESSION} seconds")
    return errors


def trust_policy(services, source_account=None, source_arn=None):
    """The trust document of a service role: one statement allowing ``services`` to call sts:AssumeRole (a single
    service as a string, several as a list), with the confused-deputy conditions on ``aws:SourceAccount`` and
    ``aws:SourceArn`` (ArnLike, one ARN or a list, wildcards allowed) when given (IAM User Guide, "The confused deputy
    problem"). The same shape as the collection's service_trust_policy filter."""
    services = unique(services)
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": services[0] if len(services) == 1 else services},
        "Action": "sts:AssumeRole",
    }
    condition = {}
    if source_account:
        condition["StringEquals"] = {"aws:SourceAccount": str(source_account)}
    if source_arn:
        arns = unique(source_arn if isinstance(source_arn, (list, tuple)) else [source_arn])
        condition["ArnLike"] = {"aws:SourceArn": arns[0] if len(arns) == 1 else arns}
    if condition:
        statement["Condition"] = condition
    return {"Version": TRUST_VERSION, "Statement": [statement]}


def trusted_services(trust):
    """The service principals that a trust document allows to assume the role (Allow statements only)."""
    statements = (trust or {}).get("Statement") or []
    if isinstance(statements, dict):
        statements = [statements]
    found = []
    for statement in statements:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        service = principal.get("Service") if isinstance(principal, dict) else None
        found.extend(service if isinstance(service, list) else [service] if service else [])
    return unique(found)


def role_arn(partition, account, path, name):
    """``arn:<partition>:iam::<account>:role<path><name>``."""
    return f"arn:{partition}:iam::{account}:role{path}{name}"


def desired(params):
    """The asked role as a plain dict (options already checked): trust, description (None: leave alone),
    max_session_duration, permissions_boundary (None: leave alone, "": none), inline_policies (name -> dict),
    managed_policy_arns (unique, sorted)."""
    return {
        "path": params["path"],
        "trust": trust_policy(params["trusted_services"], params.get("source_account"), params.get("source_arn")),
        "description": params.get("description"),
        "max_session_duration": params["max_session_duration"],
        "permissions_boundary": params.get("permissions_boundary"),
        "inline_policies": {n: policy_document(n, d) for n, d in (params.get("inline_policies") or {}).items()},
        "managed_policy_arns": sorted(unique(params.get("managed_policy_arns") or [])),
    }


def current(role, inline_policies, managed_policy_arns):
    """The held role in the shape of ``desired()``: GetRole's ``Role``, the inline documents by name and the ARNs of
    the attached managed policies."""
    return {
        "path": role.get("Path"),
        "trust": role.get("AssumeRolePolicyDocument") or {},
        "description": role.get("Description") or "",
        "max_session_duration": role.get("MaxSessionDuration") or MIN_SESSION,
        "permissions_boundary": (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn") or "",
        "inline_policies": dict(inline_policies),
        "managed_policy_arns": sorted(managed_policy_arns),
    }


def differences(have, want):
    """What differs between a held role and the asked one (both as ``current()`` / ``desired()`` give them), in
    DIFFERENCE_ORDER, tags excepted: trust, description, max_session_duration, permissions_boundary,
    inline_policies:<name> (one per policy to put or delete, by name), managed_policies. Policies are compared
    with amazon.aws's compare_policies (order of statements, actions and principals is irrelevant)."""
    found = []
    if compare_policies(have["trust"], want["trust"]):
        found.append("trust")
    if want["description"] is not None and (have["description"] or "") != want["description"]:
        found.append("description")
    if have["max_session_duration"] != want["max_session_duration"]:
        found.append("max_session_duration")
    if want["permissions_boundary"] is not None and (have["permissions_boundary"] or "") != want["permissions_boundary"]:
        found.append("permissions_boundary")
    held, asked = have["inline_policies"], want["inline_policies"]
    for name in sorted(set(held) | set(asked)):
        if name not in held or name not in asked or compare_policies(held[name], asked[name]):
            found.append(f"inline_policies:{name}")
    if set(have["managed_policy_arns"]) != set(want["managed_policy_arns"]):
        found.append("managed_policies")
    return found


def tags_dict(tags):
    return {t["Key"]: t.get("Value", "") for t in tags or []}


def tags_list(tags):
    return [{"Key": k, "Value": v} for k, v in (tags or {}).items()]


# ---------------------------------------------------------------------------------------------------
# Roles


@IAMRoleErrorHandler.list_error_handler("get role {name}")
@AWSRetry.jittered_backoff()
def get_role(client, name):
    """GetRole's ``Role`` (trust document decoded, tags included), or None when there is no such role."""
    return client.get_role(RoleName=name)["Role"]


@IAMRoleErrorHandler.common_error_handler("create role {name}")
@AWSRetry.jittered_backoff()
def create_role(client, name, path, trust, max_session_duration, description=None, permissions_boundary=None, tags=None):
    request = {"RoleName": name, "Path": path, "AssumeRolePolicyDocument": json.dumps(trust), "MaxSessionDuration": max_session_duration}
    if description:
        request["Description"] = description
    if permissions_boundary:
        request["PermissionsBoundary"] = permissions_boundary
    if tags:
        request["Tags"] = tags_list(tags)
    # A resend after a lost response meets the role the first attempt made: EntityAlreadyExists, then GetRole.
    return creates.created_or_existing(lambda: client.create_role(**request)["Role"], ["EntityAlreadyExists"], lambda: client.get_role(RoleName=name)["Role"])


@IAMRoleErrorHandler.common_error_handler("update role {name}")
@AWSRetry.jittered_backoff()
def update_role(client, name, description, max_session_duration):
    """UpdateRole with both fields, always: the API reference says an omitted MaxSessionDuration is set to one hour,
    and does not say an omitted Description is kept, so neither is left to the default ("" clears the description)."""
    client.update_role(RoleName=name, Description=description, MaxSessionDuration=max_session_duration)


@IAMRoleErrorHandler.common_error_handler("update the trust policy of role {name}")
@AWSRetry.jittered_backoff()
def update_trust(client, name, trust):
    client.update_assume_role_policy(RoleName=name, PolicyDocument=json.dumps(trust))


@IAMRoleErrorHandler.common_error_handler("set the permissions boundary of role {name}")
@AWSRetry.jittered_backoff()
def put_permissions_boundary(client, name, arn):
    client.put_role_permissions_boundary(RoleName=name, PermissionsBoundary=arn)


@IAMRoleErrorHandler.deletion_error_handler("remove the permissions boundary of role {name}")
@AWSRetry.jittered_backoff()
def delete_permissions_boundary(client, name):
    client.delete_role_permissions_boundary(RoleName=name)


@IAMRoleErrorHandler.deletion_error_handler("delete role {name}")
@AWSRetry.jittered_backoff()
def delete_role(client, name):
    client.delete_role(RoleName=name)


# ---------------------------------------------------------------------------------------------------
# Inline policies


@IAMRoleErrorHandler.list_error_handler("list the inline policies of role {name}", default_value=[])
@AWSRetry.jittered_backoff()
def list_inline_policy_names(client, name):
    paginator = client.get_paginator("list_role_policies")
    return paginator.paginate(RoleName=name).build_full_result()["PolicyNames"]


@IAMRoleErrorHandler.list_error_handler("get inline policy {policy} of role {name}")
@AWSRetry.jittered_backoff()
def get_inline_policy(client, name, policy):
    """The policy document (decoded to a dict by botocore), or None when it is gone."""
    return client.get_role_policy(RoleName=name, PolicyName=policy)["PolicyDocument"]


@IAMRoleErrorHandler.common_error_handler("put inline policy {policy} of role {name}")
@AWSRetry.jittered_backoff()
def put_inline_policy(client, name, policy, document):
    # PutRolePolicy is idempotent: a resend with the same document answers 200 again.
    client.put_role_policy(RoleName=name, PolicyName=policy, PolicyDocument=json.dumps(document))


@IAMRoleErrorHandler.deletion_error_handler("delete inline policy {policy} of role {name}")
@AWSRetry.jittered_backoff()
def delete_inline_policy(client, name, policy):
    client.delete_role_policy(RoleName=name, PolicyName=policy)


# ---------------------------------------------------------------------------------------------------
# Managed policies


@IAMRoleErrorHandler.list_error_handler("list the managed policies attached to role {name}", default_value=[])
@AWSRetry.jittered_backoff()
def list_attached_policy_arns(client, name):
    paginator = client.get_paginator("list_attached_role_policies")
    return [p["PolicyArn"] for p in paginator.paginate(RoleName=name).build_full_result()["AttachedPolicies"]]


@IAMRoleErrorHandler.common_error_handler("attach managed policy {arn} to role {name}")
@AWSRetry.jittered_backoff()
def attach_policy(client, name, arn):
    # AttachRolePolicy is idempotent: attaching an attached policy answers 200 again.
    client.attach_role_policy(RoleName=name, PolicyArn=arn)


@IAMRoleErrorHandler.deletion_error_handler("detach managed policy {arn} from role {name}")
@AWSRetry.jittered_backoff()
def detach_policy(client, name, arn):
    client.detach_role_policy(RoleName=name, PolicyArn=arn)


# ---------------------------------------------------------------------------------------------------
# Tags


@IAMRoleErrorHandler.common_error_handler("tag role {name}")
@AWSRetry.jittered_backoff()
def tag_role(client, name, tags):
    client.tag_role(RoleName=name, Tags=tags_list(tags))


@IAMRoleErrorHandler.common_error_handler("untag role {name}")
@AWSRetry.jittered_backoff()
def untag_role(client, name, keys):
    client.untag_role(RoleName=name, TagKeys=list(keys))
