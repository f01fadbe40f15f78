# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How the dito.chat site derives role inputs from the inventory: names, defaults, the security-group graph, each
service's runtime environment. ``playbooks/vars/composition.yml`` maps the results one to one onto role inputs; the
logic lives here so that it is tested (tests/unit/plugins/filter/test_site.py). Each filter is documented in the
``<filter>.yml`` file beside this one."""

from __future__ import annotations

import ipaddress
import re

from ansible.errors import AnsibleFilterError

# A service's container port when the inventory names none.
DEFAULT_PORT = 8080
# Redis's port when the dito_redis host sets no elasticache_port.
DEFAULT_REDIS_PORT = 6379


def service_defaults(service):
    """The inventory's ``site_service`` with every optional key filled in (name is the only required one)."""
    if not isinstance(service, dict) or not service.get("name"):
        raise AnsibleFilterError(f"site_service must be a dictionary with a name, got {service!r}")
    public = _bool(service.get("public", False))
    if not public and _bool(service.get("cloudfront", False)):
        raise AnsibleFilterError(f"site_service.cloudfront of {service['name']}: only a public service (public: true) has CloudFront in front")
    dns_name = service.get("dns_name") or service["name"]
    return {
        "name": service["name"],
        "public": public,
        # A public service is reached through CloudFront unless the inventory turns it off (cloudfront: false); its
        # load balancer then answers CloudFront only, at <origin_dns_name>.<public zone>.
        "cloudfront": public and _bool(service.get("cloudfront", True)),
        "origin_dns_name": service.get("origin_dns_name") or f"{dns_name}-origin",
        "port": int(service.get("port", DEFAULT_PORT)),
        "redis": _bool(service.get("redis", False)),
        "dns_name": dns_name,
        "environment": dict(service.get("environment") or {}),
        "secrets": dict(service.get("secrets") or {}),
    }


def platform_names(project, environment, private_zone="", discovery_namespace=None):
    """The names of what every service shares: the cluster, the private zone (``<environment>.<project>.internal``
    unless the inventory names one), the Cloud Map namespace (``svc.<private zone>`` unless the inventory names one;
    '' for none), Redis and its parameters, the pipeline-alerts function."""
    prefix = f"{project}-{environment}"
    zone = (private_zone or f"{environment}.{project}.internal").rstrip(".")
    return {
        "prefix": prefix,
        "cluster": prefix,
        "private_zone": zone,
        "discovery_namespace": f"svc.{zone}" if discovery_namespace is None else discovery_namespace,
        "redis": f"{prefix}-redis",
        "redis_auth_token_parameter": f"/{project}/{environment}/redis/auth-token",
        "redis_host_parameter": f"/{project}/{environment}/redis/host",
        "alerts_function": f"{prefix}-pipeline-alerts",
        # The pipelines' shared pieces: the artifact bucket's stem (site_bucket_suffix is appended), the KMS key's
        # alias, the GitHub connection (at most 32 characters: the codepipeline role checks it).
        "pipeline_artifacts_bucket": f"{prefix}-pipeline-artifacts",
        "pipeline_key_alias": f"alias/{prefix}-pipelines",
        "pipeline_connection": f"{prefix}-github",
    }


def site_names(service, project, environment, bucket_suffix=""):
    """Every name the site gives a service's resources, from the project, the environment and the service's name."""
    name = service_defaults(service)["name"]
    prefix = f"{project}-{environment}"
    return {
        "prefix": prefix,
        # The ECS service, the task-definition family, the load balancer and its target groups' stem.
        "service": f"{prefix}-{name}",
        "alb": f"{prefix}-{name}",
        "alb_security_group": f"{prefix}-{name}-alb",
        "tasks_security_group": f"{prefix}-{name}-tasks",
        "alb_logs_bucket": f"{prefix}-{name}-alb-logs{bucket_suffix or ''}",
        # CloudFront in front of a public service: the distribution, its standard-log bucket, the origin's secret.
        "distribution": f"{prefix}-{name}",
        "cloudfront_logs_bucket": f"{prefix}-{name}-cdn-logs{bucket_suffix or ''}",
        "origin_secret_parameter": f"/{project}/{environment}/{name}/origin-verify",
        # The ECR repository: one per environment, as the pipeline that pushes to it is (two environments of one
        # account would otherwise share it, and tearing one down would delete the images the other runs).
        "repository": f"{project}/{environment}/{name}",
        "pipeline": f"{prefix}-{name}",
        # The CodeDeploy application (and its deployment group) of a CODE_DEPLOY service: named like its pipeline.
        "codedeploy_application": f"{prefix}-{name}",
    }


