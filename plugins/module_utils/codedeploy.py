# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS CodeDeploy wrappers (applications, deployment configurations, deployment groups, tags) and the pure
comparison of an ECS blue/green deployment group and of a deployment configuration's traffic routing.

ARNs (CodeDeploy User Guide, "Resource-level permissions"): ``arn:<partition>:codedeploy:<region>:<account>:``
``application:<application>`` and ``deploymentgroup:<application>/<group>``; deployment configurations
(``deploymentconfig:<name>``) cannot be tagged.
"""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils import creates
from ansible_collections.dito.chat.plugins.module_utils import iam_propagation
from ansible_collections.dito.chat.plugins.module_utils import partitions
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleCodeDeployError(AnsibleAWSError):
    pass


class CodeDeployErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCodeDeployError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ApplicationDoesNotExistException", "DeploymentGroupDoesNotExistException", "DeploymentConfigDoesNotExistException"])


# ---------------------------------------------------------------------------------------------------
# Pure helpers

PREDEFINED_CONFIG_PREFIX = "CodeDeployDefault."
ROLLBACK_EVENTS = ("DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST")
# An ECS deployment group is always blue/green with traffic control (CreateDeploymentGroup, deploymentStyle:
# "For ECS deployment groups, the deployment type must be BLUE_GREEN and the option WITH_TRAFFIC_CONTROL").
ECS_DEPLOYMENT_STYLE = {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"}

# The fields compared, in the order a difference is reported.
GROUP_FIELDS = (
    "service_role_arn",
    "deployment_config_name",
    "ecs_services",
    "target_groups",
    "production_listener_arns",
    "test_listener_arns",
    "termination_wait_minutes",
    "ready_action",
    "ready_wait_minutes",
    "alarms",
    "ignore_poll_alarm_failure",
    "auto_rollback_events",
    "deployment_style",
)


def is_predefined_config(name):
    """Whether ``name`` is one of the configurations CodeDeploy provides (CodeDeployDefault.*)."""
    return str(name).startswith(PREDEFINED_CONFIG_PREFIX)


def application_arn(region, account, application):
    """``arn:<partition>:codedeploy:<region>:<account>:application:<application>`` (UnknownRegion if no partition)."""
    return partitions.arn(region, "codedeploy", f"application:{application}", account)


def deployment_group_arn(region, account, application, group):
    """``arn:<partition>:codedeploy:<region>:<account>:deploymentgroup:<application>/<group>``."""
    return partitions.arn(region, "codedeploy", f"deploymentgroup:{application}/{group}", account)


def group_request(params, current_target_groups=None):
    """The settings of CreateDeploymentGroup / UpdateDeploymentGroup for an ECS blue/green group, from the module's
    options (without applicationName and the group's name).

    ``current_target_groups``: the names the group holds now, in its order. When they are the same pair as the
    asked one, their order is kept: after a deployment either group may serve production, the pair is the same.
    """
    target_groups = list(params["target_groups"])
    if current_target_groups and sorted(current_target_groups) == sorted(target_groups):
        target_groups = list(current_target_groups)
    ready = params["ready_wait_minutes"]
    pair = {
        "targetGroups": [{"name": n} for n in target_groups],
        "prodTrafficRoute": {"listenerArns": list(params["production_listener_arns"])},
    }
    if params["test_listener_arns"]:
        pair["testTrafficRoute"] = {"listenerArns": list(params["test_listener_arns"])}
    alarms = params["alarms"] or []
    events = params["auto_rollback_events"] or []
    return {
        "serviceRoleArn": params["service_role_arn"],
        "deploymentConfigName": params["deployment_config_name"],
        "ecsServices": [{"serviceName": params["ecs_service"], "clusterName": params["ecs_cluster"]}],
        "deploymentStyle": dict(ECS_DEPLOYMENT_STYLE),
        "loadBalancerInfo": {"targetGroupPairInfoList": [pair]},
        "blueGreenDeploymentConfiguration": {
            "terminateBlueInstancesOnDeploymentSuccess": {"action": "TERMINATE", "terminationWaitTimeInMinutes": params["termination_wait_minutes"]},
            "deploymentReadyOption": (
                {"actionOnTimeout": "STOP_DEPLOYMENT", "waitTimeInMinutes": ready}
                if ready
                else {"actionOnTimeout": "CONTINUE_DEPLOYMENT", "waitTimeInMinutes": 0}
            ),
        },
        "alarmConfiguration": (
            {"enabled": True, "ignorePollAlarmFailure": bool(params["ignore_poll_alarm_failure"]), "alarms": [{"name": a} for a in alarms]}
            if alarms
            else {"enabled": False, "ignorePollAlarmFailure": False, "alarms": []}
        ),
        "autoRollbackConfiguration": {"enabled": True, "events": list(events)} if events else {"enabled": False, "events": []},
    }


def normalised_group(info):
    """The compared settings of a deployment group, from GetDeploymentGroup's ``deploymentGroupInfo`` or from
    ``group_request()`` (both camelCase), as a plain snake_case dict.

    What carries no meaning is normalised away: list orders (services, listeners, alarms, events, and the
    target-group pair), the wait time of CONTINUE_DEPLOYMENT (AWS answers 0), the alarms and
    ignorePollAlarmFailure of a disabled alarm configuration, the events of a disabled auto rollback, and the
    fields AWS adds for other platforms (triggerConfigurations, outdatedInstancesStrategy, ec2TagFilters...).
    """
    info = info or {}
    pairs = (info.get("loadBalancerInfo") or {}).get("targetGroupPairInfoList") or []
    pair = pairs[0] if pairs else {}
    blue_green = info.get("blueGreenDeploymentConfiguration") or {}
    terminate = blue_green.get("terminateBlueInstancesOnDeploymentSuccess") or {}
    ready = blue_green.get("deploymentReadyOption") or {}
    ready_action = ready.get("actionOnTimeout") or "CONTINUE_DEPLOYMENT"
    alarm_config = info.get("alarmConfiguration") or {}
    alarms_on = bool(alarm_config.get("enabled"))
    rollback = info.get("autoRollbackConfiguration") or {}
    rollback_on = bool(rollback.get("enabled"))
    style = info.get("deploymentStyle") or {}
    return {
        "service_role_arn": info.get("serviceRoleArn"),
        "deployment_config_name": info.get("deploymentConfigName"),
        "ecs_services": sorted(f"{s.get('clusterName')}/{s.get('serviceName')}" for s in info.get("ecsServices") or []),
        "target_groups": sorted(t.get("name") for t in pair.get("targetGroups") or []),
        "production_listener_arns": sorted((pair.get("prodTrafficRoute") or {}).get("listenerArns") or []),
        "test_listener_arns": sorted((pair.get("testTrafficRoute") or {}).get("listenerArns") or []),
        "termination_wait_minutes": int(terminate.get("terminationWaitTimeInMinutes") or 0),
        "ready_action": ready_action,
        "ready_wait_minutes": int(ready.get("waitTimeInMinutes") or 0) if ready_action == "STOP_DEPLOYMENT" else 0,
        "alarms": sorted(a.get("name") for a in alarm_config.get("alarms") or []) if alarms_on else [],
        "ignore_poll_alarm_failure": bool(alarm_config.get("ignorePollAlarmFailure")) if alarms_on else False,
        "auto_rollback_events": sorted(rollback.get("events") or []) if rollback_on else [],
        "deployment_style": f"{style.get('deploymentType', 'IN_PLACE')}/{style.get('deploymentOption', 'WITHOUT_TRAFFIC_CONTROL')}",
    }


def group_differences(current, desired):
    """The names of the fields (GROUP_FIELDS order) where two normalised groups differ."""
    return [f for f in GROUP_FIELDS if current.get(f) != desired.get(f)]


def traffic_routing_request(traffic_routing):
    """CreateDeploymentConfig's ``trafficRoutingConfig`` from the module's traffic_routing option."""
    kind = traffic_routing["type"]
    if kind == "TimeBasedCanary":
        return {"type": kind, "timeBasedCanary": {"canaryPercentage": traffic_routing["percentage"], "canaryInterval": traffic_routing["interval_minutes"]}}
    if kind == "TimeBasedLinear":
        return {"type": kind, "timeBasedLinear": {"linearPercentage": traffic_routing["percentage"], "linearInterval": traffic_routing["interval_minutes"]}}
    return {"type": "AllAtOnce"}


def traffic_routing_option(config):
    """The module's traffic_routing option ({type, percentage, interval_minutes}) of a ``trafficRoutingConfig``."""
    config = config or {}
    kind = config.get("type") or "AllAtOnce"
    step = config.get("timeBasedCanary") if kind == "TimeBasedCanary" else config.get("timeBasedLinear") if kind == "TimeBasedLinear" else None
    if step is None:
        return {"type": kind, "percentage": None, "interval_minutes": None}
    prefix = "canary" if kind == "TimeBasedCanary" else "linear"
    return {"type": kind, "percentage": step.get(f"{prefix}Percentage"), "interval_minutes": step.get(f"{prefix}Interval")}


def config_differences(current, compute_platform, traffic_routing):
    """``[(field, held, asked)]`` between a ``deploymentConfigInfo`` and the asked platform and traffic routing."""
    held = dict(traffic_routing_option(current.get("trafficRoutingConfig")), compute_platform=current.get("computePlatform"))
    asked = dict(traffic_routing_option(traffic_routing_request(traffic_routing)), compute_platform=compute_platform)
    fields = ("compute_platform", "type", "percentage", "interval_minutes")
    return [(f, held[f], asked[f]) for f in fields if held[f] != asked[f]]


def tags_dict(tags):
    return {t["Key"]: t.get("Value", "") for t in tags or []}


def tags_list(tags):
    return [{"Key": k, "Value": v} for k, v in (tags or {}).items()]


# ---------------------------------------------------------------------------------------------------
# Applications


@CodeDeployErrorHandler.list_error_handler("get application {name}")
@AWSRetry.jittered_backoff()
def get_application(client, name):
    return client.get_application(applicationName=name)["application"]


@CodeDeployErrorHandler.common_error_handler("create application {name}")
@AWSRetry.jittered_backoff()
def create_application(client, name, compute_platform, tags=None):
    request = {"applicationName": name, "computePlatform": compute_platform}
    if tags:
        request["tags"] = tags_list(tags)
    # A resend after a lost response meets the application the first attempt made: ApplicationAlreadyExistsException.
    return creates.created_or_existing(
        lambda: client.create_application(**request)["applicationId"],
        ["ApplicationAlreadyExistsException"],
        lambda: client.get_application(applicationName=name)["application"]["applicationId"],
    )


@CodeDeployErrorHandler.deletion_error_handler("delete application {name}")
@AWSRetry.jittered_backoff()
def delete_application(client, name):
    client.delete_application(applicationName=name)


# ---------------------------------------------------------------------------------------------------
# Deployment configurations


@CodeDeployErrorHandler.list_error_handler("get deployment configuration {name}")
@AWSRetry.jittered_backoff()
def get_deployment_config(client, name):
    return client.get_deployment_config(deploymentConfigName=name)["deploymentConfigInfo"]


@CodeDeployErrorHandler.common_error_handler("create deployment configuration {name}")
@AWSRetry.jittered_backoff()
def create_deployment_config(client, name, compute_platform, traffic_routing_config):
    request = {"deploymentConfigName": name, "computePlatform": compute_platform, "trafficRoutingConfig": traffic_routing_config}
    # A resend after a lost response meets the configuration the first attempt made: DeploymentConfigAlreadyExistsException.
    return creates.created_or_existing(
        lambda: client.create_deployment_config(**request)["deploymentConfigId"],
        ["DeploymentConfigAlreadyExistsException"],
        lambda: client.get_deployment_config(deploymentConfigName=name)["deploymentConfigInfo"]["deploymentConfigId"],
    )


@CodeDeployErrorHandler.deletion_error_handler("delete deployment configuration {name}")
@AWSRetry.jittered_backoff()
def delete_deployment_config(client, name):
    client.delete_deployment_config(deploymentConfigName=name)


# ---------------------------------------------------------------------------------------------------
# Deployment groups


@CodeDeployErrorHandler.list_error_handler("get deployment group {name} of application {application}")
@AWSRetry.jittered_backoff()
def get_deployment_group(client, application, name):
    """The ``deploymentGroupInfo``, or None when the group or its application does not exist."""
    return client.get_deployment_group(applicationName=application, deploymentGroupName=name)["deploymentGroupInfo"]


@CodeDeployErrorHandler.common_error_handler("create deployment group {name} of application {application}")
def create_deployment_group(module, client, application, name, settings, tags=None):
    """CreateDeploymentGroup, waiting (about a minute at most, with a warning) while IAM propagates a service role
    created moments ago: CodeDeploy refuses it with InvalidRoleException until it can assume it."""
    request = dict(settings, applicationName=application, deploymentGroupName=name)
    if tags:
        request["tags"] = tags_list(tags)

    def create(**kwargs):
        # A resend after a lost response meets the group the first attempt made: DeploymentGroupAlreadyExistsException.
        return creates.created_or_existing(
            lambda: client.create_deployment_group(**kwargs)["deploymentGroupId"],
            ["DeploymentGroupAlreadyExistsException"],
            lambda: client.get_deployment_group(applicationName=application, deploymentGroupName=name)["deploymentGroupInfo"]["deploymentGroupId"],
        )

    return iam_propagation.call_while_role_propagates(module, create, settings["serviceRoleArn"], iam_propagation.CODEDEPLOY, **request)


@CodeDeployErrorHandler.common_error_handler("update deployment group {name} of application {application}")
def update_deployment_group(module, client, application, name, settings):
    """UpdateDeploymentGroup: every field given replaces the group's (the whole ECS settings are given). Waits
    likewise while IAM propagates a new service role."""
    iam_propagation.call_while_role_propagates(
        module,
        client.update_deployment_group,
        settings["serviceRoleArn"],
        iam_propagation.CODEDEPLOY,
        applicationName=application,
        currentDeploymentGroupName=name,
        **settings,
    )


@CodeDeployErrorHandler.deletion_error_handler("delete deployment group {name} of application {application}")
@AWSRetry.jittered_backoff()
def delete_deployment_group(client, application, name):
    client.delete_deployment_group(applicationName=application, deploymentGroupName=name)


# ---------------------------------------------------------------------------------------------------
# Tags (applications and deployment groups)


@CodeDeployErrorHandler.list_error_handler("list the tags of {arn}")
@AWSRetry.jittered_backoff()
def list_tags(client, arn):
    tags, request = [], {"ResourceArn": arn}
    while True:
        page = client.list_tags_for_resource(**request)
        tags.extend(page.get("Tags") or [])
        if not page.get("NextToken"):
            return tags_dict(tags)
        request["NextToken"] = page["NextToken"]


@CodeDeployErrorHandler.common_error_handler("tag {arn}")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceArn=arn, Tags=tags_list(tags))


@CodeDeployErrorHandler.common_error_handler("untag {arn}")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceArn=arn, TagKeys=list(keys))
