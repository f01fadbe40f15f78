"""tools/ansiballz_bytecode.py: the bytecode cache of the modules Ansible runs from AnsiballZ zips."""

import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT
from tools import ansiballz_bytecode

SOURCE = b"def answer():\n    return 42\n\nVALUE = answer()\n"


def payload_path(run, inner="ansible/module_utils/thing.py"):
    # As the AnsiballZ wrapper names it: a temporary directory and zip per module run.
    return f"/tmp/ansible_ping_payload_{run}/ansible_ping_payload.zip/{inner}"  # noqa: S108 (a path name only)


@pytest.fixture
def counted():
    calls = []

    def compile_source(pathname, source):
        calls.append(pathname)
        return compile(source, pathname, "exec", dont_inherit=True)

    return compile_source, calls


def run(code):
    scope = {}
    exec(code, scope)  # noqa: S102 (the test's own source)
    return scope["VALUE"]


def test_a_payload_source_is_compiled_once_and_the_next_run_names_its_own_path(tmp_path, counted):
    compile_source, calls = counted
    cached = ansiballz_bytecode.caching(compile_source, str(tmp_path))
    first = cached(payload_path("a1"), SOURCE)
    second = cached(payload_path("b2"), SOURCE)
    assert calls == [payload_path("a1")]
    assert run(first) == run(second) == 42
    # Tracebacks of the second run name the second run's payload, nested functions included.
    assert second.co_filename == payload_path("b2")
    assert {c.co_filename for c in second.co_consts if hasattr(c, "co_filename")} == {payload_path("b2")}
    assert len(list(tmp_path.rglob("*"))) == 2  # one directory, one entry


def test_a_changed_source_is_compiled_again(tmp_path, counted):
    compile_source, calls = counted
    cached = ansiballz_bytecode.caching(compile_source, str(tmp_path))
    cached(payload_path("a1"), SOURCE)
    changed = cached(payload_path("b2"), SOURCE.replace(b"42", b"43"))
    assert len(calls) == 2 and run(changed) == 43


def test_other_zips_are_left_to_python(tmp_path, counted):
    compile_source, calls = counted
    cached = ansiballz_bytecode.caching(compile_source, str(tmp_path))
    for _attempt in range(2):
        cached("/srv/app/library.zip/thing.py", SOURCE)
    assert len(calls) == 2 and list(tmp_path.iterdir()) == []


def test_an_unreadable_entry_is_compiled_again_and_an_unwritable_cache_only_costs_time(tmp_path, counted):
    compile_source, calls = counted
    cached = ansiballz_bytecode.caching(compile_source, str(tmp_path))
    cached(payload_path("a1"), SOURCE)
    [entry] = [p for p in tmp_path.rglob("*") if p.is_file()]
    entry.write_bytes(b"not marshal data")
    assert run(cached(payload_path("b2"), SOURCE)) == 42 and len(calls) == 2
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert run(ansiballz_bytecode.caching(compile_source, str(blocked / "cache"))(payload_path("c3"), SOURCE)) == 42


def test_the_setting_turns_it_off_or_moves_it(monkeypatch):
    assert ansiballz_bytecode.cache_directory({"DITO_ANSIBALLZ_BYTECODE": "off"}) is None
    assert ansiballz_bytecode.cache_directory({"DITO_ANSIBALLZ_BYTECODE": "/var/cache/x"}) == "/var/cache/x"
    assert ansiballz_bytecode.cache_directory({"XDG_CACHE_HOME": "/c"}) == "/c/dito-chat/ansiballz-bytecode"


def test_the_virtualenv_imports_a_payload_through_the_cache(tmp_path):
    """tools/setup.sh's .pth puts the cache in front of zipimport in every Python of .venv: a payload-like zip imported
    twice by two processes is compiled by the first and loaded by the second."""
    archive = tmp_path / "ansible_ping_payload_x" / "ansible_ping_payload.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("dito_probe.py", SOURCE)
    cache = tmp_path / "cache"
    probe = f"import sys; sys.path.insert(0, {str(archive)!r}); import dito_probe; print(dito_probe.VALUE, dito_probe.__file__)"
    env = dict(os.environ, DITO_ANSIBALLZ_BYTECODE=str(cache))
    python = ROOT / ".venv" / "bin" / "python"
    for _attempt in range(2):
        out = subprocess.run([str(python if python.exists() else sys.executable), "-c", probe], env=env, capture_output=True, text=True, check=True).stdout
        assert out.split() == ["42", str(archive / "dito_probe.py")]
    assert len([p for p in cache.rglob("*") if p.is_file()]) == 1
