#!/usr/bin/env bash
# ansible-test sanity on a copy of the collection placed where ansible-test wants it
# (.../ansible_collections/dito/chat). Runs offline: tools/setup.sh put the pip bootstrap stand-in
# in ~/.ansible/test/cache. Ignore files stay empty: any finding fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dest="$work/ansible_collections/dito/chat"
mkdir -p "$dest"
# (Tracked files deleted in the working tree are left out: the copy is the tree as it is now.)
(cd "$root" && git ls-files -co --exclude-standard -z | while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done \
  | xargs -0 cp --parents -t "$dest")
# amazon.aws and community.aws (from the pinned ansible package) beside it, where ansible-test's
# import and validate-modules tests look for the collection's dependencies.
site=$("$root/.venv/bin/python" -c 'import ansible, pathlib; print(pathlib.Path(ansible.__file__).parents[1] / "ansible_collections")')
ln -s "$site/amazon" "$work/ansible_collections/amazon"
ln -s "$site/community" "$work/ansible_collections/community"
cd "$dest"
git init -q && git add -A && git -c user.email=ci@dito.chat -c user.name=ci commit -qm sanity
python_version=$("$root/.venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
"$root/.venv/bin/ansible-test" sanity --venv --python "$python_version" --color no "$@"
