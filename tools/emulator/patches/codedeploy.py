"""AWS CodeDeploy behaviours that moto 5.2 lacks: deployment configurations, full deployment groups and ECS
blue/green deployments that move (AWS CodeDeploy API reference; CodeDeploy User Guide, "Deployments on an Amazon
ECS compute platform" and "AppSpec 'hooks' section for an Amazon ECS deployment").

A deployment progresses lazily from wall time: every read (CodeDeploy, ECS DescribeServices/DescribeTaskSets, ELBv2
DescribeListeners/DescribeRules) first brings the account's deployments up to date. No threads.

Emulator-only switches:
- ``DITO_EMULATOR_CODEDEPLOY_STEP_SECONDS`` (environment, when the server starts) or ``POST /moto-api/config
  {"codedeploy": {"step_seconds": x}}``: seconds per lifecycle step (default 0.5). A minute of a wait (termination
  wait, ready wait, canary or linear interval) passes in one step.
- a replacement task definition with a container image whose tag starts with ``dito-emulator-unhealthy`` never
  becomes healthy: the Install event fails (ECS_UPDATE_ERROR) and, when the group's auto rollback covers
  DEPLOYMENT_FAILURE, a rollback deployment (creator codeDeployRollback) restores the last successful revision.
- the IAM propagation fault mode (``DITO_EMULATOR_IAM_PROPAGATION_SECONDS``, see awslambda.py) makes
  CreateDeploymentGroup/UpdateDeploymentGroup refuse a role younger than N seconds (InvalidRoleException).
"""

import hashlib
import json
import os
import string
import threading
import time
import uuid
from datetime import UTC
from datetime import datetime

import yaml
from moto.codedeploy import models as cd_models
from moto.codedeploy import responses as cd_responses
from moto.codedeploy.exceptions import CodeDeployException
from moto.core.config import default_user_config
from moto.core.responses import ActionResult
from moto.core.responses import EmptyResult
from moto.core.utils import utcnow
from moto.ecs import models as ecs_models
from moto.elbv2 import models as elbv2_models
from moto.iam.exceptions import NotFoundException as IAMNotFoundException
from moto.iam.models import iam_backends
from moto.moto_api._internal import mock_random
from moto.moto_api._internal.models import MotoAPIBackend

from tools.emulator import trust
from tools.emulator.patches.awslambda import propagation_seconds

STEP_ENV = "DITO_EMULATOR_CODEDEPLOY_STEP_SECONDS"
DEFAULT_STEP_SECONDS = 0.5
UNHEALTHY_TAG = "dito-emulator-unhealthy"

ECS_EVENTS = (
    "BeforeInstall",
    "Install",
    "AfterInstall",
    "AllowTestTraffic",
    "AfterAllowTestTraffic",
    "BeforeAllowTraffic",
    "AllowTraffic",
    "AfterAllowTraffic",
)
ACTIVE_STATUSES = ("Created", "Queued", "InProgress", "Baking", "Ready")

_PREDEFINED_TIME = datetime(2014, 10, 6, tzinfo=UTC)


def _routing(kind, percentage=None, interval=None):
    if kind == "AllAtOnce":
        return {"type": "AllAtOnce"}
    key, prefix = ("timeBasedCanary", "canary") if kind == "TimeBasedCanary" else ("timeBasedLinear", "linear")
    return {"type": kind, key: {f"{prefix}Percentage": percentage, f"{prefix}Interval": interval}}


# The predefined configurations (CodeDeploy User Guide, "Working with deployment configurations").
PREDEFINED_CONFIGS = {
    "CodeDeployDefault.AllAtOnce": {"computePlatform": "Server", "minimumHealthyHosts": {"type": "FLEET_PERCENT", "value": 0}},
    "CodeDeployDefault.HalfAtATime": {"computePlatform": "Server", "minimumHealthyHosts": {"type": "FLEET_PERCENT", "value": 50}},
    "CodeDeployDefault.OneAtATime": {"computePlatform": "Server", "minimumHealthyHosts": {"type": "HOST_COUNT", "value": 1}},
    "CodeDeployDefault.ECSAllAtOnce": {"computePlatform": "ECS", "trafficRoutingConfig": _routing("AllAtOnce")},
    "CodeDeployDefault.ECSLinear10PercentEvery1Minutes": {"computePlatform": "ECS", "trafficRoutingConfig": _routing("TimeBasedLinear", 10, 1)},
    "CodeDeployDefault.ECSLinear10PercentEvery3Minutes": {"computePlatform": "ECS", "trafficRoutingConfig": _routing("TimeBasedLinear", 10, 3)},
    "CodeDeployDefault.ECSCanary10Percent5Minutes": {"computePlatform": "ECS", "trafficRoutingConfig": _routing("TimeBasedCanary", 10, 5)},
    "CodeDeployDefault.ECSCanary10Percent15Minutes": {"computePlatform": "ECS", "trafficRoutingConfig": _routing("TimeBasedCanary", 10, 15)},
    "CodeDeployDefault.LambdaAllAtOnce": {"computePlatform": "Lambda", "trafficRoutingConfig": _routing("AllAtOnce")},
    **{
        f"CodeDeployDefault.LambdaCanary10Percent{m}Minutes": {"computePlatform": "Lambda", "trafficRoutingConfig": _routing("TimeBasedCanary", 10, m)}
        for m in (5, 10, 15, 30)
    },
    **{
        f"CodeDeployDefault.LambdaLinear10PercentEvery{m}Minute{'s' if m > 1 else ''}": {
            "computePlatform": "Lambda",
            "trafficRoutingConfig": _routing("TimeBasedLinear", 10, m),
        }
        for m in (1, 2, 3, 10)
    },
}
DEFAULT_CONFIG = {"ECS": "CodeDeployDefault.ECSAllAtOnce", "Lambda": "CodeDeployDefault.LambdaAllAtOnce", "Server": "CodeDeployDefault.OneAtATime"}

_lock = threading.RLock()
_busy = threading.local()


def clock():
    """Wall time in seconds (tests replace it)."""
    return time.time()


def _at(seconds):
    return datetime.fromtimestamp(seconds, UTC) if seconds is not None else None


def step_seconds():
    """Seconds per lifecycle step: POST /moto-api/config {"codedeploy": {"step_seconds": x}}, else the environment."""
    configured = default_user_config.get("codedeploy", {}).get("step_seconds")
    if configured is None:
        configured = os.environ.get(STEP_ENV) or DEFAULT_STEP_SECONDS
    return float(configured)


def error(code, message):
    return CodeDeployException(code, message)


def no_such_config(name):
    return error("DeploymentConfigDoesNotExistException", f"The deployment configuration {name} does not exist with the user or AWS account.")


# --- deployment configurations -------------------------------------------------------------------------------------


def _configs(backend):
    if not hasattr(backend, "dito_configs"):
        backend.dito_configs = {}
    return backend.dito_configs


def config_info(backend, name):
    """The DeploymentConfigInfo of a predefined or custom configuration, or None."""
    if name in PREDEFINED_CONFIGS:
        info = dict(PREDEFINED_CONFIGS[name], deploymentConfigName=name, createTime=_PREDEFINED_TIME)
        info["deploymentConfigId"] = str(uuid.uuid5(uuid.NAMESPACE_URL, name))
        return info
    return _configs(backend).get(name)


