"""teardown.yml's guard: it lists what it would remove and stops before any AWS call unless the command line
confirms the inventory's environment. No emulator: the example (production) inventory, with every AWS endpoint
behind the dead proxy of tests/conftest.py, so a run that got past the guard would reach the removal plays."""

import os
import re
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import ROOT

EXAMPLE = ROOT / "inventories" / "example"


def teardown(*args):
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    cmd = [str(ROOT / ".venv" / "bin" / "ansible-playbook"), str(ROOT / "playbooks" / "teardown.yml"), "-i", str(EXAMPLE), *args]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize(
    "args, got",
    [
        ((), "got no confirm"),
        (("-e", "confirm=local"), "confirm='local', which is not this inventory's environment"),
        (("-e", "confirm=Production"), "confirm='Production'"),
    ],
)
def test_teardown_refuses_without_the_environment_before_any_aws_call(args, got):
    rc, out = teardown(*args)
    assert rc != 0, out
    assert "Run it again with -e confirm=production to confirm" in out and got in out, out
    assert "Nothing was removed." in out, out
    # It stopped in the first play: no removal play started, no AWS module ran.
    plays = re.findall(r"^PLAY \[(.*?)\]", out, re.M)
    assert plays == ["Check the whole inventory and the confirmation before any AWS call"], plays
    # It said first what it would remove, by the names the roles use.
    for line in (
        "ecs_service: dito-production-backend",
        "ecr_repository: dito/production/frontend",
        "dns_record: chat.example.com",
        "redis: dito-production-redis",
        "ecs_cluster: dito-production",
        "cloud_map_namespace: svc.production.dito.internal",
        "private_zone: production.dito.internal",
    ):
        assert line in out, line


def test_make_teardown_confirms_the_local_inventory():
    """`make teardown` passes the local inventory's own environment."""
    local = yaml.safe_load((ROOT / "inventories" / "local" / "group_vars" / "all" / "main.yml").read_text())
    recipe = subprocess.run([shutil.which("make"), "-n", "teardown"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    [line] = [x for x in recipe.splitlines() if "playbooks/teardown.yml" in x]
    assert "-i inventories/local" in line and f"-e confirm={local['site_environment']}" in line, line
