"""module_utils/ecs_clusters.py: the pure helpers and what a missing cluster reads as."""

import boto3

from ansible_collections.dito.chat.plugins.module_utils import ecs_clusters


def test_settings_to_dict():
    assert ecs_clusters.settings_to_dict([{"name": "containerInsights", "value": "enabled"}]) == {"containerInsights": "enabled"}
    assert ecs_clusters.settings_to_dict(None) == {}


def test_a_missing_or_deleted_cluster_reads_as_none(aws):
    client = boto3.client("ecs", region_name="eu-west-1")
    assert ecs_clusters.describe_cluster(client, "nowhere") is None
    client.create_cluster(clusterName="c")
    assert ecs_clusters.describe_cluster(client, "c")["clusterName"] == "c"
    ecs_clusters.delete_cluster(client, "c")
    assert ecs_clusters.describe_cluster(client, "c") is None