def deployment_configs_are_managed():
    """GetDeploymentConfig, CreateDeploymentConfig, ListDeploymentConfigs and DeleteDeploymentConfig answer, with the
    predefined configurations.

    AWS API reference, GetDeploymentConfig: returns ``deploymentConfigInfo`` (deploymentConfigId, deploymentConfigName,
    minimumHealthyHosts, createTime, computePlatform, trafficRoutingConfig); DeploymentConfigDoesNotExistException for
    an unknown name. CreateDeploymentConfig: DeploymentConfigAlreadyExistsException for a name in use. DeleteDeploymentConfig:
    "A deployment configuration cannot be deleted if it is currently in use (DeploymentConfigInUseException).
    Predefined configurations cannot be deleted" (InvalidOperationException). The user guide lists the predefined
    ``CodeDeployDefault.*`` configurations of each compute platform. moto had none of these actions.
    """
    backend_cls = cd_models.CodeDeployBackend
    response_cls = cd_responses.CodeDeployResponse

    def create_deployment_config(self, name, compute_platform, minimum_healthy_hosts, traffic_routing_config):
        if not name:
            raise error("DeploymentConfigNameRequiredException", "Deployment configuration name is required.")
        if name.startswith("CodeDeployDefault."):
            raise error("InvalidDeploymentConfigNameException", f"The deployment configuration name {name} is reserved for predefined configurations.")
        if name in _configs(self):
            raise error("DeploymentConfigAlreadyExistsException", f"Deployment configuration {name} already exists.")
        platform = compute_platform or "Server"
        if platform not in ("Server", "Lambda", "ECS"):
            raise error("InvalidComputePlatformException", f"Invalid compute platform {platform}.")
        routing = traffic_routing_config or ({"type": "AllAtOnce"} if platform != "Server" else None)
        if platform == "Server" and not minimum_healthy_hosts:
            raise error("InvalidMinimumHealthyHostValueException", "minimumHealthyHosts is required for the Server compute platform.")
        if routing:
            kind = routing.get("type")
            key = {"TimeBasedCanary": "timeBasedCanary", "TimeBasedLinear": "timeBasedLinear"}.get(kind)
            if kind not in ("AllAtOnce", "TimeBasedCanary", "TimeBasedLinear") or (key and not routing.get(key)):
                raise error("InvalidTrafficRoutingConfigurationException", "The traffic routing configuration is invalid.")
        info = {
            "deploymentConfigId": str(uuid.uuid4()),
            "deploymentConfigName": name,
            "computePlatform": platform,
            "createTime": datetime.now(UTC),
        }
        if minimum_healthy_hosts:
            info["minimumHealthyHosts"] = minimum_healthy_hosts
        if routing:
            info["trafficRoutingConfig"] = routing
        _configs(self)[name] = info
        return info["deploymentConfigId"]

    def get_deployment_config(self, name):
        if not name:
            raise error("DeploymentConfigNameRequiredException", "Deployment configuration name is required.")
        info = config_info(self, name)
        if info is None:
            raise no_such_config(name)
        return info

    def delete_deployment_config(self, name):
        if name in PREDEFINED_CONFIGS:
            raise error("InvalidOperationException", "Predefined deployment configurations cannot be deleted.")
        if name in _configs(self):
            in_use = any(group.deployment_config_name == name for groups in self.deployment_groups.values() for group in groups.values())
            in_use = in_use or any(d.deployment_config_name == name and d.status in ACTIVE_STATUSES for d in self.deployments.values())
            if in_use:
                raise error("DeploymentConfigInUseException", f"The deployment configuration {name} is still in use.")
            del _configs(self)[name]

    backend_cls.create_deployment_config = create_deployment_config
    backend_cls.get_deployment_config = get_deployment_config
    backend_cls.delete_deployment_config = delete_deployment_config

    def response_create(self):
        config_id = self.codedeploy_backend.create_deployment_config(
            self._get_param("deploymentConfigName"),
            self._get_param("computePlatform"),
            self._get_param("minimumHealthyHosts"),
            self._get_param("trafficRoutingConfig"),
        )
        return ActionResult({"deploymentConfigId": config_id})

    def response_get(self):
        return ActionResult({"deploymentConfigInfo": self.codedeploy_backend.get_deployment_config(self._get_param("deploymentConfigName"))})

    def response_list(self):
        return ActionResult({"deploymentConfigsList": sorted(PREDEFINED_CONFIGS) + sorted(_configs(self.codedeploy_backend))})

    def response_delete(self):
        self.codedeploy_backend.delete_deployment_config(self._get_param("deploymentConfigName"))
        return EmptyResult()

    response_cls.create_deployment_config = response_create
    response_cls.get_deployment_config = response_get
    response_cls.list_deployment_configs = response_list
    response_cls.delete_deployment_config = response_delete


# --- deployment groups ----------------------------------------------------------------------------------------------

GROUP_FIELDS = (
    "deploymentConfigName",
    "ec2TagFilters",
    "onPremisesInstanceTagFilters",
    "autoScalingGroups",
    "serviceRoleArn",
    "triggerConfigurations",
    "alarmConfiguration",
    "autoRollbackConfiguration",
    "outdatedInstancesStrategy",
    "deploymentStyle",
    "blueGreenDeploymentConfiguration",
    "loadBalancerInfo",
    "ec2TagSet",
    "ecsServices",
    "onPremisesTagSet",
    "terminationHookEnabled",
)


def _attr(field):
    return "".join("_" + c.lower() if c.isupper() else c for c in field)


def _ecs(backend):
    return ecs_models.ecs_backends[backend.account_id][backend.region_name]


def _elbv2(backend):
    return elbv2_models.elbv2_backends[backend.account_id][backend.region_name]


def _target_group_by_name(backend, name):
    for group in _elbv2(backend).target_groups.values():
        if group.name == name:
            return group
    return None


def _listener(backend, arn):
    for balancer in _elbv2(backend).load_balancers.values():
        if arn in balancer.listeners:
            return balancer.listeners[arn]
    return None


def check_service_role(backend, role_arn):
    """CodeDeploy assumes the service role when a deployment group is created or updated: the role must exist and
    trust codedeploy.amazonaws.com with sts:AssumeRole, and (IAM propagation fault mode) be older than N seconds."""
    refused = error("InvalidRoleException", f"AWS CodeDeploy does not have the permissions required to assume the role {role_arn}.")
    try:
        role = iam_backends[backend.account_id][backend.partition].get_role_by_arn(role_arn)
    except IAMNotFoundException:
        raise refused from None
    if not trust.trusts_service(role.assume_role_policy_document, "codedeploy", backend.region_name):
        raise refused
    seconds = propagation_seconds()
    if seconds > 0 and (utcnow() - role.create_date).total_seconds() < seconds:
        raise refused


