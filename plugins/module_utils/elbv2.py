# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Elastic Load Balancing v2 wrappers (listeners, target groups) and the pure comparisons that make
listeners blue/green-aware and target groups idempotent."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils import creates
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleELBv2Error(AnsibleAWSError):
    pass


class ELBv2ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleELBv2Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ListenerNotFound", "TargetGroupNotFound", "LoadBalancerNotFound", "RuleNotFound"])


# ---------------------------------------------------------------------------------------------------
# Listener actions


REDIRECT_DEFAULTS = {"Protocol": "#{protocol}", "Port": "#{port}", "Host": "#{host}", "Path": "/#{path}", "Query": "#{query}"}


def forwarded_target_groups(action):
    """The target groups that a forward action sends traffic to (weight above 0), in either form AWS uses:
    ``TargetGroupArn``, or ``ForwardConfig.TargetGroups`` (what CodeDeploy writes while shifting traffic)."""
    groups = (action.get("ForwardConfig") or {}).get("TargetGroups")
    if groups:
        return sorted(g["TargetGroupArn"] for g in groups if g.get("Weight", 1) > 0)
    return [action["TargetGroupArn"]] if action.get("TargetGroupArn") else []


def action_request(spec):
    """The DefaultActions entry for a module's default_action option."""
    kind = spec["type"]
    if kind == "forward":
        return {"Type": "forward", "TargetGroupArn": spec["target_group_arn"]}
    if kind == "redirect":
        redirect = spec.get("redirect") or {}
        config = {
            "Protocol": redirect.get("protocol") or "HTTPS",
            "Port": str(redirect.get("port") or 443),
            "StatusCode": redirect.get("status_code") or "HTTP_301",
        }
        for key in ("host", "path", "query"):
            if redirect.get(key) is not None:
                config[key.capitalize()] = redirect[key]
        return {"Type": "redirect", "RedirectConfig": config}
    fixed = spec.get("fixed_response") or {}
    config = {"StatusCode": str(fixed.get("status_code") or 404), "ContentType": fixed.get("content_type") or "text/plain"}
    if fixed.get("message_body") is not None:
        config["MessageBody"] = fixed["message_body"]
    return {"Type": "fixed-response", "FixedResponseConfig": config}


def action_satisfied(current_actions, spec):
    """Whether a listener's current default actions already do what ``spec`` asks.

    A forward is satisfied when every target group it sends traffic to is the asked one or one of
    ``any_of_target_group_arns``: after a blue/green deployment CodeDeploy leaves production traffic on the
    other group of the pair (or, mid-deployment, on weighted groups of the pair), and a re-run must not
    move it back.
    """
    if len(current_actions or []) != 1:
        return False
    current = current_actions[0]
    if current.get("Type") != spec["type"]:
        return False
    if spec["type"] == "forward":
        allowed = {spec["target_group_arn"], *(spec.get("any_of_target_group_arns") or [])}
        groups = forwarded_target_groups(current)
        return bool(groups) and set(groups) <= allowed
    wanted = action_request(spec)
    if spec["type"] == "redirect":
        have = dict(REDIRECT_DEFAULTS, **(current.get("RedirectConfig") or {}))
        return have == dict(REDIRECT_DEFAULTS, **wanted["RedirectConfig"])
    have = dict(current.get("FixedResponseConfig") or {})
    return {k: v for k, v in have.items() if v not in (None, "")} == wanted["FixedResponseConfig"]


def listener_differences(current, desired):
    """Names of the listener settings that differ: protocol, ssl_policy, certificate, default_action."""
    diffs = []
    if current.get("Protocol") != desired["protocol"]:
        diffs.append("protocol")
    if desired["protocol"] == "HTTPS":
        if current.get("SslPolicy") != desired["ssl_policy"]:
            diffs.append("ssl_policy")
        certificates = [c["CertificateArn"] for c in current.get("Certificates") or [] if c.get("IsDefault", True)]
        if certificates[:1] != [desired["certificate_arn"]]:
            diffs.append("certificate")
    if not action_satisfied(current.get("DefaultActions"), desired["default_action"]):
        diffs.append("default_action")
    return diffs


# ---------------------------------------------------------------------------------------------------
# Listener rules

REDACTED = "********"


