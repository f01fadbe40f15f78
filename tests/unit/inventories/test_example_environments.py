"""The example inventory tree (inventories/example): shared/ holds the hosts and what every environment shares,
staging/ and production/ only what differs, layered by two inventory sources (`-i shared -i <environment>`).

What ansible-inventory resolves for each environment is what a run sees: the environments differ only in the
variables their folders set, each folder sets the same variables, its values win, the names the roles derive
differ, and both pass the roles' argument specs. (tests/unit/playbooks/test_teardown_guard.py runs the site role's
own checks on both.)"""

import json
import os
import subprocess
from functools import cache

import jinja2
import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.dito.chat.plugins.filter import site
from tests.conftest import ROOT

EXAMPLE = ROOT / "inventories" / "example"
ENVIRONMENTS = ("staging", "production")
HOSTS = {"platform", "redis", "frontend", "backend"}

# What an environment's folder sets, by group: everything else comes from shared/ and is the same everywhere.
PER_ENVIRONMENT = {
    "all": {
        "site_environment",
        "site_region",
        "site_aws_role_arn",
        "site_vpc_id",
        "site_public_subnet_ids",
        "site_private_subnet_ids",
        "site_public_zone",
        "site_certificate_arn",
        "site_cloudfront_certificate_arn",
        "site_bucket_suffix",
        "site_pipeline_approval",
    },
    "dito_services": {
        "ecs_service_cpu",
        "ecs_service_memory",
        "ecs_service_desired_count",
        "ecs_service_autoscaling",
        "ecs_service_alarm_actions",
        "deploy_wait_timeout",
    },
    "dito_redis": {"elasticache_node_type", "elasticache_replicas", "elasticache_snapshot_retention_days"},
}
# Of those, what must differ between staging and production (an account, a network, a zone, a size of their own).
MUST_DIFFER = {
    "site_environment",
    "site_aws_role_arn",
    "site_vpc_id",
    "site_public_subnet_ids",
    "site_private_subnet_ids",
    "site_public_zone",
    "site_certificate_arn",
    "site_cloudfront_certificate_arn",
    "site_bucket_suffix",
    "site_pipeline_approval",
    "ecs_service_cpu",
    "ecs_service_memory",
    "elasticache_node_type",
    "elasticache_replicas",
}


@cache
def hostvars(environment):
    """Every host's variables as `ansible-inventory -i shared -i <environment> --list` resolves them."""
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")
    cmd = [str(ROOT / ".venv" / "bin" / "ansible-inventory"), "-i", str(EXAMPLE / "shared"), "-i", str(EXAMPLE / environment), "--list"]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True)
    assert "WARNING" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout)["_meta"]["hostvars"]


def folder_vars(folder, group):
    path = EXAMPLE / folder / "group_vars" / group / "main.yml"
    return (yaml.safe_load(path.read_text()) or {}) if path.exists() else {}


def groups_of(host):
    return {"all", {"platform": "dito_platform", "redis": "dito_redis"}.get(host, "dito_services")}


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_an_environment_folder_sets_exactly_what_differs_and_adds_no_host(environment):
    assert yaml.safe_load((EXAMPLE / environment / "hosts.yml").read_text()) == {"all": {}}
    groups = sorted(p.name for p in (EXAMPLE / environment / "group_vars").iterdir())
    assert groups == sorted(PER_ENVIRONMENT)
    for group, expected in PER_ENVIRONMENT.items():
        assert set(folder_vars(environment, group)) == expected, group


def test_each_variable_is_set_in_one_place():
    """A variable that shared/ set for a group would beat an environment's value for group all (a child group's
    group_vars win over all's whatever the source): each variable lives in shared/ or in the environments' folders."""
    shared = {key for group in ("all", "dito_platform", "dito_redis", "dito_services") for key in folder_vars("shared", group)}
    for keys in PER_ENVIRONMENT.values():
        assert not shared & keys


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_environment_values_win(environment):
    found = hostvars(environment)
    assert set(found) == HOSTS
    for host, variables in found.items():
        for group in groups_of(host):
            for key, value in folder_vars(environment, group).items():
                assert variables[key] == value, (host, key)


