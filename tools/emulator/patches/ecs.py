"""Amazon ECS behaviours that moto 5.2 bends."""

from datetime import UTC
from datetime import datetime

from moto.core.responses import ActionResult
from moto.core.utils import camelcase_to_underscores
from moto.ecs import exceptions as ecs_exceptions
from moto.ecs import models as ecs_models
from moto.ecs import responses as ecs_responses


def describe_task_definition_family_returns_latest_active():
    """DescribeTaskDefinition with a bare family returns the latest ACTIVE revision.

    AWS API reference, DescribeTaskDefinition, request parameter ``taskDefinition``: "The family for
    the latest ACTIVE revision, family and revision (family:revision) for a specific revision in the
    family, or full Amazon Resource Name (ARN) of the task definition to describe."
    moto returns the highest revision even when it is INACTIVE, and a family whose revisions are all
    INACTIVE still resolves. A family:revision or an ARN with a revision keeps moto's behaviour (an
    INACTIVE revision stays describable by number, as on AWS).
    """
    backend_cls = ecs_models.EC2ContainerServiceBackend
    original = backend_cls.describe_task_definition

    def describe_task_definition(self, task_definition_str):
        name = task_definition_str.split("/")[-1]
        if ":" in name:
            return original(self, task_definition_str)
        active = [rev for rev, td in self.task_definitions.get(name, {}).items() if td.status == "ACTIVE"]
        if not active:
            raise ecs_exceptions.TaskDefinitionNotFoundException()
        return self.task_definitions[name][max(active)]

    backend_cls.describe_task_definition = describe_task_definition


def task_definitions_record_registered_at():
    """A task definition carries ``registeredAt``, the time it was registered.

    AWS API reference, TaskDefinition data type: "registeredAt - The Unix timestamp for the time when
    the task definition was registered." moto leaves it out of RegisterTaskDefinition and
    DescribeTaskDefinition responses.
    """
    task_definition_cls = ecs_models.TaskDefinition
    original_init = task_definition_cls.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.registered_at = datetime.now(UTC)

    task_definition_cls.__init__ = __init__


def update_cluster_settings_answers():
    """UpdateClusterSettings changes a cluster's settings (containerInsights).

    AWS API reference, UpdateClusterSettings: request ``cluster`` and ``settings`` (list of ``name``/``value``,
    the name ``containerInsights`` with ``enhanced``, ``enabled`` or ``disabled``); response ``cluster``, the
    full description of the cluster. moto has no such action. Settings not named keep their value.
    """
    backend_cls = ecs_models.EC2ContainerServiceBackend

    def update_cluster_settings(self, cluster_name, settings):
        cluster = self._get_cluster(cluster_name)
        current = {s["name"]: s for s in cluster.settings or []}
        for setting in settings or []:
            current[setting["name"]] = {"name": setting["name"], "value": setting["value"]}
        cluster.settings = list(current.values())
        return cluster

    def response_update_cluster_settings(self):
        cluster = self.ecs_backend.update_cluster_settings(self._get_param("cluster"), self._get_param("settings"))
        return ecs_responses.ActionResult({"cluster": cluster})

    backend_cls.update_cluster_settings = update_cluster_settings
    ecs_responses.EC2ContainerServiceResponse.update_cluster_settings = response_update_cluster_settings


def services_keep_health_check_grace_period():
    """CreateService and UpdateService keep ``healthCheckGracePeriodSeconds``.

    AWS API reference, CreateService/UpdateService request parameter ``healthCheckGracePeriodSeconds``: "The
    period of time, in seconds, that the Amazon ECS service scheduler ignores unhealthy Elastic Load Balancing
    target health checks ... after a task has first started"; the Service data type returns it. moto drops it.
    """
    response_cls = ecs_responses.EC2ContainerServiceResponse
    original_create, original_update = response_cls.create_service, response_cls.update_service

    def with_grace_period(original):
        def action(self):
            result = original(self)
            grace = self._get_param("healthCheckGracePeriodSeconds")
            if grace is not None:
                name = self._get_param("serviceName") or self._get_param("service")
                cluster = self._get_param("cluster", "default")
                for service in self.ecs_backend.describe_services(cluster, [name])[0]:
                    service.health_check_grace_period_seconds = int(grace)
            return result

        return action

    response_cls.create_service = with_grace_period(original_create)
    response_cls.update_service = with_grace_period(original_update)


