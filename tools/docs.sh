#!/usr/bin/env bash
# The collection's documentation site, built by antsibull-docs and Sphinx (the tools of .venv-release):
#   tools/docs.sh check    lint-collection-docs --plugin-docs (every module, filter and role, the guides of
#                          docs/docsite/) and the site built offline in a scratch directory: a Sphinx warning fails
#                          it, except the references to other sites' pages that only intersphinx (online) resolves
#   tools/docs.sh build    the site in dist/docs/ (its index: dist/docs/build/html/index.html)
#   tools/docs.sh open     build, then open it in a browser, or print its path where there is none (make docs)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-check}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=tools/release_env.sh
. "$root/tools/release_env.sh"
release_env "$tmp/deps"
cd "$root"

if [ "$mode" = check ]; then
  python -m tools.docsite --check
  # Without rstcheck: the Sphinx build below parses every generated page and fails on any warning.
  antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs --validate-collection-refs dependent \
    --disallow-unknown-collection-refs --skip-rstcheck .
  site="$tmp/site"
else
  site="$root/dist/docs"
  rm -rf "$site"
fi
mkdir -p "$site"
antsibull-docs sphinx-init --use-current --fail-on-error --dest-dir "$site" --project dito.chat --title dito.chat \
  --copyright "dito.chat engineering" dito.chat >/dev/null
# build.sh makes the RST with antsibull-docs, then runs Sphinx with warnings as errors: here without -W, the warnings
# are judged below. Offline, like every check: no intersphinx inventory is fetched, so references to amazon.aws /
# community.aws plugins and to docs.ansible.com labels (common_return_values, ...) stay plain text; lint-collection-docs
# has checked that the plugins they name exist.
sed -i 's/ -W --keep-going/ --keep-going/' "$site/build.sh"
echo 'intersphinx_mapping = {}  # offline' >>"$site/conf.py"
bash "$site/build.sh" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" >&2; echo "docs: the site did not build" >&2; exit 1; }
external="undefined label: '(ansible_collections\.(amazon|community)\.aws\.[a-z0-9_]+(__[a-z0-9_.-]+)?|common_return_values|ansible_configuration_settings)'"
warnings=$(grep -E 'WARNING|ERROR' "$tmp/build.log" | grep -Ev "$external" || true)
if [ -n "$warnings" ]; then
  echo "$warnings" >&2
  if [ "$mode" = check ]; then echo "docs: Sphinx warned (above)" >&2; exit 1; fi
fi
index="$site/build/html/index.html"
# A page for every module, filter, role and guide of the checkout.
pages=(index.html)
for f in plugins/modules/*.py; do [ "$f" = plugins/modules/__init__.py ] || pages+=("$(basename "$f" .py)_module.html"); done
for f in plugins/filter/*.yml; do pages+=("$(basename "$f" .yml)_filter.html"); done
for f in roles/*/meta/argument_specs.yml; do pages+=("$(basename "$(dirname "$(dirname "$f")")")_role.html"); done
for f in docs/docsite/rst/*.rst; do pages+=("docsite/$(basename "$f" .rst).html"); done
for page in "${pages[@]}"; do
  [ -f "$site/build/html/collections/dito/chat/$page" ] || { echo "docs: the site has no $page" >&2; exit 1; }
done
echo "docs: ${#pages[@]} pages (modules, filters, roles, guides): $index"
if [ "$mode" = open ]; then
  python -c 'import sys, webbrowser; sys.exit(0 if webbrowser.open("file://" + sys.argv[1]) else 1)' "$index" 2>/dev/null \
    || echo "docs: no browser here; open $index"
fi
