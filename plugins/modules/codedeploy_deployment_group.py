#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: codedeploy_deployment_group
short_description: Manage an AWS CodeDeploy deployment group for ECS blue/green deployments
version_added: 1.0.0
description:
  - Creates, updates in place or deletes one CodeDeploy deployment group of an ECS application - the ECS service
    it deploys, the target-group pair with the production and test listeners, the deployment configuration, the
    waits, the alarms and the automatic rollback - and brings its tags to the asked ones. Check mode and diff
    mode are supported.
  - Only ECS blue/green groups are managed. An ECS group always has the deployment style C(BLUE_GREEN) with
    C(WITH_TRAFFIC_CONTROL) (AWS accepts no other for ECS); the module sets it and does not offer it as an option.
    An existing group of another compute platform fails the task (AWS cannot change a compute platform, which is the
    application's, see M(dito.chat.codedeploy_application)).
  - The group is read with GetDeploymentGroup and compared field by field after normalising what carries no
    meaning - the order of listeners, alarms and rollback events, the order of the two target groups (after a
    deployment either of them may serve production), the wait time of a deployment that continues at once
    (AWS answers 0), the alarms of a disabled alarm configuration and the fields AWS adds for EC2 groups.
    UpdateDeploymentGroup is called only on a difference, with every managed field (each one replaces the
    group's); when the same target-group pair is asked in the other order, the group's order is kept.
author:
  - dito.chat engineering (@dito-chat)
options:
  application:
    description: The name of the CodeDeploy application (compute platform ECS).
    type: str
    required: true
  name:
    description: The deployment group name.
    type: str
    required: true
  state:
    description: Whether the group should exist.
    type: str
    default: present
    choices: [present, absent]
  service_role_arn:
    description:
      - The ARN of the role CodeDeploy assumes (trusting C(codedeploy.amazonaws.com), for example with the managed
        policy C(AWSCodeDeployRoleForECS)). Required when O(state=present).
    type: str
  deployment_config_name:
    description: The deployment configuration, predefined (C(CodeDeployDefault.ECS*)) or custom (M(dito.chat.codedeploy_deployment_config)).
    type: str
    default: CodeDeployDefault.ECSAllAtOnce
  ecs_cluster:
    description: The name of the ECS cluster of the service. Required when O(state=present).
    type: str
  ecs_service:
    description: The name of the ECS service (deployment controller C(CODE_DEPLOY)). Required when O(state=present).
    type: str
  target_groups:
    description:
      - The NAMES of the two target groups of the blue/green pair, the one serving production first. Required when
        O(state=present). Their order takes no part in the comparison.
    type: list
    elements: str
  production_listener_arns:
    description:
      - The ARN of the listener that carries production traffic, as a list of exactly one (a CodeDeploy traffic
        route has one listener). Required when O(state=present).
    type: list
    elements: str
  test_listener_arns:
    description:
      - The ARN of the listener that carries test traffic to the replacement before production moves, as a list of
        at most one (none by default).
    type: list
    elements: str
    default: []
  termination_wait_minutes:
    description: The minutes the original task set keeps running after production moved, 0 to 2880 (for a fast rollback).
    type: int
    default: 5
  ready_wait_minutes:
    description:
      - V(0) reroutes production traffic as soon as the replacement is ready (C(CONTINUE_DEPLOYMENT)).
      - More than 0 waits that many minutes (at most 2880) for a manual go (ContinueDeployment) and stops the
        deployment when none comes (C(STOP_DEPLOYMENT)).
    type: int
    default: 0
  alarms:
    description:
      - The names of the CloudWatch alarms that stop a deployment (at most 10). V([]) disables the alarm configuration.
    type: list
    elements: str
    default: []
  ignore_poll_alarm_failure:
    description: Whether a deployment goes on when the alarms' state cannot be read. Only meaningful with O(alarms).
    type: bool
    default: false
  auto_rollback_events:
    description: The events that roll a deployment back. V([]) disables automatic rollback.
    type: list
    elements: str
    choices: [DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM, DEPLOYMENT_STOP_ON_REQUEST]
    default: [DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - IAM actions used - C(codedeploy:GetDeploymentGroup), C(codedeploy:CreateDeploymentGroup),
    C(codedeploy:UpdateDeploymentGroup), C(codedeploy:DeleteDeploymentGroup), C(codedeploy:ListTagsForResource),
    C(codedeploy:TagResource), C(codedeploy:UntagResource), C(sts:GetCallerIdentity) (the account of the ARN),
    and C(iam:PassRole) on O(service_role_arn).
  - A service role created moments before is refused by CreateDeploymentGroup and UpdateDeploymentGroup
    (InvalidRoleException, "AWS CodeDeploy does not have the permissions required to assume the role") while IAM
    propagates it; the module then warns once and retries for about a minute before failing.
"""

EXAMPLES = r"""
- name: Blue/green deployments of the back end, rolled back on its 5XX alarm
  dito.chat.codedeploy_deployment_group:
    application: dito-prod-backend
    name: dito-prod-backend
    service_role_arn: arn:aws:iam::123456789012:role/dito-prod-codedeploy
    ecs_cluster: dito-prod
    ecs_service: backend
    target_groups: [dito-prod-backend-blue, dito-prod-backend-green]
    production_listener_arns: ["{{ alb.listeners.https }}"]
    test_listener_arns: ["{{ alb.listeners.test }}"]
    deployment_config_name: CodeDeployDefault.ECSCanary10Percent5Minutes
    termination_wait_minutes: 5
    alarms: [dito-prod-backend-5xx]
    tags:
      project: dito
  register: codedeploy_group
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
deployment_group:
  description:
    - The group after the task, GetDeploymentGroup's deploymentGroupInfo in snake_case, with its ARN and tags (in check
      mode, what it would be; its id is null before it exists).
  returned: when O(state=present)
  type: dict
  contains:
    application_name:
      description: The application name.
      type: str
      sample: dito-prod-backend
    deployment_group_name:
      description: The group name.
      type: str
      sample: dito-prod-backend
    deployment_group_id:
      description: The group id.
      type: str
      sample: 1c0f8c8a-3f5e-4a1b-9e55-2b7e0d6b7f10
    arn:
      description: The group ARN.
      type: str
      sample: arn:aws:codedeploy:eu-west-1:123456789012:deploymentgroup:dito-prod-backend/dito-prod-backend
    service_role_arn:
      description: The service role.
      type: str
      sample: arn:aws:iam::123456789012:role/dito-prod-codedeploy
    deployment_config_name:
      description: The deployment configuration.
      type: str
      sample: CodeDeployDefault.ECSAllAtOnce
    compute_platform:
      description: Always C(ECS).
      type: str
      sample: ECS
    ecs_services:
      description: The ECS service.
      type: list
      elements: dict
      sample: [{"service_name": "backend", "cluster_name": "dito-prod"}]
    load_balancer_info:
      description: The target-group pair and its listeners.
      type: dict
      sample:
        target_group_pair_info_list:
          - target_groups: [{"name": "dito-prod-backend-blue"}, {"name": "dito-prod-backend-green"}]
            prod_traffic_route: {"listener_arns": ["arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/dito/1/2"]}
            test_traffic_route: {"listener_arns": []}
    blue_green_deployment_configuration:
      description: The termination wait and the ready option.
      type: dict
      sample:
        terminate_blue_instances_on_deployment_success: {"action": "TERMINATE", "termination_wait_time_in_minutes": 5}
        deployment_ready_option: {"action_on_timeout": "CONTINUE_DEPLOYMENT", "wait_time_in_minutes": 0}
    deployment_style:
      description: Always BLUE_GREEN with WITH_TRAFFIC_CONTROL.
      type: dict
      sample: {"deployment_type": "BLUE_GREEN", "deployment_option": "WITH_TRAFFIC_CONTROL"}
    alarm_configuration:
      description: The alarms that stop a deployment.
      type: dict
      sample: {"enabled": true, "ignore_poll_alarm_failure": false, "alarms": [{"name": "dito-prod-backend-5xx"}]}
    auto_rollback_configuration:
      description: The events that roll a deployment back.
      type: dict
      sample: {"enabled": true, "events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]}
    tags:
      description: The group's tags.
      type: dict
      sample: {"project": "dito"}
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.dito.chat.plugins.module_utils import codedeploy as cd
from ansible_collections.dito.chat.plugins.module_utils import partitions
from ansible_collections.dito.chat.plugins.module_utils import sts
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

MAX_WAIT_MINUTES = 2880
MAX_ALARMS = 10
REQUIRED_WHEN_PRESENT = ["service_role_arn", "ecs_cluster", "ecs_service", "target_groups", "production_listener_arns"]


def validation_errors(params):
    """The problems of the options, before any AWS call (a pure function)."""
    if params["state"] != "present":
        return []
    errors = [f"{option}: required when state is present" for option in REQUIRED_WHEN_PRESENT[:3] if not params[option]]
    groups = params["target_groups"] or []
    if len(groups) != 2 or len(set(groups)) != 2:
        errors.append(f"target_groups: a blue/green pair is exactly two different target group names, got {groups}")
    # TrafficRoute.listenerArns: "a listener ARN" - a route has at most one listener (CodeDeploy API Reference).
    production = params["production_listener_arns"] or []
    if len(production) != 1:
        errors.append(f"production_listener_arns: a traffic route has exactly one listener (CodeDeploy TrafficRoute), got {len(production)}")
    test = params["test_listener_arns"] or []
    if len(test) > 1:
        errors.append(f"test_listener_arns: a traffic route has at most one listener (CodeDeploy TrafficRoute), got {len(test)}")
    for option in ("termination_wait_minutes", "ready_wait_minutes"):
        if not 0 <= params[option] <= MAX_WAIT_MINUTES:
            errors.append(f"{option}: {params[option]} is not within 0..{MAX_WAIT_MINUTES}")
    if len(params["alarms"]) > MAX_ALARMS:
        errors.append(f"alarms: AWS accepts at most {MAX_ALARMS} alarms per deployment group, got {len(params['alarms'])}")
    return errors


def summary(info, arn, tags):
    result = camel_dict_to_snake_dict(info)
    result.update(arn=arn, tags=tags)
    return result


def ensure_present(module, client, arn):
    params = module.params
    application, name, tags = params["application"], params["name"], params["tags"]
    current = cd.get_deployment_group(client, application, name)
    if current is None:
        reserved = sorted(k for k in tags or {} if tagging.is_aws_owned(k))
        if reserved:
            module.fail_json(msg=f"tags: keys starting with {tagging.AWS_PREFIX} are reserved by AWS and cannot be set: {', '.join(reserved)}")
        request = cd.group_request(params)
        diff = {"before": {}, "after": dict(cd.normalised_group(request), tags=tags or {})}
        if module.check_mode:
            would_be = dict(request, applicationName=application, deploymentGroupName=name, deploymentGroupId=None, computePlatform="ECS")
            return True, diff, summary(would_be, arn, tags or {})
        cd.create_deployment_group(module, client, application, name, request, tags)
        return True, diff, summary(cd.get_deployment_group(client, application, name), arn, tags or {})

    platform = current.get("computePlatform") or "Server"
    if platform != "ECS":
        module.fail_json(
            msg=f"the deployment group {name} of application {application} deploys to {platform}; this module manages ECS "
            "blue/green groups only and AWS cannot change a compute platform. Nothing was changed."
        )
    pairs = (current.get("loadBalancerInfo") or {}).get("targetGroupPairInfoList") or []
    current_order = [t.get("name") for t in pairs[0].get("targetGroups") or []] if pairs else None
    request = cd.group_request(params, current_order)
    have, want = cd.normalised_group(current), cd.normalised_group(request)
    differences = cd.group_differences(have, want)
    before, after = {}, {}
    if differences:
        before = {f: have[f] for f in differences}
        after = {f: want[f] for f in differences}
        if module.check_mode:
            current = dict(current, **request)
        else:
            cd.update_deployment_group(module, client, application, name, request)
            current = cd.get_deployment_group(client, application, name) or dict(current, **request)

    have_tags = cd.list_tags(client, arn)
    retagged, tags_after = tagging.reconcile(module, have_tags, tags, lambda t: cd.tag_resource(client, arn, t), lambda k: cd.untag_resource(client, arn, k))
    if retagged:
        before["tags"], after["tags"] = have_tags, tags_after
    return bool(differences) or retagged, {"before": before, "after": after}, summary(current, arn, tags_after)


def ensure_absent(module, client):
    application, name = module.params["application"], module.params["name"]
    if cd.get_deployment_group(client, application, name) is None:
        return False
    if not module.check_mode:
        cd.delete_deployment_group(client, application, name)
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            application=dict(type="str", required=True),
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            service_role_arn=dict(type="str"),
            deployment_config_name=dict(type="str", default="CodeDeployDefault.ECSAllAtOnce"),
            ecs_cluster=dict(type="str"),
            ecs_service=dict(type="str"),
            target_groups=dict(type="list", elements="str"),
            production_listener_arns=dict(type="list", elements="str"),
            test_listener_arns=dict(type="list", elements="str", default=[]),
            termination_wait_minutes=dict(type="int", default=5),
            ready_wait_minutes=dict(type="int", default=0),
            alarms=dict(type="list", elements="str", default=[]),
            ignore_poll_alarm_failure=dict(type="bool", default=False),
            auto_rollback_events=dict(
                type="list", elements="str", choices=list(cd.ROLLBACK_EVENTS), default=["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]
            ),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        required_if=[("state", "present", REQUIRED_WHEN_PRESENT)],
        supports_check_mode=True,
    )
    errors = validation_errors(module.params)
    if errors:
        module.fail_json(msg="; ".join(errors))
    client = module.client("codedeploy", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        try:
            partitions.partition(module.region)
        except partitions.UnknownRegion as e:
            module.fail_json(msg=str(e))
        account = sts.account_id(module.client("sts", retry_decorator=AWSRetry.jittered_backoff()))
        arn = cd.deployment_group_arn(module.region, account, module.params["application"], module.params["name"])
        changed, diff, group = ensure_present(module, client, arn)
    except (cd.AnsibleCodeDeployError, sts.AnsibleSTSError) as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, deployment_group=group)


if __name__ == "__main__":
    main()