def code_deploy_services_refuse_a_new_task_definition():
    """UpdateService refuses a new task definition on a service that CodeDeploy deploys.

    AWS API reference, UpdateService: with the CODE_DEPLOY deployment controller "only the desired count,
    deployment configuration, health check grace period, task placement constraints and strategies,
    enable ECS managed tags option, and propagate tags can be updated"; a new task definition goes through
    a CodeDeploy deployment. AWS answers InvalidParameterException; moto applied it.
    """
    backend_cls = ecs_models.EC2ContainerServiceBackend
    original = backend_cls.update_service

    def update_service(self, service_properties):
        task_definition = service_properties.get("task_definition")
        if task_definition and service_properties.get("service"):
            service = self._get_service(service_properties.get("cluster") or "default", service_properties["service"].split("/")[-1])
            wanted = self.describe_task_definition(task_definition).arn
            if (service.deployment_controller or {}).get("type") == "CODE_DEPLOY" and wanted != service.task_definition:
                raise ecs_exceptions.InvalidParameterException(
                    "Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment."
                )
        return original(self, service_properties)

    backend_cls.update_service = update_service


def create_service_keeps_strategy_deployment_configuration_and_flags():
    """CreateService keeps ``capacityProviderStrategy``, ``deploymentConfiguration``, ``enableECSManagedTags``
    and ``enableExecuteCommand``; a service placed by a capacity provider strategy has no launch type.

    AWS API reference, CreateService: each is a request parameter that the returned Service data type echoes
    ("capacityProviderStrategy - The capacity provider strategy the service uses"; "If a capacityProviderStrategy
    is specified, the launchType parameter must be omitted"). moto drops all four on create (UpdateService keeps
    them) and reports launchType EC2 for a service placed by a strategy.
    """
    response_cls = ecs_responses.EC2ContainerServiceResponse
    original = response_cls.create_service
    fields = ("capacityProviderStrategy", "deploymentConfiguration", "enableECSManagedTags", "enableExecuteCommand")

    def create_service(self):
        result = original(self)
        given = {field: self._get_param(field) for field in fields if self._get_param(field) is not None}
        if given:
            cluster = self._get_param("cluster", "default")
            for service in self.ecs_backend.describe_services(cluster, [self._get_param("serviceName")])[0]:
                for field, value in given.items():
                    setattr(service, camelcase_to_underscores(field), value)
                if "capacityProviderStrategy" in given:
                    service.launch_type = None
        return result

    response_cls.create_service = create_service


# Image tags that make the tasks of a rolling deployment fail to start (emulator-only, see tools/emulator/README.md),
# the same switch as the CodeDeploy deployments' replacement task sets.
UNHEALTHY_TAG_PREFIX = "dito-emulator-unhealthy"
# UpdateService fields that start a new deployment (AWS API reference, UpdateService: "a new deployment is
# triggered" by a new task definition, platform version, network configuration, load balancers, service
# registries, capacity provider strategy, or forceNewDeployment).
_DEPLOYING_FIELDS = ("task_definition", "platform_version", "network_configuration", "load_balancers", "service_registries", "capacity_provider_strategy")


def _image_tag(image):
    name = (image or "").split("@", 1)[0].rsplit("/", 1)[-1]
    return name.split(":", 1)[1] if ":" in name else "latest"


def _starts_healthy(backend, task_definition_arn):
    try:
        task_definition = backend.describe_task_definition(task_definition_arn)
    except ecs_exceptions.TaskDefinitionNotFoundException:
        return True
    return not any(_image_tag(c.get("image")).startswith(UNHEALTHY_TAG_PREFIX) for c in task_definition.container_definitions)