def validate_ecs_group(backend, app_name, group_name, fields):
    """The checks CreateDeploymentGroup and UpdateDeploymentGroup make for an ECS deployment group."""
    config_name = fields.get("deploymentConfigName")
    if config_name:
        info = config_info(backend, config_name)
        if info is None:
            raise no_such_config(config_name)
        if info["computePlatform"] != "ECS":
            raise error("InvalidDeploymentConfigNameException", f"The deployment configuration {config_name} is not for the ECS compute platform.")
    if not fields.get("serviceRoleArn"):
        raise error("RoleRequiredException", "The service role ARN is required.")
    check_service_role(backend, fields["serviceRoleArn"])
    style = fields.get("deploymentStyle") or {}
    if style.get("deploymentType") != "BLUE_GREEN" or style.get("deploymentOption") != "WITH_TRAFFIC_CONTROL":
        raise error("InvalidDeploymentStyleException", "An ECS deployment group needs deploymentStyle BLUE_GREEN with WITH_TRAFFIC_CONTROL.")
    if not fields.get("blueGreenDeploymentConfiguration"):
        raise error("InvalidBlueGreenDeploymentConfigurationException", "An ECS deployment group needs a blueGreenDeploymentConfiguration.")
    services = fields.get("ecsServices") or []
    if len(services) != 1:
        raise error("InvalidECSServiceException", "An ECS deployment group needs exactly one ECS service.")
    ecs = _ecs(backend)
    for entry in services:
        cluster, name = entry.get("clusterName", ""), entry.get("serviceName", "")
        service = ecs.services.get(f"{cluster.split('/')[-1]}:{name.split('/')[-1]}")
        if service is None or service.status != "ACTIVE":
            raise error("InvalidECSServiceException", f"The ECS service {name} in cluster {cluster} does not exist.")
        if (service.deployment_controller or {}).get("type") != "CODE_DEPLOY":
            raise error("InvalidECSServiceException", f"The ECS service {name} must use the CODE_DEPLOY deployment controller.")
        for other_app, groups in backend.deployment_groups.items():
            for other in groups.values():
                if (other_app, other.deployment_group_name) == (app_name, group_name):
                    continue
                if any(s.get("clusterName", "").split("/")[-1] == cluster.split("/")[-1] and s.get("serviceName") == name for s in other.ecs_services):
                    raise error(
                        "ECSServiceMappingLimitExceededException",
                        f"The ECS service {cluster}:{name} is already in deployment group {other_app}/{other.deployment_group_name}.",
                    )
    pairs = (fields.get("loadBalancerInfo") or {}).get("targetGroupPairInfoList") or []
    if len(pairs) != 1:
        raise error("InvalidLoadBalancerInfoException", "An ECS deployment group needs exactly one targetGroupPairInfoList entry.")
    pair = pairs[0]
    names = [g.get("name") for g in pair.get("targetGroups") or []]
    if len(names) != 2 or len(set(names)) != 2:
        raise error("InvalidTargetGroupPairException", "A target group pair needs two different target groups.")
    for name in names:
        if _target_group_by_name(backend, name) is None:
            raise error("InvalidTargetGroupPairException", f"The target group {name} does not exist.")
    production = (pair.get("prodTrafficRoute") or {}).get("listenerArns") or []
    if len(production) != 1:
        raise error("InvalidTargetGroupPairException", "A target group pair needs one production listener.")
    test = (pair.get("testTrafficRoute") or {}).get("listenerArns") or []
    if len(test) > 1:
        raise error("InvalidTargetGroupPairException", "A traffic route takes at most one listener (TrafficRoute listenerArns has a maximum size of one).")
    for arn in production + test:
        if _listener(backend, arn) is None:
            raise error("InvalidTargetGroupPairException", f"The listener {arn} does not exist.")


def _group_deployments(backend, app_name, group_name):
    return [d for d in backend.deployments.values() if (d.application_name, d.deployment_group_name) == (app_name, group_name)]


def _last_info(deployment):
    state = getattr(deployment, "dito", None)
    return {
        "deploymentId": deployment.deployment_id,
        "status": deployment.status,
        "createTime": deployment.create_time,
        **({"endTime": _at(state["complete"])} if state and state.get("complete") else {}),
    }


def _group_info(group):
    backend = cd_models.codedeploy_backends[group.dito_account][group.dito_region] if hasattr(group, "dito_account") else None
    info = {
        "applicationName": group.application.application_name,
        "deploymentGroupId": group.deployment_group_id,
        "deploymentGroupName": group.deployment_group_name,
        "computePlatform": group.application.compute_platform,
    }
    for field in GROUP_FIELDS:
        value = getattr(group, _attr(field), None)
        if value not in (None, {}, []) or field in ("ec2TagFilters", "onPremisesInstanceTagFilters", "autoScalingGroups", "triggerConfigurations"):
            info[field] = value if value is not None else []
    info["deploymentConfigName"] = str(group.deployment_config_name)
    alarm = group.alarm_configuration
    info["alarmConfiguration"] = alarm if isinstance(alarm, dict) else {"enabled": False, "ignorePollAlarmFailure": False, "alarms": []}
    if backend is not None:
        deployments = _group_deployments(backend, info["applicationName"], group.deployment_group_name)  # in creation order
        if deployments:
            info["lastAttemptedDeployment"] = _last_info(deployments[-1])
            info["targetRevision"] = deployments[-1].revision
        # "the most recent successful deployment to the deployment group" (DeploymentGroupInfo): a rollback
        # deployment that succeeded counts; its revision is the previous good AppSpec.
        succeeded = [d for d in deployments if d.status == "Succeeded"]
        if succeeded:
            info["lastSuccessfulDeployment"] = _last_info(succeeded[-1])
    return info


def deployment_groups_are_complete():
    """Deployment groups keep every field, default to the platform's configuration, are validated for ECS, and can be
    updated, deleted and read in batches; DeleteApplication deletes an application and its groups.

    AWS API reference, CreateDeploymentGroup: ``deploymentConfigName`` "If not specified, the value configured in the
    deployment group is used as the default. ... CodeDeployDefault.OneAtATime" for EC2/On-premises; for ECS the default
    is CodeDeployDefault.ECSAllAtOnce (User Guide, "Deployment configurations on an Amazon ECS compute platform").
    Errors: DeploymentConfigDoesNotExistException, RoleRequiredException, InvalidRoleException ("The service role ARN
    was specified in an invalid format", answered as "AWS CodeDeploy does not have the permissions required to assume
    the role <arn>." when CodeDeploy cannot assume it; with the IAM propagation fault mode also for a role younger than
    N seconds), InvalidECSServiceException,
    InvalidTargetGroupPairException, ECSServiceMappingLimitExceededException, InvalidDeploymentStyleException,
    InvalidBlueGreenDeploymentConfigurationException, InvalidLoadBalancerInfoException; TrafficRoute ``listenerArns``
    "is an array of strings with a maximum size of one". GetDeploymentGroup returns
    ``alarmConfiguration``, ``lastSuccessfulDeployment`` and ``lastAttemptedDeployment``. UpdateDeploymentGroup
    (``currentDeploymentGroupName``, ``newDeploymentGroupName`` and every field), DeleteDeploymentGroup,
    BatchGetDeploymentGroups (``errorMessage`` for names that do not exist) and DeleteApplication ("Deletes an
    application", with its deployment groups). moto dropped alarmConfiguration, answered OneAtATime for ECS, checked
    nothing and had none of these actions.
    """
    backend_cls = cd_models.CodeDeployBackend
    response_cls = cd_responses.CodeDeployResponse
    original_create = backend_cls.create_deployment_group

    def create_deployment_group(self, application_name, deployment_group_name, deployment_config_name, *args, **kwargs):
        application = self.get_application(application_name)
        platform = application.compute_platform or "Server"
        if deployment_group_name in self.deployment_groups.get(application_name, {}):
            raise error("DeploymentGroupAlreadyExistsException", f"Deployment group {deployment_group_name} already exists.")
        deployment_config_name = deployment_config_name or DEFAULT_CONFIG.get(platform, DEFAULT_CONFIG["Server"])
        if config_info(self, deployment_config_name) is None:
            raise no_such_config(deployment_config_name)
        if platform == "ECS":
            fields = {k: kwargs.get(_attr(k)) for k in GROUP_FIELDS}
            fields["deploymentConfigName"] = deployment_config_name
            validate_ecs_group(self, application_name, deployment_group_name, fields)
        group_id = original_create(self, application_name, deployment_group_name, deployment_config_name, *args, **kwargs)
        group = self.deployment_groups[application_name][deployment_group_name]
        group.dito_account, group.dito_region = self.account_id, self.region_name
        return group_id

    def update_deployment_group(self, application_name, current_name, new_name, changes):
        with _lock:
            group = self.get_deployment_group(application_name, current_name)
            name = new_name or current_name
            if name != current_name and name in self.deployment_groups[application_name]:
                raise error("DeploymentGroupAlreadyExistsException", f"Deployment group {name} already exists.")
            merged = {field: getattr(group, _attr(field), None) for field in GROUP_FIELDS}
            merged.update({k: v for k, v in changes.items() if v is not None})
            if config_info(self, merged["deploymentConfigName"]) is None:
                raise no_such_config(merged["deploymentConfigName"])
            if group.application.compute_platform == "ECS":
                validate_ecs_group(self, application_name, current_name, merged)
            for field, value in changes.items():
                if value is not None:
                    setattr(group, _attr(field), value)
            if name != current_name:
                groups = self.deployment_groups[application_name]
                groups[name] = groups.pop(current_name)
                group.deployment_group_name = name
                old_arn, new_arn = self._deployment_group_arn(application_name, current_name), self._deployment_group_arn(application_name, name)
                tags = self.tagger.list_tags_for_resource(old_arn)["Tags"]
                self.tagger.delete_all_tags_for_resource(old_arn)
                if tags:
                    self.tagger.tag_resource(new_arn, tags)
                for deployment in self.deployments.values():
                    if deployment.deployment_group is group:
                        deployment.deployment_group_name = name
            return group

    def delete_deployment_group(self, application_name, group_name):
        groups = self.deployment_groups.get(application_name, {})
        if group_name in groups:
            del groups[group_name]
            self.tagger.delete_all_tags_for_resource(self._deployment_group_arn(application_name, group_name))

    def delete_application(self, application_name):
        if application_name in self.applications:
            for group_name in list(self.deployment_groups.get(application_name, {})):
                delete_deployment_group(self, application_name, group_name)
            self.deployment_groups.pop(application_name, None)
            del self.applications[application_name]
            self.tagger.delete_all_tags_for_resource(self._application_arn(application_name))

    backend_cls.create_deployment_group = create_deployment_group
    backend_cls.update_deployment_group = update_deployment_group
    backend_cls.delete_deployment_group = delete_deployment_group
    backend_cls.delete_application = delete_application

    def response_update(self):
        changes = {field: self._get_param(field) for field in GROUP_FIELDS}
        self.codedeploy_backend.update_deployment_group(
            self._get_param("applicationName"), self._get_param("currentDeploymentGroupName"), self._get_param("newDeploymentGroupName"), changes
        )
        return ActionResult({"hooksNotCleanedUp": []})

    def response_delete_group(self):
        self.codedeploy_backend.delete_deployment_group(self._get_param("applicationName"), self._get_param("deploymentGroupName"))
        return ActionResult({"hooksNotCleanedUp": []})

    def response_delete_application(self):
        self.codedeploy_backend.delete_application(self._get_param("applicationName"))
        return EmptyResult()

    def response_batch_get_groups(self):
        backend = self.codedeploy_backend
        application_name = self._get_param("applicationName")
        backend.get_application(application_name)
        advance_all(backend)
        found, missing = [], []
        for name in self._get_param("deploymentGroupNames") or []:
            group = backend.deployment_groups.get(application_name, {}).get(name)
            if group is None:
                missing.append(name)
            else:
                found.append(_group_info(group))
        result = {"deploymentGroupsInfo": found}
        if missing:
            result["errorMessage"] = "Deployment groups do not exist: " + ", ".join(missing)
        return ActionResult(result)

    response_cls.update_deployment_group = response_update
    response_cls.delete_deployment_group = response_delete_group
    response_cls.delete_application = response_delete_application
    response_cls.batch_get_deployment_groups = response_batch_get_groups
    cd_responses._deployment_group_info = _group_info


