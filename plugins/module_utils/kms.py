# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS KMS wrappers: resolving a key id, ARN or alias to the key it names, and the calls of dito.chat.kms_key
(keys found by alias, their description, rotation, tags, deletion), including a CreateKey that is never sent twice.

KMS CreateKey takes no client token and a key has no name: a request sent twice makes two keys. So the module's
keys carry the tag ``dito.chat:alias=<alias>`` from their creation on (MARKER_TAG), and a key with that tag and
no alias is one this module made and did not get to name: it is adopted instead of making another.
"""

import random
import time

try:
    import botocore
    from botocore.config import Config
except ImportError:
    pass  # caught by AnsibleAWSModule

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

# The tag that names, on a key this module created, the alias the key is made for.
MARKER_TAG = "dito.chat:alias"

# KMS's own throttling and transient errors (KMS API reference, Common Errors and each action's Errors):
# ThrottlingException (request rate quota), KMSInternalException (500), DependencyTimeoutException (503).
RETRY_CODES = ["ThrottlingException", "KMSInternalException", "DependencyTimeoutException"]
# Answers that say the request was refused before it did anything: sending it again is safe.
NOT_PROCESSED_CODES = ["ThrottlingException", "Throttling", "TooManyRequestsException", "RequestLimitExceeded"]
CREATE_ATTEMPTS = 6


def retry_decorator():
    """The jittered backoff of every KMS call: AWSRetry's codes and KMS's own."""
    return AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)


def single_attempt_config():
    """A botocore Config that sends each request once, whatever AWS_MAX_ATTEMPTS / AWS_RETRY_MODE say."""
    return Config(retries={"total_max_attempts": 1})


class AnsibleKMSError(AnsibleAWSError):
    pass


class KMSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleKMSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFoundException")


def canonical_alias(alias):
    """``alias/<name>`` whether or not the prefix was given."""
    return alias if alias.startswith("alias/") else "alias/" + alias


def tag_list(tags):
    return ansible_dict_to_boto3_tag_list(tags or {}, tag_name_key_name="TagKey", tag_value_key_name="TagValue")


@KMSErrorHandler.common_error_handler("resolve the KMS key {key_id}")
@AWSRetry.jittered_backoff()
def describe_key(client, key_id):
    """The KeyMetadata of a key given by id, ARN, alias name or alias ARN. A key that does not exist fails."""
    return client.describe_key(KeyId=key_id)["KeyMetadata"]


@KMSErrorHandler.list_error_handler("describe the KMS key {key_id}")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def find_key(client, key_id):
    """The KeyMetadata of a key given by id, ARN or alias; None when there is no such key or alias."""
    return client.describe_key(KeyId=key_id)["KeyMetadata"]


@KMSErrorHandler.common_error_handler("get the rotation status of the KMS key {key_id}")
def rotation_enabled(client, key_id):
    """Whether automatic rotation is on; None when it cannot be read (access denied, or a key that does not rotate)."""
    try:
        return client.get_key_rotation_status(KeyId=key_id, aws_retry=True)["KeyRotationEnabled"]
    except is_boto3_error_code(["AccessDeniedException", "UnsupportedOperationException"]):
        return None


@KMSErrorHandler.common_error_handler("list the tags of the KMS key {key_id}")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_tags(client, key_id):
    """The key's tags as a dict (ListResourceTags, every page)."""
    tags, request = [], {"KeyId": key_id}
    while True:
        page = client.list_resource_tags(**request)
        tags.extend(page.get("Tags", []))
        if not page.get("Truncated"):
            return boto3_tag_list_to_ansible_dict(tags, "TagKey", "TagValue")
        request["Marker"] = page["NextMarker"]


@KMSErrorHandler.common_error_handler("list the KMS aliases")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_aliases(client):
    return [a for page in client.get_paginator("list_aliases").paginate() for a in page["Aliases"]]


@KMSErrorHandler.common_error_handler("list the KMS keys")
@AWSRetry.jittered_backoff(catch_extra_error_codes=RETRY_CODES)
def list_keys(client):
    return [k for page in client.get_paginator("list_keys").paginate() for k in page["Keys"]]


def _marker_of(client, key_id):
    """The key's marker tag value; None when it has none or its tags cannot be read (another account's policy)."""
    try:
        return list_tags(client, key_id).get(MARKER_TAG)
    except AnsibleKMSError as e:
        if _code(e.exception) == "AccessDeniedException":
            return None
        raise


def _code(exception):
    response = getattr(exception, "response", None) or {}
    return response.get("Error", {}).get("Code")


def find_orphans(client, alias):
    """The keys this module made for ``alias`` that no alias names: Enabled customer managed symmetric keys with the
    marker tag ``alias``, oldest first. ListAliases, ListKeys, then ListResourceTags for each key without an alias
    (and DescribeKey for those that carry the marker)."""
    aliased = {a["TargetKeyId"] for a in list_aliases(client) if a.get("TargetKeyId")}
    found = []
    for key in list_keys(client):
        if key["KeyId"] in aliased or _marker_of(client, key["KeyId"]) != alias:
            continue
        meta = find_key(client, key["KeyId"])
        if (
            meta
            and meta.get("KeyManager") == "CUSTOMER"
            and meta.get("KeyState") == "Enabled"
            # A SYMMETRIC_DEFAULT key is always ENCRYPT_DECRYPT (CreateKey, KeyUsage).
            and meta.get("KeySpec", meta.get("CustomerMasterKeySpec")) == "SYMMETRIC_DEFAULT"
        ):
            found.append(meta)
    return sorted(found, key=lambda m: str(m.get("CreationDate")))


