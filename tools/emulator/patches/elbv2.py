"""Elastic Load Balancing v2 behaviours that moto 5.2 bends."""

import json

from moto.elbv2 import exceptions as elbv2_exceptions
from moto.elbv2 import models as elbv2_models

from tools.emulator.patches.s3 import condition_holds
from tools.emulator.patches.s3 import like
from tools.emulator.patches.s3 import listed

# The attributes an Application Load Balancer has from creation, with their documented defaults
# (Elastic Load Balancing User Guide for ALBs, "Load balancer attributes").
ALB_DEFAULT_ATTRIBUTES = {
    "access_logs.s3.enabled": "false",
    "access_logs.s3.bucket": "",
    "access_logs.s3.prefix": "",
    "client_keep_alive.seconds": "3600",
    "connection_logs.s3.enabled": "false",
    "connection_logs.s3.bucket": "",
    "connection_logs.s3.prefix": "",
    "deletion_protection.enabled": "false",
    "idle_timeout.timeout_seconds": "60",
    "load_balancing.cross_zone.enabled": "true",
    "routing.http.desync_mitigation_mode": "defensive",
    "routing.http.drop_invalid_header_fields.enabled": "false",
    "routing.http.preserve_host_header.enabled": "false",
    "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
    "routing.http.xff_client_port.enabled": "false",
    "routing.http.xff_header_processing.mode": "append",
    "routing.http2.enabled": "true",
    "waf.fail_open.enabled": "false",
    "zonal_shift.config.enabled": "false",
}


def application_load_balancers_have_default_attributes():
    """A new Application Load Balancer reports every attribute with its default value.

    AWS API reference, DescribeLoadBalancerAttributes, and the ALB user guide's attribute table: a new ALB has
    access_logs.s3.enabled=false, idle_timeout.timeout_seconds=60, routing.http2.enabled=true, cross-zone load
    balancing on, and so on. moto leaves most of them out, so a module that reads an attribute it did not set
    (amazon.aws.elb_application_lb does) fails on a missing key.
    """
    lb_cls = elbv2_models.FakeLoadBalancer
    original_init = lb_cls.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        if self.type == "application":
            for key, value in ALB_DEFAULT_ATTRIBUTES.items():
                self.attrs.setdefault(key, value)
            self.attrs["load_balancing.cross_zone.enabled"] = "true"  # always on for ALBs

    lb_cls.__init__ = __init__


# Route 53 hosted zone ids of Application Load Balancers, per region (AWS General Reference, "Elastic Load Balancing
# endpoints and quotas", column "Route 53 Hosted Zone ID (Application Load Balancers, Classic Load Balancers)").
ALB_HOSTED_ZONE_IDS = {
    "us-east-1": "Z35SXDOTRQ7X7K",
    "us-east-2": "Z3AADJGX6KTTL2",
    "us-west-1": "Z368ELLRRE2KJ0",
    "us-west-2": "Z1H1FL5HABSF5",
    "ca-central-1": "ZQSVJUPU6J1EY",
    "eu-central-1": "Z215JYRZR1TBD5",
    "eu-west-1": "Z32O12XQLNTSW2",
    "eu-west-2": "ZHURV8PSTC4K8",
    "eu-west-3": "Z3Q77PNBQS71R4",
    "eu-north-1": "Z23TAZ6LKFMNIO",
    "ap-south-1": "ZP97RAFLXTNZK",
    "ap-northeast-1": "Z14GRHDCWA56QT",
    "ap-northeast-2": "ZWKZPGTI48KDX",
    "ap-northeast-3": "Z5LXEXXYW11ES",
    "ap-southeast-1": "Z1LMS91P8CMLE5",
    "ap-southeast-2": "Z1GM3OXH4ZPM65",
    "sa-east-1": "Z2P70J7HTTTPLU",
}


def application_load_balancers_report_their_regions_hosted_zone():
    """An Application Load Balancer reports the Route 53 hosted zone of Elastic Load Balancing in its region.

    AWS API reference, LoadBalancer data type: "CanonicalHostedZoneId - The ID of the Amazon Route 53 hosted zone
    associated with the load balancer", one per region for Application Load Balancers (AWS General Reference,
    Elastic Load Balancing endpoints). moto answers Z2P70J7EXAMPLE everywhere. Regions missing from the table keep it.
    """
    lb_cls = elbv2_models.FakeLoadBalancer
    original_init = lb_cls.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        region = (self.arn or "").split(":")[3] if (self.arn or "").count(":") >= 4 else ""
        if self.type == "application" and region in ALB_HOSTED_ZONE_IDS:
            self.canonical_hosted_zone_id = ALB_HOSTED_ZONE_IDS[region]

    lb_cls.__init__ = __init__