# --- ECS blue/green deployments -------------------------------------------------------------------------------------


def parse_appspec(content):
    """The ECS target of an AppSpec (JSON or YAML): (task definition, container name, container port, properties)."""
    try:
        spec = yaml.safe_load(content) if isinstance(content, str) else content
        resource = next(iter(spec["Resources"][0].values()))
        properties = resource["Properties"]
        balancer = properties["LoadBalancerInfo"]
        return properties["TaskDefinition"], balancer["ContainerName"], int(balancer["ContainerPort"]), properties
    except (yaml.YAMLError, KeyError, IndexError, TypeError, ValueError, StopIteration, AttributeError):
        raise error("InvalidRevisionException", "The AppSpec content is not a valid ECS AppSpec (Resources[0].TargetService.Properties).") from None


def _image_tag(image):
    name = image.split("@")[0]
    last = name.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else "latest"


def _forwarded_target_groups(action):
    data = action.data if hasattr(action, "data") else action
    arns = [data["TargetGroupArn"]] if data.get("TargetGroupArn") else []
    for entry in (data.get("ForwardConfig") or {}).get("TargetGroups") or []:
        if entry.get("TargetGroupArn") and entry["TargetGroupArn"] not in arns:
            arns.append(entry["TargetGroupArn"])
    return arns


def pair_weights(backend, listener_arn, pair):
    """The share of traffic (percent) that a listener sends to each target group ARN of ``pair``, read from its first
    action (default action, then rules) that forwards to either."""
    listener = _listener(backend, listener_arn)
    if listener is None:
        return {}
    actions = list(listener.default_actions) + [a for rule in listener._non_default_rules.values() for a in rule.actions]
    for action in actions:
        data = action.data
        if data.get("Type") != "forward" or not set(pair) & set(_forwarded_target_groups(data)):
            continue
        entries = (data.get("ForwardConfig") or {}).get("TargetGroups") or []
        if len(entries) > 1:
            weights = {e["TargetGroupArn"]: int(e.get("Weight", 1)) for e in entries if e["TargetGroupArn"] in pair}
            total = sum(weights.values())
            return {arn: 100.0 * weights.get(arn, 0) / total if total else 0.0 for arn in pair}
        target = data.get("TargetGroupArn") or entries[0]["TargetGroupArn"]
        return {arn: 100.0 if arn == target else 0.0 for arn in pair}
    return {}


def _shift_action(data, original, replacement, weight, shape):
    """An action that sends ``weight`` percent of what went to either target group to the replacement.

    ``shape`` is the action as it was before the deployment touched it: at 0 or 100 percent the action takes that
    form again (a plain forward stays plain, one weighted target group stays one), pointed at the target group that
    takes all the traffic; in between it is a weighted forward to both.
    """
    if data.get("Type") != "forward" or not ({original, replacement} & set(_forwarded_target_groups(data))):
        return data
    others = [e for e in (data.get("ForwardConfig") or {}).get("TargetGroups") or [] if e["TargetGroupArn"] not in (original, replacement)]
    if weight in (0, 100) and not others:
        target = replacement if weight == 100 else original
        data = json.loads(json.dumps(shape))
        if data.get("TargetGroupArn"):
            data["TargetGroupArn"] = target
        entries = (data.get("ForwardConfig") or {}).get("TargetGroups")
        if entries:
            kept = next((e for e in entries if e["TargetGroupArn"] in (original, replacement)), entries[0])
            data["ForwardConfig"]["TargetGroups"] = [dict(kept, TargetGroupArn=target)]
        return data
    data = json.loads(json.dumps(data))
    data.pop("TargetGroupArn", None)
    data.setdefault("ForwardConfig", {})["TargetGroups"] = [
        {"TargetGroupArn": original, "Weight": 100 - weight},
        {"TargetGroupArn": replacement, "Weight": weight},
        *others,
    ]
    return data


def _move_listener(backend, listener_arn, original, replacement, weight):
    listener = _listener(backend, listener_arn)
    if listener is None:
        return
    # The form of each action before a deployment shifted it part of the way, kept on the listener meanwhile.
    shapes = listener.__dict__.setdefault("dito_shapes", {})

    def shifted(key, actions):
        result = []
        for index, action in enumerate(actions):
            shape = shapes.setdefault((key, index), json.loads(json.dumps(action.data)))
            result.append(elbv2_models.FakeAction(_shift_action(action.data, original, replacement, weight, shape)))
        return result

    actions = shifted("default", listener.default_actions)
    listener.default_actions = actions
    listener._default_rule[0].actions = actions
    for arn, rule in listener._non_default_rules.items():
        rule.actions = shifted(arn, rule.actions)
    if weight in (0, 100):
        shapes.clear()  # at rest again: the next shift starts from what the listener then holds


