"""dito.chat.codedeploy_application against moto in-process with the emulator's CodeDeploy layer (DeleteApplication)."""

import boto3

from ansible_collections.dito.chat.plugins.modules import codedeploy_application

REGION = "eu-west-1"
ARN = "arn:aws:codedeploy:eu-west-1:123456789012:application:dito-backend"


def test_create_is_idempotent_tagged_and_check_mode_safe(aws, run_module, api_calls):
    client = boto3.client("codedeploy", region_name=REGION)
    args = {"name": "dito-backend", "tags": {"project": "dito"}}

    planned = run_module(codedeploy_application.main, args, check_mode=True)
    assert planned["changed"] is True and planned["application"]["arn"] == ARN and planned["application"]["application_id"] is None
    assert client.list_applications()["applications"] == []
    assert not [c for c in api_calls if c[1].startswith(("Create", "Tag", "Untag", "Delete"))]

    created = run_module(codedeploy_application.main, args, diff=True)
    assert created["changed"] is True and created["diff"]["before"] == {}
    held = client.get_application(applicationName="dito-backend")["application"]
    assert held["computePlatform"] == "ECS" and created["application"]["application_id"] == held["applicationId"]
    assert client.list_tags_for_resource(ResourceArn=ARN)["Tags"] == [{"Key": "project", "Value": "dito"}]

    again = run_module(codedeploy_application.main, args)
    assert again["changed"] is False and again["application"] == created["application"]
    assert run_module(codedeploy_application.main, args, check_mode=True)["changed"] is False


def test_tags_are_reconciled_and_left_alone_when_none(aws, run_module):
    client = boto3.client("codedeploy", region_name=REGION)
    run_module(codedeploy_application.main, {"name": "dito-backend", "tags": {"project": "dito", "old": "x"}})

    retagged = run_module(codedeploy_application.main, {"name": "dito-backend", "tags": {"project": "chat"}}, diff=True)
    assert retagged["changed"] is True and retagged["diff"]["before"]["tags"] == {"project": "dito", "old": "x"}
    assert client.list_tags_for_resource(ResourceArn=ARN)["Tags"] == [{"Key": "project", "Value": "chat"}]

    kept = run_module(codedeploy_application.main, {"name": "dito-backend"})
    assert kept["changed"] is False and kept["application"]["tags"] == {"project": "chat"}
    added = run_module(codedeploy_application.main, {"name": "dito-backend", "tags": {"team": "a"}, "purge_tags": False})
    assert added["changed"] is True and added["application"]["tags"] == {"project": "chat", "team": "a"}


def test_another_compute_platform_is_refused(aws, run_module, api_calls):
    boto3.client("codedeploy", region_name=REGION).create_application(applicationName="dito-backend", computePlatform="Server")
    refused = run_module(codedeploy_application.main, {"name": "dito-backend", "tags": {"a": "b"}})
    assert refused["failed"] and "compute_platform" in refused["msg"] and "Server" in refused["msg"]
    assert ("codedeploy", "TagResource") not in api_calls


def deletions(api_calls):
    return [c for c in api_calls if c[1].startswith("Delete")]


def test_absent_deletes_only_an_existing_application(aws, run_module, api_calls):
    client = boto3.client("codedeploy", region_name=REGION)
    run_module(codedeploy_application.main, {"name": "dito-backend"})
    client.create_application(applicationName="other-app", computePlatform="ECS")

    assert run_module(codedeploy_application.main, {"name": "dito-backend", "state": "absent"}, check_mode=True)["changed"] is True
    assert deletions(api_calls) == [] and sorted(client.list_applications()["applications"]) == ["dito-backend", "other-app"]

    assert run_module(codedeploy_application.main, {"name": "dito-backend", "state": "absent"})["changed"] is True
    assert client.list_applications()["applications"] == ["other-app"]
    assert deletions(api_calls) == [("codedeploy", "DeleteApplication")]

    assert run_module(codedeploy_application.main, {"name": "dito-backend", "state": "absent"})["changed"] is False
    assert run_module(codedeploy_application.main, {"name": "nowhere", "state": "absent"})["changed"] is False
    assert deletions(api_calls) == [("codedeploy", "DeleteApplication")]


def test_a_lost_create_response_is_recognised_on_the_resend(aws, run_module, lost_response):
    """CreateApplication's resend answers ApplicationAlreadyExistsException: the module reads the id back."""
    client = boto3.client("codedeploy", region_name=REGION)
    doubled = lost_response("CreateApplication")
    created = run_module(codedeploy_application.main, {"name": "dito-backend", "tags": {"project": "dito"}})
    assert doubled == [("codedeploy", "CreateApplication")]
    assert created["changed"] is True and "failed" not in created
    held = client.get_application(applicationName="dito-backend")["application"]
    assert created["application"]["application_id"] == held["applicationId"] and created["application"]["arn"] == ARN
    assert client.list_applications()["applications"] == ["dito-backend"]