def public_records(services, project, environment, zone):
    """The names of the public zone that the run points at a load balancer, each with that load balancer's name: a
    public service's origin name (``<origin_dns_name>.<zone>``) behind CloudFront, else its public name
    (``<dns_name>.<zone>``). The site preflight checks that no other load balancer - another environment's in the same
    zone - has them already (the route53 role would take them over)."""
    records = []
    for svc in map(service_defaults, services or []):
        if svc["public"]:
            label = svc["origin_dns_name"] if svc["cloudfront"] else svc["dns_name"]
            records.append({"name": f"{label}.{str(zone).rstrip('.')}", "load_balancer": site_names(svc, project, environment)["alb"]})
    return records


def alb_ports(service, internal_https=False):
    """The listener ports of a service's load balancer: HTTPS (and the 80 redirect) on a public one, and on an internal
    one that has a certificate of its own; plain HTTP (80) on an internal one otherwise."""
    return [80, 443] if service_defaults(service)["public"] or _bool(internal_https) else [80]


def test_listener_rules(sources, port):
    """The rules that open a load balancer's test listener port to the sources the inventory names
    (``site_test_listener_sources``: IPv4/IPv6 CIDRs and security group ids), and to nothing else; none when it names
    none. A CIDR of the whole Internet is refused: test traffic reaches the release not yet in production."""
    if sources in (None, ""):
        sources = []
    if not isinstance(sources, (list, tuple)):
        raise AnsibleFilterError(f"site_test_listener_sources must be a list of CIDRs and security group ids, got {sources!r}")
    ipv4, ipv6, groups = [], [], []
    for given in sources:
        source = str(given).strip()
        if re.fullmatch(r"sg-[0-9a-f]{8,17}", source):
            groups.append(source)
            continue
        try:
            network = ipaddress.ip_network(source, strict=True)
        except ValueError:
            raise AnsibleFilterError(
                f"site_test_listener_sources: {source!r} is neither a CIDR (10.0.0.0/16, with no host bits set) nor a security group id (sg-...)"
            ) from None
        if network.prefixlen == 0:
            raise AnsibleFilterError(f"site_test_listener_sources: {source} is the whole Internet; name the testers' networks or security groups")
        (ipv4 if network.version == 4 else ipv6).append(str(network))
    port = int(port)
    rules = []
    if ipv4:
        rules.append({"proto": "tcp", "ports": [port], "cidr_ip": sorted(set(ipv4)), "rule_desc": "Test traffic"})
    if ipv6:
        rules.append({"proto": "tcp", "ports": [port], "cidr_ipv6": sorted(set(ipv6)), "rule_desc": "Test traffic"})
    rules.extend({"proto": "tcp", "ports": [port], "group_id": group, "rule_desc": "Test traffic"} for group in sorted(set(groups)))
    return rules


