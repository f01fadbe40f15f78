# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Elastic Load Balancing v2 wrappers (listeners, target groups) and the pure comparisons that make
listeners blue/green-aware and target groups idempotent."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


class AnsibleELBv2Error(AnsibleAWSError):
    pass


class ELBv2ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleELBv2Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["ListenerNotFound", "TargetGroupNotFound", "LoadBalancerNotFound"])


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
    return client.create_listener(**params)["Listeners"][0]


@ELBv2ErrorHandler.common_error_handler("modify listener")
@AWSRetry.jittered_backoff()
def modify_listener(client, **params):
    return client.modify_listener(**params)["Listeners"][0]


@ELBv2ErrorHandler.deletion_error_handler("delete listener")
@AWSRetry.jittered_backoff()
def delete_listener(client, arn):
    client.delete_listener(ListenerArn=arn)
    return True


@ELBv2ErrorHandler.list_error_handler("describe target group {name}")
@AWSRetry.jittered_backoff()
def describe_target_group(client, name):
    return client.describe_target_groups(Names=[name])["TargetGroups"][0]


@ELBv2ErrorHandler.list_error_handler("describe the attributes of {arn}", default_value={})
@AWSRetry.jittered_backoff()
def target_group_attributes(client, arn):
    return {a["Key"]: a["Value"] for a in client.describe_target_group_attributes(TargetGroupArn=arn)["Attributes"]}


@ELBv2ErrorHandler.common_error_handler("create target group")
@AWSRetry.jittered_backoff()
def create_target_group(client, **params):
    return client.create_target_group(**params)["TargetGroups"][0]


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


@ELBv2ErrorHandler.common_error_handler("tag {arn}")
@AWSRetry.jittered_backoff()
def add_tags(client, arn, tags):
    client.add_tags(ResourceArns=[arn], Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


@ELBv2ErrorHandler.common_error_handler("untag {arn}")
@AWSRetry.jittered_backoff()
def remove_tags(client, arn, keys):
    client.remove_tags(ResourceArns=[arn], TagKeys=list(keys))