def _plan(backend, deployment, group, appspec):
    step = step_seconds()
    config = config_info(backend, deployment.deployment_config_name) or PREDEFINED_CONFIGS["CodeDeployDefault.ECSAllAtOnce"]
    routing = config.get("trafficRoutingConfig") or {"type": "AllAtOnce"}
    shifts = [(0.0, 100)]
    if routing["type"] == "TimeBasedCanary":
        canary = routing["timeBasedCanary"]
        shifts = [(0.0, int(canary["canaryPercentage"])), (canary["canaryInterval"] * step, 100)]
    elif routing["type"] == "TimeBasedLinear":
        linear = routing["timeBasedLinear"]
        percent, interval, shifts = int(linear["linearPercentage"]), linear["linearInterval"] * step, []
        weight, offset = percent, 0.0
        while weight < 100:
            shifts.append((offset, weight))
            weight, offset = weight + percent, offset + interval
        shifts.append((offset, 100))
    blue_green = group.blue_green_deployment_configuration or {}
    ready = blue_green.get("deploymentReadyOption") or {}
    termination = (blue_green.get("terminateBlueInstancesOnDeploymentSuccess") or {}).get("terminationWaitTimeInMinutes", 0)
    steps = [{"kind": "start", "duration": step}]
    for name in ECS_EVENTS:
        duration = step + (shifts[-1][0] if name == "AllowTraffic" else 0)
        steps.append({"kind": "event", "event": name, "duration": duration})
        if name == "AfterAllowTestTraffic" and ready.get("actionOnTimeout") == "STOP_DEPLOYMENT":
            steps.append({"kind": "ready", "duration": int(ready.get("waitTimeInMinutes") or 0) * step})
    steps.append({"kind": "termination", "duration": int(termination) * step})
    pair = group.load_balancer_info["targetGroupPairInfoList"][0]
    service = group.ecs_services[0]
    task_definition, container, port, properties = appspec
    return {
        "steps": steps,
        "shifts": shifts,
        "index": 0,
        "started": clock(),
        "applied_weight": 0,
        "events": {name: {"lifecycleEventName": name, "status": "Pending"} for name in ECS_EVENTS},
        "cluster": service["clusterName"].split("/")[-1],
        "service": service["serviceName"].split("/")[-1],
        "target_groups": [g["name"] for g in pair["targetGroups"]],
        "production": list(pair["prodTrafficRoute"]["listenerArns"]),
        "test": list((pair.get("testTrafficRoute") or {}).get("listenerArns") or []),
        "task_definition": task_definition,
        "container": container,
        "port": port,
        "properties": properties,
        "original": None,
        "replacement": None,
        "original_tg": None,
        "replacement_tg": None,
        "complete": None,
        "error": None,
        "rollback": None,
        "rollback_deployment": None,
        "target_status": "Pending",
        "auto_rollback": group.auto_rollback_configuration or {},
        "creator": "user",
    }


def _ecs_service(backend, state):
    return _ecs(backend).services.get(f"{state['cluster']}:{state['service']}")


def _primary_task_set(backend, state):
    service = _ecs_service(backend, state)
    primary = next((ts for ts in service.task_sets if ts.status == "PRIMARY"), None)
    if primary is None:  # a service made before the emulator gave CODE_DEPLOY services their first task set
        primary = _first_task_set(_ecs(backend), service)
    return primary


def _install(backend, state):
    """Install: the replacement task set on the AppSpec's task definition, behind the other target group."""
    ecs, elbv2 = _ecs(backend), _elbv2(backend)
    original = _primary_task_set(backend, state)
    names = {tg.arn: tg.name for tg in elbv2.target_groups.values()}
    # The original target group is the one the service's PRIMARY task set is registered with (User Guide, "Before
    # you begin an Amazon ECS deployment"), not whatever the production listener happens to forward to.
    serving = next((lb.get("targetGroupArn") for lb in original.load_balancers or [] if names.get(lb.get("targetGroupArn")) in state["target_groups"]), None)
    original_name = names.get(serving, state["target_groups"][0])
    replacement_name = next(n for n in state["target_groups"] if n != original_name)
    state["original_tg"] = _target_group_by_name(backend, original_name).arn
    state["replacement_tg"] = _target_group_by_name(backend, replacement_name).arn
    service = _ecs_service(backend, state)
    properties = state["properties"]
    network = properties.get("NetworkConfiguration")
    if network:
        vpc = network.get("AwsvpcConfiguration") or network.get("awsvpcConfiguration") or {}
        network = {
            "awsvpcConfiguration": {
                "subnets": vpc.get("Subnets") or vpc.get("subnets") or [],
                "securityGroups": vpc.get("SecurityGroups") or vpc.get("securityGroups") or [],
                "assignPublicIp": vpc.get("AssignPublicIp") or vpc.get("assignPublicIp") or "DISABLED",
            }
        }
    task_set = ecs.create_task_set(
        service.arn,
        state["cluster"],
        state["task_definition"],
        external_id=None,
        network_configuration=network or original.network_configuration or service.network_configuration,
        load_balancers=[{"targetGroupArn": state["replacement_tg"], "containerName": state["container"], "containerPort": state["port"]}],
        launch_type=properties.get("LaunchType") or original.launch_type or service.launch_type or "FARGATE",
        platform_version=properties.get("PlatformVersion") or original.platform_version,
    )
    task_set.scale = {"value": 100.0, "unit": "PERCENT"}
    state["original"], state["replacement"] = original.task_set_arn, task_set.task_set_arn
    definition = ecs.describe_task_definition(state["task_definition"])
    unhealthy = [c["image"] for c in definition.container_definitions if _image_tag(c.get("image", "")).startswith(UNHEALTHY_TAG)]
    if unhealthy:
        return (
            "ECS_UPDATE_ERROR",
            f"The ECS service cannot reach a steady state: the tasks of the replacement task set ({unhealthy[0]}) "
            f"never pass the health checks of target group {replacement_name}.",
        )
    return None


def _shift(backend, state, listeners, weight):
    for arn in listeners:
        _move_listener(backend, arn, state["original_tg"], state["replacement_tg"], weight)


ROLLBACK_EVENTS = ("BeforeAllowTraffic", "AllowTraffic", "AfterAllowTraffic")


def _appspec_content(task_definition, container, port):
    spec = {
        "version": 0.0,
        "Resources": [
            {
                "TargetService": {
                    "Type": "AWS::ECS::Service",
                    "Properties": {"TaskDefinition": task_definition, "LoadBalancerInfo": {"ContainerName": container, "ContainerPort": port}},
                }
            }
        ],
    }
    return {"revisionType": "AppSpecContent", "appSpecContent": {"content": json.dumps(spec)}}