def conditions_request(spec, header_values=None):
    """The Conditions of a CreateRule/ModifyRule request for a rule's ``conditions`` option.

    ``header_values``: the http_header values to send (read from SSM by the caller when the option names a
    ``parameter``); defaults to the option's own ``values``."""
    conditions = []
    header = spec.get("http_header")
    if header:
        values = header_values if header_values is not None else header.get("values") or []
        conditions.append({"Field": "http-header", "HttpHeaderConfig": {"HttpHeaderName": header["name"], "Values": list(values)}})
    if spec.get("host_headers"):
        conditions.append({"Field": "host-header", "HostHeaderConfig": {"Values": list(spec["host_headers"])}})
    if spec.get("path_patterns"):
        conditions.append({"Field": "path-pattern", "PathPatternConfig": {"Values": list(spec["path_patterns"])}})
    return conditions


def normalised_conditions(conditions):
    """A rule's Conditions (as DescribeRules returns them, or as a request sends them) in a form that compares:
    ``{"http_header": {"name": <lowercase>, "values": [sorted]}, "host_headers": [...], "path_patterns": [...]}``.
    AWS answers both the ``*Config`` form and the legacy ``Values``; header names are case-insensitive, the order of
    values is irrelevant. Conditions of other fields are kept under their field name, so that they differ."""
    result = {}
    for condition in conditions or []:
        field = condition.get("Field")
        if field == "http-header":
            config = condition.get("HttpHeaderConfig") or {}
            result["http_header"] = {"name": (config.get("HttpHeaderName") or "").lower(), "values": sorted(config.get("Values") or [])}
        elif field == "host-header":
            values = (condition.get("HostHeaderConfig") or {}).get("Values") or condition.get("Values") or []
            result["host_headers"] = sorted(v.lower() for v in values)
        elif field == "path-pattern":
            result["path_patterns"] = sorted((condition.get("PathPatternConfig") or {}).get("Values") or condition.get("Values") or [])
        else:
            result[field] = condition
    return result


def redacted_conditions(conditions):
    """A rule's Conditions in the module's option shape, with the header values replaced by ``********``."""
    result = {}
    for condition in conditions or []:
        field = condition.get("Field")
        if field == "http-header":
            config = condition.get("HttpHeaderConfig") or {}
            result["http_header"] = {"name": config.get("HttpHeaderName"), "values": [REDACTED for _value in config.get("Values") or []]}
        elif field == "host-header":
            result["host_headers"] = list((condition.get("HostHeaderConfig") or {}).get("Values") or condition.get("Values") or [])
        elif field == "path-pattern":
            result["path_patterns"] = list((condition.get("PathPatternConfig") or {}).get("Values") or condition.get("Values") or [])
        else:
            result[field] = condition
    return result


def rule_differences(current, spec, header_values):
    """What differs between a rule AWS holds and a rule option: a subset of ``["conditions", "action"]``.

    ``header_values`` None means the header's value is not known (its SSM parameter is missing): the conditions are
    taken to differ. The action follows default_action's blue/green rule (``action_satisfied``)."""
    diffs = []
    unknown = header_values is None and (spec["conditions"].get("http_header") or {}).get("parameter")
    wanted = None if unknown else normalised_conditions(conditions_request(spec["conditions"], header_values))
    if unknown or normalised_conditions(current.get("Conditions")) != wanted:
        diffs.append("conditions")
    if not action_satisfied(current.get("Actions"), spec["action"]):
        diffs.append("action")
    return diffs


def rule_summary(rule):
    """The module's view of a rule: arn, priority, conditions (header values redacted), actions, forward target groups."""
    actions = rule.get("Actions") or []
    forward = forwarded_target_groups(actions[0]) if actions and actions[0].get("Type") == "forward" else []
    return {
        "arn": rule.get("RuleArn"),
        "priority": int(rule["Priority"]),
        "conditions": redacted_conditions(rule.get("Conditions")),
        "actions": actions,
        "forward_target_group_arns": forward,
    }


# ---------------------------------------------------------------------------------------------------
# Target groups


# Health-check fields that AWS fills in when they are not given (application load balancer, HTTP).
HEALTH_CHECK_FIELDS = {
    "path": ("HealthCheckPath", "/"),
    "protocol": ("HealthCheckProtocol", "HTTP"),
    "port": ("HealthCheckPort", "traffic-port"),
    "interval": ("HealthCheckIntervalSeconds", 30),
    "timeout": ("HealthCheckTimeoutSeconds", 5),
    "healthy_threshold": ("HealthyThresholdCount", 5),
    "unhealthy_threshold": ("UnhealthyThresholdCount", 2),
    "matcher": ("Matcher", "200"),
}


