"""module_utils/elbv2.py: listener actions (blue/green-aware) and target-group comparisons."""

import pytest

from ansible_collections.dito.chat.plugins.module_utils import elbv2

BLUE, GREEN, STRAY = "arn:tg/blue", "arn:tg/green", "arn:tg/stray"
FORWARD = {"type": "forward", "target_group_arn": BLUE, "any_of_target_group_arns": [GREEN]}


def test_forwarded_target_groups_in_both_forms():
    assert elbv2.forwarded_target_groups({"Type": "forward", "TargetGroupArn": BLUE}) == [BLUE]
    weighted = {"ForwardConfig": {"TargetGroups": [{"TargetGroupArn": GREEN, "Weight": 100}, {"TargetGroupArn": BLUE, "Weight": 0}]}}
    assert elbv2.forwarded_target_groups(weighted) == [GREEN]
    assert elbv2.forwarded_target_groups({"Type": "redirect"}) == []


def test_action_request():
    assert elbv2.action_request(FORWARD) == {"Type": "forward", "TargetGroupArn": BLUE}
    assert elbv2.action_request({"type": "redirect"}) == {
        "Type": "redirect",
        "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"},
    }
    assert elbv2.action_request({"type": "fixed-response", "fixed_response": {"status_code": 503, "message_body": "down"}}) == {
        "Type": "fixed-response",
        "FixedResponseConfig": {"StatusCode": "503", "ContentType": "text/plain", "MessageBody": "down"},
    }


@pytest.mark.parametrize(
    "current, satisfied",
    [
        ([{"Type": "forward", "TargetGroupArn": BLUE}], True),
        ([{"Type": "forward", "TargetGroupArn": GREEN}], True),
        ([{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": GREEN, "Weight": 90}, {"TargetGroupArn": BLUE, "Weight": 10}]}}], True),
        ([{"Type": "forward", "TargetGroupArn": STRAY}], False),
        ([{"Type": "redirect"}], False),
        ([], False),
    ],
)
def test_forward_satisfied_by_either_group_of_the_pair(current, satisfied):
    assert elbv2.action_satisfied(current, FORWARD) is satisfied


def test_redirect_and_fixed_response_compare_with_aws_defaults():
    described = [
        {
            "Type": "redirect",
            "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "Host": "#{host}", "Path": "/#{path}", "Query": "#{query}", "StatusCode": "HTTP_301"},
        }
    ]
    assert elbv2.action_satisfied(described, {"type": "redirect"})
    fixed = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain", "MessageBody": ""}}]
    assert elbv2.action_satisfied(fixed, {"type": "fixed-response"})


def test_listener_differences():
    desired = {"protocol": "HTTPS", "ssl_policy": "P", "certificate_arn": "cert-1", "default_action": FORWARD}
    current = {
        "Protocol": "HTTPS",
        "SslPolicy": "P",
        "Certificates": [{"CertificateArn": "cert-1"}],
        "DefaultActions": [{"Type": "forward", "TargetGroupArn": GREEN}],
    }
    assert elbv2.listener_differences(current, desired) == []
    assert elbv2.listener_differences(dict(current, SslPolicy="Old", Certificates=[{"CertificateArn": "cert-0"}]), desired) == ["ssl_policy", "certificate"]
    assert elbv2.listener_differences(dict(current, Protocol="HTTP"), desired) == ["protocol"]


def test_health_check_request_fills_aws_defaults():
    request = elbv2.health_check_request({"path": "/healthz", "port": 8080})
    assert request["HealthCheckPath"] == "/healthz" and request["HealthCheckPort"] == "8080" and request["Matcher"] == {"HttpCode": "200"}
    assert request["HealthCheckIntervalSeconds"] == 30 and request["HealthCheckEnabled"] is True


def test_health_check_differences():
    current = elbv2.health_check_request({"path": "/healthz"})
    assert elbv2.health_check_differences(current, {"path": "/healthz"}) == []
    assert elbv2.health_check_differences(current, {"path": "/ready", "interval": 10}) == ["HealthCheckIntervalSeconds", "HealthCheckPath"]


def test_attributes_compare_as_aws_strings():
    assert elbv2.attribute_value(True) == "true" and elbv2.attribute_value(30) == "30"
    current = {"deregistration_delay.timeout_seconds": "30", "stickiness.enabled": "false"}
    assert elbv2.attribute_differences(current, {"deregistration_delay.timeout_seconds": 30, "stickiness.enabled": False}) == {}
    assert elbv2.attribute_differences(current, {"stickiness.enabled": True}) == {"stickiness.enabled": "true"}
