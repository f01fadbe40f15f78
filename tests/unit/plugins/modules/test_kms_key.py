"""dito.chat.kms_key against moto in-process: found by alias in three requests, converged, never made twice
(orphans adopted, lost CreateKey and CreateAlias responses recognised), scheduled for deletion."""

from unittest import mock

import boto3
import botocore.exceptions
import pytest
from botocore.client import BaseClient

from ansible_collections.dito.chat.plugins.module_utils import kms as kms_utils
from ansible_collections.dito.chat.plugins.modules import kms_key

REGION = "eu-west-1"
ALIAS = "alias/dito-cache"
MARKER = {"TagKey": "dito.chat:alias", "TagValue": ALIAS}
WRITES = ("Create", "Tag", "Untag", "Enable", "Disable", "Update", "Schedule", "Cancel", "Delete", "Put")


@pytest.fixture
def kms(aws):
    return boto3.client("kms", region_name=REGION)


def args(**extra):
    return dict({"alias": ALIAS, "description": "Data at rest of dito-cache", "enable_key_rotation": True, "tags": {"project": "dito"}}, **extra)


def writes(api_calls):
    return [c for c in api_calls if c[1].startswith(WRITES)]


def customer_keys(kms):
    return [k["KeyId"] for k in kms.list_keys()["Keys"] if kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]["KeyManager"] == "CUSTOMER"]


def tags_of(kms, key):
    return {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=key)["Tags"]}


def test_check_mode_on_an_empty_account_plans_without_writing(kms, run_module, api_calls):
    planned = run_module(kms_key.main, args(), check_mode=True, diff=True)
    assert planned["changed"] is True and "key_arn" not in planned and "key_id" not in planned
    assert planned["aliases"] == ["dito-cache"] and planned["enable_key_rotation"] is True
    assert planned["tags"] == {"project": "dito", "dito.chat:alias": ALIAS} and planned["diff"]["before"] == {}
    assert writes(api_calls) == [] and customer_keys(kms) == []


def test_create_then_a_no_op_in_three_requests(kms, run_module, api_calls):
    created = run_module(kms_key.main, args(), diff=True)
    assert created["changed"] is True and created["adopted"] is False and created["diff"]["before"] == {}
    key = kms.describe_key(KeyId=ALIAS)["KeyMetadata"]
    assert customer_keys(kms) == [key["KeyId"]] and created["key_arn"] == key["Arn"] and created["key_id"] == key["KeyId"]
    assert key["Description"] == "Data at rest of dito-cache" and key["KeySpec"] == "SYMMETRIC_DEFAULT" and key["KeyUsage"] == "ENCRYPT_DECRYPT"
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is True
    assert tags_of(kms, key["KeyId"]) == {"project": "dito", "dito.chat:alias": ALIAS}
    assert created["key_state"] == "Enabled" and created["enabled"] is True and created["enable_key_rotation"] is True
    assert created["tags"] == {"project": "dito", "dito.chat:alias": ALIAS} and created["aliases"] == ["dito-cache"]
    assert [c[1] for c in writes(api_calls)] == ["CreateKey", "CreateAlias", "EnableKeyRotation"]

    del api_calls[:]
    again = run_module(kms_key.main, args(), diff=True)
    assert again["changed"] is False and again["key_arn"] == key["Arn"] and again["tags"] == created["tags"]
    assert sorted(c[1] for c in api_calls) == ["DescribeKey", "GetKeyRotationStatus", "ListResourceTags"]
    assert run_module(kms_key.main, args(), check_mode=True)["changed"] is False
    # The alias may be given without its prefix (as amazon.aws.kms_key takes it).
    assert run_module(kms_key.main, args(alias="dito-cache"))["changed"] is False