def health_check_request(spec):
    request = {}
    for key, (field, default) in HEALTH_CHECK_FIELDS.items():
        value = (spec or {}).get(key)
        value = default if value is None else value
        request[field] = {"HttpCode": str(value)} if key == "matcher" else (str(value) if key == "port" else value)
    request["HealthCheckEnabled"] = True
    return request


def health_check_differences(current, spec):
    wanted = health_check_request(spec)
    return sorted(k for k, v in wanted.items() if current.get(k) != v)


def attribute_value(value):
    """An attribute value as AWS holds it: a string, booleans in lowercase."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def attribute_differences(current, wanted):
    """The attributes (name -> string value) whose value differs from what AWS holds."""
    normalised = {k: attribute_value(v) for k, v in (wanted or {}).items()}
    return {k: v for k, v in normalised.items() if current.get(k) != v}


# ---------------------------------------------------------------------------------------------------
# Wrappers


@ELBv2ErrorHandler.list_error_handler("describe the listeners of {load_balancer_arn}", default_value=[])
@AWSRetry.jittered_backoff()
def describe_listeners(client, load_balancer_arn):
    paginator = client.get_paginator("describe_listeners")
    return paginator.paginate(LoadBalancerArn=load_balancer_arn).build_full_result()["Listeners"]


@ELBv2ErrorHandler.common_error_handler("create listener")
@AWSRetry.jittered_backoff()
def create_listener(client, **params):
    """CreateListener is idempotent (API reference: "If you attempt to create multiple listeners with the same
    settings, each call succeeds"): a resend after a lost response answers the listener the first attempt made.
    Should the resend meet it as DuplicateListener (the port taken), the listener on that port is read back."""
    return creates.created_or_existing(
        lambda: client.create_listener(**params)["Listeners"][0],
        ["DuplicateListener"],
        lambda: _listener_on_port(client, params["LoadBalancerArn"], params["Port"]),
    )


def _listener_on_port(client, load_balancer_arn, port):
    listeners = client.get_paginator("describe_listeners").paginate(LoadBalancerArn=load_balancer_arn).build_full_result()["Listeners"]
    return next(listener for listener in listeners if listener["Port"] == port)


@ELBv2ErrorHandler.common_error_handler("modify listener")
@AWSRetry.jittered_backoff()
def modify_listener(client, **params):
    return client.modify_listener(**params)["Listeners"][0]


@ELBv2ErrorHandler.deletion_error_handler("delete listener")
@AWSRetry.jittered_backoff()
def delete_listener(client, arn):
    client.delete_listener(ListenerArn=arn)
    return True


@ELBv2ErrorHandler.list_error_handler("describe the rules of {listener_arn}", default_value=[])
@AWSRetry.jittered_backoff()
def describe_rules(client, listener_arn):
    """The listener's rules other than the default one."""
    paginator = client.get_paginator("describe_rules")
    rules = paginator.paginate(ListenerArn=listener_arn).build_full_result()["Rules"]
    return [rule for rule in rules if not rule.get("IsDefault")]


@ELBv2ErrorHandler.common_error_handler("create rule")
@AWSRetry.jittered_backoff()
def create_rule(client, **params):
    """CreateRule is not idempotent: a resend after a lost response meets the rule the first attempt made at that
    priority and fails with PriorityInUse; the rule at that priority is then read back (the module creates a rule
    only at a priority its listener did not hold)."""
    return creates.created_or_existing(
        lambda: client.create_rule(**params)["Rules"][0],
        ["PriorityInUse"],
        lambda: _rule_at_priority(client, params["ListenerArn"], params["Priority"]),
    )


def _rule_at_priority(client, listener_arn, priority):
    rules = client.get_paginator("describe_rules").paginate(ListenerArn=listener_arn).build_full_result()["Rules"]
    return next(rule for rule in rules if rule["Priority"] == str(priority))


@ELBv2ErrorHandler.common_error_handler("modify rule")
@AWSRetry.jittered_backoff()
def modify_rule(client, **params):
    return client.modify_rule(**params)["Rules"][0]


@ELBv2ErrorHandler.deletion_error_handler("delete rule")
@AWSRetry.jittered_backoff()
def delete_rule(client, arn):
    client.delete_rule(RuleArn=arn)
    return True


@ELBv2ErrorHandler.list_error_handler("describe target group {name}")
@AWSRetry.jittered_backoff()
def describe_target_group(client, name):
    return client.describe_target_groups(Names=[name])["TargetGroups"][0]


@ELBv2ErrorHandler.list_error_handler("describe target groups {names}")
@AWSRetry.jittered_backoff()
def _describe_named_target_groups(client, names):
    """Every target group of ``names``; None when any of them is missing (AWS then fails the whole call)."""
    paginator = client.get_paginator("describe_target_groups")
    return paginator.paginate(Names=list(names)).build_full_result()["TargetGroups"]


def describe_target_groups(client, names):
    """Each name of ``names`` -> its target group as DescribeTargetGroups returns it, or None when it does not exist.

    One DescribeTargetGroups call with every name: what a converged stack costs, whatever the number of groups.
    That call fails with TargetGroupNotFound when any name is missing; only then (a first run, a teardown) is each
    name read on its own. The alternatives cost more where it matters: listing by load balancer misses a group no
    listener forwards to yet (the green one of a pair), and paginating the whole account reads every group in it,
    one page per 400, on every run."""
    names = list(names)
    if len(names) < 2:
        return {name: describe_target_group(client, name) for name in names}
    groups = _describe_named_target_groups(client, names)
    if groups is None:
        return {name: describe_target_group(client, name) for name in names}
    by_name = {g["TargetGroupName"]: g for g in groups}
    return {name: by_name.get(name) for name in names}


@ELBv2ErrorHandler.list_error_handler("describe the attributes of {arn}", default_value={})
@AWSRetry.jittered_backoff()
def target_group_attributes(client, arn):
    return {a["Key"]: a["Value"] for a in client.describe_target_group_attributes(TargetGroupArn=arn)["Attributes"]}


@ELBv2ErrorHandler.common_error_handler("create target group")
@AWSRetry.jittered_backoff()
def create_target_group(client, **params):
    """CreateTargetGroup is idempotent (API reference: "If you attempt to create multiple target groups with the same
    settings, each call succeeds"): a resend after a lost response answers the group the first attempt made. Should
    the resend meet it as DuplicateTargetGroupName, the group of that name is read back."""
    return creates.created_or_existing(
        lambda: client.create_target_group(**params)["TargetGroups"][0],
        ["DuplicateTargetGroupName"],
        lambda: client.describe_target_groups(Names=[params["Name"]])["TargetGroups"][0],
    )


@ELBv2ErrorHandler.common_error_handler("modify target group")
@AWSRetry.jittered_backoff()
def modify_target_group(client, arn, request):
    return client.modify_target_group(TargetGroupArn=arn, **request)["TargetGroups"][0]


@ELBv2ErrorHandler.common_error_handler("modify the attributes of a target group")
@AWSRetry.jittered_backoff()
def modify_target_group_attributes(client, arn, attributes):
    client.modify_target_group_attributes(TargetGroupArn=arn, Attributes=[{"Key": k, "Value": v} for k, v in sorted(attributes.items())])


@ELBv2ErrorHandler.deletion_error_handler("delete target group")
@AWSRetry.jittered_backoff(catch_extra_error_codes=["ResourceInUse"])
def delete_target_group(client, arn):
    client.delete_target_group(TargetGroupArn=arn)
    return True


@ELBv2ErrorHandler.list_error_handler("describe the tags of {arn}", default_value={})
@AWSRetry.jittered_backoff()
def describe_tags(client, arn):
    descriptions = client.describe_tags(ResourceArns=[arn])["TagDescriptions"]
    return {t["Key"]: t["Value"] for t in (descriptions[0]["Tags"] if descriptions else [])}


@ELBv2ErrorHandler.list_error_handler("describe the tags of {arns}", default_value={})
@AWSRetry.jittered_backoff()
def describe_tags_by_arn(client, arns):
    """Each ARN of ``arns`` -> its tags, in one DescribeTags call per 20 resources (the API's limit)."""
    arns = list(arns)
    tags = {arn: {} for arn in arns}
    for start in range(0, len(arns), 20):
        for description in client.describe_tags(ResourceArns=arns[start : start + 20])["TagDescriptions"]:
            tags[description["ResourceArn"]] = {t["Key"]: t["Value"] for t in description.get("Tags") or []}
    return tags


@ELBv2ErrorHandler.common_error_handler("tag {arn}")
@AWSRetry.jittered_backoff()
def add_tags(client, arn, tags):
    client.add_tags(ResourceArns=[arn], Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


@ELBv2ErrorHandler.common_error_handler("untag {arn}")
@AWSRetry.jittered_backoff()
def remove_tags(client, arn, keys):
    client.remove_tags(ResourceArns=[arn], TagKeys=list(keys))
