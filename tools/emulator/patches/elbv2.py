"""Elastic Load Balancing v2 behaviours that moto 5.2 bends."""

from moto.elbv2 import models as elbv2_models

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
