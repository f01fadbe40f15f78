"""Shared test set-up: the collection on sys.path, no network, fake credentials."""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# tools/setup.sh links this checkout as ansible_collections/dito/chat under .collections/.
sys.path.insert(0, str(ROOT / ".collections"))
sys.path.insert(0, str(ROOT))

# Nothing a test does may reach a real AWS endpoint: fake credentials, a dead proxy for all but loopback.
for key, value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "127.0.0.1,localhost",
}.items():
    os.environ[key] = value
# moto loads some 120 000 public AMIs into every EC2 region backend it creates (a third of the unit tests' CPU time);
# the collection never reads an AMI (Fargate only).
os.environ["MOTO_EC2_LOAD_DEFAULT_AMIS"] = "false"
for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL"):
    os.environ.pop(key, None)


# tryfirst: xdist's worker reads the marker in its own pytest_collection_modifyitems, which would otherwise run first.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Under pytest-xdist (`-n 2 --dist loadgroup`, as tools/test.sh runs the suite), every integration test goes
    to one worker, in the order tests/integration/conftest.py gives them (they share one emulator and one converged
    stack), while the other worker takes the unit tests, one at a time. Without xdist the marker does nothing."""
    for item in items:
        if "integration" in item.path.parts:
            item.add_marker(pytest.mark.xdist_group("stack"))