def service_security_groups(service, services, project, environment, internal_https=False, test_port=8443, test_sources=None, cloudfront_prefix_list_id=""):
    """The two security groups of a service (the security_groups role's ``security_groups_list``).

    The load balancer's group admits its listener ports from anywhere on a public service - behind CloudFront, 443 only
    from CloudFront's origin-facing servers (the managed prefix list ``cloudfront_prefix_list_id``) - and only from the
    public services' tasks (its callers, by security group, never a CIDR) on an internal one; its test listener port
    only from ``test_sources``. The tasks' group admits the container port only from its load balancer."""
    svc = service_defaults(service)
    names = site_names(svc, project, environment)
    prefix = names["prefix"]
    ports = alb_ports(svc, internal_https)
    if svc["cloudfront"]:
        # The id comes from site.yml's preflight (site_preflight's cloudfront_prefix_list_id); without it (teardown, which
        # only needs the groups' names) the group admits nothing on its listener ports rather than the whole Internet.
        if cloudfront_prefix_list_id and not re.fullmatch(r"pl-[0-9a-f]{8,17}", cloudfront_prefix_list_id):
            raise AnsibleFilterError(
                f"service_security_groups: {svc['name']} is behind CloudFront and needs the id of the managed prefix list "
                f"com.amazonaws.global.cloudfront.origin-facing (got {cloudfront_prefix_list_id!r})"
            )
        alb_rules = (
            [{"proto": "tcp", "ports": [443], "ip_prefix": cloudfront_prefix_list_id, "rule_desc": "CloudFront origin-facing servers only"}]
            if cloudfront_prefix_list_id
            else []
        )
    elif svc["public"]:
        alb_rules = [
            {"proto": "tcp", "ports": ports, "cidr_ip": "0.0.0.0/0", "rule_desc": "Web clients"},
            {"proto": "tcp", "ports": ports, "cidr_ipv6": "::/0", "rule_desc": "Web clients"},
        ]
    else:
        alb_rules = [
            {
                "group_name": site_names(other, project, environment)["tasks_security_group"],
                "group_desc": f"Tasks of the {other['name']} service of {prefix}",
                "proto": "tcp",
                "ports": ports,
                "rule_desc": "From the public services tasks",
            }
            for other in map(service_defaults, services)
            if other["public"]
        ]
    test_rules = test_listener_rules(test_sources, test_port)
    # The CloudFront prefix list weighs 55 rules against a security group's 60 inbound rules (VPC user guide, "Prefix
    # list weight"): AWS would refuse a sixth test source with RulesPerSecurityGroupLimitExceeded, halfway through.
    entries = sum(len(r.get("cidr_ip") or r.get("cidr_ipv6") or [r.get("group_id")]) for r in test_rules)
    if svc["cloudfront"] and entries > 5:
        raise AnsibleFilterError(
            f"site_test_listener_sources: {entries} sources for {svc['name']}, which is behind CloudFront; its load balancer's"
            " security group holds CloudFront's prefix list (55 of its 60 rules), so at most 5 sources fit: name a wider CIDR or one"
            " security group"
        )
    alb_rules.extend(test_rules)
    return [
        {
            "name": names["alb_security_group"],
            "description": f"Load balancer of the {svc['name']} service of {prefix}",
            "rules": alb_rules,
        },
        {
            "name": names["tasks_security_group"],
            "description": f"Tasks of the {svc['name']} service of {prefix}",
            "rules": [
                {
                    "proto": "tcp",
                    "ports": [svc["port"]],
                    "group_name": names["alb_security_group"],
                    "group_desc": f"Load balancer of the {svc['name']} service of {prefix}",
                    "rule_desc": "From its load balancer only",
                }
            ],
        },
    ]


def redis_client_groups(services, project, environment):
    """The tasks' security groups of the services that use Redis (the only sources Redis admits)."""
    return [site_names(s, project, environment)["tasks_security_group"] for s in map(service_defaults, services) if s["redis"]]


def service_runtime(service, redis):
    """A service's container environment and secrets (name -> parameter): a Redis client reads the Redis host (the
    primary endpoint's address, which ElastiCache's TLS certificate names - not the private zone's CNAME) and the
    AUTH token from Parameter Store at start, and gets the port and TLS as plain values; the inventory's own
    ``site_service.environment`` and ``.secrets`` come on top. ``redis`` is ``{port, host_parameter,
    auth_token_parameter}``."""
    svc = service_defaults(service)
    environment, secrets = {}, {}
    if svc["redis"]:
        environment = {"REDIS_PORT": str(int(redis.get("port") or DEFAULT_REDIS_PORT)), "REDIS_TLS": "true"}
        secrets = {"REDIS_HOST": redis["host_parameter"], "REDIS_AUTH_TOKEN": redis["auth_token_parameter"]}
    environment.update(svc["environment"])
    secrets.update(svc["secrets"])
    return {"environment": environment, "secrets": secrets}


