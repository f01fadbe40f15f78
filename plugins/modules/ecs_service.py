#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecs_service
short_description: Manage an ECS service that CodeDeploy deploys blue/green, with its autoscaling
version_added: 1.0.0
description:
  - Creates, updates or deletes one Amazon ECS service, with its target-tracking autoscaling (scalable target
    and policies) as a sub-resource, in one task. Check mode and diff mode are supported.
  - B(Blue/green-aware.) On a service whose deployment controller is C(CODE_DEPLOY), CodeDeploy owns the task
    definition, the load balancer's target group, the network configuration, the platform version and the service
    registries - after a deployment the service runs a newer task definition behind the other target group of the
    pair. A re-run leaves them alone (AWS rejects such updates anyway) and reports them in RV(deferred) with a
    warning when the asked value differs; the target group may be either of the pair
    (O(load_balancer.alternate_target_group_arns)) without being a difference at all. The desired count,
    deployment configuration, health-check grace period and tag propagation are updated in place.
  - B(Autoscaling-aware.) With O(autoscaling), O(desired_count) is only the count of a new service; afterwards
    Application Auto Scaling owns it and a re-run does not reset it.
  - With the C(ECS) deployment controller every option is updated in place (a new task definition starts a
    rolling deployment, guarded by the circuit breaker when O(deployment_configuration.circuit_breaker) is set).
  - B(Omitted options are left alone.) On an existing service an option that is not given is not compared and
    keeps its value - network, load balancer, desired count, controller, deployment configuration, tag flags,
    registries, autoscaling and tags alike. So a task with only O(name), O(cluster) and O(task_definition)
    (and O(wait)) deploys a new task definition to a rolling service and changes nothing else. The defaults
    written below as "for a new service" apply when the service is created.
  - CreateService carries a client token, the same for every attempt of one run, so a request that botocore
    sends again after a lost response answers the service its first attempt created. Without the token ECS would
    answer C(InvalidParameterException) "Creation of service was not idempotent"; that answer is recognised as
    well (the module reads the service and carries on with it).
  - With O(wait), the module waits after creating or updating until the service is stable, and fails when the
    deployment fails (see O(wait)).
  - M(community.aws.ecs_service) compares load balancers and the desired count exactly, so it fights
    CodeDeploy's traffic shift and autoscaling.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description: The service name.
    type: str
    required: true
  cluster:
    description: The cluster's name or ARN.
    type: str
    required: true
  state:
    description:
      - Whether the service should exist. V(absent) scales it to zero, deletes it and deregisters its scalable target.
    type: str
    default: present
    choices: [present, absent]
  task_definition:
    description:
      - The task definition, as an ARN or C(family:revision). Required to create the service.
      - A bare family is satisfied by any revision of that family.
    type: str
  desired_count:
    description:
      - How many tasks run. With O(autoscaling), only the count of a new service.
      - Omitted, V(1) for a new service; an existing service keeps its count.
    type: int
  launch_type:
    description: The launch type. Mutually exclusive with O(capacity_provider_strategy).
    type: str
    choices: [FARGATE, EC2]
  capacity_provider_strategy:
    description:
      - The capacity providers that place the tasks, for example V(FARGATE) and V(FARGATE_SPOT). Neither this nor
        O(launch_type) given, the cluster's default strategy places them.
    type: list
    elements: dict
    suboptions:
      capacity_provider:
        description: The provider.
        type: str
        required: true
      weight:
        description: The relative share of tasks.
        type: int
        default: 1
      base:
        description: How many tasks, at least, run on this provider.
        type: int
        default: 0
  platform_version:
    description: The Fargate platform version. Not set, AWS's C(LATEST) and not compared.
    type: str
  subnets:
    description: The subnets of the tasks (awsvpc network mode).
    type: list
    elements: str
  security_groups:
    description:
      - The security groups of the tasks, by id or by name (names are looked up in O(vpc_id)).
    type: list
    elements: str
  vpc_id:
    description: The VPC in which security-group names of O(security_groups) are looked up.
    type: str
  assign_public_ip:
    description: Whether the tasks get a public IP. Tasks in private subnets need none.
    type: bool
    default: false
  load_balancer:
    description: The target group that the service registers its tasks in.
    type: dict
    suboptions:
      target_group_arn:
        description: The target group of a new service (the blue one of a blue/green pair).
        type: str
        required: true
      alternate_target_group_arns:
        description:
          - Target groups that are as good as O(load_balancer.target_group_arn) on an existing service (the green
            one of the pair, where CodeDeploy leaves the service after a deployment).
        type: list
        elements: str
        default: []
      container_name:
        description: The container that receives the traffic.
        type: str
        required: true
      container_port:
        description: The container's port.
        type: int
        required: true
  deployment_controller:
    description:
      - Who deploys the service. V(CODE_DEPLOY) for blue/green deployments, V(ECS) for rolling ones.
      - Omitted, V(ECS) for a new service; an existing service keeps its controller.
    type: str
    choices: [ECS, CODE_DEPLOY]
  deployment_configuration:
    description: How a deployment replaces tasks. What is not given is AWS's and not compared.
    type: dict
    suboptions:
      maximum_percent:
        description: The most tasks, as a percentage of the desired count, during a deployment.
        type: int
      minimum_healthy_percent:
        description: The fewest healthy tasks, as a percentage of the desired count, during a deployment.
        type: int
      circuit_breaker:
        description:
          - Whether a failing rolling deployment stops and rolls back (ECS controller only).
        type: bool
  health_check_grace_period_seconds:
    description: How long the load balancer's health checks are ignored after a task starts.
    type: int
  service_registry_arn:
    description: The Cloud Map service the tasks register in (see M(dito.chat.cloudmap_service)).
    type: str
  propagate_tags:
    description:
      - Which tags the tasks get.
      - Omitted, V(SERVICE) for a new service; an existing service keeps its setting.
    type: str
    choices: [SERVICE, TASK_DEFINITION, NONE]
  enable_ecs_managed_tags:
    description:
      - Whether the tasks get the ECS-managed tags (cluster and service names).
      - Omitted, V(true) for a new service; an existing service keeps its setting.
    type: bool
  enable_execute_command:
    description:
      - Whether ECS Exec can open a shell in the tasks.
      - Omitted, V(false) for a new service (off, as the AWS security best practices ask); an existing service
        keeps its setting. Give V(false) to turn it off on a service where someone turned it on.
    type: bool
  autoscaling:
    description:
      - Target-tracking autoscaling of the desired count. Policies named C(<name>-cpu) and C(<name>-requests)
        are made or removed to match; other policies of the service are left alone.
    type: dict
    suboptions:
      min_capacity:
        description: The fewest tasks.
        type: int
        required: true
      max_capacity:
        description: The most tasks.
        type: int
        required: true
      cpu_target:
        description: The average CPU utilisation (percent) to track. Not set, no CPU policy.
        type: float
      requests_per_target:
        description: The requests per task per minute to track (ALBRequestCountPerTarget). Not set, no request policy.
        type: float
      requests_resource_label:
        description:
          - The C(app/<load balancer>/<id>/targetgroup/<target group>/<id>) label of the requests metric.
            Required with O(autoscaling.requests_per_target).
        type: str
      scale_in_cooldown:
        description: Seconds between scale-in activities.
        type: int
        default: 300
      scale_out_cooldown:
        description: Seconds between scale-out activities.
        type: int
        default: 60
  wait:
    description:
      - Whether to wait, after creating or updating the service (or when nothing changed), until it is stable.
      - With the V(ECS) controller, stable is the deployment that the task started (or else the PRIMARY one)
        being PRIMARY with C(rolloutState) V(COMPLETED) - or, without a C(rolloutState), one deployment with
        as many running tasks as desired. The module fails when that deployment is V(FAILED) (the circuit
        breaker stopped it; the message carries C(rolloutStateReason)), when another deployment replaced it (a
        circuit-breaker rollback), or after O(wait_timeout).
      - With V(CODE_DEPLOY), stable is one task set in steady state (no CodeDeploy deployment shifting traffic).
      - Polls DescribeServices every 15 seconds with a bounded loop, not the botocore C(services_stable) waiter,
        which reports success once a circuit breaker has rolled a failed deployment back and does not read
        C(rolloutState).
      - Not in check mode.
    type: bool
    default: false
  wait_timeout:
    description: How many seconds O(wait) waits at most.
    type: int
    default: 600
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - O(wait) calls ecs:DescribeServices only, which the module needs anyway.
  - Tags of the scalable target are set when it is registered.
  - In check mode on a service that does not exist yet, names given in O(security_groups) are not looked up.
