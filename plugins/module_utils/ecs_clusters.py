# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon ECS cluster API wrappers. DescribeClusters reports a missing name in ``failures`` rather than as an
error, and a deleted cluster lingers as INACTIVE: both count as absent."""

from ansible_collections.dito.chat.plugins.module_utils.ecs import ECSErrorHandler
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


@ECSErrorHandler.common_error_handler("describe cluster {name}")
@AWSRetry.jittered_backoff()
def describe_cluster(client, name):
    """The ACTIVE cluster with its settings and tags, or None."""
    clusters = client.describe_clusters(clusters=[name], include=["SETTINGS", "TAGS"])["clusters"]
    return next((c for c in clusters if c.get("status") != "INACTIVE"), None)


@ECSErrorHandler.common_error_handler("create cluster")
@AWSRetry.jittered_backoff()
def create_cluster(client, **request):
    return client.create_cluster(**request)["cluster"]


@ECSErrorHandler.common_error_handler("update the settings of cluster {cluster}")
@AWSRetry.jittered_backoff()
def update_cluster_settings(client, cluster, settings):
    return client.update_cluster_settings(cluster=cluster, settings=settings)["cluster"]


@ECSErrorHandler.common_error_handler("set the capacity providers of cluster {cluster}")
@AWSRetry.jittered_backoff()
def put_cluster_capacity_providers(client, cluster, providers, strategy):
    return client.put_cluster_capacity_providers(cluster=cluster, capacityProviders=providers, defaultCapacityProviderStrategy=strategy)["cluster"]


@ECSErrorHandler.common_error_handler("delete cluster {cluster}")
@AWSRetry.jittered_backoff()
def delete_cluster(client, cluster):
    return client.delete_cluster(cluster=cluster)["cluster"]


def settings_to_dict(settings):
    return {s["name"]: s["value"] for s in settings or []}
