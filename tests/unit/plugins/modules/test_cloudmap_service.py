"""dito.chat.cloudmap_service against moto in-process (the namespace made with dito.chat.cloudmap_namespace)."""

import boto3

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