"""

EXAMPLES = r"""
- name: Run the back end, deployed blue/green by CodeDeploy, autoscaled on CPU
  dito.chat.ecs_service:
    name: dito-prod-backend
    cluster: dito-prod
    task_definition: "{{ backend_td.task_definition.task_definition_arn }}"
    desired_count: 2
    capacity_provider_strategy:
      - capacity_provider: FARGATE
        weight: 1
    subnets: [subnet-0a, subnet-0b]
    security_groups: [dito-prod-backend-tasks]
    vpc_id: vpc-0123456789abcdef0
    load_balancer:
      target_group_arn: "{{ blue_arn }}"
      alternate_target_group_arns: ["{{ green_arn }}"]
      container_name: backend
      container_port: 8080
    deployment_controller: CODE_DEPLOY
    health_check_grace_period_seconds: 60
    service_registry_arn: "{{ discovery.service.arn }}"
    autoscaling:
      min_capacity: 2
      max_capacity: 10
      cpu_target: 60
    tags:
      service: backend

- name: A rolling service with the circuit breaker
  dito.chat.ecs_service:
    name: worker
    cluster: dito-prod
    task_definition: worker:7
    launch_type: FARGATE
    subnets: [subnet-0a, subnet-0b]
    security_groups: [sg-0123456789abcdef0]
    deployment_configuration:
      circuit_breaker: true
      minimum_healthy_percent: 100
      maximum_percent: 200

