"""dito.chat.codeconnections_connection against moto in-process with the emulator's CodeConnections backend."""

import boto3
import pytest
import requests
from ansible.module_utils.common import warnings

from ansible_collections.dito.chat.plugins.modules import codeconnections_connection
from tools.emulator.patches import codeconnections as emulated

REGION = "eu-west-1"
CONSOLE = "https://eu-west-1.console.aws.amazon.com/codesuite/settings/123456789012/eu-west-1/connections/"
STATUS_URL = "http://motoapi.amazonaws.com/moto-api/codeconnections/connection-status"
MUTATING = ("Create", "Delete", "Tag", "Untag")


@pytest.fixture
def run(run_module):
    """The module's main() with the given args; Ansible's process-wide warnings list is emptied before each run."""

    def run_once(args, **kwargs):
        warnings._global_warnings.clear()
        return run_module(codeconnections_connection.main, args, **kwargs)

    return run_once


def warned(result):
    """The messages of the run's warnings (ansible-core 2.21 reports each as a WarningSummary dict)."""
    return [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])]


def mutations(api_calls):
    return [c for c in api_calls if c[1].startswith(MUTATING)]


def complete_handshake(arn):
    """The emulator-only stand-in for the console handshake (in-process: `responses` intercepts requests)."""
    answer = requests.post(STATUS_URL, json={"ConnectionArn": arn, "ConnectionStatus": "AVAILABLE"}, timeout=5)
    assert answer.status_code == 200, answer.text


def test_create_by_name_is_pending_with_a_warning_then_idempotent(aws, run, api_calls):
    client = boto3.client("codeconnections", region_name=REGION)
    args = {"name": "dito-github", "tags": {"project": "dito"}}

    planned = run(args, check_mode=True)
    assert planned["changed"] is True
    assert planned["connection"] == {
        "connection_name": "dito-github",
        "connection_arn": None,
        "connection_status": "PENDING",
        "provider_type": "GitHub",
        "owner_account_id": None,
        "host_arn": None,
        "tags": {"project": "dito"},
        "console_url": None,
    }
    assert any("is PENDING" in w for w in warned(planned))
    assert client.list_connections()["Connections"] == [] and mutations(api_calls) == []

    created = run(args, diff=True)
    arn = created["connection"]["connection_arn"]
    held = client.get_connection(ConnectionArn=arn)["Connection"]
    assert created["changed"] is True and created["diff"]["before"] == {}
    assert held["ConnectionName"] == "dito-github" and held["ProviderType"] == "GitHub" and held["ConnectionStatus"] == "PENDING"
    assert arn.startswith("arn:aws:codeconnections:eu-west-1:123456789012:connection/")
    assert created["connection"]["console_url"] == CONSOLE + arn.rsplit("/", 1)[1]
    assert created["connection"]["owner_account_id"] == "123456789012" and created["connection"]["connection_status"] == "PENDING"
    assert warned(created) == [
        f"The connection dito-github ({arn}) is PENDING: complete the handshake at {created['connection']['console_url']}; "
        "pipelines that use it fail at their Source stage until then"
    ]
    assert client.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "project", "Value": "dito"}]
    assert mutations(api_calls) == [("codeconnections", "CreateConnection")]

    again = run(args)
    assert again["changed"] is False and again["connection"] == created["connection"]
    assert run(args, check_mode=True)["changed"] is False
    assert mutations(api_calls) == [("codeconnections", "CreateConnection")]
    assert len(client.list_connections()["Connections"]) == 1


def test_available_connection_gives_no_warning(aws, run):
    arn = run({"name": "dito-github"})["connection"]["connection_arn"]
    complete_handshake(arn)
    by_name = run({"name": "dito-github"})
    assert by_name["changed"] is False and by_name["connection"]["connection_status"] == "AVAILABLE"
    assert warned(by_name) == []
    assert warned(run({"arn": arn})) == []


def test_by_arn_in_both_forms_reads_and_tags_but_never_creates(aws, run, api_calls):
    old = boto3.client("codestar-connections", region_name=REGION)
    arn = old.create_connection(ConnectionName="by-hand", ProviderType="Bitbucket", Tags=[{"Key": "old", "Value": "x"}])["ConnectionArn"]
    new_form = arn.replace(":codestar-connections:", ":codeconnections:")
    api_calls.clear()

    for given in (arn, new_form):
        read = run({"arn": given})
        assert read["changed"] is False and read["connection"]["connection_arn"] == arn  # the form it was created with
        assert read["connection"]["provider_type"] == "Bitbucket" and read["connection"]["tags"] == {"old": "x"}
        assert read["connection"]["console_url"] == CONSOLE + arn.rsplit("/", 1)[1]

    retagged = run({"arn": new_form, "tags": {"project": "dito"}}, diff=True)
    assert retagged["changed"] is True and retagged["diff"] == {"before": {"tags": {"old": "x"}}, "after": {"tags": {"project": "dito"}}}
    assert old.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "project", "Value": "dito"}]
    assert run({"arn": arn, "tags": {"project": "dito"}})["changed"] is False
    kept = run({"arn": arn, "tags": {"team": "a"}, "purge_tags": False})
    assert kept["changed"] is True and kept["connection"]["tags"] == {"project": "dito", "team": "a"}

    missing = arn.rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000000"
    refused = run({"arn": missing})
    assert refused["failed"] and refused["msg"].startswith("arn: no connection")
    assert [c for c in mutations(api_calls) if c[1] == "CreateConnection"] == []
    assert len(old.list_connections()["Connections"]) == 1