def _start_rollback(backend, deployment, state, at):
    """A rollback is a deployment of its own (User Guide, "Deployments on an Amazon ECS compute platform",
    "Redeployments and deployment rollbacks"): creator ``codeDeployRollback``, same group, the revision of the last
    successful deployment (else the original task set's task definition), rollbackInfo.rollbackTriggeringDeploymentId."""
    group = deployment.deployment_group
    previous = [d for d in _group_deployments(backend, deployment.application_name, deployment.deployment_group_name) if d.status == "Succeeded"]
    revision = previous[-1].revision if previous else None
    if revision is None:
        service = _ecs_service(backend, state)
        original = next((ts for ts in (service.task_sets if service else []) if ts.task_set_arn == state["original"]), None)
        task_definition = original.task_definition if original else (service.task_definition if service else state["task_definition"])
        revision = _appspec_content(task_definition, state["container"], state["port"])
    rollback = cd_models.DeploymentInfo(
        deployment.application,
        group,
        json.loads(json.dumps(revision)),
        deployment.deployment_config_name,
        None,
        None,
        None,
        deployment.auto_rollback_configuration,
        None,
        None,
        None,
        "codeDeployRollback",
    )
    rollback.create_time = _at(at)
    step = step_seconds()
    steps = [{"kind": "start", "duration": step}]
    steps += [{"kind": "event", "event": name, "duration": step} for name in ROLLBACK_EVENTS]
    steps.append({"kind": "termination", "duration": 0.0})
    rollback.dito = dict(
        state,
        steps=steps,
        shifts=[(0.0, 0)],
        index=0,
        started=at,
        applied_weight=100,
        events={name: {"lifecycleEventName": name, "status": "Pending"} for name in ROLLBACK_EVENTS},
        complete=None,
        error=None,
        rollback={"rollbackTriggeringDeploymentId": deployment.deployment_id},
        rollback_of=deployment,
        rollback_deployment=None,
        target_status="Pending",
        auto_rollback={},
        creator="codeDeployRollback",
    )
    backend.deployments[rollback.deployment_id] = rollback
    return rollback


def _roll_back(backend, state):
    """Traffic back on the original target group, the replacement task set removed, the service unchanged."""
    if state["original_tg"]:
        _shift(backend, state, state["production"] + state["test"], 0)
    service = _ecs_service(backend, state)
    if state["replacement"] and service is not None:
        service.task_sets = [ts for ts in service.task_sets if ts.task_set_arn != state["replacement"]]


def _finish(backend, deployment, state, status, at, code=None, message=None, rollback_reason=None):
    deployment.status = status
    state["complete"] = at
    deployment.complete_time = _at(at)
    for event in state["events"].values():
        if event["status"] in ("Pending", "InProgress"):
            event["status"] = "Skipped" if event["status"] == "Pending" else "Failed"
            event.setdefault("endTime", _at(at))
    if code:
        state["error"] = {"code": code, "message": message}
    if status == "Succeeded":
        state["target_status"] = "Succeeded"
        return
    state["target_status"] = "Failed"
    events = (state["auto_rollback"].get("events") or []) if state["auto_rollback"].get("enabled") else []
    if state["creator"] != "codeDeployRollback" and (rollback_reason is True or rollback_reason in events):  # a rollback is not rolled back
        rollback = _start_rollback(backend, deployment, state, at)
        state["rollback_deployment"] = rollback
        state["rollback"] = {"rollbackDeploymentId": rollback.deployment_id}


def _run_step_end(backend, deployment, state, step, at):
    """What happens when a step ends at time ``at``; False when the deployment ended."""
    kind = step["kind"]
    if kind == "start":
        deployment.status = "InProgress"
        deployment.start_time = _at(at)
        state["target_status"] = "InProgress"
        return True
    if kind == "ready":
        if step.get("continued"):
            return True
        message = "The deployment timed out while waiting for a ContinueDeployment to reroute production traffic."
        _finish(backend, deployment, state, "Stopped", at, "TIMEOUT", message, True)
        return False
    if kind == "termination":
        if state["creator"] == "codeDeployRollback":
            _roll_back(backend, state)
        else:
            ecs = _ecs(backend)
            service = _ecs_service(backend, state)
            ecs.update_service_primary_task_set(state["cluster"], state["service"], state["replacement"])
            service.task_sets = [ts for ts in service.task_sets if ts.task_set_arn != state["original"]]
        _finish(backend, deployment, state, "Succeeded", at)
        return False
    event = state["events"][step["event"]]
    failure = None
    if step["event"] == "Install":
        failure = _install(backend, state)
    elif step["event"] == "AllowTestTraffic":
        _shift(backend, state, state["test"], 100)
    elif step["event"] == "AllowTraffic" and state["creator"] == "codeDeployRollback":
        if state["original_tg"]:
            _shift(backend, state, state["production"] + state["test"], 0)
        state["applied_weight"] = 0
    elif step["event"] == "AllowTraffic":
        _shift(backend, state, state["production"], 100)
        state["applied_weight"] = 100
    if failure:
        event.update(status="Failed", endTime=_at(at), diagnostics={"errorCode": "UnknownError", "scriptName": "", "message": failure[1], "logTail": ""})
        _finish(backend, deployment, state, "Failed", at, failure[0], failure[1], "DEPLOYMENT_FAILURE")
        return False
    event.update(status="Succeeded", endTime=_at(at))
    return True


def advance(backend, deployment, now=None):
    """Bring one deployment up to ``now``: every step whose time has come is carried out, in order."""
    state = getattr(deployment, "dito", None)
    if state is None or state["complete"] is not None:
        return
    now = clock() if now is None else now
    with _lock:
        busy, _busy.on = getattr(_busy, "on", False), True
        try:
            _advance(backend, deployment, state, now)
        finally:
            _busy.on = busy


def _advance(backend, deployment, state, now):
    while state["complete"] is None and state["index"] < len(state["steps"]):
        step = state["steps"][state["index"]]
        if step["kind"] == "event" and state["events"][step["event"]]["status"] == "Pending":
            state["events"][step["event"]].update(status="InProgress", startTime=_at(state["started"]))
        if step["kind"] == "ready":
            deployment.status, state["target_status"] = "Ready", "Ready"
        if step["kind"] == "event" and step["event"] == "AllowTraffic" and state["creator"] != "codeDeployRollback":
            due_shifts = [w for offset, w in state["shifts"] if state["started"] + offset <= now]
            if due_shifts and due_shifts[-1] > state["applied_weight"] and due_shifts[-1] < 100:
                _shift(backend, state, state["production"], due_shifts[-1])
                state["applied_weight"] = due_shifts[-1]
        end = state["started"] + step["duration"]
        if end > now:
            return
        state["index"] += 1
        if not _run_step_end(backend, deployment, state, step, end):
            return
        if step["kind"] == "ready":
            deployment.status, state["target_status"] = "InProgress", "InProgress"
        state["started"] = end


def advance_all(backend):
    """Bring every deployment of a CodeDeploy backend up to date (re-entry from the effects is ignored)."""
    if getattr(_busy, "on", False):
        return
    with _lock:
        now = clock()
        done = set()
        while True:  # a deployment that fails may create its rollback deployment: bring that one up to date too
            pending = [d for d in backend.deployments.values() if d.deployment_id not in done]
            if not pending:
                return
            for deployment in pending:
                done.add(deployment.deployment_id)
                advance(backend, deployment, now)


def _advance_region(account_id, region_name):
    if region_name in cd_models.codedeploy_backends.get(account_id, {}):
        advance_all(cd_models.codedeploy_backends[account_id][region_name])


def _deployment_info(deployment):
    info = _original_deployment_info(deployment)
    state = getattr(deployment, "dito", None)
    content = ((deployment.revision or {}).get("appSpecContent") or {}).get("content")
    if content is not None:
        info["revision"] = json.loads(json.dumps(deployment.revision))
        info["revision"]["appSpecContent"].setdefault("sha256", hashlib.sha256(content.encode()).hexdigest())
    for key in ("errorInformation", "rollbackInfo", "previousRevision", "relatedDeployments", "targetInstances", "overrideAlarmConfiguration"):
        if not info.get(key):
            info.pop(key, None)
    if state is None:
        return info
    info["startTime"], info["completeTime"] = deployment.start_time, deployment.complete_time
    if state["error"]:
        info["errorInformation"] = state["error"]
    if state["rollback"]:
        info["rollbackInfo"] = dict(state["rollback"], rollbackMessage=_rollback_message(deployment, state))
    info["creator"] = state["creator"]
    overview = dict.fromkeys(("Pending", "InProgress", "Succeeded", "Failed", "Skipped", "Ready"), 0)
    overview[state["target_status"]] = 1
    info["deploymentOverview"] = overview
    info["instanceTerminationWaitTimeStarted"] = state["index"] >= len(state["steps"]) - 1 and deployment.status in ("InProgress", "Succeeded")
    return info