def _new_deployment(service, task_definition, now):
    deployment_id = f"ecs-svc/{ecs_models.mock_random.randint(0, 32**12)}"
    return {
        "id": deployment_id,
        "status": "PRIMARY",
        "taskDefinition": task_definition,
        "desiredCount": service.desired_count,
        "pendingCount": service.desired_count,
        "runningCount": 0,
        "failedTasks": 0,
        "createdAt": now,
        "updatedAt": now,
        "launchType": service.launch_type,
        "platformVersion": service.platform_version,
        "networkConfiguration": service.network_configuration or None,
        "platformFamily": "EC2" if service.launch_type == "EC2" else "FARGATE",
        "rolloutState": "IN_PROGRESS",
        "rolloutStateReason": f"ECS deployment {deployment_id} in progress.",
    }


def _roll_out(backend, service):
    """Move the ECS deployments of ``service`` one step: what the scheduler does between two reads."""
    now = datetime.now(UTC)
    primary = next((d for d in service.deployments if d["status"] == "PRIMARY"), None)
    if primary is None:
        return
    primary["desiredCount"] = service.desired_count
    if primary.get("rolloutState") != "IN_PROGRESS":
        if primary.get("rolloutState") == "COMPLETED":
            primary.update(runningCount=service.desired_count, pendingCount=0)
        return
    if _starts_healthy(backend, primary["taskDefinition"]) or service.desired_count == 0:
        primary.update(
            runningCount=service.desired_count,
            pendingCount=0,
            rolloutState="COMPLETED",
            rolloutStateReason=f"ECS deployment {primary['id']} completed.",
            updatedAt=now,
        )
        service.deployments = [primary]
        service.running_count, service.pending_count = service.desired_count, 0
        return
    primary.update(failedTasks=primary.get("failedTasks", 0) + max(service.desired_count, 1), runningCount=0, updatedAt=now)
    breaker = (getattr(service, "deployment_configuration", None) or {}).get("deploymentCircuitBreaker") or {}
    previous = next((d for d in service.deployments if d["status"] == "ACTIVE" and d.get("rolloutState") == "COMPLETED"), None)
    if not breaker.get("enable"):
        return  # the scheduler keeps trying to start tasks: IN_PROGRESS until someone deploys something else
    primary.update(status="ACTIVE", rolloutState="FAILED", rolloutStateReason="ECS deployment circuit breaker: tasks failed to start.")
    if breaker.get("rollback") and previous is not None:
        rollback = _new_deployment(service, previous["taskDefinition"], now)
        service.task_definition = previous["taskDefinition"]
        service.deployments = [rollback, primary]
    else:
        primary["status"] = "PRIMARY"