# Elastic Load Balancing's account per region, from the ALB user guide, "Enable access logs for your Application Load
# Balancer", step "Attach a policy to your S3 bucket" (Availability Zones and Local Zones). The regions it does not
# list (those opened since August 2022, such as me-central-1) take the log-delivery service principal instead.
ELB_LOG_ACCOUNTS = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "af-south-1": "098369216593",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-south-1": "635631232127",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "ap-east-1": "754344448648",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-northeast-3": "383597477331",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-south-1": "718504428378",
    "me-south-1": "076674570225",
    "sa-east-1": "507241528517",
    "us-gov-west-1": "048591011584",
    "us-gov-east-1": "190560391635",
}
ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com"
ELB_TEST_FILE = "ELBAccessLogTestFile"


def _principal_is(principal, partition, region):
    """Whether a statement's Principal names the region's Elastic Load Balancing log writer (or everyone)."""
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    if region in ELB_LOG_ACCOUNTS:
        account = ELB_LOG_ACCOUNTS[region]
        return any(p in ("*", account, f"arn:{partition}:iam::{account}:root") for p in listed(principal.get("AWS", [])))
    return ELB_LOG_DELIVERY_SERVICE in listed(principal.get("Service", []))


def _policy_allows_elb_put(policy, key_arn, partition, region, context):
    """IAM evaluation of a bucket policy for s3:PutObject by the region's ELB log writer: an explicit Deny wins,
    otherwise an Allow is needed."""
    allowed = False
    for statement in listed(policy.get("Statement", [])):
        if not _principal_is(statement.get("Principal"), partition, region):
            continue
        if "Action" in statement:
            acts = any(like(a.lower(), "s3:putobject") for a in listed(statement["Action"]))
        else:
            acts = not any(like(a.lower(), "s3:putobject") for a in listed(statement.get("NotAction", [])))
        if "Resource" in statement:
            covers = any(like(r, key_arn) for r in listed(statement["Resource"]))
        else:
            covers = not any(like(r, key_arn) for r in listed(statement.get("NotResource", [])))
        if not (acts and covers and condition_holds(statement.get("Condition"), context)):
            continue
        if statement.get("Effect") == "Deny":
            return False
        allowed = allowed or statement.get("Effect") == "Allow"
    return allowed


def enabling_access_logs_checks_the_bucket_policy_and_writes_the_test_file():
    """Turning access logs on checks the bucket and writes ELBAccessLogTestFile, or is refused.

    ALB user guide, "Enable access logs for your Application Load Balancer": the bucket "must be located in the same
    Region as the load balancer" and "must have a bucket policy that grants Elastic Load Balancing permission to write
    the access logs", s3:PutObject on "arn:aws:s3:::bucket-name/prefix/AWSLogs/your-aws-account-id/*" for the ELB
    account of the region ("arn:aws:iam::elb-account-id:root"), or the logdelivery.elasticloadbalancing.amazonaws.com
    service principal in the regions that list has not; "After access logs are enabled for your load balancer, Elastic
    Load Balancing validates the S3 bucket and creates a test file ... my-bucket/prefix/AWSLogs/123456789012/
    ELBAccessLogTestFile". ModifyLoadBalancerAttributes answers InvalidConfigurationRequest "Access Denied for bucket:
    <bucket>. Please check S3bucket permission" when the policy does not allow that write. moto turned logs on
    whatever the bucket held.
    """
    from moto.elbv2.exceptions import ELBClientError
    from moto.s3 import exceptions as s3_exceptions
    from moto.s3.models import s3_backends
    from moto.utilities.utils import get_partition

    backend_cls = elbv2_models.ELBv2Backend
    original = backend_cls.modify_load_balancer_attributes

    def refuse(message):
        return ELBClientError("InvalidConfigurationRequest", message)

    def modify_load_balancer_attributes(self, arn, attrs):
        balancer = self.load_balancers.get(arn)
        merged = dict(balancer.attrs if balancer else {}, **attrs)
        if balancer is not None and str(merged.get("access_logs.s3.enabled", "false")).lower() == "true":
            bucket_name, prefix = merged.get("access_logs.s3.bucket") or "", merged.get("access_logs.s3.prefix") or ""
            if not bucket_name:
                raise refuse("The value of 'access_logs.s3.bucket' cannot be empty")
            partition = get_partition(self.region_name)
            try:
                bucket = s3_backends[self.account_id][partition].get_bucket(bucket_name)
            except s3_exceptions.MissingBucket:
                raise refuse(f"The specified bucket does not exist: {bucket_name}") from None
            if bucket.region_name != self.region_name:
                raise refuse(f"The bucket {bucket_name} is not in the same region as the load balancer ({self.region_name})")
            key = f"{prefix + '/' if prefix else ''}AWSLogs/{self.account_id}/{ELB_TEST_FILE}"
            policy = json.loads(bucket.policy) if bucket.policy else {}
            # The writer delivers over TLS, from the load balancer's account and ARN.
            context = {"aws:securetransport": "true", "aws:sourceaccount": self.account_id, "aws:sourcearn": arn}
            if not _policy_allows_elb_put(policy, f"arn:{partition}:s3:::{bucket_name}/{key}", partition, self.region_name, context):
                raise refuse(f"Access Denied for bucket: {bucket_name}. Please check S3bucket permission")
            s3_backends[self.account_id][partition].put_object(bucket_name, key, b"Enable AccessLog for ELB: " + balancer.name.encode())
        return original(self, arn, attrs)

    backend_cls.modify_load_balancer_attributes = modify_load_balancer_attributes


