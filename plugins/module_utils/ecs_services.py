# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon ECS service API wrappers and the pure comparison of a service with the asked one (blue/green-aware).
DescribeServices reports a missing name in ``failures`` rather than as an error, and a deleted service lingers
as INACTIVE: both count as absent."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_message

from ansible_collections.dito.chat.plugins.module_utils.ecs import ECSErrorHandler
from ansible_collections.dito.chat.plugins.module_utils.ecs import strategy_normalised
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

# CreateService's answer (InvalidParameterException) when a service of that name is ACTIVE already.
NOT_IDEMPOTENT = "Creation of service was not idempotent"


@ECSErrorHandler.common_error_handler("describe service {name}")
@AWSRetry.jittered_backoff()
def describe_service(client, cluster, name):
    """The service (ACTIVE or DRAINING) with its tags, or None. A missing cluster means no service."""
    try:
        services = client.describe_services(cluster=cluster, services=[name], include=["TAGS"])["services"]
    except client.exceptions.ClusterNotFoundException:
        return None
    return next((s for s in services if s.get("status") != "INACTIVE"), None)


@ECSErrorHandler.common_error_handler("create service")
@AWSRetry.jittered_backoff()
def create_service(client, **request):
    """CreateService; when ECS answers that the creation "was not idempotent" (the name is taken: an attempt whose
    response was lost created it, without the same client token), the ACTIVE service of that name."""
    try:
        return client.create_service(**request)["service"]
    except is_boto3_error_message(NOT_IDEMPOTENT):
        found = describe_service(client, request.get("cluster"), request["serviceName"])
        if found is None or found.get("status") != "ACTIVE":
            raise
        return found


@ECSErrorHandler.common_error_handler("update service")
@AWSRetry.jittered_backoff()
def update_service(client, **request):
    return client.update_service(**request)["service"]


@ECSErrorHandler.common_error_handler("delete service {service}")
@AWSRetry.jittered_backoff()
def delete_service(client, cluster, service):
    return client.delete_service(cluster=cluster, service=service, force=True)["service"]


# Fields of UpdateService that AWS accepts on a service whose deployments CodeDeploy makes (UpdateService,
# AWS API reference: "only the desired count, deployment configuration, health check grace period, task
# placement constraints and strategies, enable ECS managed tags option, and propagate tags can be updated").
CODE_DEPLOY_UPDATABLE = ("desiredCount", "deploymentConfiguration", "healthCheckGracePeriodSeconds", "enableECSManagedTags", "propagateTags")


def load_balancer_satisfied(current, wanted, alternates):
    """Whether the service's load balancers already match ``wanted`` (a list of one ``loadBalancers`` entry at
    most), where the target group may also be any of ``alternates``: CodeDeploy leaves the service on the
    green target group of the pair after a deployment."""
    if len(current or []) != len(wanted or []):
        return False
    for have, want in zip(current or [], wanted or [], strict=True):
        if (have.get("containerName"), have.get("containerPort")) != (want.get("containerName"), want.get("containerPort")):
            return False
        if have.get("targetGroupArn") not in {want.get("targetGroupArn"), *alternates}:
            return False
    return True


def network_normalised(network):
    config = (network or {}).get("awsvpcConfiguration") or {}
    return {
        "subnets": sorted(config.get("subnets") or []),
        "securityGroups": sorted(config.get("securityGroups") or []),
        "assignPublicIp": config.get("assignPublicIp") or "DISABLED",
    }


def deployment_configuration_differs(current, wanted):
    """Whether the asked keys of a deploymentConfiguration differ from the service's (keys not asked for
    are AWS's to keep)."""
    current = current or {}
    for key, value in (wanted or {}).items():
        if isinstance(value, dict):
            if any((current.get(key) or {}).get(k) != v for k, v in value.items()):
                return True
        elif current.get(key) != value:
            return True
    return False


def service_differences(current, request, alternates, keep_desired_count):
    """The CreateService-request fields whose value differs from the service's, as
    ``{field: (have, want)}``. Pure: ``current`` is a DescribeServices entry, ``request`` the CreateService
    request the module would send."""
    diffs = {}

    def differ(field, have, want):
        if want is not None and have != want:
            diffs[field] = (have, want)

    if not keep_desired_count:
        differ("desiredCount", current.get("desiredCount"), request.get("desiredCount"))
    differ("taskDefinition", current.get("taskDefinition"), request.get("taskDefinition"))
    if "loadBalancers" in request and not load_balancer_satisfied(current.get("loadBalancers"), request["loadBalancers"], alternates):
        diffs["loadBalancers"] = (current.get("loadBalancers") or [], request["loadBalancers"])
    if "networkConfiguration" in request:
        differ("networkConfiguration", network_normalised(current.get("networkConfiguration")), network_normalised(request["networkConfiguration"]))
    if "serviceRegistries" in request:
        have = [r.get("registryArn") for r in current.get("serviceRegistries") or []]
        differ("serviceRegistries", have, [r["registryArn"] for r in request["serviceRegistries"]])
    if request.get("deploymentConfiguration") and deployment_configuration_differs(current.get("deploymentConfiguration"), request["deploymentConfiguration"]):
        diffs["deploymentConfiguration"] = (current.get("deploymentConfiguration"), request["deploymentConfiguration"])
    differ("deploymentController", (current.get("deploymentController") or {}).get("type", "ECS"), (request.get("deploymentController") or {}).get("type"))
    for field in ("healthCheckGracePeriodSeconds", "platformVersion", "propagateTags", "enableECSManagedTags", "enableExecuteCommand"):
        have = current.get(field)
        if field in ("enableECSManagedTags", "enableExecuteCommand"):
            have = bool(have)
        differ(field, have, request.get(field))
    if "capacityProviderStrategy" in request:
        differ(
            "capacityProviderStrategy", strategy_normalised(current.get("capacityProviderStrategy")), strategy_normalised(request["capacityProviderStrategy"])
        )
    return diffs


