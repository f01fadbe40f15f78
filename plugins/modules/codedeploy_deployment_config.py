#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: codedeploy_deployment_config
short_description: Manage a custom AWS CodeDeploy deployment configuration (canary or linear traffic shifting)
version_added: 1.0.0
description:
  - Creates or deletes one custom CodeDeploy deployment configuration that shifts traffic all at once, in two
    steps (canary) or in equal steps (linear), for ECS or Lambda deployments. Check mode and diff mode are supported.
  - The predefined configurations (names starting with C(CodeDeployDefault.), such as C(CodeDeployDefault.ECSAllAtOnce),
    C(CodeDeployDefault.ECSCanary10Percent5Minutes), C(CodeDeployDefault.ECSLinear10PercentEvery1Minutes)) are
    provided by AWS - give their name to a deployment group; this module refuses to create or delete them.
  - AWS cannot update a deployment configuration. When one of that name exists with other settings the task
    fails, naming each difference, and nothing is changed; delete it (once no deployment group uses it) or
    choose another name.
  - Deployment configurations cannot be tagged in AWS.
  - Server (EC2/on-premises) configurations, which count minimum healthy hosts, are not managed by this module.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description: The configuration name (not starting with C(CodeDeployDefault.)).
    type: str
    required: true
  state:
    description: Whether the configuration should exist. AWS refuses to delete one that a deployment group uses.
    type: str
    default: present
    choices: [present, absent]
  compute_platform:
    description: The platform the configuration deploys to.
    type: str
    default: ECS
    choices: [ECS, Lambda]
  traffic_routing:
    description: How traffic moves to the replacement. Required when O(state=present).
    type: dict
    suboptions:
      type:
        description:
          - V(AllAtOnce) moves all traffic at once; V(TimeBasedCanary) moves O(traffic_routing.percentage) percent,
            then the rest O(traffic_routing.interval_minutes) minutes later; V(TimeBasedLinear) moves
            O(traffic_routing.percentage) percent every O(traffic_routing.interval_minutes) minutes.
        type: str
        required: true
        choices: [AllAtOnce, TimeBasedCanary, TimeBasedLinear]
      percentage:
        description: The percentage of traffic per step, 1 to 99. Required for canary and linear, refused for AllAtOnce.
        type: int
      interval_minutes:
        description: The minutes between steps, at least 1. Required for canary and linear, refused for AllAtOnce.
        type: int
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - IAM actions used - C(codedeploy:GetDeploymentConfig), C(codedeploy:CreateDeploymentConfig),
    C(codedeploy:DeleteDeploymentConfig).
"""

EXAMPLES = r"""
- name: Ten percent of the traffic first, the rest five minutes later
  dito.chat.codedeploy_deployment_config:
    name: dito-canary-10-5
    traffic_routing:
      type: TimeBasedCanary
      percentage: 10
      interval_minutes: 5

- name: Remove it once no deployment group names it
  dito.chat.codedeploy_deployment_config:
    name: dito-canary-10-5
    state: absent
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
deployment_config:
  description: The configuration after the task (id and create time unknown in check mode before it exists).
  returned: when O(state=present)
  type: dict
  contains:
    deployment_config_id:
      description: The configuration id.
      type: str
      sample: 0f0c3e4a-5d5e-4b9a-9a3c-1f2e3d4c5b6a
    deployment_config_name:
      description: The configuration name.
      type: str
      sample: dito-canary-10-5
    compute_platform:
      description: The compute platform.
      type: str
      sample: ECS
    traffic_routing_config:
      description: AWS's trafficRoutingConfig, in snake_case.
      type: dict
      sample: {"type": "TimeBasedCanary", "time_based_canary": {"canary_percentage": 10, "canary_interval": 5}}
    traffic_routing:
      description: The traffic routing in this module's option shape.
      type: dict
      sample: {"type": "TimeBasedCanary", "percentage": 10, "interval_minutes": 5}
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.dito.chat.plugins.module_utils import codedeploy as cd
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def validation_errors(params):
    """The problems of the options, before any AWS call (a pure function)."""
    errors = []
    if cd.is_predefined_config(params["name"]):
        errors.append(
            f"name: {params['name']} is a predefined configuration (names starting with {cd.PREDEFINED_CONFIG_PREFIX} belong to AWS); "
            "give it to the deployment group by name instead of managing it"
        )
    routing = params["traffic_routing"]
    if params["state"] == "present" and routing:
        if routing["type"] == "AllAtOnce":
            extra = [k for k in ("percentage", "interval_minutes") if routing.get(k) is not None]
            if extra:
                errors.append(f"traffic_routing: {', '.join(extra)} has no meaning for AllAtOnce")
        else:
            if routing.get("percentage") is None or not 1 <= routing["percentage"] <= 99:
                errors.append(f"traffic_routing.percentage: {routing['type']} needs a percentage from 1 to 99")
            if routing.get("interval_minutes") is None or routing["interval_minutes"] < 1:
                errors.append(f"traffic_routing.interval_minutes: {routing['type']} needs an interval of at least 1 minute")
    return errors


def summary(info):
    result = camel_dict_to_snake_dict(info)
    result["traffic_routing"] = cd.traffic_routing_option(info.get("trafficRoutingConfig"))
    return result


def ensure_present(module, client):
    params = module.params
    name, platform = params["name"], params["compute_platform"]
    routing = cd.traffic_routing_request(params["traffic_routing"])
    current = cd.get_deployment_config(client, name)
    if current is None:
        wanted = {"deploymentConfigName": name, "computePlatform": platform, "trafficRoutingConfig": routing}
        if not module.check_mode:
            cd.create_deployment_config(client, name, platform, routing)
            wanted = cd.get_deployment_config(client, name) or wanted
        after = {"compute_platform": platform, "traffic_routing": cd.traffic_routing_option(routing)}
        return True, {"before": {}, "after": after}, summary(wanted)

    differences = cd.config_differences(current, platform, params["traffic_routing"])
    if differences:
        named = "; ".join(f"{field} is {held!r}, asked {asked!r}" for field, held, asked in differences)
        module.fail_json(
            msg=f"deployment configuration {name} exists with other settings ({named}); AWS cannot update a deployment "
            "configuration: delete it once no deployment group uses it, or choose another name. Nothing was changed.",
            deployment_config=summary(current),
        )
    return False, {"before": {}, "after": {}}, summary(current)


def ensure_absent(module, client):
    name = module.params["name"]
    if cd.get_deployment_config(client, name) is None:
        return False
    if not module.check_mode:
        cd.delete_deployment_config(client, name)
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            compute_platform=dict(type="str", default="ECS", choices=["ECS", "Lambda"]),
            traffic_routing=dict(
                type="dict",
                options=dict(
                    type=dict(type="str", required=True, choices=["AllAtOnce", "TimeBasedCanary", "TimeBasedLinear"]),
                    percentage=dict(type="int"),
                    interval_minutes=dict(type="int"),
                ),
            ),
        ),
        required_if=[("state", "present", ["traffic_routing"])],
        supports_check_mode=True,
    )
    errors = validation_errors(module.params)
    if errors:
        module.fail_json(msg="; ".join(errors))
    client = module.client("codedeploy", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, diff, config = ensure_present(module, client)
    except cd.AnsibleCodeDeployError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, deployment_config=config)


if __name__ == "__main__":
    main()