def hosted_zone_id(zones, name, private):
    """The id (without ``/hostedzone/``) of the hosted zone called ``name`` among ``zones`` (the ``hosted_zones`` of
    amazon.aws.route53_info, or the HostedZones of ListHostedZones), public or private as asked; '' when none.

    An account may hold several zones of one name (private zones of other VPCs, say), and a name does not tell them
    apart: rather than pick one, the filter fails and asks for the zone's id."""
    wanted = name.rstrip(".").lower() + "."
    found = []
    for zone in zones or []:
        config = zone.get("config") or zone.get("Config") or {}
        is_private = _bool(config.get("private_zone", config.get("PrivateZone", False)))
        if (zone.get("name") or zone.get("Name", "")).lower() == wanted and is_private == _bool(private):
            found.append((zone.get("id") or zone.get("Id", "")).rsplit("/", 1)[-1])
    if len(found) > 1:
        kind = "private" if _bool(private) else "public"
        raise AnsibleFilterError(f"{len(found)} {kind} hosted zones are named {wanted} ({', '.join(found)}): give the zone's id instead of its name")
    return found[0] if found else ""


def certificate_uncovered_names(names, certificate_names):
    """The names among ``names`` that a certificate for ``certificate_names`` (its domain name and subject alternative
    names) does not cover. A wildcard covers one label only (RFC 6125): ``*.example.com`` covers ``chat.example.com``,
    not ``example.com`` nor ``api.chat.example.com``. So the public certificate on ``backend.prod.dito.internal``
    is found out before a client refuses it."""
    covered = {str(n).rstrip(".").lower() for n in certificate_names or [] if n}
    uncovered = []
    for given in names or []:
        name = str(given).rstrip(".").lower()
        parent = name.split(".", 1)[1] if "." in name else ""
        if name not in covered and not (parent and f"*.{parent}" in covered):
            uncovered.append(name)
    return uncovered


# What a service's pipeline takes from the inventory's site_service.pipeline (each key optional), and its defaults.
PIPELINE_KEYS = ("enabled", "repository", "branch", "directory", "paths", "test_commands", "buildspec", "dockerfile", "approval", "parameters")


def service_pipeline(service, repository="", branch="main", approval=False):
    """The pipeline of a service (role codepipeline's inputs), from ``site_service.pipeline`` and the site-wide defaults
    (``site_repository``, ``site_pipeline_branch``, ``site_pipeline_approval``); None when the service has none (no
    repository anywhere, or ``pipeline.enabled: false``). A service in a folder of a monorepo (``directory``) is built
    from that folder and started only by changes under it (``paths`` defaults to ``<directory>/**``)."""
    name = service_defaults(service)["name"]
    given = service.get("pipeline") or {}
    if not isinstance(given, dict):
        raise AnsibleFilterError(f"site_service.pipeline of {name} must be a dictionary, got {given!r}")
    unknown = sorted(set(given) - set(PIPELINE_KEYS))
    if unknown:
        raise AnsibleFilterError(f"site_service.pipeline of {name}: unknown keys {unknown} (known: {', '.join(PIPELINE_KEYS)})")
    repo = given.get("repository") or repository or ""
    if not _bool(given.get("enabled", True)) or not repo:
        return None
    directory = str(given.get("directory") or ".").strip("/") or "."
    paths = given.get("paths")
    if paths is None:
        paths = [] if directory == "." else [f"{directory}/**"]
    commands = given.get("test_commands") or []
    return {
        "repository": repo,
        "branch": given.get("branch") or branch or "main",
        "directory": directory,
        "paths": list(paths),
        "test_commands": [commands] if isinstance(commands, str) else list(commands),
        "buildspec": given.get("buildspec") or "",
        "dockerfile": given.get("dockerfile") or "Dockerfile",
        "approval": _bool(given.get("approval", approval)),
        "parameters": dict(given.get("parameters") or {}),
    }


def _bool(value):
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


class FilterModule:
    def filters(self):
        return {
            "service_defaults": service_defaults,
            "platform_names": platform_names,
            "site_names": site_names,
            "public_records": public_records,
            "service_security_groups": service_security_groups,
            "certificate_uncovered_names": certificate_uncovered_names,
            "redis_client_groups": redis_client_groups,
            "service_runtime": service_runtime,
            "hosted_zone_id": hosted_zone_id,
            "service_pipeline": service_pipeline,
        }