def test_tags_purge_and_the_marker_stays(kms, run_module, api_calls):
    key = run_module(kms_key.main, args(tags={"project": "dito", "old": "x"}))["key_id"]

    retagged = run_module(kms_key.main, args(tags={"project": "chat"}), diff=True)
    assert retagged["changed"] is True and retagged["diff"]["before"]["tags"]["old"] == "x"
    assert tags_of(kms, key) == {"project": "chat", "dito.chat:alias": ALIAS} == retagged["tags"]

    added = run_module(kms_key.main, args(tags={"team": "a"}, purge_tags=False))
    assert added["changed"] is True and tags_of(kms, key) == {"project": "chat", "team": "a", "dito.chat:alias": ALIAS}
    assert run_module(kms_key.main, args(tags=None))["changed"] is False
    emptied = run_module(kms_key.main, args(tags={}))
    assert emptied["changed"] is True and tags_of(kms, key) == {"dito.chat:alias": ALIAS}


def test_description_rotation_and_enabled_converge(kms, run_module):
    key = run_module(kms_key.main, args())["key_id"]

    changed = run_module(kms_key.main, args(description="Other", enable_key_rotation=False), diff=True)
    assert changed["changed"] is True and changed["description"] == "Other" and changed["enable_key_rotation"] is False
    assert changed["diff"]["before"]["description"] == "Data at rest of dito-cache" and changed["diff"]["after"]["enable_key_rotation"] is False
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["Description"] == "Other"
    assert kms.get_key_rotation_status(KeyId=key)["KeyRotationEnabled"] is False
    # Unset options leave the key alone.
    assert run_module(kms_key.main, {"alias": ALIAS})["changed"] is False

    disabled = run_module(kms_key.main, args(enabled=False, description="Other", enable_key_rotation=None))
    assert disabled["changed"] is True and kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Disabled"
    enabled = run_module(kms_key.main, args())
    assert enabled["changed"] is True and enabled["key_state"] == "Enabled"
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["Enabled"] is True


def test_absent_schedules_the_deletion_keeps_the_alias_and_is_idempotent(kms, run_module, api_calls):
    key = run_module(kms_key.main, args())["key_id"]

    planned = run_module(kms_key.main, {"alias": ALIAS, "state": "absent", "pending_window": 7}, check_mode=True)
    assert planned["changed"] is True and kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Enabled"

    gone = run_module(kms_key.main, {"alias": ALIAS, "state": "absent", "pending_window": 7}, diff=True)
    assert gone["changed"] is True and gone["key_state"] == "PendingDeletion" and gone["key_id"] == key
    assert gone["diff"] == {"before": {"key_state": "Enabled"}, "after": {"key_state": "PendingDeletion"}}
    held = kms.describe_key(KeyId=ALIAS)["KeyMetadata"]
    assert held["KeyId"] == key and held["KeyState"] == "PendingDeletion"
    assert [c[1] for c in writes(api_calls)].count("ScheduleKeyDeletion") == 1

    assert run_module(kms_key.main, {"alias": ALIAS, "state": "absent", "pending_window": 7})["changed"] is False
    nowhere = run_module(kms_key.main, {"alias": "alias/nowhere", "state": "absent"})
    assert nowhere["changed"] is False and "key_arn" not in nowhere
    assert [c[1] for c in writes(api_calls)].count("ScheduleKeyDeletion") == 1

    back = run_module(kms_key.main, args())
    assert back["changed"] is True and back["key_id"] == key and back["key_state"] == "Enabled"
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Enabled" and customer_keys(kms) == [key]


def test_a_pending_window_outside_7_to_30_fails_before_any_call(kms, run_module, api_calls):
    failed = run_module(kms_key.main, {"alias": ALIAS, "state": "absent", "pending_window": 3})
    assert failed["failed"] and "pending_window" in failed["msg"] and api_calls == []


