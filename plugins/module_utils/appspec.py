# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure helpers for CodeDeploy AppSpec files of the ECS compute platform: parse, validate, patch, render.

Reference: AWS CodeDeploy User Guide, "AppSpec 'resources' section (Amazon ECS deployments only)" and
"AppSpec 'hooks' section for an Amazon ECS deployment".
"""

import copy
import json

try:
    import yaml

    HAS_YAML = True
except ImportError:
    HAS_YAML = False

ECS_HOOKS = ("BeforeInstall", "AfterInstall", "AfterAllowTestTraffic", "BeforeAllowTraffic", "AfterAllowTraffic")
PLACEHOLDER = "<TASK_DEFINITION>"
RESOURCE_TYPE = "AWS::ECS::Service"
DEFAULT_RESOURCE_NAME = "TargetService"


class AppSpecError(ValueError):
    """The AppSpec is malformed: the message names what is wrong."""


def parse(text):
    """Parse AppSpec text; returns (data, fmt) with fmt 'json' or 'yaml'."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            return json.loads(text), "json"
        except ValueError as e:
            raise AppSpecError(f"the AppSpec is not valid JSON: {e}") from e
    if not HAS_YAML:
        raise AppSpecError("PyYAML is needed to read a YAML AppSpec")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise AppSpecError(f"the AppSpec is neither valid JSON nor valid YAML: {e}") from e
    return data, "yaml"


def render(data, fmt):
    if fmt == "json":
        return json.dumps(data, indent=2) + "\n"
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=False)


def _resource(data):
    """The (name, body) of the single resource, validating the Resources section's shape."""
    resources = data.get("Resources")
    if not isinstance(resources, list) or not resources:
        raise AppSpecError("Resources must be a list with one AWS::ECS::Service resource")
    if len(resources) != 1:
        raise AppSpecError(f"Resources must hold exactly one resource for ECS, found {len(resources)}")
    entry = resources[0]
    if not isinstance(entry, dict) or len(entry) != 1:
        raise AppSpecError("Resources[0] must be a mapping of one resource name to its definition")
    name, body = next(iter(entry.items()))
    if not isinstance(body, dict):
        raise AppSpecError(f"Resources[0].{name} must be a mapping with Type and Properties")
    return name, body


def validate(data):
    """Raise AppSpecError naming the first thing that the ECS AppSpec reference does not allow."""
    if not isinstance(data, dict):
        raise AppSpecError("the AppSpec must be a mapping at the top level")
    if str(data.get("version")) not in ("0.0", "0"):
        raise AppSpecError(f"version must be 0.0, got {data.get('version')!r}")
    name, body = _resource(data)
    where = f"Resources[0].{name}"
    if body.get("Type") != RESOURCE_TYPE:
        raise AppSpecError(f"{where}.Type must be {RESOURCE_TYPE}, got {body.get('Type')!r}")
    props = body.get("Properties")
    if not isinstance(props, dict):
        raise AppSpecError(f"{where}.Properties must be a mapping")
    where += ".Properties"
    if not isinstance(props.get("TaskDefinition"), str) or not props["TaskDefinition"]:
        raise AppSpecError(f"{where}.TaskDefinition is required (a task-definition ARN or {PLACEHOLDER})")
    lb = props.get("LoadBalancerInfo")
    if not isinstance(lb, dict):
        raise AppSpecError(f"{where}.LoadBalancerInfo is required with ContainerName and ContainerPort")
    if not isinstance(lb.get("ContainerName"), str) or not lb["ContainerName"]:
        raise AppSpecError(f"{where}.LoadBalancerInfo.ContainerName is required")
    port = lb.get("ContainerPort")
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise AppSpecError(f"{where}.LoadBalancerInfo.ContainerPort must be an integer from 1 to 65535, got {port!r}")
    if "PlatformVersion" in props and not isinstance(props["PlatformVersion"], str):
        raise AppSpecError(f"{where}.PlatformVersion must be a string such as LATEST or 1.4.0")
    if "NetworkConfiguration" in props:
        vpc = (props["NetworkConfiguration"] or {}).get("AwsvpcConfiguration") if isinstance(props["NetworkConfiguration"], dict) else None
        if not isinstance(vpc, dict):
            raise AppSpecError(f"{where}.NetworkConfiguration must hold AwsvpcConfiguration")
        if not isinstance(vpc.get("Subnets"), list) or not vpc["Subnets"]:
            raise AppSpecError(f"{where}.NetworkConfiguration.AwsvpcConfiguration.Subnets must be a non-empty list")
        if "SecurityGroups" in vpc and not isinstance(vpc["SecurityGroups"], list):
            raise AppSpecError(f"{where}.NetworkConfiguration.AwsvpcConfiguration.SecurityGroups must be a list")
        if vpc.get("AssignPublicIp", "DISABLED") not in ("ENABLED", "DISABLED"):
            raise AppSpecError(f"{where}.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp must be ENABLED or DISABLED")
    if "CapacityProviderStrategy" in props:
        strategy = props["CapacityProviderStrategy"]
        if not isinstance(strategy, list) or not all(isinstance(s, dict) and s.get("CapacityProvider") for s in strategy):
            raise AppSpecError(f"{where}.CapacityProviderStrategy must be a list of items with CapacityProvider, Base and Weight")
        for item in strategy:
            for key in ("Base", "Weight"):
                if key in item and (isinstance(item[key], bool) or not isinstance(item[key], int) or item[key] < 0):
                    raise AppSpecError(f"{where}.CapacityProviderStrategy {key} must be a non-negative integer, got {item[key]!r}")
    hooks = data.get("Hooks")
    if hooks is not None:
        if not isinstance(hooks, list):
            raise AppSpecError("Hooks must be a list of {HookName: LambdaFunction} items")
        for item in hooks:
            if not isinstance(item, dict) or len(item) != 1:
                raise AppSpecError("each item of Hooks must be one {HookName: LambdaFunction} mapping")
            hook, target = next(iter(item.items()))
            if hook not in ECS_HOOKS:
                raise AppSpecError(f"Hooks: {hook!r} is not an ECS lifecycle hook ({', '.join(ECS_HOOKS)})")
            if not isinstance(target, str) or not target:
                raise AppSpecError(f"Hooks: {hook} must name a Lambda function (name or ARN)")
    unknown = sorted(set(data) - {"version", "Resources", "Hooks"})
    if unknown:
        raise AppSpecError(f"unknown top-level section(s) {', '.join(unknown)}: an ECS AppSpec has version, Resources and Hooks")


