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
