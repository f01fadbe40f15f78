#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecs_cluster
short_description: Manage an ECS cluster with Container Insights, capacity providers and tags
version_added: 1.0.0
description:
  - Creates, updates or deletes one Amazon ECS cluster, with its Container Insights setting, its capacity
    providers and default capacity provider strategy, and its tags, in one task. A second run reports no change.
    Check mode and diff mode are supported.
  - M(community.aws.ecs_cluster) cannot set Container Insights or tags.
  - A cluster that still has services cannot be deleted (AWS refuses); delete the services first.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description: The cluster name.
    type: str
    required: true
  state:
    description: Whether the cluster should exist.
    type: str
    default: present
    choices: [present, absent]
  container_insights:
    description:
      - The C(containerInsights) setting. V(enhanced) adds task- and container-level metrics.
    type: str
    default: enabled
    choices: [enabled, enhanced, disabled]
  capacity_providers:
    description:
      - The capacity providers of the cluster, for example V(FARGATE) and V(FARGATE_SPOT).
    type: list
    elements: str
    default: [FARGATE, FARGATE_SPOT]
  default_capacity_provider_strategy:
    description:
      - The strategy of services that give neither a launch type nor a strategy of their own.
      - Each provider must be one of O(capacity_providers).
    type: list
    elements: dict
    default: [{capacity_provider: FARGATE, weight: 1, base: 0}]
    suboptions:
      capacity_provider:
        description: The provider.
        type: str
        required: true
      weight:
        description: The relative share of tasks placed by this provider.
        type: int
        default: 1
      base:
        description: How many tasks, at least, run on this provider.
        type: int
        default: 0
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Make the cluster of the services
  dito.chat.ecs_cluster:
    name: dito-prod
    container_insights: enabled
    capacity_providers: [FARGATE, FARGATE_SPOT]
    default_capacity_provider_strategy:
      - capacity_provider: FARGATE
        weight: 1
        base: 1
      - capacity_provider: FARGATE_SPOT
        weight: 3
    tags:
      project: dito
      environment: prod

- name: Delete the cluster (its services first)
  dito.chat.ecs_cluster:
    name: dito-prod
    state: absent
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
cluster:
  description: The cluster after the task (as check mode predicts it).
  returned: when O(state=present)
  type: dict
  contains:
    cluster_arn:
      description: The cluster's ARN.
      type: str
      sample: arn:aws:ecs:eu-west-1:123456789012:cluster/dito-prod
    cluster_name:
      description: The cluster's name.
      type: str
      sample: dito-prod
    status:
      description: C(ACTIVE).
      type: str
      sample: ACTIVE
    settings:
      description: The cluster settings.
      type: list
      elements: dict
      sample: [{"name": "containerInsights", "value": "enabled"}]
    capacity_providers:
      description: The capacity providers.
      type: list
      elements: str
      sample: [FARGATE, FARGATE_SPOT]
    default_capacity_provider_strategy:
      description: The default strategy.
      type: list
      elements: dict
      sample: [{"capacity_provider": "FARGATE", "weight": 1, "base": 0}]
    tags:
      description: The cluster's tags.
      type: dict
      sample: {"project": "dito"}
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.dito.chat.plugins.module_utils import ecs
from ansible_collections.dito.chat.plugins.module_utils import ecs_clusters as clusters
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def returned(cluster, tags):
    result = camel_dict_to_snake_dict({k: v for k, v in cluster.items() if k != "tags"})
    result["tags"] = tags
    return result


def ensure_present(module, client):
    params = module.params
    name, tags = params["name"], params["tags"]
    settings = [{"name": "containerInsights", "value": params["container_insights"]}]
    providers, strategy = params["capacity_providers"], ecs.strategy_normalised(ecs.strategy_request(params["default_capacity_provider_strategy"]))
    unknown = sorted({s["capacityProvider"] for s in strategy} - set(providers))
    if unknown:
        module.fail_json(msg=f"default_capacity_provider_strategy names {', '.join(unknown)}, not in capacity_providers")

    current = clusters.describe_cluster(client, name)
    if current is None:
        request = {"clusterName": name, "settings": settings, "capacityProviders": providers, "defaultCapacityProviderStrategy": strategy}
        if tags:
            request["tags"] = [{"key": k, "value": v} for k, v in tags.items()]
        cluster = dict(request, status="ACTIVE") if module.check_mode else clusters.create_cluster(client, **request)
        return True, {"before": {}, "after": {"cluster": name}}, returned(cluster, tags or {})

    changed, before, after = False, {}, {}
    have_insights = clusters.settings_to_dict(current.get("settings")).get("containerInsights", "disabled")
    if have_insights != params["container_insights"]:
        changed, before["container_insights"], after["container_insights"] = True, have_insights, params["container_insights"]
        if not module.check_mode:
            clusters.update_cluster_settings(client, name, settings)
        current["settings"] = settings

    have_providers, have_strategy = current.get("capacityProviders") or [], ecs.strategy_normalised(current.get("defaultCapacityProviderStrategy"))
    if sorted(have_providers) != sorted(providers) or have_strategy != strategy:
        changed = True
        before.update(capacity_providers=have_providers, default_capacity_provider_strategy=have_strategy)
        after.update(capacity_providers=providers, default_capacity_provider_strategy=strategy)
        if not module.check_mode:
            clusters.put_cluster_capacity_providers(client, name, providers, strategy)
        current.update(capacityProviders=providers, defaultCapacityProviderStrategy=strategy)

    arn, have = current["clusterArn"], ecs.tags_to_dict(current.get("tags"))
    retagged, have_tags = tagging.reconcile(module, have, tags, lambda t: ecs.tag_resource(client, arn, t), lambda k: ecs.untag_resource(client, arn, k))
    if retagged:
        changed, before["tags"], after["tags"] = True, have, have_tags
    return changed, {"before": before, "after": after}, returned(current, have_tags)


def ensure_absent(module, client):
    name = module.params["name"]
    if clusters.describe_cluster(client, name) is None:
        return False
    if not module.check_mode:
        clusters.delete_cluster(client, name)
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            container_insights=dict(type="str", default="enabled", choices=["enabled", "enhanced", "disabled"]),
            capacity_providers=dict(type="list", elements="str", default=["FARGATE", "FARGATE_SPOT"]),
            default_capacity_provider_strategy=dict(
                type="list",
                elements="dict",
                default=[{"capacity_provider": "FARGATE", "weight": 1, "base": 0}],
                options=ecs.STRATEGY_OPTIONS,
            ),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    client = module.client("ecs", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, diff, cluster = ensure_present(module, client)
    except ecs.AnsibleECSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, cluster=cluster)


if __name__ == "__main__":
    main()