def test_tags_check_mode_changes_nothing(aws, run, api_calls):
    arn = run({"name": "dito-github", "tags": {"a": "1"}})["connection"]["connection_arn"]
    planned = run({"name": "dito-github", "tags": {"b": "2"}}, check_mode=True)
    assert planned["changed"] is True and planned["connection"]["tags"] == {"b": "2"}
    assert boto3.client("codeconnections", region_name=REGION).list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "a", "Value": "1"}]
    assert mutations(api_calls) == [("codeconnections", "CreateConnection")]


def test_another_provider_is_refused_and_nothing_changes(aws, run, api_calls):
    boto3.client("codeconnections", region_name=REGION).create_connection(ConnectionName="dito-github", ProviderType="GitLab")
    api_calls.clear()
    refused = run({"name": "dito-github", "tags": {"a": "b"}})
    assert refused["failed"] and refused["msg"].startswith("provider_type:") and "GitLab" in refused["msg"]
    assert mutations(api_calls) == []


def test_several_connections_of_one_name_ask_for_the_arn(aws, run, api_calls):
    client = boto3.client("codeconnections", region_name=REGION)
    for _attempt in range(2):
        client.create_connection(ConnectionName="twin", ProviderType="GitHub")
    api_calls.clear()
    for state in ("present", "absent"):
        refused = run({"name": "twin", "state": state})
        assert refused["failed"] and refused["msg"].startswith("name: 2 connections are named twin")
    assert mutations(api_calls) == []


def test_absent_deletes_only_an_existing_connection(aws, run, api_calls):
    client = boto3.client("codeconnections", region_name=REGION)
    arn = run({"name": "dito-github"})["connection"]["connection_arn"]
    other = client.create_connection(ConnectionName="other", ProviderType="GitHub")["ConnectionArn"]

    assert run({"name": "dito-github", "state": "absent"}, check_mode=True)["changed"] is True
    assert len(client.list_connections()["Connections"]) == 2
    assert run({"name": "dito-github", "state": "absent"})["changed"] is True
    assert [c["ConnectionArn"] for c in client.list_connections()["Connections"]] == [other]
    assert run({"name": "dito-github", "state": "absent"})["changed"] is False
    assert run({"arn": arn, "state": "absent"})["changed"] is False

    codestar_form = other.replace(":codeconnections:", ":codestar-connections:")
    assert run({"arn": codestar_form, "state": "absent"})["changed"] is True
    assert client.list_connections()["Connections"] == []
    assert [c[1] for c in mutations(api_calls) if c[1] == "DeleteConnection"] == ["DeleteConnection", "DeleteConnection"]


def test_bad_input_fails_before_any_aws_call_naming_the_option(aws, run, api_calls):
    cases = [
        ({"name": "x" * 33}, "name:"),
        ({"name": ""}, "name:"),
        ({"arn": "arn:aws:s3:::bucket"}, "arn:"),
        ({"arn": "arn:aws:codeconnections:us-east-1:123456789012:connection/abc"}, "arn: the connection is in region us-east-1"),
        ({"name": "ok", "host_arn": "not-a-host"}, "host_arn:"),
        ({"name": "ok", "provider_type": "SVN"}, "provider_type"),
        ({"name": "ok", "arn": "arn:aws:codeconnections:eu-west-1:123456789012:connection/abc"}, "mutually exclusive: name|arn"),
        ({"state": "present"}, "one of the following is required: name, arn"),
        ({"name": "ok", "tags": {"aws:owner": "me"}}, "tags:"),
    ]
    for args, expected in cases:
        failed = run(dict(args, region=REGION))
        assert failed["failed"] and expected in failed["msg"], (args, failed["msg"])
    assert api_calls == []


def names_and_arns(client):
    return [(c["ConnectionName"], c["ConnectionArn"]) for c in client.list_connections()["Connections"]]


def test_a_lost_create_response_leaves_one_connection(aws, run, lost_response):
    """Connection names are not unique and CreateConnection takes no client token: botocore's resend of a create whose
    response was lost makes a second connection. The module keeps the one answered and deletes the other, saying so."""
    client = boto3.client("codeconnections", region_name=REGION)
    doubled = lost_response("CreateConnection")
    created = run({"name": "dito-github", "tags": {"project": "dito"}})
    assert doubled == [("codeconnections", "CreateConnection")]
    assert created["changed"] is True and "failed" not in created
    assert names_and_arns(client) == [("dito-github", created["connection"]["connection_arn"])]
    assert created["connection"]["tags"] == {"project": "dito"}
    assert any("CreateConnection was sent twice" in w for w in warned(created))
    assert run({"name": "dito-github", "tags": {"project": "dito"}})["changed"] is False


def test_a_lost_create_response_is_recognised_where_names_are_refused(aws, run, lost_response, monkeypatch):
    """Should AWS refuse a second connection of one name (the API reference names no error for it), the resend's
    error is recognised: the connection of that name, absent before the create, is the first attempt's."""
    original = emulated.CodeConnectionsBackend.create_connection

    def unique_names(self, service, name, *args):
        if any(c.name == name for c in self.connections.values()):
            raise emulated.InvalidInputException(f"Connection {name} already exists")
        return original(self, service, name, *args)

    monkeypatch.setattr(emulated.CodeConnectionsBackend, "create_connection", unique_names)
    client = boto3.client("codeconnections", region_name=REGION)
    lost_response("CreateConnection")
    created = run({"name": "dito-github", "tags": {"project": "dito"}})
    assert created["changed"] is True and "failed" not in created
    assert names_and_arns(client) == [("dito-github", created["connection"]["connection_arn"])]
    assert not any("sent twice" in w for w in warned(created))