- name: Deploy a new revision to the rolling service, nothing else changed, and wait until it runs
  dito.chat.ecs_service:
    name: worker
    cluster: dito-prod
    task_definition: worker:8
    wait: true
    wait_timeout: 900
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
service:
  description: The service after the task (as check mode predicts it), snake_case, with its tags as a dict.
  returned: when O(state=present)
  type: dict
  sample: {"service_name": "dito-prod-backend", "task_definition": "arn:aws:ecs:eu-west-1:123456789012:task-definition/dito-prod-backend:3",
           "desired_count": 2, "deployment_controller": {"type": "CODE_DEPLOY"}, "tags": {"service": "backend"}}
differences:
  description: The fields that differed from what was asked, applied ones and deferred ones.
  returned: when O(state=present)
  type: list
  elements: str
  sample: ["desiredCount"]
deferred:
  description:
    - Fields that differ on a CODE_DEPLOY service and that only a CodeDeploy deployment changes; left alone.
  returned: when O(state=present)
  type: list
  elements: str
  sample: ["taskDefinition"]
deployment:
  description:
    - What O(wait) waited for - the rolling deployment (ECS controller) and its outcome. On failure the result
      carries it too.
  returned: when O(wait) is true and not in check mode
  type: dict
  contains:
    id:
      description: The deployment id (C(ecs-svc/...)); null for a CODE_DEPLOY service.
      type: str
    state:
      description: V(stable), V(failed) or V(timeout).
      type: str
    message:
      description: One line about it - deployment, task definition, rollout state, running/desired/failed tasks.
      type: str
  sample: {"id": "ecs-svc/1068126029715589809", "state": "stable",
           "message": "deployment ecs-svc/1068126029715589809 (worker:8) COMPLETED: 2/2 tasks running, 0 failed"}