def test_an_orphan_with_the_marker_is_adopted_not_doubled(kms, run_module, api_calls):
    orphan = kms.create_key(Tags=[MARKER], Description="Data at rest of dito-cache")["KeyMetadata"]["KeyId"]
    other = kms.create_key(Tags=[{"TagKey": "dito.chat:alias", "TagValue": "alias/someone-else"}])["KeyMetadata"]["KeyId"]
    del api_calls[:]

    planned = run_module(kms_key.main, args(), check_mode=True)
    assert planned["changed"] is True and planned["adopted"] is True and planned["key_id"] == orphan
    assert writes(api_calls) == []

    adopted = run_module(kms_key.main, args())
    assert adopted["changed"] is True and adopted["adopted"] is True and adopted["key_id"] == orphan
    assert kms.describe_key(KeyId=ALIAS)["KeyMetadata"]["KeyId"] == orphan and sorted(customer_keys(kms)) == sorted([orphan, other])
    assert ("kms", "CreateKey") not in api_calls
    assert kms.get_key_rotation_status(KeyId=orphan)["KeyRotationEnabled"] is True and tags_of(kms, orphan)["project"] == "dito"
    assert run_module(kms_key.main, args())["changed"] is False


def test_a_key_with_an_alias_or_scheduled_for_deletion_is_no_orphan(kms, run_module):
    named = kms.create_key(Tags=[MARKER])["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/renamed", TargetKeyId=named)
    doomed = kms.create_key(Tags=[MARKER])["KeyMetadata"]["KeyId"]
    kms.schedule_key_deletion(KeyId=doomed, PendingWindowInDays=7)

    created = run_module(kms_key.main, args())
    assert created["adopted"] is False and created["key_id"] not in (named, doomed) and len(customer_keys(kms)) == 3


def lose(operation, how):
    """Patch _make_api_call so that ``operation`` runs on AWS and its caller then sees ``how(original_call)``."""
    original = BaseClient._make_api_call

    def call(self, operation_name, api_params):
        if operation_name == operation:
            return how(lambda: original(self, operation_name, api_params))
        return original(self, operation_name, api_params)

    return mock.patch.object(BaseClient, "_make_api_call", call)


def test_a_lost_create_key_response_adopts_the_key_it_made(kms, run_module, monkeypatch):
    monkeypatch.setattr(kms_utils.time, "sleep", lambda s: None)

    def lost(call):
        call()
        raise botocore.exceptions.ConnectionClosedError(endpoint_url="https://kms.eu-west-1.amazonaws.com/")

    with lose("CreateKey", lost):
        created = run_module(kms_key.main, args())
    assert created["changed"] is True and created["adopted"] is True
    assert customer_keys(kms) == [created["key_id"]] == [kms.describe_key(KeyId=ALIAS)["KeyMetadata"]["KeyId"]]
    assert kms.get_key_rotation_status(KeyId=created["key_id"])["KeyRotationEnabled"] is True
    assert run_module(kms_key.main, args())["changed"] is False


def test_a_lost_create_key_request_is_sent_again(kms, run_module, monkeypatch):
    monkeypatch.setattr(kms_utils.time, "sleep", lambda s: None)
    sent = []

    def refused_once(call):
        sent.append(1)
        if len(sent) == 1:
            raise botocore.exceptions.EndpointConnectionError(endpoint_url="https://kms.eu-west-1.amazonaws.com/")
        return call()

    with lose("CreateKey", refused_once):
        created = run_module(kms_key.main, args())
    assert created["changed"] is True and created["adopted"] is False and len(sent) == 2
    assert customer_keys(kms) == [created["key_id"]]


def test_create_key_is_sent_by_a_client_that_does_not_resend(kms, run_module, monkeypatch):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "10")
    monkeypatch.setenv("AWS_RETRY_MODE", "standard")
    attempts = []

    def spy(self, operation_name, api_params):
        if operation_name == "CreateKey":
            attempts.append(self.meta.config.retries)
        return original(self, operation_name, api_params)

    original = BaseClient._make_api_call
    with mock.patch.object(BaseClient, "_make_api_call", spy):
        run_module(kms_key.main, args())
    assert len(attempts) == 1 and attempts[0]["total_max_attempts"] == 1


