"""Integration fixtures: an emulator instance of the tests' own, a playbook runner, and the local stack.

Converging the stack is the slow part of the suite, so tests share one converged stack:
- `converged`: a test that only reads the stack;
- `converged_to_change`: a test that changes it. Changers run after every reader, in file order, each on the
  stack that the changers before it left. So a changer asserts only what its own change decides (for example
  "redis changed", not "nothing else changed"), or states in its docstring what it relies on;
- `converged_beside`: a test that builds a second environment in the account beside the stack (test_faults), after
  every changer (they may count what the account holds) and before the destroyers, which show it left intact;
- `converged_to_destroy`: a test that removes the stack; the next user gets a stack converged anew;
- `fresh_account`: a test that needs an empty account;
- `role_calls`: a test of what the roles called in the whole session (the emulator's request log), run last.
The collection hook below orders them: readers, changers, destroyers, the rest, then role_calls."""

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest

from tests.conftest import ROOT
from tools.emulator import request_log

PORT = int(os.environ.get("DITO_TEST_EMULATOR_PORT", "5199"))
ENDPOINT = f"http://127.0.0.1:{PORT}"
# The emulator's request log (tools/emulator/request_log.py): what the tests' emulator answered, one JSON line a request.
# tools/test.sh starts the emulator with it; so does emulator_endpoint below when it starts the emulator itself.
REQUEST_LOG = os.environ.get("DITO_EMULATOR_REQUEST_LOG") or str(ROOT / ".emulator" / f"{PORT}.requests.jsonl")
RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)", re.M)


def emulator(command):
    subprocess.run(
        [sys.executable, "-m", "tools.emulator", command, "--port", str(PORT)],
        cwd=ROOT,
        check=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT), DITO_EMULATOR_REQUEST_LOG=REQUEST_LOG),
        stdout=subprocess.DEVNULL,
    )


@pytest.fixture(scope="session")
def emulator_endpoint():
    """Start the tests' emulator (unless it already answers) and stop it at the end if we started it. Notes where the
    request log stands, so that role_calls reads this session's requests only."""
    _STACK["log_offset"] = os.path.getsize(REQUEST_LOG) if os.path.exists(REQUEST_LOG) else 0
    try:
        urllib.request.urlopen(f"{ENDPOINT}/moto-api/", timeout=1)
        started = False
    except OSError:
        emulator("start")
        started = True
    yield ENDPOINT
    if started:
        emulator("stop")


# How many times the account was reset, and after which reset the shared stack was converged.
# "empty": nothing ran since the last reset (or only runs that a passing empty_account test showed changed nothing).
_STACK = {"resets": 0, "converged_after": None, "run": None, "log_offset": 0, "playbooks": set(), "empty": False, "empty_since": None}


# The fixtures of the tests that use the shared converged stack (or the request log of the runs that built it).
STACK_FIXTURES = ("converged", "converged_to_change", "converged_beside", "converged_to_destroy", "role_calls")
# tools/test.sh runs the suite as two processes at once, each on an emulator of its own: "stack", the tests of the shared
# stack (the longest chain), and "empty", those of an empty or seeded account (invalid input, --check on an empty account,
# the preflight); unset: all of them, in one process.
PART = os.environ.get("DITO_TEST_INTEGRATION_PART", "")


def pytest_collection_modifyitems(config, items):
    if PART:
        if PART not in ("stack", "empty"):
            raise pytest.UsageError(f"DITO_TEST_INTEGRATION_PART must be stack or empty, not {PART!r}")
        kept, deselected = [], []
        for item in items:
            in_part = "integration" not in item.path.parts or any(f in item.fixturenames for f in STACK_FIXTURES) == (PART == "stack")
            (kept if in_part else deselected).append(item)
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = kept

    def order(item):
        if "integration" not in item.path.parts:
            return 0
        if "role_calls" in item.fixturenames:
            return 5
        if "converged_to_destroy" in item.fixturenames:
            return 3
        if "converged_beside" in item.fixturenames:
            return 2.5
        if "converged_to_change" in item.fixturenames:
            return 2
        return 1 if "converged" in item.fixturenames else 4

    items.sort(key=order)  # stable: the order within each group is kept


def reset():
    emulator("reset")
    _STACK["resets"] += 1
    _STACK["empty"] = True


def beside(environment, part):
    """Say that the account holds, beside the shared stack, the environment `environment`, whose resources are `part`
    (a listing, tools/listing.py): a destroyer of the shared stack shows it intact."""
    _STACK["beside"] = {"environment": environment, "part": part, "after": _STACK["resets"]}


def environment_beside():
    """The environment that a test built beside the shared stack since the last reset, or None."""
    found = _STACK.get("beside")
    return found if found and found["after"] == _STACK["resets"] else None


@pytest.fixture
def fresh_account(emulator_endpoint):
    """An account holding only the seeded existing VPC."""
    reset()
    return emulator_endpoint


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when == "call":
        item.call_passed = report.passed
    return report


