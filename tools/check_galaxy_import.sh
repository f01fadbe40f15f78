#!/usr/bin/env bash
# The tarball that `make build` makes passes galaxy-importer, the import step of Galaxy and Automation Hub, run offline
# with its ansible-test step off (that step needs a container engine): its metadata and file checks and ansible-doc of
# every plugin. Its ansible-lint run is off too: the ansible-lint stage of tools/test.sh runs the same ansible-lint
# (production profile, no rule skipped where the importer skips five) on the whole checkout, and the importer's run,
# a minute of CPU, times out at its fixed 180 s when it runs niced beside the integration tests. To run it as well:
# GALAXY_IMPORTER_RUN_ANSIBLE_LINT=true bash tools/check_galaxy_import.sh
# Every warning or error the importer prints fails the check, except the ones listed in `known` below, each with its
# reason. Then its result must document every module, filter and role of the checkout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# shellcheck source=tools/release_env.sh
. "$root/tools/release_env.sh"
release_env "$out/deps"
cd "$root"
ansible-galaxy collection build --force --output-path "$out" . >/dev/null
tarball=$(ls "$out"/dito-chat-*.tar.gz)
cat >"$out/galaxy-importer.cfg" <<EOF
[galaxy-importer]
run_ansible_test = False
run_ansible_doc = True
run_ansible_lint = False
offline_ansible_lint = True
check_changelog = True
ansible_local_tmp = $out/ansible-tmp
tmp_root_dir = $out
EOF
cd "$out"
GALAXY_IMPORTER_CONFIG="$out/galaxy-importer.cfg" python -m galaxy_importer.main "$tarball" >"$out/import.log" 2>&1 || {
  cat "$out/import.log" >&2; echo "check_galaxy_import: galaxy-importer failed" >&2; exit 1
}
# Known and accepted:
# - ansible-lint 26.10's offline list of supported ansible-core releases ends at 2.19 (the project's own .ansible-lint
#   adds 2.20 and 2.21, but the tarball carries no lint configuration): requires_ansible names 2.21, the release CI
#   tests, on purpose.
known='meta-runtime\[unsupported-version\]: .requires_ansible. key must refer to a currently supported version'
problems=$(grep -E '^(WARNING|ERROR|CRITICAL):' "$out/import.log" | grep -Ev "$known" || true)
if [ -n "$problems" ] || ! grep -q '^Importer processing completed successfully' "$out/import.log"; then
  grep -Ev '^Loading ' "$out/import.log" >&2
  echo "check_galaxy_import: galaxy-importer reported the problems above" >&2
  exit 1
fi
accepted=$(grep -E '^(WARNING|ERROR|CRITICAL):' "$out/import.log" | grep -Ec "$known" || true)
[ "$accepted" = 0 ] || echo "check_galaxy_import: $accepted known warning(s) accepted (see \`known\` in this script)"
python - "$out/importer_result.json" "$root" <<'PY'
import json
import pathlib
import sys

result = json.loads(pathlib.Path(sys.argv[1]).read_text())
root = pathlib.Path(sys.argv[2])
meta = result["metadata"]
problems = [f"galaxy.yml: {key} is empty" for key in ("repository", "documentation", "homepage", "issues", "tags", "license") if not meta.get(key)]
docs = {(c["content_type"], c["content_name"]): c for c in result["docs_blob"]["contents"]}
expected = [("module", p.stem) for p in sorted((root / "plugins/modules").glob("*.py")) if p.stem != "__init__"]
expected += [("filter", p.stem) for p in sorted((root / "plugins/filter").glob("*.yml"))]
expected += [("role", p.parent.parent.name) for p in sorted(root.glob("roles/*/meta/argument_specs.yml"))]
for key in expected:
    entry = docs.get(key)
    if entry is None:
        problems.append(f"{key[0]} {key[1]}: not in the import")
    elif key[0] == "role" and not entry.get("readme_file"):
        problems.append(f"role {key[1]}: no README in the import")
    elif key[0] != "role" and not (entry.get("doc_strings") or {}).get("doc"):
        problems.append(f"{key[0]} {key[1]}: ansible-doc gave the import no documentation")
if problems:
    sys.exit("check_galaxy_import: " + "; ".join(problems))
print(f"check_galaxy_import: {len(expected)} modules, filters and roles documented in the import of {meta['namespace']}.{meta['name']} {meta['version']}")
PY
