"""teardown.yml's guard: it lists what it would remove and stops before any AWS call unless the command line
confirms the inventory's environment. No emulator: the example inventory's environments (inventories/example/shared
layered with staging/ or production/), with every AWS endpoint behind the dead proxy of tests/conftest.py, so a run
that got past the guard would reach the removal plays. Its first play runs the site role's checks, so each
environment of the example passes them."""

import os
import re
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import ROOT

EXAMPLE = ROOT / "inventories" / "example"
# What the guard lists for each environment of the example, by the names the roles use.
LISTED = {
    "production": (
        "ecs_service: dito-production-backend",
        "ecr_repository: dito/production/frontend",
        "dns_record: chat.example.com",
        "redis: dito-production-redis",
        "ecs_cluster: dito-production",
        "cloud_map_namespace: svc.production.dito.internal",
        "private_zone: production.dito.internal",
    ),
    "staging": (
        "ecs_service: dito-staging-backend",
        "ecr_repository: dito/staging/frontend",
        "dns_record: chat.staging.example.com",
        "redis: dito-staging-redis",
        "ecs_cluster: dito-staging",
        "cloud_map_namespace: svc.staging.dito.internal",
        "private_zone: staging.dito.internal",
    ),
}


def teardown(*args, environment="production"):
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    sources = ["-i", str(EXAMPLE / "shared"), "-i", str(EXAMPLE / environment)]
    cmd = [str(ROOT / ".venv" / "bin" / "ansible-playbook"), str(ROOT / "playbooks" / "teardown.yml"), *sources, *args]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    "environment, args, got",
    [
        ("production", (), "got no confirm"),
        ("production", ("-e", "confirm=local"), "confirm='local', which is not this inventory's environment"),
        ("production", ("-e", "confirm=Production"), "confirm='Production'"),
        ("staging", ("-e", "confirm=production"), "confirm='production', which is not this inventory's environment"),
    ],
)
def test_teardown_refuses_without_the_environment_before_any_aws_call(environment, args, got):
    rc, out = teardown(*args, environment=environment)
    assert rc != 0, out
    assert f"Run it again with -e confirm={environment} to confirm" in out and got in out, out
    assert "Nothing was removed." in out, out
    # It stopped in the first play: no removal play started, no AWS module ran.
    plays = re.findall(r"^PLAY \[(.*?)\]", out, re.M)
    assert plays == ["Check the whole inventory and the confirmation before any AWS call"], plays
    # It said first what it would remove, by the names the roles use.
    for line in LISTED[environment]:
        assert line in out, line


def test_make_teardown_confirms_the_local_inventory():
    """`make teardown` passes the local inventory's own environment."""
    local = yaml.safe_load((ROOT / "inventories" / "local" / "group_vars" / "all" / "main.yml").read_text())
    recipe = subprocess.run([shutil.which("make"), "-n", "teardown"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    [line] = [x for x in recipe.splitlines() if "playbooks/teardown.yml" in x]
    assert "-i inventories/local" in line and f"-e confirm={local['site_environment']}" in line, line


def test_images_of_a_tooling_account_leave_no_room_for_a_pipeline():
    """site_ecr_registry_account_id: a pipeline would push to the environment's own registry, so the site role's checks
    (every playbook's first play) refuse a service with one, naming the way out."""
    rc, out = teardown("-e", "site_ecr_registry_account_id=999988887777", "-e", "confirm=production")
    assert rc != 0, out
    flat = " ".join(out.split())
    assert "with it, the images come from that account's registry, and frontend may have no pipeline" in flat, out
    assert "leave site_repository empty in this environment" in flat, out
    assert re.findall(r"^PLAY \[(.*?)\]", out, re.M) == ["Check the whole inventory and the confirmation before any AWS call"], out