autoscaling:
  description: The scalable target and the names of the service's policies after the task.
  returned: when O(autoscaling) is given
  type: dict
  sample: {"min_capacity": 2, "max_capacity": 10, "policies": ["dito-prod-backend-cpu"]}
"""

import time
import uuid

try:  # noqa: SIM105 - the amazon.aws pattern, which ansible-test expects
    import botocore
except ImportError:
    pass  # Handled by AnsibleAWSModule

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.ec2 import get_ec2_security_group_ids_from_names

from ansible_collections.dito.chat.plugins.module_utils import appautoscaling as aas
from ansible_collections.dito.chat.plugins.module_utils import ecs
from ansible_collections.dito.chat.plugins.module_utils import ecs_services as services
from ansible_collections.dito.chat.plugins.module_utils import ecs_task_definitions as task_definitions
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def validate(module):
    """Refuse contradictory options before any AWS call."""
    params = module.params
    if params["deployment_controller"] == "CODE_DEPLOY":
        if not params["load_balancer"]:
            module.fail_json(msg="load_balancer is required with deployment_controller CODE_DEPLOY (blue/green needs a target group)")
        if (params["deployment_configuration"] or {}).get("circuit_breaker"):
            module.fail_json(msg="deployment_configuration.circuit_breaker works with deployment_controller ECS only; CodeDeploy rolls back on its alarms")
    if params["wait_timeout"] < 0:
        module.fail_json(msg=f"wait_timeout must be 0 or more seconds, got {params['wait_timeout']}")
    scaling = params["autoscaling"]
    if scaling:
        if not 0 <= scaling["min_capacity"] <= scaling["max_capacity"]:
            module.fail_json(msg="autoscaling: min_capacity must be between 0 and max_capacity")
        if scaling["requests_per_target"] is not None and not scaling["requests_resource_label"]:
            module.fail_json(msg="autoscaling.requests_resource_label is required with autoscaling.requests_per_target")


def security_group_ids(module, names, existing):
    """Ids for the names given (ids pass through). Under check mode on a new service, unresolvable names stay."""
    if all(n.startswith("sg-") for n in names):
        return names
    ec2 = module.client("ec2", retry_decorator=AWSRetry.jittered_backoff())
    try:
        return sorted(get_ec2_security_group_ids_from_names(names, ec2, vpc_id=module.params["vpc_id"]))
    except ValueError as e:
        if module.check_mode and existing is None:
            return names
        module.fail_json(msg=f"security_groups: {e}")
    except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as e:
        module.fail_json_aws(e, msg="security_groups: looking up the group names")


def deployment_configuration(params):
    spec = params["deployment_configuration"]
    if not spec:
        return None
    config = {}
    if spec["maximum_percent"] is not None:
        config["maximumPercent"] = spec["maximum_percent"]
    if spec["minimum_healthy_percent"] is not None:
        config["minimumHealthyPercent"] = spec["minimum_healthy_percent"]
    if spec["circuit_breaker"] is not None:
        config["deploymentCircuitBreaker"] = {"enable": spec["circuit_breaker"], "rollback": spec["circuit_breaker"]}
    return config or None


# Options whose default applies to a new service only (an existing service keeps its value when they are omitted).
CREATE_DEFAULTS = (
    ("desired_count", "desiredCount"),
    ("deployment_controller", "deploymentController"),
    ("propagate_tags", "propagateTags"),
    ("enable_ecs_managed_tags", "enableECSManagedTags"),
    ("enable_execute_command", "enableExecuteCommand"),
)
CREATE_DEFAULTS_VALUES = {
    "desired_count": 1,
    "deployment_controller": "ECS",
    "propagate_tags": "SERVICE",
    "enable_ecs_managed_tags": True,
    "enable_execute_command": False,
}


def desired_request(module, existing):
    """The CreateService request that the options ask for."""
    params = module.params
    request = {"cluster": params["cluster"], "serviceName": params["name"], "schedulingStrategy": "REPLICA"}
    # Options omitted: their defaults for a new service; on an existing one, not asked for (left alone).
    for option, field in CREATE_DEFAULTS:
        value = params[option]
        if value is None and existing is None:
            value = CREATE_DEFAULTS_VALUES[option]
        if value is not None:
            request[field] = {"type": value} if field == "deploymentController" else value
    if params["task_definition"]:
        request["taskDefinition"] = params["task_definition"]
    if params["launch_type"]:
        request["launchType"] = params["launch_type"]
    if params["capacity_provider_strategy"]:
        request["capacityProviderStrategy"] = ecs.strategy_request(params["capacity_provider_strategy"])
    if params["platform_version"]:
        request["platformVersion"] = params["platform_version"]
    if params["subnets"]:
        request["networkConfiguration"] = {
            "awsvpcConfiguration": {
                "subnets": params["subnets"],
                "securityGroups": security_group_ids(module, params["security_groups"] or [], existing),
                "assignPublicIp": "ENABLED" if params["assign_public_ip"] else "DISABLED",
            }
        }
    lb = params["load_balancer"]
    if lb:
        request["loadBalancers"] = [{"targetGroupArn": lb["target_group_arn"], "containerName": lb["container_name"], "containerPort": lb["container_port"]}]
    config = deployment_configuration(params)
    if config:
        request["deploymentConfiguration"] = config
    if params["health_check_grace_period_seconds"] is not None:
        request["healthCheckGracePeriodSeconds"] = params["health_check_grace_period_seconds"]
    if params["service_registry_arn"]:
        request["serviceRegistries"] = [{"registryArn": params["service_registry_arn"]}]
    if params["tags"]:
        request["tags"] = [{"key": k, "value": v} for k, v in params["tags"].items()]
    return request


def task_definition_satisfied(current, wanted):
    """An ARN or family:revision must match the service's ARN; a bare family, any revision of it."""
    if not wanted or not current:
        return not wanted
    if wanted.startswith("arn:"):
        return current == wanted
    if ":" in wanted:
        return current.rsplit("/", 1)[-1] == wanted
    return task_definitions.arn_family(current) == wanted