# Quotas for your Application Load Balancers, "Rules": condition values per rule 5, condition wildcards per rule 5
# (not adjustable).
CONDITION_VALUES_PER_RULE = 5
CONDITION_WILDCARDS_PER_RULE = 5
_CONDITION_CONFIGS = ("HostHeaderConfig", "HttpHeaderConfig", "PathPatternConfig", "HttpRequestMethodConfig", "SourceIpConfig", "QueryStringConfig")


def _condition_values(condition):
    values = list(condition.get("Values") or [])
    for key in _CONDITION_CONFIGS:
        for value in (condition.get(key) or {}).get("Values") or []:
            values.append(value if isinstance(value, str) else f"{value.get('Key') or ''}={value.get('Value') or ''}")
    return values


def rules_keep_to_the_condition_value_and_wildcard_quotas():
    """CreateRule and ModifyRule refuse more than 5 condition values, or more than 5 wildcards, in one rule.

    ALB user guide, "Quotas for your Application Load Balancers", Rules: "Condition values per rule: 5",
    "Condition wildcards per rule: 5"; HttpHeaderConditionConfig, Values: "The following wildcard characters are
    supported: * (matches 0 or more characters) and ? (matches exactly 1 character)." AWS answers "A rule can only have
    '5' condition values" (ValidationError); the wildcard message is the emulator's, in the same form. moto checked each
    value's length (128) and the header name's (40), and HttpHeaderConfig round-trips, but it took any number of
    values and wildcards.
    """
    from moto.elbv2.exceptions import ELBClientError

    backend_cls = elbv2_models.ELBv2Backend
    original = backend_cls._validate_conditions

    def _validate_conditions(self, conditions):
        original(self, conditions)
        values = [v for condition in conditions or [] for v in _condition_values(condition)]
        if len(values) > CONDITION_VALUES_PER_RULE:
            raise ELBClientError("ValidationError", f"A rule can only have '{CONDITION_VALUES_PER_RULE}' condition values")
        if sum(v.count("*") + v.count("?") for v in values) > CONDITION_WILDCARDS_PER_RULE:
            raise ELBClientError("ValidationError", f"A rule can only have '{CONDITION_WILDCARDS_PER_RULE}' wildcards")

    backend_cls._validate_conditions = _validate_conditions


def create_listener_is_idempotent_and_a_taken_port_is_refused():
    """CreateListener on a port the load balancer already listens on answers that listener when the settings are the
    same, and DuplicateListener when they differ.

    AWS API reference, CreateListener: "This operation is idempotent, which means that it completes at most one time.
    If you attempt to create multiple listeners with the same settings, each call succeeds." Errors: "DuplicateListener:
    A listener with the specified port already exists. HTTP Status Code: 400". moto compared the port with the keys of
    the load balancer's listeners, which are ARNs, so it never found one and made a second listener on the same port.
    """
    backend_cls = elbv2_models.ELBv2Backend
    original = backend_cls.create_listener

    def create_listener(self, load_balancer_arn, protocol, port, ssl_policy, certificate, actions, alpn_policy=None, tags=None):
        balancer = self.load_balancers.get(load_balancer_arn)
        held = next((listener for listener in balancer.listeners.values() if str(listener.port) == str(port)), None) if balancer else None
        if held is None:
            return original(self, load_balancer_arn, protocol, port, ssl_policy, certificate, actions, alpn_policy=alpn_policy, tags=tags)
        asked = (
            (protocol or "").upper(),
            ssl_policy if held.protocol in ("HTTPS", "TLS") else held.ssl_policy,
            certificate,
            [elbv2_models.FakeAction(action).data for action in actions],
        )
        if (held.protocol, held.ssl_policy, held.certificate, [action.data for action in held.default_actions]) != asked:
            raise elbv2_exceptions.DuplicateListenerError()
        return held

    backend_cls.create_listener = create_listener