def skeleton():
    return {"version": 0.0, "Resources": [{DEFAULT_RESOURCE_NAME: {"Type": RESOURCE_TYPE, "Properties": {}}}]}


def patch(data, changes):
    """A copy of ``data`` with only the fields in ``changes`` set (keys whose value is None are left alone).

    ``changes`` keys: task_definition, container_name, container_port, platform_version,
    network_configuration ({subnets, security_groups, assign_public_ip}), capacity_provider_strategy
    ([{capacity_provider, base, weight}]), hooks ({HookName: function}).
    """
    data = copy.deepcopy(data) if data else skeleton()
    if isinstance(data, dict) and isinstance(data.get("Resources"), list) and len(data["Resources"]) == 1:
        entry = data["Resources"][0]
        if isinstance(entry, dict) and len(entry) == 1:
            body = next(iter(entry.values()))
            if isinstance(body, dict):
                props = body.setdefault("Properties", {})
                if isinstance(props, dict):
                    _patch_properties(props, changes)
    if changes.get("hooks") is not None and isinstance(data, dict):
        data["Hooks"] = _patch_hooks(data.get("Hooks") or [], changes["hooks"])
    return data


def _patch_properties(props, changes):
    if changes.get("task_definition") is not None:
        props["TaskDefinition"] = changes["task_definition"]
    if changes.get("container_name") is not None or changes.get("container_port") is not None:
        lb = props.setdefault("LoadBalancerInfo", {})
        if isinstance(lb, dict):
            if changes.get("container_name") is not None:
                lb["ContainerName"] = changes["container_name"]
            if changes.get("container_port") is not None:
                lb["ContainerPort"] = changes["container_port"]
    if changes.get("platform_version") is not None:
        props["PlatformVersion"] = changes["platform_version"]
    network = changes.get("network_configuration")
    if network is not None:
        vpc = {"Subnets": list(network["subnets"])}
        if network.get("security_groups") is not None:
            vpc["SecurityGroups"] = list(network["security_groups"])
        vpc["AssignPublicIp"] = "ENABLED" if network.get("assign_public_ip") else "DISABLED"
        props["NetworkConfiguration"] = {"AwsvpcConfiguration": vpc}
    strategy = changes.get("capacity_provider_strategy")
    if strategy is not None:
        props["CapacityProviderStrategy"] = [
            {"Base": s.get("base") or 0, "CapacityProvider": s["capacity_provider"], "Weight": s.get("weight") if s.get("weight") is not None else 1}
            for s in strategy
        ]


def _patch_hooks(existing, wanted):
    """Hooks in ECS lifecycle order: the existing ones with ``wanted`` set over them."""
    merged = {}
    for item in existing:
        if isinstance(item, dict):
            merged.update(item)
    merged.update(wanted)
    order = {hook: i for i, hook in enumerate(ECS_HOOKS)}
    return [{hook: merged[hook]} for hook in sorted(merged, key=lambda h: order.get(h, len(order)))]