def returned(service, tags):
    result = camel_dict_to_snake_dict({k: v for k, v in service.items() if k not in ("tags", "events", "deployments", "taskSets")})
    result["tags"] = tags
    return result


def ensure_tags(module, client, current):
    """Bring the service's tags to the asked ones. Returns (changed, before, after)."""
    arn, have = current["serviceArn"], ecs.tags_to_dict(current.get("tags"))
    changed, after = tagging.reconcile(
        module, have, module.params["tags"], lambda t: ecs.tag_resource(client, arn, t), lambda k: ecs.untag_resource(client, arn, k)
    )
    return changed, have, after


def ensure_autoscaling(module, resource, exists):
    """The scalable target and the module's target-tracking policies. Returns (changed, before, after, summary)."""
    spec, name = module.params["autoscaling"], module.params["name"]
    client = module.client("application-autoscaling", retry_decorator=AWSRetry.jittered_backoff())
    target = aas.describe_target(client, resource) if exists else None
    policies = aas.describe_policies(client, resource) if target else {}
    wanted = {}
    if spec["cpu_target"] is not None:
        wanted[f"{name}-cpu"] = aas.target_tracking(
            "ECSServiceAverageCPUUtilization", spec["cpu_target"], spec["scale_in_cooldown"], spec["scale_out_cooldown"]
        )
    if spec["requests_per_target"] is not None:
        wanted[f"{name}-requests"] = aas.target_tracking(
            "ALBRequestCountPerTarget", spec["requests_per_target"], spec["scale_in_cooldown"], spec["scale_out_cooldown"], spec["requests_resource_label"]
        )
    before, after, changed = {}, {}, False
    capacity = (spec["min_capacity"], spec["max_capacity"])
    if target is None or (target["MinCapacity"], target["MaxCapacity"]) != capacity:
        changed = True
        before["capacity"] = [target["MinCapacity"], target["MaxCapacity"]] if target else None
        after["capacity"] = list(capacity)
        if not module.check_mode:
            tags = module.params["tags"] if target is None else None
            aas.register_target(client, resource, spec["min_capacity"], spec["max_capacity"], tags)
    for policy, config in wanted.items():
        if aas.tracking_differs(policies.get(policy), config):
            changed = True
            before[policy] = (policies.get(policy) or {}).get("TargetTrackingScalingPolicyConfiguration")
            after[policy] = config
            if not module.check_mode:
                aas.put_target_tracking_policy(client, resource, policy, config)
    for policy in (f"{name}-cpu", f"{name}-requests"):
        if policy in policies and policy not in wanted:
            changed, before[policy], after[policy] = True, "present", None
            if not module.check_mode:
                aas.delete_policy(client, resource, policy)
    return changed, before, after, {"min_capacity": capacity[0], "max_capacity": capacity[1], "policies": sorted(wanted)}