def create_load_balancer_is_idempotent_and_a_taken_name_is_refused():
    """CreateLoadBalancer with the name of a load balancer that exists answers that load balancer when the settings are
    the same, and DuplicateLoadBalancerName when they differ.

    AWS API reference, CreateLoadBalancer: "This operation is idempotent, which means that it completes at most one
    time. If you attempt to create multiple load balancers with the same settings, each call succeeds." Errors:
    "DuplicateLoadBalancerName: A load balancer with the specified name already exists. HTTP Status Code: 400". moto
    looked the new load balancer's ARN up, and an ARN carries a random id, so it never found one: a create resent after
    a lost response (or a run killed after CreateLoadBalancer) made a second load balancer of the same name.
    """
    backend_cls = elbv2_models.ELBv2Backend
    original = backend_cls.create_load_balancer

    def create_load_balancer(self, name, security_groups, subnet_ids, subnet_mappings=None, scheme="internet-facing", loadbalancer_type=None, **kwargs):
        held = next((balancer for balancer in self.load_balancers.values() if balancer.name == name), None)
        if held is None:
            return original(self, name, security_groups, subnet_ids, subnet_mappings, scheme, loadbalancer_type, **kwargs)
        asked_subnets = set(subnet_ids or []) | {mapping["SubnetId"] for mapping in subnet_mappings or []}
        same = (
            (held.scheme or "internet-facing") == (scheme or "internet-facing")
            and held.type == (loadbalancer_type or "application")
            and held.ip_address_type == kwargs.get("ip_address_type", "ipv4")
            and {subnet.id for subnet in held.subnets} == asked_subnets
            and set(held.security_groups or []) == set(security_groups or [])
        )
        if not same:
            raise elbv2_exceptions.DuplicateLoadBalancerName()
        return held

    backend_cls.create_load_balancer = create_load_balancer


# CreateTargetGroup's settings (the backend's keyword) and the target group's attribute that holds each.
_TARGET_GROUP_SETTINGS = {
    "vpc_id": "vpc_id",
    "protocol": "protocol",
    "protocol_version": "protocol_version",
    "port": "port",
    "target_type": "target_type",
    "ip_address_type": "ip_address_type",
    "healthcheck_protocol": "health_check_protocol",
    "healthcheck_port": "health_check_port",
    "healthcheck_path": "health_check_path",
    "healthcheck_interval_seconds": "health_check_interval_seconds",
    "healthcheck_timeout_seconds": "health_check_timeout_seconds",
    "healthcheck_enabled": "health_check_enabled",
    "healthy_threshold_count": "healthy_threshold_count",
    "unhealthy_threshold_count": "unhealthy_threshold_count",
    "matcher": "matcher",
}


def _setting(value):
    return value if isinstance(value, dict) else str(value).lower()


def create_target_group_is_idempotent_and_a_taken_name_is_refused():
    """CreateTargetGroup with the name of a target group that exists answers that target group when the settings are
    the same, and DuplicateTargetGroupName when they differ.

    AWS API reference, CreateTargetGroup: "This operation is idempotent, which means that it completes at most one
    time. If you attempt to create multiple target groups with the same settings, each call succeeds." Errors:
    "DuplicateTargetGroupName: A target group with the specified name already exists. HTTP Status Code: 400". moto
    answered DuplicateTargetGroupName to every create of a taken name, the same settings included, so a create resent
    after a lost response got the refusal where AWS answers the target group.
    """
    backend_cls = elbv2_models.ELBv2Backend
    original = backend_cls.create_target_group

    def create_target_group(self, name, **kwargs):
        held = next((group for group in self.target_groups.values() if group.name == name), None)
        if held is None:
            return original(self, name, **kwargs)
        asked = {attr: _setting(kwargs[key]) for key, attr in _TARGET_GROUP_SETTINGS.items() if kwargs.get(key) is not None}
        if any(_setting(getattr(held, attr, None)) != value for attr, value in asked.items()):
            raise elbv2_exceptions.DuplicateTargetGroupName()
        return held

    backend_cls.create_target_group = create_target_group
