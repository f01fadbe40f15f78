"""dito.chat.cloudmap_namespace against moto in-process."""

import boto3
from botocore.client import BaseClient
from botocore.exceptions import ClientError

from ansible_collections.dito.chat.plugins.modules import cloudmap_namespace

REGION = "eu-west-1"


def test_namespace_lifecycle(aws, run_module):
    vpc = boto3.client("ec2", region_name=REGION).create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    sd = boto3.client("servicediscovery", region_name=REGION)
    ns_args = {"name": "svc.prod.dito.internal", "vpc_id": vpc, "tags": {"project": "dito"}}
    assert run_module(cloudmap_namespace.main, ns_args, check_mode=True)["changed"] is True
    assert sd.list_namespaces()["Namespaces"] == []

    made = run_module(cloudmap_namespace.main, ns_args)
    assert made["changed"] is True and made["namespace"]["id"].startswith("ns-") and made["namespace"]["hosted_zone_id"]
    assert run_module(cloudmap_namespace.main, ns_args)["changed"] is False
    retagged = run_module(cloudmap_namespace.main, dict(ns_args, tags={"project": "dito", "env": "prod"}))
    assert retagged["changed"] is True and retagged["namespace"]["tags"] == {"project": "dito", "env": "prod"}
    assert {t["Key"] for t in sd.list_tags_for_resource(ResourceARN=made["namespace"]["arn"])["Tags"]} == {"project", "env"}

    assert run_module(cloudmap_namespace.main, dict(ns_args, state="absent"), check_mode=True)["changed"] is True
    assert len(sd.list_namespaces()["Namespaces"]) == 1
    assert run_module(cloudmap_namespace.main, dict(ns_args, state="absent"))["changed"] is True
    assert sd.list_namespaces()["Namespaces"] == []
    assert run_module(cloudmap_namespace.main, dict(ns_args, state="absent"))["changed"] is False


def test_a_new_namespace_needs_a_vpc(aws, run_module):
    result = run_module(cloudmap_namespace.main, {"name": "svc.prod.dito.internal"})
    assert result["failed"] and "vpc_id is required" in result["msg"]


def test_a_resent_create_leaves_one_namespace(aws, run_module, resent):
    # The same CreatorRequestId on both attempts: Cloud Map (the emulator, as AWS) answers the first one's operation.
    vpc = boto3.client("ec2", region_name=REGION).create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    seen = resent("CreatePrivateDnsNamespace")
    made = run_module(cloudmap_namespace.main, {"name": "svc.prod.dito.internal", "vpc_id": vpc})
    assert seen == [("CreatePrivateDnsNamespace", "answered")]
    assert made["changed"] is True and "failed" not in made, made.get("msg")
    namespaces = boto3.client("servicediscovery", region_name=REGION).list_namespaces()["Namespaces"]
    assert [n["Id"] for n in namespaces] == [made["namespace"]["id"]]


def test_a_create_answered_already_exists_takes_the_namespace(aws, run_module, monkeypatch):
    # The first attempt created it, the second one carried another CreatorRequestId: NamespaceAlreadyExists.
    vpc = boto3.client("ec2", region_name=REGION).create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    original = BaseClient._make_api_call

    def twice(self, operation_name, api_params):
        if operation_name == "CreatePrivateDnsNamespace":
            original(self, operation_name, dict(api_params, CreatorRequestId="an-earlier-attempt"))
        return original(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", twice)
    made = run_module(cloudmap_namespace.main, {"name": "svc.prod.dito.internal", "vpc_id": vpc})
    assert made["changed"] is True and "failed" not in made, made.get("msg")
    namespaces = boto3.client("servicediscovery", region_name=REGION).list_namespaces()["Namespaces"]
    assert [n["Id"] for n in namespaces] == [made["namespace"]["id"]] and made["namespace"]["hosted_zone_id"]


def test_a_resend_answered_in_progress_waits_for_the_first_operation(aws, run_module, monkeypatch):
    # The resend came while the first attempt's operation still ran: DuplicateRequest, naming that operation.
    vpc = boto3.client("ec2", region_name=REGION).create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    original = BaseClient._make_api_call

    def in_progress(self, operation_name, api_params):
        if operation_name != "CreatePrivateDnsNamespace":
            return original(self, operation_name, api_params)
        first = original(self, operation_name, api_params)["OperationId"]
        error = {"Code": "DuplicateRequest", "Message": "The operation is already in progress."}
        raise ClientError({"Error": error, "DuplicateOperationId": first}, operation_name)

    monkeypatch.setattr(BaseClient, "_make_api_call", in_progress)
    made = run_module(cloudmap_namespace.main, {"name": "svc.prod.dito.internal", "vpc_id": vpc})
    assert made["changed"] is True and "failed" not in made, made.get("msg")
    namespaces = boto3.client("servicediscovery", region_name=REGION).list_namespaces()["Namespaces"]
    assert [n["Id"] for n in namespaces] == [made["namespace"]["id"]] and made["namespace"]["hosted_zone_id"]


def test_a_throttled_create_is_retried_and_reported(aws, run_module, faults):
    vpc = boto3.client("ec2", region_name=REGION).create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    faults.throttle("servicediscovery", "CreatePrivateDnsNamespace", times=1)
    faults.throttle("servicediscovery", "ListNamespaces", times=1, code="ServiceUnavailable")
    made = run_module(cloudmap_namespace.main, {"name": "svc.prod.dito.internal", "vpc_id": vpc})
    assert made["changed"] is True and "failed" not in made, made.get("msg")
    assert len(boto3.client("servicediscovery", region_name=REGION).list_namespaces()["Namespaces"]) == 1
    assert made["retries"] == [
        {"service": "servicediscovery", "operation": "CreatePrivateDnsNamespace", "error": "ThrottlingException", "count": 1},
        {"service": "servicediscovery", "operation": "ListNamespaces", "error": "ServiceUnavailable", "count": 1},
    ]