def ensure_present(module, client):
    params = module.params
    current = services.describe_service(client, params["cluster"], params["name"])
    if current and current.get("status") == "DRAINING":
        module.fail_json(msg=f"the service {params['name']} is being deleted (DRAINING); run again once it is gone")
    request = desired_request(module, current)
    result = {"differences": [], "deferred": []}
    diff = {"before": {}, "after": {}}
    update = {}
    resource = aas.resource_id(params["cluster"].rsplit("/", 1)[-1], params["name"])

    if current is None:
        if not params["task_definition"]:
            module.fail_json(msg="task_definition is required to create the service")
        diff["after"]["service"] = params["name"]
        # One client token for every attempt of this run: a CreateService that botocore or AWSRetry sends again
        # after a lost response answers the service the first attempt created (the token is not reused later:
        # ECS asks for a unique one per request).
        service = dict(request, status="ACTIVE") if module.check_mode else services.create_service(client, **dict(request, clientToken=str(uuid.uuid4())))
        changed, tags = True, params["tags"] or {}
    else:
        alternates = (params["load_balancer"] or {}).get("alternate_target_group_arns") or []
        wanted = dict(request)
        if task_definition_satisfied(current.get("taskDefinition"), wanted.get("taskDefinition")):
            wanted.pop("taskDefinition", None)
        diffs = services.service_differences(current, wanted, alternates, keep_desired_count=bool(params["autoscaling"]))
        code_deploy = (current.get("deploymentController") or {}).get("type") == "CODE_DEPLOY"
        update, deferred = services.update_request(diffs, wanted, code_deploy)
        result["differences"], result["deferred"] = sorted(diffs), deferred
        if deferred:
            module.warn(
                f"{params['name']} is deployed by CodeDeploy: {', '.join(deferred)} differ from what was asked and change only with the next "
                "CodeDeploy deployment (its AppSpec); left alone"
            )
        service = dict(current)
        if update:
            for field in update:
                diff["before"][field], diff["after"][field] = diffs[field]
            if not module.check_mode:
                service = services.update_service(client, cluster=params["cluster"], service=params["name"], **update)
            else:
                service.update(update)
        tags_changed, before_tags, tags = ensure_tags(module, client, current)
        if tags_changed:
            diff["before"]["tags"], diff["after"]["tags"] = before_tags, tags
        changed = bool(update) or tags_changed

    if params["autoscaling"]:
        scaled, before, after, result["autoscaling"] = ensure_autoscaling(module, resource, exists=current is not None)
        if scaled:
            changed = True
            diff["before"]["autoscaling"], diff["after"]["autoscaling"] = before, after
    if params["wait"] and not module.check_mode:
        deployment_id = services.primary_deployment_id(service) if (current is None or update) else None
        state, message, waited = services.wait_until_stable(
            client, params["cluster"], params["name"], deployment_id, params["wait_timeout"], time.sleep, time.monotonic
        )
        result["deployment"] = {"id": deployment_id or services.primary_deployment_id(waited), "state": state, "message": message}
        if waited is not None:
            service = waited
        if state != "stable":
            result["service"] = returned(service, tags)
            verb = f"timed out after {params['wait_timeout']} s waiting for" if state == "timeout" else "failed waiting for"
            module.fail_json(msg=f"{verb} service {params['name']} to be stable: {message}", changed=changed, **result)
    result["service"] = returned(service, tags)
    return changed, diff, result