def _outcome_unknown(exception):
    """Whether a failed CreateKey may have made the key all the same: a connection error (the response was lost)
    or a 5xx; not an answer that refused the request (throttling, validation, limits)."""
    if isinstance(exception, (botocore.exceptions.HTTPClientError, botocore.exceptions.ConnectionError)):
        return True
    status = (getattr(exception, "response", None) or {}).get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
    return status >= 500 or _code(exception) in ("KMSInternalException", "DependencyTimeoutException", "InternalFailure", "ServiceUnavailable")


def _retryable(exception):
    return _outcome_unknown(exception) or _code(exception) in NOT_PROCESSED_CODES


def create_key(once_client, client, alias, description, tags, sleep=time.sleep):
    """CreateKey (symmetric, ENCRYPT_DECRYPT, the account's default key policy) tagged with ``tags`` and the marker,
    sent through ``once_client`` (a client that never resends: see single_attempt_config). Throttled, it is sent
    again; when the outcome is unknown (a lost response, a 5xx) the keys are searched for the one it may have
    made (find_orphans through ``client``) before sending again. Returns ``(KeyMetadata, adopted)``."""
    request = {
        "KeySpec": "SYMMETRIC_DEFAULT",
        "KeyUsage": "ENCRYPT_DECRYPT",
        "Origin": "AWS_KMS",
        "Tags": tag_list(dict(tags or {}, **{MARKER_TAG: alias})),
    }
    if description is not None:
        request["Description"] = description
    # Not AWSRetry: a request whose response was lost must not be resent blindly, so the retries are these.
    for attempt in range(CREATE_ATTEMPTS):
        try:
            return once_client.create_key(**request)["KeyMetadata"], False
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
            if not _retryable(e) or attempt == CREATE_ATTEMPTS - 1:
                raise AnsibleKMSError(message=f"Failed to create the KMS key for {alias}", exception=e) from e
            sleep(random.SystemRandom().uniform(0, min(30, 2**attempt)))
            if _outcome_unknown(e):
                orphans = find_orphans(client, alias)
                if orphans:
                    return orphans[0], True
    raise AnsibleKMSError(message=f"Failed to create the KMS key for {alias}")  # not reached


@KMSErrorHandler.common_error_handler("name the KMS key {key_id} {alias}")
def create_alias(client, alias, key_id):
    """CreateAlias. When the alias already exists and names ``key_id`` (botocore resent a CreateAlias whose response
    was lost), that is success; naming another key fails."""
    try:
        client.create_alias(AliasName=alias, TargetKeyId=key_id, aws_retry=True)
    except is_boto3_error_code("AlreadyExistsException") as e:
        named = find_key(client, alias)
        if not named or named["KeyId"] != key_id.rsplit("/", 1)[-1]:
            raise AnsibleKMSError(message=f"Failed to name the KMS key {key_id} {alias}: the alias names another key", exception=e) from e


@KMSErrorHandler.common_error_handler("update the description of the KMS key {key_id}")
def update_description(client, key_id, description):
    client.update_key_description(KeyId=key_id, Description=description, aws_retry=True)


@KMSErrorHandler.common_error_handler("set the rotation of the KMS key {key_id}")
def set_rotation(client, key_id, enabled):
    if enabled:
        client.enable_key_rotation(KeyId=key_id, aws_retry=True)
    else:
        client.disable_key_rotation(KeyId=key_id, aws_retry=True)


@KMSErrorHandler.common_error_handler("enable or disable the KMS key {key_id}")
def set_enabled(client, key_id, enabled):
    if enabled:
        client.enable_key(KeyId=key_id, aws_retry=True)
    else:
        client.disable_key(KeyId=key_id, aws_retry=True)


@KMSErrorHandler.common_error_handler("tag the KMS key {key_id}")
def tag_key(client, key_id, tags):
    client.tag_resource(KeyId=key_id, Tags=tag_list(tags), aws_retry=True)


@KMSErrorHandler.common_error_handler("untag the KMS key {key_id}")
def untag_key(client, key_id, keys):
    client.untag_resource(KeyId=key_id, TagKeys=list(keys), aws_retry=True)


@KMSErrorHandler.common_error_handler("cancel the deletion of the KMS key {key_id}")
def cancel_deletion(client, key_id):
    """CancelKeyDeletion; the key is then Disabled. A resent request finds the key no longer PendingDeletion
    (KMSInvalidStateException): that is success."""
    try:
        client.cancel_key_deletion(KeyId=key_id, aws_retry=True)
    except is_boto3_error_code("KMSInvalidStateException"):
        meta = find_key(client, key_id)
        if not meta or meta["KeyState"] == "PendingDeletion":
            raise


@KMSErrorHandler.common_error_handler("schedule the deletion of the KMS key {key_id}")
def schedule_deletion(client, key_id, pending_window):
    """ScheduleKeyDeletion; returns ``(KeyState, DeletionDate)`` afterwards. A resent request finds the key
    PendingDeletion already (KMSInvalidStateException): that is success."""
    request = {"KeyId": key_id}
    if pending_window:
        request["PendingWindowInDays"] = pending_window
    try:
        answer = client.schedule_key_deletion(aws_retry=True, **request)
    except is_boto3_error_code("KMSInvalidStateException"):
        answer = find_key(client, key_id) or {}
        if answer.get("KeyState") != "PendingDeletion":
            raise
    return answer.get("KeyState", "PendingDeletion"), answer.get("DeletionDate")
