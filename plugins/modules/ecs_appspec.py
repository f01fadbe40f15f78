#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: ecs_appspec
short_description: Render or patch a CodeDeploy AppSpec for an Amazon ECS blue/green deployment
version_added: 1.0.0
description:
  - Renders a new AppSpec, or patches an existing one (a file with O(path), or text with O(content)), in YAML
    or JSON. Patching keeps everything the file already holds and sets only the fields given. This replaces a
    sed script that wrote the task-definition revision into C(AppSpec.json).
  - The AppSpec has version 0.0, one C(AWS::ECS::Service) resource with C(TaskDefinition), C(LoadBalancerInfo)
    (C(ContainerName), C(ContainerPort)), optional C(PlatformVersion), C(NetworkConfiguration) and
    C(CapacityProviderStrategy), and optional lifecycle C(Hooks) naming Lambda functions.
  - The result is validated against the AppSpec reference for ECS before anything is written. Malformed input
    (not YAML or JSON, more than one resource, no C(ContainerName), a port that is not an integer, an unknown
    hook, ...) fails with a message naming what is wrong, and the file is left untouched.
  - Writes only when the content changes (compared as data, so re-serialisation alone is no change). Check
    mode and diff mode are supported.
  - The result is returned as text and as a dict, ready for the C(appSpecContent) of CodeDeploy CreateDeployment.
author:
  - dito.chat engineering (@dito-chat)
options:
  path:
    description:
      - The AppSpec file to patch, or to create when it does not exist, on the host the module runs on.
      - Mutually exclusive with O(content). With neither, the AppSpec is rendered in memory only.
    type: path
  content:
    description:
      - AppSpec text (YAML or JSON) to patch in memory. Nothing is written.
    type: str
  format:
    description:
      - The format written and returned. V(auto) keeps the input's format; a new file is JSON when its name ends
        in C(.json), else YAML; an AppSpec rendered in memory is YAML.
    choices: [auto, yaml, json]
    default: auto
    type: str
  task_definition:
    description:
      - The task-definition ARN to deploy. Mutually exclusive with O(use_placeholder).
    type: str
  use_placeholder:
    description:
      - Set C(TaskDefinition) to C(<TASK_DEFINITION>), the placeholder that CodePipeline's CodeDeployToECS action
        replaces with the task definition it registers.
    type: bool
    default: false
  container_name:
    description: C(LoadBalancerInfo.ContainerName), the container that receives the load balancer's traffic.
    type: str
  container_port:
    description: C(LoadBalancerInfo.ContainerPort).
    type: int
  platform_version:
    description: The Fargate platform version, for example C(LATEST) or C(1.4.0).
    type: str
  network_configuration:
    description: C(NetworkConfiguration.AwsvpcConfiguration) of the replacement task set.
    type: dict
    suboptions:
      subnets:
        description: Subnet ids.
        type: list
        elements: str
        required: true
      security_groups:
        description: Security group ids.
        type: list
        elements: str
      assign_public_ip:
        description: Give the tasks public IPs.
        type: bool
        default: false
  capacity_provider_strategy:
    description: C(CapacityProviderStrategy) of the replacement task set.
    type: list
    elements: dict
    suboptions:
      capacity_provider:
        description: For example C(FARGATE) or C(FARGATE_SPOT).
        type: str
        required: true
      base:
        description: Tasks placed on this provider first.
        type: int
        default: 0
      weight:
        description: Relative share of the tasks.
        type: int
        default: 1
  hooks:
    description:
      - Lifecycle hooks, a mapping of hook name to Lambda function name or ARN, set over the existing ones. Hook names are
        C(BeforeInstall), C(AfterInstall), C(AfterAllowTestTraffic), C(BeforeAllowTraffic), C(AfterAllowTraffic).
    type: dict
  backup:
    description: Keep a timestamped copy of the file before it is overwritten.
    type: bool
    default: false
notes:
  - A YAML file is written back without its comments (PyYAML does not keep them); keys keep their order.
"""

EXAMPLES = r"""
- name: Write the revision just registered into the application's AppSpec.json (the old sed step)
  dito.chat.ecs_appspec:
    path: "{{ checkout }}/AppSpec.json"
    task_definition: "{{ backend_td.task_definition.task_definition_arn }}"

- name: Render the placeholder AppSpec that CodePipeline's CodeDeployToECS action fills in
  dito.chat.ecs_appspec:
    path: "{{ build_dir }}/appspec.yaml"
    use_placeholder: true
    container_name: backend
    container_port: 8080
    platform_version: LATEST
    hooks:
      AfterAllowTestTraffic: dito-backend-smoke-test