_original_deployment_info = cd_responses._deployment_info


def _rollback_message(deployment, state):
    """RollbackInfo.rollbackMessage: "the status of a deployment rollback (... in progress, failed, or succeeded)"."""
    if state["creator"] == "codeDeployRollback":
        return f"Rollback of deployment {state['rollback']['rollbackTriggeringDeploymentId']}."
    rollback = state["rollback_deployment"]
    status = {"Succeeded": "succeeded", "Failed": "failed", "Stopped": "stopped"}.get(rollback.status, "in progress")
    return f"Deployment {deployment.deployment_id} is rolled back by deployment {rollback.deployment_id} (rollback {status})."


def _ecs_target(backend, deployment):
    state = deployment.dito
    service = _ecs_service(backend, state)
    elbv2 = _elbv2(backend)
    names = {tg.arn: tg.name for tg in elbv2.target_groups.values()}
    weights = pair_weights(backend, state["production"][0], [state["original_tg"], state["replacement_tg"]]) if state["original_tg"] else {}
    task_sets = []
    for label, arn_key, tg_key in (("BLUE", "original", "original_tg"), ("GREEN", "replacement", "replacement_tg")):
        task_set = next((ts for ts in (service.task_sets if service else []) if ts.task_set_arn == state[arn_key]), None)
        if task_set is None:
            continue
        tg = state[tg_key]
        weight = weights.get(tg, 0.0)
        count = service.desired_count
        task_sets.append(
            {
                "identifer": task_set.id,
                "desiredCount": count,
                "pendingCount": 0,
                "runningCount": count,
                "status": task_set.status,
                "trafficWeight": weight,
                "targetGroup": {"name": names.get(tg, "")},
                "taskSetLabel": label,
            }
        )
    events = [dict(e) for e in state["events"].values()]
    times = [e.get("endTime") or e.get("startTime") for e in events if e.get("endTime") or e.get("startTime")]
    return {
        "deploymentId": deployment.deployment_id,
        "targetId": f"{state['cluster']}:{state['service']}",
        "targetArn": service.arn if service else "",
        "lastUpdatedAt": max(times) if times else deployment.create_time,
        "lifecycleEvents": events,
        "status": state["target_status"],
        "taskSetsInfo": task_sets,
    }