@pytest.fixture
def empty_account(request, emulator_endpoint):
    """An account holding only the seeded existing VPC, for a test that asserts its run changed nothing: reset only
    if a run since the last reset may have changed the account; a passing test leaves it known empty."""
    if not _STACK["empty"]:
        reset()
    yield emulator_endpoint
    _STACK["empty"] = getattr(request.node, "call_passed", False) and _STACK["empty_since"] == _STACK["resets"]


@pytest.fixture
def client(emulator_endpoint):
    def make(service):
        return boto3.client(service, region_name="eu-west-1", endpoint_url=emulator_endpoint)

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


# (wall seconds, CPU seconds of the run's processes, the run) of every playbook run: the suite's time is mostly theirs.
PLAYBOOK_TIMES = []


def pytest_terminal_summary(terminalreporter):
    if PLAYBOOK_TIMES:
        wall, cpu = sum(t[0] for t in PLAYBOOK_TIMES), sum(t[1] for t in PLAYBOOK_TIMES)
        terminalreporter.section(f"playbook runs: {len(PLAYBOOK_TIMES)}, {wall:.0f} s wall, {cpu:.0f} s CPU; the slowest 25")
        for seconds, cpu_seconds, what in sorted(PLAYBOOK_TIMES, reverse=True)[:25]:
            terminalreporter.write_line(f"{seconds:7.1f} s wall {cpu_seconds:7.1f} s CPU  {what}")


@pytest.fixture
def playbook(emulator_endpoint):
    def run(name, *args, inventory=None):
        env = dict(os.environ, DITO_EMULATOR_PORT=str(PORT), ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
        _STACK["playbooks"].add(name)
        _STACK["empty"], _STACK["empty_since"] = False, _STACK["resets"]
        cmd = [str(ROOT / ".venv" / "bin" / "ansible-playbook"), str(ROOT / "playbooks" / name), "-i", str(inventory or ROOT / "inventories" / "local"), *args]
        started, cpu = time.monotonic(), os.times()
        run = Run(subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False))
        after = os.times()
        cpu_seconds = after.children_user + after.children_system - cpu.children_user - cpu.children_system
        PLAYBOOK_TIMES.append((time.monotonic() - started, cpu_seconds, " ".join([os.path.basename(name), *args])[:110]))
        return run

    return run


@pytest.fixture
def converged(playbook):
    """The local stack converged by site.yml (verbose, with --diff, so that tests can search the output for
    secrets), shared by every test that only reads it. Returns that first run."""
    if _STACK["converged_after"] != _STACK["resets"]:
        reset()
        run = playbook("site.yml", "-vvv", "--diff")
        assert run.rc == 0 and run.total("failed") == 0, run
        _STACK.update(converged_after=_STACK["resets"], run=run)
    return _STACK["run"]


@pytest.fixture
def converged_to_change(converged):
    """The shared converged stack, for a test that changes it (see the module docstring)."""
    return converged


@pytest.fixture
def converged_beside(converged):
    """The shared converged stack, for a test that builds another environment beside it (see the module docstring)."""
    return converged


@pytest.fixture
def converged_to_destroy(converged):
    """The shared converged stack, for a test that removes it; the next test gets a stack converged anew."""
    yield converged
    _STACK["converged_after"] = None


@pytest.fixture
def local_inventory(tmp_path, emulator_endpoint):
    """A copy of inventories/local (with the seeded network file) that a test may edit."""
    target = tmp_path / "inventory"
    shutil.copytree(ROOT / "inventories" / "local", target)
    return target


@pytest.fixture
def role_calls(request, playbook):
    """The emulator's request log of this session, read after every other test ran: the calls of site.yml and of
    teardown.yml at least (a session that ran neither runs them here, on the shared stack), by IAM action, grouped by
    the role that made them (`app/<role>` in the User-Agent, see site__aws_defaults); "" for other callers."""
    if "site.yml" not in _STACK["playbooks"]:
        request.getfixturevalue("converged")
    if "teardown.yml" not in _STACK["playbooks"]:
        request.getfixturevalue("converged")
        down = playbook("teardown.yml", "-e", "confirm=local")
        assert down.rc == 0, down
        _STACK["converged_after"] = None
    assert os.path.exists(REQUEST_LOG), (
        f"the emulator on port {PORT} keeps no request log at {REQUEST_LOG}: restart it with DITO_EMULATOR_REQUEST_LOG={REQUEST_LOG}"
    )
    entries = request_log.read(REQUEST_LOG, _STACK["log_offset"])
    assert entries, f"the emulator on port {PORT} logged no request to {REQUEST_LOG}: restart it with DITO_EMULATOR_REQUEST_LOG={REQUEST_LOG}"
    calls = {}
    for entry in entries:
        calls.setdefault(entry["role"], {}).update(dict.fromkeys(entry["actions"], entry["operation"]))
    return calls
