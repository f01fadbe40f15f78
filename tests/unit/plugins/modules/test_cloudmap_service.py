"""dito.chat.cloudmap_service against moto in-process (the namespace made with dito.chat.cloudmap_namespace)."""

import boto3
import pytest
from botocore.client import BaseClient

from ansible_collections.dito.chat.plugins.modules import cloudmap_namespace
from ansible_collections.dito.chat.plugins.modules import cloudmap_service

REGION = "eu-west-1"


def test_service_lifecycle_in_its_namespace(aws, run_module):
    vpc = boto3.client("ec2", region_name=REGION).create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    sd = boto3.client("servicediscovery", region_name=REGION)
    ns_args = {"name": "svc.prod.dito.internal", "vpc_id": vpc, "tags": {"project": "dito"}}
    assert run_module(cloudmap_namespace.main, ns_args)["changed"] is True

    svc_args = {"name": "backend", "namespace": "svc.prod.dito.internal", "tags": {"service": "backend"}}
    assert run_module(cloudmap_service.main, svc_args, check_mode=True)["changed"] is True
    service = run_module(cloudmap_service.main, svc_args)["service"]
    held = sd.get_service(Id=service["id"])["Service"]
    assert held["DnsConfig"]["DnsRecords"] == [{"Type": "A", "TTL": 10}] and held["HealthCheckCustomConfig"] == {"FailureThreshold": 1}
    assert run_module(cloudmap_service.main, svc_args)["changed"] is False
    assert run_module(cloudmap_service.main, svc_args, check_mode=True)["changed"] is False

    refused = run_module(cloudmap_service.main, dict(svc_args, routing_policy="WEIGHTED"))
    assert refused["failed"] and "routing_policy" in refused["msg"]

    assert run_module(cloudmap_service.main, dict(svc_args, state="absent"))["changed"] is True
    assert sd.list_services()["Services"] == []
    # The namespace goes once its services are gone (test_cloudmap_namespace.py covers its own lifecycle).
    assert run_module(cloudmap_namespace.main, dict(ns_args, state="absent"))["changed"] is True


def test_a_service_in_a_missing_namespace_is_refused(aws, run_module):
    result = run_module(cloudmap_service.main, {"name": "backend", "namespace": "nowhere.internal"})
    assert result["failed"] and "namespace nowhere.internal does not exist" in result["msg"]


@pytest.fixture
def namespace(aws, run_module):
    vpc = boto3.client("ec2", region_name=REGION).create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    return run_module(cloudmap_namespace.main, {"name": "svc.prod.dito.internal", "vpc_id": vpc})["namespace"]


SERVICE = {"name": "backend", "namespace": "svc.prod.dito.internal", "tags": {"service": "backend"}}


def test_a_resent_create_leaves_one_service(namespace, run_module, resent):
    # The same CreatorRequestId on both attempts: Cloud Map (the emulator, as AWS) answers the first one's service.
    seen = resent("CreateService")
    made = run_module(cloudmap_service.main, SERVICE)
    assert seen == [("CreateService", "answered")]
    assert made["changed"] is True and "failed" not in made, made.get("msg")
    services = boto3.client("servicediscovery", region_name=REGION).list_services()["Services"]
    assert [s["Id"] for s in services] == [made["service"]["id"]]


def test_a_create_answered_already_exists_takes_the_service(namespace, run_module, monkeypatch):
    # The first attempt created it, the second one carried another CreatorRequestId: ServiceAlreadyExists.
    original = BaseClient._make_api_call

    def twice(self, operation_name, api_params):
        if operation_name == "CreateService":
            original(self, operation_name, dict(api_params, CreatorRequestId="an-earlier-attempt"))
        return original(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", twice)
    made = run_module(cloudmap_service.main, SERVICE)
    assert made["changed"] is True and "failed" not in made, made.get("msg")
    services = boto3.client("servicediscovery", region_name=REGION).list_services()["Services"]
    assert [s["Id"] for s in services] == [made["service"]["id"]]
    assert run_module(cloudmap_service.main, SERVICE)["changed"] is False


def test_a_throttled_create_is_retried_and_reported(namespace, run_module, faults, warning_lines):
    faults.throttle("servicediscovery", "CreateService", times=2)
    made = run_module(cloudmap_service.main, SERVICE)
    assert made["changed"] is True and "failed" not in made, made.get("msg")
    assert len(boto3.client("servicediscovery", region_name=REGION).list_services()["Services"]) == 1
    assert made["retries"] == [{"service": "servicediscovery", "operation": "CreateService", "error": "ThrottlingException", "count": 2}]
    assert "Retried 2 AWS requests: servicediscovery CreateService ThrottlingException x2" in warning_lines(made)