def test_a_lost_create_alias_response_is_recognised(kms, run_module):
    def resent(call):
        call()
        return call()  # botocore's retry of the request: AlreadyExistsException

    with lose("CreateAlias", resent):
        created = run_module(kms_key.main, args())
    assert created["changed"] is True and "failed" not in created
    assert customer_keys(kms) == [created["key_id"]] == [kms.describe_key(KeyId=ALIAS)["KeyMetadata"]["KeyId"]]


def test_an_alias_taken_by_another_key_meanwhile_fails(kms, run_module):
    original = BaseClient._make_api_call

    def call(self, operation_name, api_params):
        if operation_name == "CreateAlias" and api_params.get("AliasName") == ALIAS and not getattr(call, "done", False):
            call.done = True
            other = original(self, "CreateKey", {})["KeyMetadata"]["KeyId"]
            original(self, "CreateAlias", {"AliasName": ALIAS, "TargetKeyId": other})
        return original(self, operation_name, api_params)

    with mock.patch.object(BaseClient, "_make_api_call", call):
        failed = run_module(kms_key.main, args())
    assert failed["failed"] and "the alias names another key" in failed["msg"]


def test_throttled_create_key_is_sent_again_without_searching(kms, run_module, monkeypatch, api_calls):
    monkeypatch.setattr(kms_utils.time, "sleep", lambda s: None)
    sent = []

    def throttled_once(call):
        sent.append(1)
        if len(sent) == 1:
            raise botocore.exceptions.ClientError(
                {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}, "ResponseMetadata": {"HTTPStatusCode": 400}}, "CreateKey"
            )
        return call()

    with lose("CreateKey", throttled_once):
        created = run_module(kms_key.main, args())
    # A throttled request did nothing: the keys are searched once (before creating), not again.
    assert api_calls.count(("kms", "ListKeys")) == 1
    assert created["changed"] is True and created["adopted"] is False and len(sent) == 2 and customer_keys(kms) == [created["key_id"]]


def test_absent_without_the_alias_schedules_the_orphans(kms, run_module):
    orphan = kms.create_key(Tags=[MARKER])["KeyMetadata"]["KeyId"]
    gone = run_module(kms_key.main, {"alias": ALIAS, "state": "absent", "pending_window": 7})
    assert gone["changed"] is True and gone["key_id"] == orphan
    assert kms.describe_key(KeyId=orphan)["KeyMetadata"]["KeyState"] == "PendingDeletion"
    assert run_module(kms_key.main, {"alias": ALIAS, "state": "absent"})["changed"] is False


@pytest.mark.parametrize(
    ("asked", "have", "wanted"),
    [
        (None, {"dito.chat:alias": ALIAS}, None),
        ({"a": "b"}, {}, {"a": "b"}),
        ({"a": "b"}, {"dito.chat:alias": ALIAS, "c": "d"}, {"a": "b", "dito.chat:alias": ALIAS}),
    ],
)
def test_the_marker_is_never_purged(asked, have, wanted):
    assert kms_key.wanted_tags(asked, have) == wanted


def test_the_documentation_parses_and_names_the_options_and_return_keys_of_amazon_aws():
    import yaml

    options = yaml.safe_load(kms_key.DOCUMENTATION)["options"]
    assert sorted(options) == ["alias", "description", "enable_key_rotation", "enabled", "pending_window", "state"]
    assert options["alias"]["aliases"] == ["key_alias"] and options["pending_window"]["aliases"] == ["deletion_delay"]
    returned = yaml.safe_load(kms_key.RETURN)
    assert {"key_arn", "key_id", "aliases", "description", "enabled", "key_state", "enable_key_rotation", "tags"} <= set(returned)
    assert all(task["name"] for task in yaml.safe_load(kms_key.EXAMPLES))