def rolling_deployments_roll_out():
    """UpdateService starts a new deployment that becomes COMPLETED, and a circuit breaker rolls a failing one back.

    AWS API reference, Service data type, ``deployments``: "The current state of deployments for the service";
    Deployment data type: ``status`` "PRIMARY - The most recent deployment of a service. ACTIVE - A service
    deployment that still has running tasks, but are in the process of being replaced with a new PRIMARY
    deployment"; ``rolloutState`` "IN_PROGRESS ... COMPLETED ... FAILED", "If the service is using the rolling
    update (ECS) deployment type and the circuit breaker is turned on, the deployment will transition to a FAILED
    state and won't launch new tasks"; ``rolloutStateReason``, ``runningCount``, ``failedTasks``. UpdateService:
    a new task definition (also platform version, network configuration, load balancers, service registries,
    capacity provider strategy, forceNewDeployment) "triggers a new deployment"; with the circuit breaker's
    ``rollback`` "a service deployment will roll back to the last deployment that completed successfully".
    moto keeps one deployment forever IN_PROGRESS with 0 running tasks and the first task definition (and stores a
    ``family:revision`` given to UpdateService as is instead of the ARN).

    The emulator runs no tasks: a deployment's tasks start by the next DescribeServices, which then shows it
    COMPLETED with ``runningCount == desiredCount`` and the replaced deployments drained. Emulator-only switch:
    when a container image tag of the deployment's task definition starts with ``dito-emulator-unhealthy``, its
    tasks fail to start; with the circuit breaker on, the next read shows the deployment FAILED (status ACTIVE)
    and, with rollback, a new PRIMARY deployment on the last completed task definition; without it the deployment
    stays IN_PROGRESS with ``failedTasks`` growing, as the scheduler keeps retrying.
    """
    backend_cls = ecs_models.EC2ContainerServiceBackend
    response_cls = ecs_responses.EC2ContainerServiceResponse
    original_update, original_describe = backend_cls.update_service, response_cls.describe_services

    def update_service(self, service_properties):
        cluster = service_properties.get("cluster") or "default"
        service = self._get_service(cluster, (service_properties.get("service") or "").split("/")[-1])
        if (service.deployment_controller or {}).get("type") != "ECS":
            return original_update(self, service_properties)
        before = {field: getattr(service, field, None) for field in _DEPLOYING_FIELDS}
        deployments = [dict(d) for d in service.deployments]
        force = bool(service_properties.get("force_new_deployment"))
        result = original_update(self, service_properties)
        if service.task_definition:
            service.task_definition = self.describe_task_definition(service.task_definition).arn
        service.deployments = deployments
        if force or any(getattr(service, field, None) != value for field, value in before.items()):
            for deployment in deployments:
                deployment["status"] = "ACTIVE"
            service.deployments = [_new_deployment(service, service.task_definition, datetime.now(UTC)), *deployments]
            service.running_count, service.pending_count = 0, service.desired_count
        return result

    def describe_services(self):
        cluster = self._get_param("cluster", "default")
        for name in self._get_param("services", []):
            try:
                service = self.ecs_backend._get_service(cluster, name.split("/")[-1])
            except (ecs_exceptions.ServiceNotFoundException, ecs_exceptions.ClusterNotFoundException):
                continue
            if (service.deployment_controller or {}).get("type") == "ECS" and service.status == "ACTIVE":
                _roll_out(self.ecs_backend, service)
        return original_describe(self)

    backend_cls.update_service = update_service
    response_cls.describe_services = describe_services


def create_service_is_idempotent_by_client_token_and_a_taken_name_is_refused():
    """CreateService sent again with its ``clientToken`` and the same parameters answers the service it created; a
    CreateService for the name of a service that exists (ACTIVE or DRAINING) is otherwise refused.

    AWS API reference, CreateService, ``clientToken``: "An identifier that you provide to ensure the idempotency of the
    request. It must be unique and is case sensitive. Up to 36 ASCII characters in the range of 33-126 (inclusive) are
    allowed." Ensuring idempotency (ECS API reference): "If you retry a request that completed successfully using the
    same client token and the same parameters, the retry succeeds without performing any further actions";
    ``serviceName``: "Service names must be unique within a cluster". ECS refuses a create of a taken name with
    InvalidParameterException "Creation of service was not idempotent." (the answer the collection's ecs_service reads
    back). moto ignored the token and replaced the service of that name with a new one (new deployments, createdAt,
    task sets), whatever the token, so a create resent after a lost response looked like a first create.
    """
    response_cls = ecs_responses.EC2ContainerServiceResponse
    original = response_cls.create_service

    def create_service(self):
        cluster = self.ecs_backend._get_cluster(self._get_param("cluster", "default"))
        held = self.ecs_backend.services.get(f"{cluster.name}:{self._get_param('serviceName')}")
        asked = {key: value for key, value in self.params.items() if key != "clientToken"}
        token = self._get_param("clientToken")
        if held is None or held.status not in ("ACTIVE", "DRAINING"):
            result = original(self)
            service = self.ecs_backend.services[f"{cluster.name}:{self._get_param('serviceName')}"]
            service.dito_creation = (token, asked)
            return result
        if token and getattr(held, "dito_creation", None) == (token, asked):
            return ActionResult({"service": held})
        raise ecs_exceptions.InvalidParameterException("Creation of service was not idempotent.")

    response_cls.create_service = create_service
