"""tools/emulator/request_log.py: the emulator's opt-in request log, by IAM action and calling role."""

import socket
import urllib.request

import boto3
import botocore.config
import pytest

from tools.emulator import request_log


@pytest.fixture
def server(tmp_path, monkeypatch):
    """An emulator-like moto server on a free loopback port, logging to a file; the log's path is `server.log`."""
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    for var in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "requests.jsonl"
    request_log.enable(str(log))
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    moto.endpoint, moto.log = f"http://127.0.0.1:{port}", log
    yield moto
    moto.stop()
    request_log.disable()


def client(server, service, role=None):
    # As amazon.aws builds its clients: its own user_agent, then the play's aws_config (site__aws_defaults).
    config = botocore.config.Config(user_agent="APN/1.0 Ansible/2.21 dito.chat/0.1.0", user_agent_extra=f"app/{role}" if role else None)
    return boto3.client(service, region_name="eu-west-1", endpoint_url=server.endpoint, config=config)


def test_each_request_is_logged_as_the_iam_actions_it_needs_with_the_calling_role(server):
    s3 = client(server, "s3", "dito.chat.alb")
    s3.create_bucket(Bucket="dito-logs", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.head_bucket(Bucket="dito-logs")
    s3.put_public_access_block(Bucket="dito-logs", PublicAccessBlockConfiguration={"BlockPublicAcls": True})
    client(server, "cloudwatch", "dito.chat.ecs_service").describe_alarms()
    client(server, "elbv2", "dito.chat.alb").describe_load_balancers()
    client(server, "servicediscovery", "dito.chat.platform").list_namespaces()
    client(server, "sts", "dito.chat.alb").get_caller_identity()
    client(server, "ecs").list_clusters()  # a caller without app/: the tests' own reads
    urllib.request.urlopen(urllib.request.Request(f"{server.endpoint}/moto-api/reset", data=b"", method="POST")).read()

    logged = [(e["role"], e["operation"], e["actions"]) for e in request_log.read(server.log)]
    assert logged == [
        ("dito.chat.alb", "CreateBucket", ["s3:CreateBucket"]),
        ("dito.chat.alb", "HeadBucket", ["s3:ListBucket"]),
        ("dito.chat.alb", "PutPublicAccessBlock", ["s3:PutBucketPublicAccessBlock"]),
        ("dito.chat.ecs_service", "DescribeAlarms", ["cloudwatch:DescribeAlarms"]),  # signed as "monitoring"
        ("dito.chat.alb", "DescribeLoadBalancers", ["elasticloadbalancing:DescribeLoadBalancers"]),
        ("dito.chat.platform", "ListNamespaces", ["servicediscovery:ListNamespaces"]),
        ("dito.chat.alb", "GetCallerIdentity", []),  # needs no permission
        ("", "ListClusters", ["ecs:ListClusters"]),
    ]  # and moto's own /moto-api/ reset is no AWS request
    assert request_log.read(server.log, offset=server.log.stat().st_size) == []


def test_the_log_is_off_unless_enabled(server):
    request_log.disable()
    client(server, "ecs", "dito.chat.platform").list_clusters()
    assert not server.log.exists()


def test_entries_of_unsigned_or_unnamed_requests_are_none():
    assert request_log.entry({}, "ListClusters") is None
    signed = {"Authorization": "AWS4-HMAC-SHA256 Credential=testing/20261130/eu-west-1/ecs/aws4_request, SignedHeaders=host, Signature=0"}
    assert request_log.entry(signed, None) is None
    assert request_log.entry(signed, "ListClusters")["actions"] == ["ecs:ListClusters"]


def test_entries_name_the_access_key_that_signed_the_request(server):
    """The key id tells the inventory's credentials from an assumed role's session (site_aws_role_arn)."""
    # AWS refuses to assume a role that does not exist (and so does the emulator: sts patch), so the role comes first.
    trust = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "123456789012"}, "Action": "sts:AssumeRole"}]}'
    client(server, "iam").create_role(RoleName="dito-deployer", AssumeRolePolicyDocument=trust)
    sts = client(server, "sts", "dito.chat.site")
    creds = sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/dito-deployer", RoleSessionName="dito-local-preflight")["Credentials"]
    assumed = boto3.client(
        "ecs",
        region_name="eu-west-1",
        endpoint_url=server.endpoint,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    assumed.list_clusters()
    logged = [(e["operation"], e["access_key"]) for e in request_log.read(server.log)]
    assert logged == [("CreateRole", "testing"), ("AssumeRole", "testing"), ("ListClusters", creds["AccessKeyId"])]
    assert creds["AccessKeyId"] != "testing"
