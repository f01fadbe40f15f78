#!/usr/bin/env bash
# The execution environment's build context, without a container engine:
#   tools/check_ee.sh          `ansible-builder create` from execution-environment.yml in a scratch copy, then checks
#                              what the image would be built from (tools/check_ee.py)
#   tools/check_ee.sh DIR      the same in DIR (which holds execution-environment.yml): the tarball in DIR/dist, the
#                              context in DIR/dist/ee (make ee: DIR is this checkout)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
work=${1:-$tmp/work}
# shellcheck source=tools/release_env.sh
. "$root/tools/release_env.sh"
release_env "$tmp/deps"
cd "$root"
mkdir -p "$work/dist"
# The tarball under a name without its version, as execution-environment.yml expects it.
ansible-galaxy collection build --force --output-path "$tmp/build" . >/dev/null
mv "$tmp"/build/dito-chat-*.tar.gz "$work/dist/dito-chat.tar.gz"
if [ "$work" != "$root" ]; then cp execution-environment.yml "$work/"; fi
rm -rf "$work/dist/ee"
ansible-builder create --file "$work/execution-environment.yml" --context "$work/dist/ee" --output-filename Containerfile \
  >"$tmp/create.log" 2>&1 || { cat "$tmp/create.log" >&2; exit 1; }
# What the image's builder stage would compute: the Python requirements of the collections it installs
# (this one from the tarball; amazon.aws and community.aws, which Galaxy would give it, from the ansible package).
installed="$tmp/collections"
ansible-galaxy collection install --force --offline --no-deps -p "$installed" "$work/dist/dito-chat.tar.gz" >/dev/null 2>&1
for c in amazon/aws community/aws; do
  mkdir -p "$installed/ansible_collections/${c%/*}"
  ln -sfn "$tmp/deps/ansible_collections/$c" "$installed/ansible_collections/$c"
done
ansible-builder introspect --write-pip "$tmp/python.txt" "$installed" >/dev/null
python "$root/tools/check_ee.py" --root "$root" --context "$work/dist/ee" --python "$tmp/python.txt"
