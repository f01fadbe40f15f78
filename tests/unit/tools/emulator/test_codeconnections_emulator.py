"""The emulator's CodeConnections / CodeStar Connections, as the CodeConnections API reference documents them
(tools/emulator/patches/codeconnections.py), in-process and through the server."""

import json
import socket
import urllib.error
import urllib.request

import boto3
import pytest
import requests
from moto import mock_aws

from tools.emulator import patches
from tools.emulator.patches import codeconnections

REGION = "eu-west-1"
STATUS_URL = "http://motoapi.amazonaws.com/moto-api/codeconnections/connection-status"


@pytest.fixture(scope="module", autouse=True)
def applied():
    return patches.apply_all()


@pytest.fixture
def clients():
    with mock_aws():
        yield boto3.client("codeconnections", region_name=REGION), boto3.client("codestar-connections", region_name=REGION)


def post_status(base, arn, status):
    body = json.dumps({"ConnectionArn": arn, "ConnectionStatus": status}).encode()
    request = urllib.request.Request(base, data=body, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.loads(answer.read())


def test_each_endpoint_makes_arns_of_its_own_form(clients):
    new, old = clients
    a = new.create_connection(ConnectionName="a", ProviderType="GitHub", Tags=[{"Key": "project", "Value": "dito"}])
    b = old.create_connection(ConnectionName="b", ProviderType="Bitbucket")
    assert a["ConnectionArn"].startswith("arn:aws:codeconnections:eu-west-1:123456789012:connection/")
    assert a["Tags"] == [{"Key": "project", "Value": "dito"}]
    assert b["ConnectionArn"].startswith("arn:aws:codestar-connections:eu-west-1:123456789012:connection/")
    assert [c["ConnectionArn"] for c in new.list_connections()["Connections"]] == [a["ConnectionArn"], b["ConnectionArn"]]


def test_list_connections_filters_and_pages(clients):
    new = clients[0]
    arns = [new.create_connection(ConnectionName=f"c{i}", ProviderType="GitHub" if i % 2 else "GitLab")["ConnectionArn"] for i in range(5)]
    assert [c["ConnectionName"] for c in new.list_connections(ProviderTypeFilter="GitLab")["Connections"]] == ["c0", "c2", "c4"]
    seen, request = [], {"MaxResults": 2}
    while True:
        page = new.list_connections(**request)
        assert len(page["Connections"]) <= 2
        seen += [c["ConnectionArn"] for c in page["Connections"]]
        if "NextToken" not in page:
            break
        request["NextToken"] = page["NextToken"]
    assert seen == arns
    other_host = "arn:aws:codeconnections:eu-west-1:123456789012:host/gitlab-1234"
    assert new.list_connections(HostArnFilter=other_host)["Connections"] == []


def test_tags_follow_tag_and_untag_by_either_arn_form(clients):
    new, old = clients
    arn = new.create_connection(ConnectionName="t", ProviderType="GitHub", Tags=[{"Key": "a", "Value": "1"}])["ConnectionArn"]
    old.tag_resource(ResourceArn=arn.replace(":codeconnections:", ":codestar-connections:"), Tags=[{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "3"}])
    new.untag_resource(ResourceArn=arn, TagKeys=["b"])
    assert new.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "a", "Value": "3"}]
    with pytest.raises(new.exceptions.LimitExceededException):
        new.tag_resource(ResourceArn=arn, Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(200)])


def test_errors_are_the_api_references(clients):
    new, old = clients
    missing = "arn:aws:codestar-connections:eu-west-1:123456789012:connection/00000000-0000-0000-0000-000000000000"
    for client, call in ((new, new.get_connection), (new, new.delete_connection), (old, old.get_connection)):
        with pytest.raises(client.exceptions.ResourceNotFoundException):
            call(ConnectionArn=missing)
    with pytest.raises(new.exceptions.ResourceNotFoundException):
        new.list_tags_for_resource(ResourceArn=missing)
    with pytest.raises(new.exceptions.ResourceNotFoundException):  # hosts are not emulated: none exists
        new.create_connection(ConnectionName="h", HostArn="arn:aws:codeconnections:eu-west-1:123456789012:host/ghes-1")
    with pytest.raises(new.exceptions.ClientError, match=r"ValidationException"):
        new.get_connection(ConnectionArn="arn:aws:s3:::bucket")
    # A connection of another region is not this region's.
    arn = new.create_connection(ConnectionName="r", ProviderType="GitHub")["ConnectionArn"]
    with pytest.raises(new.exceptions.ResourceNotFoundException):
        boto3.client("codeconnections", region_name="eu-central-1").get_connection(ConnectionArn=arn)


def test_the_connection_quota_is_250(clients, monkeypatch):
    new = clients[0]
    monkeypatch.setattr(codeconnections, "CONNECTION_LIMIT", 2)
    for name in ("a", "b"):
        new.create_connection(ConnectionName=name, ProviderType="GitHub")
    with pytest.raises(new.exceptions.LimitExceededException):
        new.create_connection(ConnectionName="c", ProviderType="GitHub")


def test_the_emulator_only_call_completes_the_handshake(clients):
    new = clients[0]
    arn = new.create_connection(ConnectionName="gh", ProviderType="GitHub")["ConnectionArn"]
    # In-process, moto answers through `responses`, which intercepts requests (not urllib).
    answer = requests.post(STATUS_URL, json={"ConnectionArn": arn, "ConnectionStatus": "AVAILABLE"}, timeout=5)
    assert answer.json()["Connection"]["ConnectionStatus"] == "AVAILABLE"
    assert new.get_connection(ConnectionArn=arn)["Connection"]["ConnectionStatus"] == "AVAILABLE"


@pytest.fixture
def server(monkeypatch):
    """The emulator's server (moto's threaded server with the patches applied) on a free loopback port."""
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    for var in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    moto.endpoint = f"http://127.0.0.1:{port}"
    yield moto
    moto.stop()


def test_the_server_dispatches_both_signing_names_and_resets(server):
    new, old = (boto3.client(s, region_name=REGION, endpoint_url=server.endpoint) for s in ("codeconnections", "codestar-connections"))
    a = new.create_connection(ConnectionName="a", ProviderType="GitHub")["ConnectionArn"]
    b = old.create_connection(ConnectionName="b", ProviderType="GitLab")["ConnectionArn"]
    assert (a.split(":")[2], b.split(":")[2]) == ("codeconnections", "codestar-connections")
    assert [c["ConnectionName"] for c in old.list_connections()["Connections"]] == ["a", "b"]
    assert post_status(f"{server.endpoint}/moto-api/codeconnections/connection-status", b, "AVAILABLE")["Connection"]["ConnectionArn"] == b
    assert new.get_connection(ConnectionArn=b)["Connection"]["ConnectionStatus"] == "AVAILABLE"
    with pytest.raises(urllib.error.HTTPError) as refused:
        post_status(f"{server.endpoint}/moto-api/codeconnections/connection-status", b, "READY")
    assert refused.value.code == 400
    # CodePipeline, dispatched by its own signing name, is untouched.
    assert boto3.client("codepipeline", region_name=REGION, endpoint_url=server.endpoint).list_pipelines()["pipelines"] == []
    urllib.request.urlopen(urllib.request.Request(f"{server.endpoint}/moto-api/reset", data=b"", method="POST")).read()
    assert new.list_connections()["Connections"] == []
