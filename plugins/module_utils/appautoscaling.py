# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Application Auto Scaling wrappers for an ECS service's desired count, and the pure target-tracking
comparison behind an idempotent policy."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

NAMESPACE = "ecs"
DIMENSION = "ecs:service:DesiredCount"


class AnsibleAppAutoScalingError(AnsibleAWSError):
    pass


class AppAutoScalingErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleAppAutoScalingError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ObjectNotFoundException")


def resource_id(cluster, service):
    return f"service/{cluster}/{service}"


@AppAutoScalingErrorHandler.list_error_handler("describe the scalable target {resource}")
@AWSRetry.jittered_backoff()
def describe_target(client, resource):
    targets = client.describe_scalable_targets(ServiceNamespace=NAMESPACE, ResourceIds=[resource], ScalableDimension=DIMENSION)["ScalableTargets"]
    return targets[0] if targets else None


@AppAutoScalingErrorHandler.common_error_handler("register the scalable target {resource}")
@AWSRetry.jittered_backoff()
def register_target(client, resource, minimum, maximum, tags=None):
    request = dict(ServiceNamespace=NAMESPACE, ResourceId=resource, ScalableDimension=DIMENSION, MinCapacity=minimum, MaxCapacity=maximum)
    if tags:
        request["Tags"] = tags
    client.register_scalable_target(**request)


@AppAutoScalingErrorHandler.deletion_error_handler("deregister the scalable target {resource}")
@AWSRetry.jittered_backoff()
def deregister_target(client, resource):
    client.deregister_scalable_target(ServiceNamespace=NAMESPACE, ResourceId=resource, ScalableDimension=DIMENSION)


@AppAutoScalingErrorHandler.list_error_handler("describe the scaling policies of {resource}")
@AWSRetry.jittered_backoff()
def describe_policies(client, resource):
    paginator = client.get_paginator("describe_scaling_policies")
    policies = []
    for page in paginator.paginate(ServiceNamespace=NAMESPACE, ResourceId=resource, ScalableDimension=DIMENSION):
        policies.extend(page["ScalingPolicies"])
    return {p["PolicyName"]: p for p in policies}


@AppAutoScalingErrorHandler.common_error_handler("put the scaling policy {name}")
@AWSRetry.jittered_backoff()
def put_target_tracking_policy(client, resource, name, config):
    client.put_scaling_policy(
        PolicyName=name,
        ServiceNamespace=NAMESPACE,
        ResourceId=resource,
        ScalableDimension=DIMENSION,
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration=config,
    )


@AppAutoScalingErrorHandler.deletion_error_handler("delete the scaling policy {name}")
@AWSRetry.jittered_backoff()
def delete_policy(client, resource, name):
    client.delete_scaling_policy(PolicyName=name, ServiceNamespace=NAMESPACE, ResourceId=resource, ScalableDimension=DIMENSION)


def target_tracking(metric_type, target, scale_in_cooldown, scale_out_cooldown, resource_label=None):
    """A TargetTrackingScalingPolicyConfiguration with a predefined metric."""
    metric = {"PredefinedMetricType": metric_type}
    if resource_label:
        metric["ResourceLabel"] = resource_label
    return {
        "TargetValue": float(target),
        "PredefinedMetricSpecification": metric,
        "ScaleInCooldown": int(scale_in_cooldown),
        "ScaleOutCooldown": int(scale_out_cooldown),
        "DisableScaleIn": False,
    }


def tracking_differs(current, wanted):
    """Whether a described policy's configuration differs from ``wanted`` (AWS omits DisableScaleIn=false)."""
    have = dict((current or {}).get("TargetTrackingScalingPolicyConfiguration") or {})
    have.setdefault("DisableScaleIn", False)
    if "TargetValue" in have:
        have["TargetValue"] = float(have["TargetValue"])
    return (current or {}).get("PolicyType") != "TargetTrackingScaling" or {k: have.get(k) for k in wanted} != wanted
