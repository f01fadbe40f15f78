"""tools/check_ee.py finds what an execution environment's build context lacks (a context made by hand here)."""

import io
import json
import re
import tarfile
from pathlib import Path

import pytest
import yaml

from tools import check_ee

ROOT = Path(__file__).resolve().parents[3]
GALAXY = yaml.safe_load((ROOT / "galaxy.yml").read_text())
CORE = re.search(r"^ansible-core==(\S+)", (ROOT / "requirements/test.in").read_text(), re.M).group(1)
BASE = yaml.safe_load((ROOT / "execution-environment.yml").read_text())["images"]["base_image"]["name"]


def make_context(tmp_path, *, core=CORE, version=GALAXY["version"], amazon=None, members=None):
    context = tmp_path / "ee"
    (context / "_build/collections").mkdir(parents=True)
    (context / "Containerfile").write_text(
        f'ARG EE_BASE_IMAGE="{BASE}"\nARG ANSIBLE_INSTALL_REFS="ansible-core=={core} ansible-runner"\n'
        "RUN ansible-galaxy collection install -r requirements.yml\n"
    )
    collections = [{"name": "collections/dito-chat.tar.gz", "type": "file"}]
    collections += [{"name": name, "version": rng} for name, rng in GALAXY["dependencies"].items()]
    if amazon:
        collections[1]["version"] = amazon
    (context / "_build/requirements.yml").write_text(yaml.safe_dump({"collections": collections}))
    manifest = {"collection_info": {"namespace": "dito", "name": "chat", "version": version}}
    with tarfile.open(context / "_build/collections/dito-chat.tar.gz", "w:gz") as tar:
        names = {"MANIFEST.json": json.dumps(manifest)}
        for member in members or ["meta/execution-environment.yml", "meta/ee-requirements.txt", "meta/runtime.yml"]:
            names[member] = ""
        for name, content in names.items():
            info = tarfile.TarInfo(name)
            info.size = len(content.encode())
            tar.addfile(info, io.BytesIO(content.encode()))
    python = tmp_path / "python.txt"
    python.write_text("boto3>=1.35.0  # from collection amazon.aws\nboto3>=1.35.0  # from collection dito.chat\n")
    return context, python


def test_a_complete_context_passes(tmp_path):
    context, python = make_context(tmp_path)
    python.write_text(python.read_text() + "botocore>=1.35.0  # from collection dito.chat\n")
    assert check_ee.check(ROOT, context, python) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"core": "2.20.0"}, f"ansible-core is not {CORE}"),
        ({"version": "0.0.1"}, f"holds dito.chat 0.0.1, not dito.chat {GALAXY['version']}"),
        ({"amazon": ">=10.0.0"}, "amazon.aws is not"),
        ({"members": ["meta/runtime.yml"]}, "lacks meta/execution-environment.yml"),
    ],
)
def test_a_context_that_differs_is_reported(tmp_path, change, problem):
    context, python = make_context(tmp_path, **change)
    python.write_text(python.read_text() + "botocore>=1.35.0  # from collection dito.chat\n")
    problems = check_ee.check(ROOT, context, python)
    assert any(problem in p for p in problems), problems


def test_a_python_package_that_introspection_misses_is_reported(tmp_path):
    context, python = make_context(tmp_path)
    assert check_ee.check(ROOT, context, python) == ["ansible-builder introspect: botocore>=1.35.0 of dito.chat not found"]
