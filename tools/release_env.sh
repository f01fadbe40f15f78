# Sourced by the release checks (check_galaxy_import.sh, docs.sh, check_ee.sh): runs the tools of .venv-release
# (tools/setup.sh) on this checkout, with the collections it depends on.
#   release_env DIR   puts .venv-release first on PATH and makes DIR/ansible_collections hold amazon.aws and
#                     community.aws (links to the copies the ansible package bundles in .venv), found by ansible-doc
#                     both through ANSIBLE_COLLECTIONS_PATH and through PYTHONPATH (galaxy-importer runs ansible-doc
#                     with a collections path of its own: ansible-core then still finds collections on sys.path).
# shellcheck shell=bash
release_env() {
  local deps=$1 root bundled c
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  [ -x "$root/.venv-release/bin/python" ] || { echo "release_env: no .venv-release: run tools/setup.sh" >&2; return 2; }
  bundled=$("$root/.venv/bin/python" -c 'import ansible, pathlib; print(pathlib.Path(ansible.__file__).parents[1] / "ansible_collections")')
  for c in amazon/aws community/aws; do
    mkdir -p "$deps/ansible_collections/${c%/*}"
    ln -sfn "$bundled/$c" "$deps/ansible_collections/$c"
  done
  export PATH="$root/.venv-release/bin:$PATH"
  export ANSIBLE_COLLECTIONS_PATH="$root/.collections:$deps" PYTHONPATH="$deps"
  # antsibull-docs copies a collection with `git ls-files` when it lies inside a Git work tree: the bundled ones lie in
  # .venv, which Git ignores, so they would be copied empty. Git must not look above .venv for them.
  export GIT_CEILING_DIRECTORIES
  GIT_CEILING_DIRECTORIES=$(cd "$root/.venv" && pwd -P)
  # Offline, like every test: nothing but loopback.
  export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost ANSIBLE_NOCOLOR=1
  unset ANSIBLE_CONFIG VIRTUAL_ENV
}