def test_the_environments_differ_only_in_what_their_folders_set():
    staging, production = hostvars("staging"), hostvars("production")
    intended = set().union(*PER_ENVIRONMENT.values())
    differing = set()
    for host in HOSTS:
        assert set(staging[host]) == set(production[host]), host
        differing |= {key for key in staging[host] if staging[host][key] != production[host][key]}
    assert MUST_DIFFER <= differing <= intended, (differing - intended, MUST_DIFFER - differing)


def names(environment):
    """The names the roles derive for an environment (plugins/filter/site.py, as composition.yml calls them), the
    public names (<dns_name>.<site_public_zone>) and the alerts' webhook parameters, rendered as Ansible would."""
    found = hostvars(environment)
    platform = found["platform"]
    project, env = platform["site_project"], platform["site_environment"]
    derived = {f"platform.{k}": v for k, v in site.platform_names(project, env, platform.get("site_private_zone", "")).items()}
    for host in sorted(HOSTS - {"platform", "redis"}):
        service = found[host]["site_service"]
        for key, value in site.site_names(service, project, env, found[host]["site_bucket_suffix"]).items():
            derived[f"{host}.{key}"] = value
        defaults = site.service_defaults(service)
        if defaults["public"]:
            derived[f"{host}.public_name"] = f"{defaults['dns_name']}.{found[host]['site_public_zone']}"
            derived[f"{host}.origin_name"] = f"{defaults['origin_dns_name']}.{found[host]['site_public_zone']}"
    for n, webhook in enumerate(platform["lambda_alerts_webhooks"]):
        derived[f"alerts.{n}"] = jinja2.Template(webhook["parameter"]).render(site_project=project, site_environment=env)
    return derived


def test_every_derived_name_carries_the_environment():
    """Two environments of one project may share an account and region: no two of their names are the same, the ECR
    repositories (<project>/<environment>/<service>) included (README.md, "Environments")."""
    staging, production = names("staging"), names("production")
    assert set(staging) == set(production)
    assert {key for key in staging if staging[key] == production[key]} == set()
    assert staging["frontend.repository"] == "dito/staging/frontend"
    assert set(staging.values()).isdisjoint(set(production.values()))
    assert staging["frontend.public_name"] == "chat.staging.example.com" and production["frontend.public_name"] == "chat.example.com"
    assert staging["alerts.0"] == "/dito/staging/alerts/slack" and production["alerts.0"] == "/dito/production/alerts/slack"


def specs():
    """Every role's argument spec of its main entry point, by role."""
    found = {}
    for path in sorted((ROOT / "roles").glob("*/meta/argument_specs.yml")):
        found[path.parent.parent.name] = yaml.safe_load(path.read_text())["argument_specs"]["main"]["options"]
    return found


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_both_environments_pass_the_argument_specs(environment):
    """The site role's spec in full on every host (what site.yml's first play checks before any AWS call), and every
    other role's spec for the variables the inventory sets (their other inputs come from composition.yml)."""
    roles = specs()
    for host, variables in hostvars(environment).items():
        spec = roles["site"]
        given = {key: variables[key] for key in spec if key in variables}
        result = ArgumentSpecValidator(spec).validate(given, validate_role_argument_spec=True)
        assert result.error_messages == [], (host, result.error_messages)
        assert ("site_service" in given) == (host in {"frontend", "backend"})
        for role, options in roles.items():
            if role == "site":
                continue
            set_here = {key: dict(value, required=False) for key, value in options.items() if key in variables}
            result = ArgumentSpecValidator(set_here).validate({key: variables[key] for key in set_here}, validate_role_argument_spec=True)
            assert result.error_messages == [], (host, role, result.error_messages)