def ecs_blue_green_deployments_run():
    """An ECS deployment moves through its lifecycle events and does to the account what CodeDeploy does.

    CodeDeploy User Guide, "What happens during an Amazon ECS deployment" and "AppSpec 'hooks' section for an Amazon
    ECS deployment": the events run in the order BeforeInstall, Install (the replacement task set is created),
    AfterInstall, AllowTestTraffic (the test listener is rerouted to the replacement target group),
    AfterAllowTestTraffic, BeforeAllowTraffic, AllowTraffic (production traffic is shifted, at once or by the canary or
    linear steps of the configuration), AfterAllowTraffic; after the termination wait the original task set is
    terminated and the deployment Succeeded. With ``deploymentReadyOption.actionOnTimeout`` STOP_DEPLOYMENT the
    deployment is Ready until ContinueDeployment (READY_WAIT), and Stopped when the wait runs out.
    API reference: CreateDeployment answers DeploymentLimitExceededException while the group has an active deployment
    and InvalidRevisionException for AppSpec content it cannot use; StopDeployment (``autoRollbackEnabled``) stops
    and rolls back (DeploymentAlreadyCompletedException once it ended); ContinueDeployment (DeploymentIsNotInReadyStateException);
    ListDeploymentTargets / BatchGetDeploymentTargets / GetDeploymentTarget (DeploymentNotStartedException before it
    starts) describe the ECS target ``<cluster>:<service>`` with its lifecycle events and task sets. User Guide,
    "Redeployments and deployment rollbacks": a rolled-back deployment gets its own deployment ID; RollbackInfo:
    ``rollbackDeploymentId``, ``rollbackTriggeringDeploymentId``, ``rollbackMessage``; DeploymentInfo ``creator``
    "codeDeployRollback: A rollback process created the deployment". moto's
    deployments stayed "Created" and none of these actions existed.
    """
    backend_cls = cd_models.CodeDeployBackend
    response_cls = cd_responses.CodeDeployResponse
    original_create = backend_cls.create_deployment

    def create_deployment(self, application_name, deployment_group_name, revision, deployment_config_name=None, *args, **kwargs):
        with _lock:
            advance_all(self)
            application = self.get_application(application_name)
            if application.compute_platform != "ECS":
                return original_create(self, application_name, deployment_group_name, revision, deployment_config_name, *args, **kwargs)
            if not deployment_group_name:
                raise error("DeploymentGroupNameRequiredException", "Deployment group name is required.")
            group = self.get_deployment_group(application_name, deployment_group_name)
            if not revision:
                raise error("RevisionRequiredException", "The revision is required.")
            if revision.get("revisionType") != "AppSpecContent" or not (revision.get("appSpecContent") or {}).get("content"):
                raise error("InvalidRevisionException", "An ECS deployment needs a revision of type AppSpecContent.")
            if deployment_config_name and config_info(self, deployment_config_name) is None:
                raise no_such_config(deployment_config_name)
            active = [d for d in _group_deployments(self, application_name, group.deployment_group_name) if d.status in ACTIVE_STATUSES]
            if active:
                raise error(
                    "DeploymentLimitExceededException",
                    f"The Deployment Group '{group.deployment_group_name}' already has an active Deployment '{active[0].deployment_id}'",
                )
            appspec = parse_appspec(revision["appSpecContent"]["content"])
            ecs = _ecs(self)
            try:
                definition = ecs.describe_task_definition(appspec[0])
            except Exception:
                raise error("InvalidRevisionException", f"The task definition {appspec[0]} in the AppSpec does not exist.") from None
            containers = {c["name"]: c for c in definition.container_definitions}
            if appspec[1] not in containers:
                raise error("InvalidRevisionException", f"The container {appspec[1]} is not in task definition {definition.arn}.")
            ports = [int(m.get("containerPort", 0)) for m in containers[appspec[1]].get("portMappings") or []]
            if appspec[2] not in ports:
                raise error("InvalidRevisionException", f"The container {appspec[1]} of task definition {definition.arn} does not map port {appspec[2]}.")
            service = ecs.services.get(f"{group.ecs_services[0]['clusterName'].split('/')[-1]}:{group.ecs_services[0]['serviceName']}")
            if service is None or service.status != "ACTIVE":
                raise error("InvalidECSServiceException", f"The ECS service of deployment group {group.deployment_group_name} does not exist.")
            deployment_id = original_create(self, application_name, group.deployment_group_name, revision, deployment_config_name, *args, **kwargs)
            deployment = self.deployments[deployment_id]
            deployment.dito = _plan(self, deployment, group, appspec)
            deployment.auto_rollback_configuration = kwargs.get("auto_rollback_configuration") or group.auto_rollback_configuration
            if kwargs.get("auto_rollback_configuration"):
                deployment.dito["auto_rollback"] = kwargs["auto_rollback_configuration"]
            return deployment_id

    backend_cls.create_deployment = create_deployment

    def with_progress(original):
        def read(self, *args, **kwargs):
            advance_all(self)
            return original(self, *args, **kwargs)

        return read

    for name in ("get_deployment", "batch_get_deployments", "list_deployments", "get_deployment_group"):
        setattr(backend_cls, name, with_progress(getattr(backend_cls, name)))

    def _started(backend, deployment_id):
        deployment = backend.get_deployment(deployment_id)
        state = getattr(deployment, "dito", None)
        if state is None:
            raise error("UnsupportedActionForDeploymentTypeException", "The emulator runs ECS deployments only.")
        if deployment.status in ("Created", "Queued"):
            raise error("DeploymentNotStartedException", f"The deployment {deployment_id} has not started.")
        return deployment

    def response_list_targets(self):
        deployment = _started(self.codedeploy_backend, self._get_param("deploymentId"))
        return ActionResult({"targetIds": [f"{deployment.dito['cluster']}:{deployment.dito['service']}"]})

    def response_batch_get_targets(self):
        backend = self.codedeploy_backend
        deployment = _started(backend, self._get_param("deploymentId"))
        target_id = f"{deployment.dito['cluster']}:{deployment.dito['service']}"
        targets = []
        for wanted in self._get_param("targetIds") or []:
            if wanted != target_id:
                raise error("DeploymentTargetDoesNotExistException", f"The target {wanted} is not in deployment {deployment.deployment_id}.")
            targets.append({"deploymentTargetType": "ECSTarget", "ecsTarget": _ecs_target(backend, deployment)})
        return ActionResult({"deploymentTargets": targets})

    def response_get_target(self):
        backend = self.codedeploy_backend
        deployment = _started(backend, self._get_param("deploymentId"))
        wanted = self._get_param("targetId")
        if wanted != f"{deployment.dito['cluster']}:{deployment.dito['service']}":
            raise error("DeploymentTargetDoesNotExistException", f"The target {wanted} is not in deployment {deployment.deployment_id}.")
        return ActionResult({"deploymentTarget": {"deploymentTargetType": "ECSTarget", "ecsTarget": _ecs_target(backend, deployment)}})

    def response_stop(self):
        backend = self.codedeploy_backend
        with _lock:
            deployment = backend.get_deployment(self._get_param("deploymentId"))
            state = getattr(deployment, "dito", None)
            if deployment.status not in ACTIVE_STATUSES:
                raise error("DeploymentAlreadyCompletedException", f"The deployment {deployment.deployment_id} has already completed.")
            if state is None:
                deployment.status = "Stopped"
                return ActionResult({"status": "Succeeded", "statusMessage": "The deployment was stopped."})
            roll_back = self._get_bool_param("autoRollbackEnabled")
            if roll_back is None:
                roll_back = "DEPLOYMENT_STOP_ON_REQUEST" in (state["auto_rollback"].get("events") or []) and state["auto_rollback"].get("enabled")
            _finish(backend, deployment, state, "Stopped", clock(), "MANUAL_STOP", "The deployment was stopped by a StopDeployment request.", bool(roll_back))
            return ActionResult({"status": "Succeeded", "statusMessage": "The deployment was stopped" + (" and rolled back." if roll_back else ".")})

    def response_continue(self):
        backend = self.codedeploy_backend
        with _lock:
            deployment = backend.get_deployment(self._get_param("deploymentId"))
            state = getattr(deployment, "dito", None)
            wait_type = self._get_param("deploymentWaitType") or "READY_WAIT"
            if wait_type not in ("READY_WAIT", "TERMINATION_WAIT"):
                raise error("InvalidDeploymentWaitTypeException", f"Invalid deployment wait type {wait_type}.")
            if deployment.status not in ACTIVE_STATUSES:
                raise error("DeploymentAlreadyCompletedException", f"The deployment {deployment.deployment_id} has already completed.")
            if state is None:
                raise error("UnsupportedActionForDeploymentTypeException", "The emulator runs ECS deployments only.")
            kind = state["steps"][state["index"]]["kind"] if state["index"] < len(state["steps"]) else None
            wanted = "ready" if wait_type == "READY_WAIT" else "termination"
            if kind != wanted:
                if wait_type == "READY_WAIT":
                    raise error("DeploymentIsNotInReadyStateException", f"The deployment {deployment.deployment_id} is not in the Ready state.")
                raise error("InvalidDeploymentStatusException", f"The deployment {deployment.deployment_id} is not waiting to terminate the original task set.")
            now = clock()
            state["steps"][state["index"]].update(duration=max(0.0, now - state["started"]), continued=True)
            advance(backend, deployment, now)
            return EmptyResult()

    response_cls.list_deployment_targets = response_list_targets
    response_cls.batch_get_deployment_targets = response_batch_get_targets
    response_cls.get_deployment_target = response_get_target
    response_cls.stop_deployment = response_stop
    response_cls.continue_deployment = response_continue
    cd_responses._deployment_info = _deployment_info

    # Reads of the services and listeners that deployments change see the deployments' progress.
    ecs_cls = ecs_models.EC2ContainerServiceBackend
    elbv2_cls = elbv2_models.ELBv2Backend
    for cls, name in ((ecs_cls, "describe_services"), (ecs_cls, "describe_task_sets"), (elbv2_cls, "describe_listeners"), (elbv2_cls, "describe_rules")):
        original = getattr(cls, name)

        def read(self, *args, _original=original, **kwargs):
            _advance_region(self.account_id, self.region_name)
            return _original(self, *args, **kwargs)

        setattr(cls, name, read)

    original_set_config = MotoAPIBackend.set_config

    def set_config(self, config):
        original_set_config(self, config)
        if "step_seconds" in config.get("codedeploy", {}):
            default_user_config.setdefault("codedeploy", {})["step_seconds"] = float(config["codedeploy"]["step_seconds"])

    original_get_config = MotoAPIBackend.get_config

    def get_config(self):
        return dict(original_get_config(self), codedeploy={"step_seconds": step_seconds()})

    original_reset = MotoAPIBackend.reset

    def reset(self):
        default_user_config.get("codedeploy", {}).pop("step_seconds", None)
        original_reset(self)

    MotoAPIBackend.set_config = set_config
    MotoAPIBackend.get_config = get_config
    MotoAPIBackend.reset = reset


def _first_task_set(ecs, service):
    """The PRIMARY task set that a CODE_DEPLOY service starts with (its task definition and load balancers)."""
    task_set = ecs.create_task_set(
        service.arn,
        service.cluster_name,
        service.task_definition,
        network_configuration=service.network_configuration or None,
        load_balancers=service.load_balancers,
        launch_type=service.launch_type or "FARGATE",
        platform_version=service.platform_version,
    )
    task_set.status = "PRIMARY"
    task_set.scale = {"value": 100.0, "unit": "PERCENT"}
    return task_set


def code_deploy_services_start_with_a_primary_task_set():
    """A service with the CODE_DEPLOY deployment controller starts with one PRIMARY task set.

    AWS API reference, Service data type: ``taskSets`` "Information about a set of Amazon ECS tasks in either an
    CodeDeploy or an EXTERNAL deployment"; CreateService with the CODE_DEPLOY controller creates the service's first
    (PRIMARY) task set from its task definition and load balancers, which a CodeDeploy deployment later replaces
    (CodeDeploy User Guide, "What happens during an Amazon ECS deployment": the original task set). moto created none.
    """
    backend_cls = ecs_models.EC2ContainerServiceBackend
    original = backend_cls.create_service

    def create_service(self, *args, **kwargs):
        service = original(self, *args, **kwargs)
        if (service.deployment_controller or {}).get("type") == "CODE_DEPLOY" and service.task_definition and not service.task_sets:
            _first_task_set(self, service)
        return service

    backend_cls.create_service = create_service


def deployment_ids_have_the_aws_form():
    """A deployment id has the form ``d-`` followed by nine upper-case letters and digits.

    AWS API reference, DeploymentInfo ``deploymentId`` "The unique ID of a deployment" (pattern shown in every example
    of the reference and the user guide, such as ``d-A1B2C3123``). moto gave a UUID.
    """
    info_cls = cd_models.DeploymentInfo
    original_init = info_cls.__init__
    alphabet = string.ascii_uppercase + string.digits

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.deployment_id = "d-" + "".join(mock_random.choices(alphabet, k=9))

    info_cls.__init__ = __init__
