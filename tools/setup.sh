#!/usr/bin/env bash
# Set up the development and test environment from nothing, idempotently:
#   - find a Python that the pinned ansible-core supports (3.12 or newer),
#   - create .venv and install the lock file requirements/test.txt into it,
#   - create .venv-release (galaxy-importer, antsibull-docs, Sphinx, ansible-builder) from requirements/release.txt:
#     a venv of its own because their pins conflict with the test lock (see requirements/release.in),
#   - link this checkout as the collection dito.chat under .collections/ (ansible.cfg points there),
#   - put the offline pip bootstrap stand-in where `ansible-test sanity --venv` looks for it.
# Nothing is downloaded from outside the package registries.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv="$root/.venv"
lock="$root/requirements/test.txt"

python_ok() {  # prints the interpreter's path when it runs and is >= 3.12
  "$1" -c 'import sys; assert sys.version_info >= (3, 12); print(sys.executable)' 2>/dev/null
}

find_python() {
  local c
  for c in "${DITO_PYTHON:-}" python3.12 python3.13 python3; do
    [ -n "$c" ] && command -v "$c" >/dev/null 2>&1 && python_ok "$c" && return 0
  done
  # pyenv installs interpreters whose shims may refuse to run: use their real paths.
  local pyroot
  pyroot=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
  for c in "$pyroot"/versions/3.12*/bin/python3 "$pyroot"/versions/3.13*/bin/python3 /usr/bin/python3.1[2-9]; do
    [ -x "$c" ] && python_ok "$c" && return 0
  done
  return 1
}

if [ ! -x "$venv/bin/python" ] || ! python_ok "$venv/bin/python" >/dev/null; then
  py=$(find_python) || {
    echo "setup: ansible-core 2.21 needs Python 3.12 or newer and none was found." >&2
    echo "setup: install one (apt-get install python3.12, or pyenv install 3.12) or point DITO_PYTHON at it." >&2
    exit 2
  }
  echo "setup: creating .venv with $py"
  rm -rf "$venv"
  "$py" -m venv "$venv"
fi

stamp="$venv/.lock.sha256"
lock_sum=$(sha256sum "$lock" | cut -d' ' -f1)
# Installed with bytecode: uv (unlike pip) writes no .pyc by default, and where PYTHONDONTWRITEBYTECODE is set (the CI
# image sets it) nothing writes them later, so every module process Ansible starts compiled boto3 and botocore from
# source again: about 0.5 s more per AWS task (measured: boto3 import + a client 1.0-1.1 s without .pyc, 0.5 s with).
want="$lock_sum bytecode"
have=$(cat "$stamp" 2>/dev/null || true)
if [ "$have" = "$lock_sum" ]; then
  # A .venv installed by an earlier setup.sh, without bytecode: compile it once (about 40 s).
  echo "setup: compiling .venv's Python files to bytecode (once)"
  "$venv/bin/python" -m compileall -q -j 0 "$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" >/dev/null || true
  echo "$want" > "$stamp"
elif [ "$have" != "$want" ]; then
  echo "setup: installing $(grep -c '==' "$lock") pinned packages into .venv"
  # uv (from PyPI, pinned) installs the lock in seconds where pip took about 6 minutes on a fresh CI machine (it
  # downloads in parallel and unpacks ansible's thousands of files fast); pip stays the fallback.
  uv_version=0.13.9
  if "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$uv_version" 2>/dev/null \
     && "$venv/bin/python" -m uv pip install --quiet --compile-bytecode --python "$venv/bin/python" -r "$lock"; then
    :
  else
    echo "setup: uv unavailable, installing with pip"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$lock" 2>&1 \
      | grep -v "is ignored: it is neither a file nor a directory" || true
  fi
  "$venv/bin/python" -m pip check >/dev/null
  echo "$want" > "$stamp"
fi

# The release tools' venv: same interpreter, its own lock, installed the same way (no bytecode: each tool runs once per
# `make test`, and compiling Sphinx and ansible-lint again would cost more than it saves). About 10 s with uv.
release_venv="$root/.venv-release"
release_lock="$root/requirements/release.txt"
if [ ! -x "$release_venv/bin/python" ] || ! python_ok "$release_venv/bin/python" >/dev/null; then
  rm -rf "$release_venv"
  "$("$venv/bin/python" -c 'import sys; print(sys._base_executable)')" -m venv "$release_venv"
fi
release_stamp="$release_venv/.lock.sha256"
release_sum=$(sha256sum "$release_lock" | cut -d' ' -f1)
if [ "$(cat "$release_stamp" 2>/dev/null || true)" != "$release_sum" ]; then
  echo "setup: installing $(grep -c '==' "$release_lock") pinned release tools into .venv-release"
  if ! "$venv/bin/python" -m uv pip install --quiet --python "$release_venv/bin/python" -r "$release_lock" 2>/dev/null; then
    echo "setup: uv unavailable, installing the release tools with pip"
    "$release_venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$release_lock"
  fi
  "$release_venv/bin/python" -m pip check >/dev/null
  echo "$release_sum" > "$release_stamp"
fi

# The collection is this checkout: link it where ansible.cfg's collections_path looks.
mkdir -p "$root/.collections/ansible_collections/dito"
ln -sfn ../../.. "$root/.collections/ansible_collections/dito/chat"

# The bytecode cache of the modules Ansible runs (tools/ansiballz_bytecode.py, a quarter of each module run's CPU time):
# linked into .venv and loaded by a .pth file, so every Python of .venv (Ansible and its modules) has it.
site_packages=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
ln -sfn "$root/tools/ansiballz_bytecode.py" "$site_packages/_dito_ansiballz_bytecode.py"
echo 'import _dito_ansiballz_bytecode; _dito_ansiballz_bytecode.install()' >"$site_packages/_dito_ansiballz_bytecode.pth"

# ansible-test sanity --venv downloads get-pip from a host that is not reachable here; it uses a
# cached copy first. The stand-in bootstraps pip from the interpreter's own ensurepip instead.
pip_version=$("$venv/bin/python" - <<'PY'
import re, ansible_test, pathlib
src = (pathlib.Path(ansible_test.__file__).parent / "_internal" / "python_requirements.py").read_text()
print(re.search(r"pip='([0-9.]+)'", src).group(1))
PY
)
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
cp "$root/tools/get_pip_standin.py" "$cache/get_pip_${pip_version//./_}.py"
echo "setup: ready ($("$venv/bin/python" --version), $("$venv/bin/ansible" --version | head -1))"
