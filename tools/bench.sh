#!/usr/bin/env bash
# Benchmark of the local stack (speed targets live here, not in timed tests): on a fresh emulator of
# its own, the wall time of site.yml's first converge, a no-op re-run, and --check on the converged stack.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash tools/setup.sh >/dev/null
# shellcheck disable=SC1091
. .venv/bin/activate
export ANSIBLE_CONFIG="$root/ansible.cfg" PYTHONPATH="$root" DITO_EMULATOR_PORT=${DITO_BENCH_EMULATOR_PORT:-5197}
export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost
python -m tools.emulator start --no-inventory >/dev/null
trap 'python -m tools.emulator stop >/dev/null' EXIT
python -m tools.emulator reset --no-inventory >/dev/null

run() {  # run LABEL ARGS...: print the wall time and the recap's changed total
  local label=$1; shift
  local t0 out
  t0=$EPOCHREALTIME
  out=$(ansible-playbook playbooks/site.yml -i inventories/local "$@" 2>&1) || { echo "$out" | tail -20; exit 1; }
  python -c 'import re, sys; print(f"{sys.argv[1]:<28} {float(sys.argv[3]) - float(sys.argv[2]):6.1f} s   changed="
                                     f"{sum(map(int, re.findall(r"changed=(\d+)", sys.argv[4])))}")' \
    "$label" "$t0" "$EPOCHREALTIME" "$out"
}
echo "site.yml on the local emulator: $(ansible-inventory -i inventories/local --list | python -c 'import json,sys; print(len(json.load(sys.stdin)["_meta"]["hostvars"]))') hosts, forks $(grep -oP 'forks = \K[0-9]+' ansible.cfg)"
run "first converge"
run "no-op re-run"
run "--check on converged stack" --check
