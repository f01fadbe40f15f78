"""The site's derivations (plugins/filter/site.py): names, defaults, the security-group graph, each service's runtime."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.dito.chat.plugins.filter import site

FRONTEND = {"name": "frontend", "public": True, "port": 80, "dns_name": "chat", "cloudfront": False}
# The same service behind CloudFront (the default of a public service).
EDGE = {"name": "frontend", "public": True, "port": 80, "dns_name": "chat"}
PREFIX_LIST = "pl-4fa04526"
BACKEND = {"name": "backend", "port": 8080, "redis": True}
WORKER = {"name": "worker", "redis": "yes"}
REDIS = {"port": 6380, "host_parameter": "/dito/prod/redis/host", "auth_token_parameter": "/dito/prod/redis/auth-token"}


def test_service_defaults_fill_every_optional_key():
    assert site.service_defaults({"name": "worker"}) == {
        "name": "worker",
        "public": False,
        "port": 8080,
        "redis": False,
        "dns_name": "worker",
        "environment": {},
        "secrets": {},
        "cloudfront": False,
        "origin_dns_name": "worker-origin",
    }
    # Inventory strings are read as Ansible reads booleans and numbers.
    assert site.service_defaults({"name": "x", "public": "true", "port": "81", "redis": "no"})["public"] is True
    assert site.service_defaults({"name": "x", "port": "81"})["port"] == 81
    assert site.service_defaults(WORKER)["redis"] is True


@pytest.mark.parametrize("bad", [None, {}, {"port": 80}, "frontend"])
def test_service_defaults_refuse_a_service_without_a_name(bad):
    with pytest.raises(AnsibleFilterError, match="site_service"):
        site.service_defaults(bad)


def test_platform_names_default_zone_and_namespace():
    names = site.platform_names("dito", "prod")
    assert names["cluster"] == names["prefix"] == "dito-prod"
    assert names["private_zone"] == "prod.dito.internal"
    assert names["discovery_namespace"] == "svc.prod.dito.internal"
    assert names["redis"] == "dito-prod-redis"
    assert names["redis_auth_token_parameter"] == "/dito/prod/redis/auth-token"  # noqa: S105 (a parameter name)
    assert names["redis_host_parameter"] == "/dito/prod/redis/host"
    assert names["alerts_function"] == "dito-prod-pipeline-alerts"
    assert (names["pipeline_artifacts_bucket"], names["pipeline_key_alias"], names["pipeline_connection"]) == (
        "dito-prod-pipeline-artifacts",
        "alias/dito-prod-pipelines",
        "dito-prod-github",
    )


def test_platform_names_take_the_inventorys_zone_and_namespace():
    names = site.platform_names("dito", "prod", "corp.internal.", None)
    assert names["private_zone"] == "corp.internal"
    assert names["discovery_namespace"] == "svc.corp.internal"
    assert site.platform_names("dito", "prod", "", "")["discovery_namespace"] == ""
    assert site.platform_names("dito", "prod", "", "sd.corp")["discovery_namespace"] == "sd.corp"


def test_site_names():
    names = site.site_names(BACKEND, "dito", "prod", "-1111")
    assert names == {
        "prefix": "dito-prod",
        "service": "dito-prod-backend",
        "alb": "dito-prod-backend",
        "alb_security_group": "dito-prod-backend-alb",
        "tasks_security_group": "dito-prod-backend-tasks",
        "alb_logs_bucket": "dito-prod-backend-alb-logs-1111",
        "repository": "dito/prod/backend",
        "pipeline": "dito-prod-backend",
        "codedeploy_application": "dito-prod-backend",
        "distribution": "dito-prod-backend",
        "cloudfront_logs_bucket": "dito-prod-backend-cdn-logs-1111",
        "origin_secret_parameter": "/dito/prod/backend/origin-verify",
    }
    assert site.site_names(BACKEND, "dito", "prod")["alb_logs_bucket"] == "dito-prod-backend-alb-logs"


def test_a_public_services_load_balancer_admits_the_web():
    alb, tasks = site.service_security_groups(FRONTEND, [FRONTEND, BACKEND], "dito", "prod")
    assert alb["name"] == "dito-prod-frontend-alb"
    assert alb["rules"] == [
        {"proto": "tcp", "ports": [80, 443], "cidr_ip": "0.0.0.0/0", "rule_desc": "Web clients"},
        {"proto": "tcp", "ports": [80, 443], "cidr_ipv6": "::/0", "rule_desc": "Web clients"},
    ]
    assert tasks["name"] == "dito-prod-frontend-tasks"
    assert tasks["rules"] == [
        {
            "proto": "tcp",
            "ports": [80],
            "group_name": "dito-prod-frontend-alb",
            "group_desc": "Load balancer of the frontend service of dito-prod",
            "rule_desc": "From its load balancer only",
        }
    ]


def test_an_internal_load_balancer_admits_only_the_public_services_tasks():
    # Plain HTTP inside the VPC by default: port 80 only, from the callers' security groups, never a CIDR.
    alb, tasks = site.service_security_groups(BACKEND, [FRONTEND, BACKEND, WORKER], "dito", "prod")
    assert alb["rules"] == [
        {
            "group_name": "dito-prod-frontend-tasks",
            "group_desc": "Tasks of the frontend service of dito-prod",
            "proto": "tcp",
            "ports": [80],
            "rule_desc": "From the public services tasks",
        }
    ]
    assert tasks["rules"][0]["ports"] == [8080]
    # HTTPS (and the 80 redirect) when the internal load balancer has a certificate of its own.
    alb, _tasks = site.service_security_groups(BACKEND, [FRONTEND, BACKEND], "dito", "prod", internal_https=True)
    assert alb["rules"][0]["ports"] == [80, 443]
    alb, _tasks = site.service_security_groups(FRONTEND, [FRONTEND], "dito", "prod")
    assert alb["rules"][0]["ports"] == [80, 443]


def test_the_test_listener_port_opens_only_to_the_named_sources():
    for service in (FRONTEND, BACKEND):
        alb, _tasks = site.service_security_groups(service, [FRONTEND, BACKEND], "dito", "prod")
        assert [r for r in alb["rules"] if 8443 in r["ports"]] == []  # nothing named: closed
    sources = ["10.20.0.0/16", "sg-0123456789abcdef0", "2001:db8::/32", "192.0.2.10/32"]
    alb, _tasks = site.service_security_groups(BACKEND, [FRONTEND, BACKEND], "dito", "prod", test_port=9443, test_sources=sources)
    assert alb["rules"][1:] == [
        {"proto": "tcp", "ports": [9443], "cidr_ip": ["10.20.0.0/16", "192.0.2.10/32"], "rule_desc": "Test traffic"},
        {"proto": "tcp", "ports": [9443], "cidr_ipv6": ["2001:db8::/32"], "rule_desc": "Test traffic"},
        {"proto": "tcp", "ports": [9443], "group_id": "sg-0123456789abcdef0", "rule_desc": "Test traffic"},
    ]
    # The public load balancer's web rules stay on 80 and 443: the test port is not opened to the world with them.
    alb, _tasks = site.service_security_groups(FRONTEND, [FRONTEND], "dito", "prod", test_sources=["10.20.0.0/16"])
    assert [r["ports"] for r in alb["rules"]] == [[80, 443], [80, 443], [8443]]


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        (["0.0.0.0/0"], "whole Internet"),
        (["::/0"], "whole Internet"),
        (["10.0.0.1/16"], "neither a CIDR"),
        (["sg-xyz"], "neither a CIDR"),
        (["office"], "neither a CIDR"),
        ("10.0.0.0/16", "must be a list"),
    ],
)
def test_a_test_listener_source_that_is_not_one_is_refused(sources, message):
    with pytest.raises(AnsibleFilterError, match=r"site_test_listener_sources") as refused:
        site.service_security_groups(BACKEND, [BACKEND], "dito", "prod", test_sources=sources)
    assert message in str(refused.value)


def test_a_certificate_covers_its_names_and_one_wildcard_label():
    public = ["example.com", "*.example.com"]
    assert site.certificate_uncovered_names(["chat.example.com", "example.com."], public) == []
    # The public certificate on the private zone's name: refused, as a client would.
    assert site.certificate_uncovered_names(["backend.prod.dito.internal"], public) == ["backend.prod.dito.internal"]
    assert site.certificate_uncovered_names(["api.chat.example.com"], public) == ["api.chat.example.com"]
    assert site.certificate_uncovered_names(["Backend.Prod.Dito.Internal"], ["*.prod.dito.internal"]) == []


def test_an_internal_service_with_no_public_service_admits_nobody():
    alb, _tasks = site.service_security_groups(BACKEND, [BACKEND], "dito", "prod")
    assert alb["rules"] == []


def test_redis_clients_are_the_tasks_groups_of_the_redis_services():
    assert site.redis_client_groups([FRONTEND, BACKEND, WORKER], "dito", "prod") == ["dito-prod-backend-tasks", "dito-prod-worker-tasks"]
    assert site.redis_client_groups([FRONTEND], "dito", "prod") == []


def test_a_redis_client_reads_host_and_token_from_parameter_store():
    runtime = site.service_runtime(dict(BACKEND, environment={"LOG": "debug"}, secrets={"API_KEY": "/dito/prod/api-key"}), REDIS)
    assert runtime == {
        "environment": {"REDIS_PORT": "6380", "REDIS_TLS": "true", "LOG": "debug"},
        "secrets": {"REDIS_HOST": "/dito/prod/redis/host", "REDIS_AUTH_TOKEN": "/dito/prod/redis/auth-token", "API_KEY": "/dito/prod/api-key"},
    }
    # The service's own values win over the derived ones.
    assert site.service_runtime(dict(BACKEND, environment={"REDIS_TLS": "false"}), REDIS)["environment"]["REDIS_TLS"] == "false"
    # A port that the Redis host does not set is Redis's default.
    assert site.service_runtime(BACKEND, dict(REDIS, port=None))["environment"]["REDIS_PORT"] == "6379"


def test_a_service_without_redis_gets_only_its_own():
    assert site.service_runtime(FRONTEND, REDIS) == {"environment": {}, "secrets": {}}


ZONES = [
    {"id": "/hostedzone/ZPUBLIC", "name": "dito.example.", "config": {"private_zone": False}},
    {"id": "/hostedzone/ZPRIVATE", "name": "dito.example.", "config": {"private_zone": True}},
    {"Id": "/hostedzone/ZOTHER", "Name": "prod.dito.internal.", "Config": {"PrivateZone": True}},
]


@pytest.mark.parametrize(
    ("name", "private", "expected"),
    [
        ("dito.example", False, "ZPUBLIC"),
        ("dito.example.", True, "ZPRIVATE"),
        ("DITO.example", False, "ZPUBLIC"),
        ("prod.dito.internal", True, "ZOTHER"),
        ("prod.dito.internal", False, ""),
        ("example", False, ""),
    ],
)
def test_hosted_zone_id(name, private, expected):
    assert site.hosted_zone_id(ZONES, name, private) == expected


def test_hosted_zone_id_refuses_to_guess_between_zones_of_one_name():
    """Private zones of one name in several VPCs: the name does not say which, so the id must."""
    twins = [*ZONES, {"id": "/hostedzone/ZPRIVATE2", "name": "dito.example.", "config": {"private_zone": True}}]
    with pytest.raises(AnsibleFilterError, match=r"2 private hosted zones are named dito\.example.*give the zone.s id"):
        site.hosted_zone_id(twins, "dito.example", True)
    assert site.hosted_zone_id(twins, "dito.example", False) == "ZPUBLIC"


def test_hosted_zone_id_of_nothing():
    assert site.hosted_zone_id(None, "dito.example", False) == ""


def test_every_filter_is_documented():
    from pathlib import Path

    here = Path(site.__file__).parent
    for name in site.FilterModule().filters():
        assert (here / f"{name}.yml").is_file(), name


def test_service_pipeline_from_the_site_defaults_and_the_service():
    assert site.service_pipeline(BACKEND) is None  # no repository anywhere: no pipeline
    assert site.service_pipeline(dict(BACKEND, pipeline={"enabled": False}), "dito-chat/dito") is None
    monorepo = dict(BACKEND, pipeline={"directory": "backend/", "test_commands": "go test ./..."})
    assert site.service_pipeline(monorepo, "dito-chat/dito", "trunk", approval="yes") == {
        "repository": "dito-chat/dito",
        "branch": "trunk",
        "directory": "backend",
        "paths": ["backend/**"],
        "test_commands": ["go test ./..."],
        "buildspec": "",
        "dockerfile": "Dockerfile",
        "approval": True,
        "parameters": {},
    }
    own = dict(FRONTEND, pipeline={"repository": "dito-chat/web", "paths": [], "approval": False, "parameters": {"NPM_TOKEN": "/dito/npm"}})
    planned = site.service_pipeline(own, "dito-chat/dito", approval=True)
    assert (planned["repository"], planned["directory"], planned["paths"], planned["approval"]) == ("dito-chat/web", ".", [], False)
    assert planned["parameters"] == {"NPM_TOKEN": "/dito/npm"}


@pytest.mark.parametrize(
    ("pipeline", "message"),
    [("yes", "site_service.pipeline of backend must be a dictionary"), ({"repo": "x/y"}, r"unknown keys \['repo'\]")],
)
def test_service_pipeline_refuses_what_it_does_not_know(pipeline, message):
    with pytest.raises(AnsibleFilterError, match=message):
        site.service_pipeline(dict(BACKEND, pipeline=pipeline), "dito-chat/dito")


def test_a_public_service_is_behind_cloudfront_unless_turned_off():
    edge = site.service_defaults(EDGE)
    assert (edge["cloudfront"], edge["origin_dns_name"]) == (True, "chat-origin")
    assert site.service_defaults(dict(EDGE, cloudfront="no", origin_dns_name="origin"))["cloudfront"] is False
    assert site.service_defaults(dict(EDGE, origin_dns_name="edge-origin"))["origin_dns_name"] == "edge-origin"
    assert site.service_defaults(BACKEND)["cloudfront"] is False
    with pytest.raises(AnsibleFilterError, match=r"site_service.cloudfront of backend: only a public service"):
        site.service_defaults(dict(BACKEND, cloudfront=True))


def test_behind_cloudfront_the_load_balancer_admits_only_cloudfront_on_443():
    alb, tasks = site.service_security_groups(EDGE, [EDGE, BACKEND], "dito", "prod", test_sources=["10.20.0.0/16"], cloudfront_prefix_list_id=PREFIX_LIST)
    assert alb["rules"] == [
        {"proto": "tcp", "ports": [443], "ip_prefix": PREFIX_LIST, "rule_desc": "CloudFront origin-facing servers only"},
        {"proto": "tcp", "ports": [8443], "cidr_ip": ["10.20.0.0/16"], "rule_desc": "Test traffic"},
    ]
    assert tasks["rules"][0]["group_name"] == "dito-prod-frontend-alb"
    # Without the list's id (teardown needs only the names) nothing is opened, never the whole Internet.
    alb, _tasks = site.service_security_groups(EDGE, [EDGE], "dito", "prod")
    assert alb["rules"] == []
    with pytest.raises(AnsibleFilterError, match=r"com\.amazonaws\.global\.cloudfront\.origin-facing"):
        site.service_security_groups(EDGE, [EDGE], "dito", "prod", cloudfront_prefix_list_id="sg-0123456789abcdef0")


def test_behind_cloudfront_at_most_five_test_sources_fit_beside_the_prefix_list():
    sources = [f"10.{i}.0.0/16" for i in range(5)]
    alb, _tasks = site.service_security_groups(EDGE, [EDGE], "dito", "prod", test_sources=sources, cloudfront_prefix_list_id=PREFIX_LIST)
    assert alb["rules"][1]["cidr_ip"] == sorted(sources)
    with pytest.raises(AnsibleFilterError, match="at most 5 sources fit"):
        site.service_security_groups(EDGE, [EDGE], "dito", "prod", test_sources=[*sources, "sg-0123456789abcdef0"], cloudfront_prefix_list_id=PREFIX_LIST)
    # Without CloudFront the group has room: six sources are fine.
    site.service_security_groups(FRONTEND, [FRONTEND], "dito", "prod", test_sources=[*sources, "sg-0123456789abcdef0"])


def test_public_records_are_the_names_each_public_service_points_at_its_load_balancer():
    """Behind CloudFront the origin's name, otherwise the public name; internal services have none in the public zone."""
    records = site.public_records([EDGE, BACKEND, dict(FRONTEND, name="docs", dns_name="docs")], "dito", "staging", "staging.example.com.")
    assert records == [
        {"name": "chat-origin.staging.example.com", "load_balancer": "dito-staging-frontend"},
        {"name": "docs.staging.example.com", "load_balancer": "dito-staging-docs"},
    ]
    assert site.public_records([], "dito", "staging", "example.com") == []
