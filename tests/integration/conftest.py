"""Integration fixtures: an emulator instance of the tests' own, and a playbook runner."""

import os
import re
import shutil
import subprocess
import sys
import urllib.request

import boto3
import pytest

from tests.conftest import ROOT

PORT = int(os.environ.get("DITO_TEST_EMULATOR_PORT", "5199"))
ENDPOINT = f"http://127.0.0.1:{PORT}"
RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)", re.M)


def emulator(command):
    subprocess.run(
        [sys.executable, "-m", "tools.emulator", command, "--port", str(PORT)],
        cwd=ROOT,
        check=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdout=subprocess.DEVNULL,
    )


@pytest.fixture(scope="session")
def emulator_endpoint():
    """Start the tests' emulator (unless it already answers) and stop it at the end if we started it."""
    try:
        urllib.request.urlopen(f"{ENDPOINT}/moto-api/", timeout=1)
        started = False
    except OSError:
        emulator("start")
        started = True
    yield ENDPOINT
    if started:
        emulator("stop")


@pytest.fixture
def fresh_account(emulator_endpoint):
    """An account holding only the seeded existing VPC."""
    emulator("reset")
    return emulator_endpoint


@pytest.fixture
def client(fresh_account):
    def make(service):
        return boto3.client(service, region_name="eu-west-1", endpoint_url=fresh_account)

    return make


class Run:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.out = proc.stdout + proc.stderr
        self.recap = {m[0]: dict(zip(("ok", "changed", "unreachable", "failed", "skipped"), map(int, m[1:]), strict=False)) for m in RECAP.findall(proc.stdout)}

    def total(self, key):
        return sum(host[key] for host in self.recap.values())

    def __repr__(self):
        return f"<playbook rc={self.rc} recap={self.recap}>\n{self.out[-6000:]}"


@pytest.fixture
def playbook(emulator_endpoint):
    def run(name, *args, inventory=None):
        env = dict(os.environ, DITO_EMULATOR_PORT=str(PORT), ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
        cmd = [str(ROOT / ".venv" / "bin" / "ansible-playbook"), str(ROOT / "playbooks" / name), "-i", str(inventory or ROOT / "inventories" / "local"), *args]
        return Run(subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False))

    return run


@pytest.fixture
def local_inventory(tmp_path, fresh_account):
    """A copy of inventories/local (with the seeded network file) that a test may edit."""
    target = tmp_path / "inventory"
    shutil.copytree(ROOT / "inventories" / "local", target)
    return target