- name: Build AppSpec content for CreateDeployment, in memory
  dito.chat.ecs_appspec:
    task_definition: arn:aws:ecs:eu-west-1:123456789012:task-definition/dito-backend:7
    container_name: backend
    container_port: 8080
    network_configuration:
      subnets: [subnet-0ccccccccccccccc3, subnet-0ddddddddddddddd4]
      security_groups: [sg-0123456789abcdef0]
  register: appspec
"""

RETURN = r"""
content:
  description: The AppSpec text, in the format written.
  returned: always
  type: str
  sample: "version: 0.0\nResources:\n- TargetService:\n    Type: AWS::ECS::Service\n"
appspec:
  description: The AppSpec as data.
  returned: always
  type: dict
  sample: {"version": 0.0, "Resources": [{"TargetService": {"Type": "AWS::ECS::Service", "Properties": {}}}]}
differs:
  description:
    - Whether the AppSpec after the task differs from the one read (the file or O(content)); an AppSpec rendered
      from nothing differs. Only a written file reports C(changed); in memory, C(changed) is always false.
  returned: always
  type: bool
  sample: true
format:
  description: C(yaml) or C(json).
  returned: always
  type: str
  sample: json
backup_file:
  description: The backup written before the file was changed.
  returned: when O(backup=true) and the file changed
  type: str
  sample: /srv/app/AppSpec.json.12345.2026-11-28@03:31:17~
"""

import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.dito.chat.plugins.module_utils import appspec


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path"),
            content=dict(type="str"),
            format=dict(type="str", default="auto", choices=["auto", "yaml", "json"]),
            task_definition=dict(type="str"),
            use_placeholder=dict(type="bool", default=False),
            container_name=dict(type="str"),
            container_port=dict(type="int"),
            platform_version=dict(type="str"),
            network_configuration=dict(
                type="dict",
                options=dict(
                    subnets=dict(type="list", elements="str", required=True),
                    security_groups=dict(type="list", elements="str"),
                    assign_public_ip=dict(type="bool", default=False),
                ),
            ),
            capacity_provider_strategy=dict(
                type="list",
                elements="dict",
                options=dict(
                    capacity_provider=dict(type="str", required=True),
                    base=dict(type="int", default=0),
                    weight=dict(type="int", default=1),
                ),
            ),
            hooks=dict(type="dict"),
            backup=dict(type="bool", default=False),
        ),
        mutually_exclusive=[["path", "content"], ["task_definition", "use_placeholder"]],
        supports_check_mode=True,
    )
    if not appspec.HAS_YAML:
        module.fail_json(msg="ecs_appspec needs PyYAML on the host it runs on")
    params = module.params
    path = params["path"]

    before_text, before, input_fmt = None, None, None
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            before_text = handle.read()
    elif params["content"] is not None:
        before_text = params["content"]
    if before_text is not None:
        try:
            before, input_fmt = appspec.parse(before_text)
        except appspec.AppSpecError as e:
            module.fail_json(msg=f"{path or 'content'}: {e}; nothing was written")
    fmt = input_fmt or ("json" if (path or "").lower().endswith(".json") else "yaml")
    if params["format"] != "auto":
        fmt = params["format"]

    changes = {
        "task_definition": appspec.PLACEHOLDER if params["use_placeholder"] else params["task_definition"],
        "container_name": params["container_name"],
        "container_port": params["container_port"],
        "platform_version": params["platform_version"],
        "network_configuration": params["network_configuration"],
        "capacity_provider_strategy": params["capacity_provider_strategy"],
        "hooks": params["hooks"],
    }
    after = appspec.patch(before, changes)
    try:
        appspec.validate(after)
    except appspec.AppSpecError as e:
        module.fail_json(msg=f"{path or 'the AppSpec'}: {e}; nothing was written")

    after_text = appspec.render(after, fmt)
    # Compared as data: re-serialising alone is no change; converting a file to the other format is.
    differs = before != after or bool(path and input_fmt and fmt != input_fmt)
    # Only a file is state: rendering or patching in memory changes nothing on the host (changed=false, see differs).
    changed = differs and bool(path)
    result = dict(changed=changed, differs=differs, content=after_text, appspec=after, format=fmt)
    if module._diff:
        result["diff"] = {"before": before_text or "", "after": after_text}
        if path:
            result["diff"].update(before_header=path, after_header=path)

    if changed and path and not module.check_mode:
        if params["backup"] and before_text is not None:
            result["backup_file"] = module.backup_local(path)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(after_text)
        module.atomic_move(tmp, path)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
