"""dito.chat.ecs_cluster against moto in-process."""

import boto3

from ansible_collections.dito.chat.plugins.modules import ecs_cluster

REGION = "eu-west-1"


def test_cluster_lifecycle(aws, run_module):
    ecs = boto3.client("ecs", region_name=REGION)
    args = {"name": "dito-prod", "tags": {"project": "dito"}}
    planned = run_module(ecs_cluster.main, args, check_mode=True)
    assert planned["changed"] is True and ecs.list_clusters()["clusterArns"] == []

    made = run_module(ecs_cluster.main, args)
    assert made["changed"] is True and made["cluster"]["tags"] == {"project": "dito"}
    [held] = ecs.describe_clusters(clusters=["dito-prod"], include=["SETTINGS", "TAGS"])["clusters"]
    assert held["settings"] == [{"name": "containerInsights", "value": "enabled"}]
    assert sorted(held["capacityProviders"]) == ["FARGATE", "FARGATE_SPOT"]
    assert run_module(ecs_cluster.main, args)["changed"] is False
    assert run_module(ecs_cluster.main, args, check_mode=True)["changed"] is False

    changed = dict(
        args,
        container_insights="enhanced",
        default_capacity_provider_strategy=[{"capacity_provider": "FARGATE", "base": 1}, {"capacity_provider": "FARGATE_SPOT", "weight": 3}],
        tags={"project": "dito", "env": "prod"},
    )
    result = run_module(ecs_cluster.main, changed, diff=True)
    assert result["changed"] is True and result["diff"]["before"]["container_insights"] == "enabled"
    [held] = ecs.describe_clusters(clusters=["dito-prod"], include=["SETTINGS", "TAGS"])["clusters"]
    assert held["settings"] == [{"name": "containerInsights", "value": "enhanced"}]
    assert {(s["capacityProvider"], s["weight"], s.get("base", 0)) for s in held["defaultCapacityProviderStrategy"]} == {
        ("FARGATE", 1, 1),
        ("FARGATE_SPOT", 3, 0),
    }
    assert {t["key"]: t["value"] for t in held["tags"]} == {"project": "dito", "env": "prod"}
    assert run_module(ecs_cluster.main, changed)["changed"] is False

    assert run_module(ecs_cluster.main, {"name": "dito-prod", "state": "absent"})["changed"] is True
    assert run_module(ecs_cluster.main, {"name": "dito-prod", "state": "absent"})["changed"] is False


def test_a_strategy_outside_the_providers_is_refused(aws, run_module):
    result = run_module(
        ecs_cluster.main, {"name": "c", "capacity_providers": ["FARGATE"], "default_capacity_provider_strategy": [{"capacity_provider": "FARGATE_SPOT"}]}
    )
    assert result["failed"] and "FARGATE_SPOT, not in capacity_providers" in result["msg"]
    assert boto3.client("ecs", region_name=REGION).list_clusters()["clusterArns"] == []


def test_a_create_resent_after_a_lost_response_leaves_one_cluster(aws, run_module, resent):
    # CreateCluster is idempotent on AWS: the resend answers the cluster the first attempt made.
    seen = resent("CreateCluster")
    result = run_module(ecs_cluster.main, {"name": "dito", "tags": {"project": "dito"}})
    assert seen == [("CreateCluster", "answered")]
    assert result["changed"] is True and "failed" not in result, result.get("msg")
    ecs = boto3.client("ecs", region_name="eu-west-1")
    assert [arn.rsplit("/", 1)[-1] for arn in ecs.list_clusters()["clusterArns"]] == ["dito"]
    assert result["cluster"]["cluster_name"] == "dito" and result["cluster"]["tags"] == {"project": "dito"}
    assert run_module(ecs_cluster.main, {"name": "dito", "tags": {"project": "dito"}})["changed"] is False


def test_throttled_requests_are_retried_and_reported(aws, run_module, faults, warning_lines):
    faults.throttle("ecs", "DescribeClusters", times=2)
    result = run_module(ecs_cluster.main, {"name": "dito"})
    assert result["changed"] is True and "failed" not in result, result.get("msg")
    assert faults.met == {("ecs", "DescribeClusters", "ThrottlingException"): 2}
    assert result["retries"] == [{"service": "ecs", "operation": "DescribeClusters", "error": "ThrottlingException", "count": 2}]
    assert "Retried 2 AWS requests: ecs DescribeClusters ThrottlingException x2" in warning_lines(result)
    again = run_module(ecs_cluster.main, {"name": "dito"})
    assert again["changed"] is False and "retries" not in again