def ensure_absent(module, client):
    params = module.params
    current = services.describe_service(client, params["cluster"], params["name"])
    if current is None or current.get("status") == "DRAINING":
        return False
    if not module.check_mode:
        scaling = module.client("application-autoscaling", retry_decorator=AWSRetry.jittered_backoff())
        resource = aas.resource_id(current["clusterArn"].rsplit("/", 1)[-1], params["name"])
        if aas.describe_target(scaling, resource):
            aas.deregister_target(scaling, resource)
        services.delete_service(client, params["cluster"], params["name"])
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            cluster=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            task_definition=dict(type="str"),
            desired_count=dict(type="int"),
            launch_type=dict(type="str", choices=["FARGATE", "EC2"]),
            capacity_provider_strategy=dict(
                type="list",
                elements="dict",
                options=ecs.STRATEGY_OPTIONS,
            ),
            platform_version=dict(type="str"),
            subnets=dict(type="list", elements="str"),
            security_groups=dict(type="list", elements="str"),
            vpc_id=dict(type="str"),
            assign_public_ip=dict(type="bool", default=False),
            load_balancer=dict(
                type="dict",
                options=dict(
                    target_group_arn=dict(type="str", required=True),
                    alternate_target_group_arns=dict(type="list", elements="str", default=[]),
                    container_name=dict(type="str", required=True),
                    container_port=dict(type="int", required=True),
                ),
            ),
            deployment_controller=dict(type="str", choices=["ECS", "CODE_DEPLOY"]),
            deployment_configuration=dict(
                type="dict",
                options=dict(maximum_percent=dict(type="int"), minimum_healthy_percent=dict(type="int"), circuit_breaker=dict(type="bool")),
            ),
            health_check_grace_period_seconds=dict(type="int"),
            service_registry_arn=dict(type="str"),
            propagate_tags=dict(type="str", choices=["SERVICE", "TASK_DEFINITION", "NONE"]),
            enable_ecs_managed_tags=dict(type="bool"),
            enable_execute_command=dict(type="bool"),
            autoscaling=dict(
                type="dict",
                options=dict(
                    min_capacity=dict(type="int", required=True),
                    max_capacity=dict(type="int", required=True),
                    cpu_target=dict(type="float"),
                    requests_per_target=dict(type="float"),
                    requests_resource_label=dict(type="str"),
                    scale_in_cooldown=dict(type="int", default=300),
                    scale_out_cooldown=dict(type="int", default=60),
                ),
            ),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
            wait=dict(type="bool", default=False),
            wait_timeout=dict(type="int", default=600),
        ),
        mutually_exclusive=[("launch_type", "capacity_provider_strategy")],
        supports_check_mode=True,
    )
    validate(module)
    client = module.client("ecs", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, diff, result = ensure_present(module, client)
    except (ecs.AnsibleECSError, aas.AnsibleAppAutoScalingError) as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, **result)


if __name__ == "__main__":
    main()