def update_request(diffs, request, code_deploy):
    """Split the differences into the UpdateService request that AWS accepts now and the fields that only a
    CodeDeploy deployment changes on a CODE_DEPLOY service (returned by name, left alone)."""
    update, deferred = {}, []
    for field in diffs:
        if field == "deploymentController":
            update["deploymentController"] = request["deploymentController"]
        elif code_deploy and field not in CODE_DEPLOY_UPDATABLE:
            deferred.append(field)
        else:
            update[field] = request[field]
    return update, sorted(deferred)


# ---------------------------------------------------------------------------------------------
# Waiting for a stable service. The module polls with its own bounded loop rather than botocore's
# ``services_stable`` waiter: that waiter succeeds once a service has one deployment with runningCount ==
# desiredCount, which is also true after a circuit breaker rolled a FAILED deployment back (success reported
# for a failure), and it never reads ``rolloutState``, so a FAILED deployment without rollback waits out the
# whole timeout instead of failing with its reason.

# Seconds between two DescribeServices while waiting (the services_stable waiter's delay).
POLL_SECONDS = 15


def deployment_progress(deployment):
    """One line about a deployment: its id, rollout state and task counts."""
    revision = (deployment.get("taskDefinition") or "?").rsplit("/", 1)[-1]
    return (
        f"deployment {deployment.get('id')} ({revision}) {deployment.get('rolloutState') or deployment.get('status')}: "
        f"{deployment.get('runningCount', 0)}/{deployment.get('desiredCount', 0)} tasks running, {deployment.get('failedTasks', 0)} failed"
    )


def rollout_status(service, deployment_id=None):
    """Whether ``service`` (a DescribeServices entry, or None) is stable, as ``(state, message)`` with state
    ``stable``, ``waiting`` or ``failed``. Pure.

    With the ECS controller, ``deployment_id`` (the deployment an UpdateService started; None = the PRIMARY one)
    must be the PRIMARY deployment and its ``rolloutState`` COMPLETED; FAILED (circuit breaker) fails naming
    ``rolloutStateReason``, and a deployment that another one replaced (a rollback) fails too. Without a
    ``rolloutState`` (services from before it existed), stable is one deployment with runningCount ==
    desiredCount. With CODE_DEPLOY or EXTERNAL, stable is at most one task set, in STEADY_STATE (a second one
    means a deployment is shifting traffic).
    """
    if service is None or service.get("status") != "ACTIVE":
        return "failed", f"the service is {(service or {}).get('status', 'gone')}"
    if (service.get("deploymentController") or {}).get("type", "ECS") != "ECS":
        task_sets = service.get("taskSets") or []
        unsteady = [t for t in task_sets if t.get("stabilityStatus") != "STEADY_STATE"]
        if len(task_sets) <= 1 and not unsteady:
            return "stable", "the task set is in steady state"
        return "waiting", f"{len(task_sets)} task sets, {len(unsteady)} not in steady state"
    deployments = service.get("deployments") or []
    primary = next((d for d in deployments if d.get("status") == "PRIMARY"), None)
    ours = primary if deployment_id is None else next((d for d in deployments if d.get("id") == deployment_id), None)
    if ours is None:
        if primary is None:
            return "waiting", "the service has no deployment yet"
        return "failed", f"deployment {deployment_id} was replaced by {deployment_progress(primary)}"
    if ours.get("rolloutState") == "FAILED":
        return "failed", f"{deployment_progress(ours)}: {ours.get('rolloutStateReason', 'no reason given')}"
    if ours is not primary:
        return "failed", f"deployment {deployment_id} is no longer the primary one: {deployment_progress(primary) if primary else 'none is'}"
    if ours.get("rolloutState") == "COMPLETED":
        return "stable", deployment_progress(ours)
    if "rolloutState" not in ours and len(deployments) == 1 and ours.get("runningCount") == ours.get("desiredCount"):
        return "stable", deployment_progress(ours)
    return "waiting", deployment_progress(ours)


def primary_deployment_id(service):
    """The id of the service's PRIMARY deployment (the one an UpdateService just started), or None."""
    return next((d.get("id") for d in (service or {}).get("deployments") or [] if d.get("status") == "PRIMARY"), None)


def wait_until_stable(client, cluster, name, deployment_id, timeout, sleep, clock):
    """Poll DescribeServices until the service is stable, failed or ``timeout`` seconds passed.
    Returns ``(state, message, service)``; state ``timeout`` when the time ran out."""
    deadline = clock() + timeout
    while True:
        service = describe_service(client, cluster, name)
        state, message = rollout_status(service, deployment_id)
        if state != "waiting":
            return state, message, service
        remaining = deadline - clock()
        if remaining <= 0:
            return "timeout", message, service
        sleep(min(POLL_SECONDS, remaining))
