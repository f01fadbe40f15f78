#!/usr/bin/env bash
# Every test and check, from nothing: set-up, lint, the role READMEs' generated variable tables, the no-aws-CLI
# check, the collection build, sanity, the release checks (galaxy-importer, the documentation site, the execution
# environment), molecule scenarios and pytest (unit + integration against an emulator of the tests' own).
# Runs every stage even when one fails, then exits non-zero if any did.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1

bash tools/setup.sh || exit 2
# shellcheck disable=SC1091
. .venv/bin/activate
export ANSIBLE_CONFIG="$root/ansible.cfg" PYTHONPATH="$root" ANSIBLE_NOCOLOR=1 PY_COLORS=0 NO_COLOR=1
# Nothing may reach a real endpoint: fake credentials, a dead proxy for everything but loopback.
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=eu-west-1
export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL
# The tests' own emulator, apart from the one `make local` leaves running.
export DITO_EMULATOR_PORT=${DITO_TEST_EMULATOR_PORT:-5199} DITO_TEST_EMULATOR_PORT=${DITO_TEST_EMULATOR_PORT:-5199}
# Its request log, which tests/integration/test_iam_actions.py compares with the roles' README IAM action lists.
export DITO_EMULATOR_REQUEST_LOG="$root/.emulator/$DITO_EMULATOR_PORT.requests.jsonl"

passed=(); failed=()
stage() {  # stage NAME COMMAND...
  local name=$1; shift
  printf '\n=== %s: %s\n' "$name" "$*"
  local t0=$SECONDS
  if "$@"; then passed+=("$name"); printf '=== %s passed (%ss)\n' "$name" $((SECONDS - t0))
  else failed+=("$name"); printf '=== %s FAILED (%ss)\n' "$name" $((SECONDS - t0)); fi
}

# The order is set by the 2 cores: every part is CPU-bound (Ansible forks a Python process per task and host), and
# the integration tests are the longest chain (about 16 minutes alone, 1.5 cores on average). So they start first, at
# normal priority, on the tests' emulator; everything else runs beside them at a lower priority (nice 10) and takes
# the CPU they leave: the molecule scenarios (an emulator of their own, port +1), the unit tests (moto in-process), and
# the static checks in the foreground. Without the priorities, the longest chain got only its share of two oversubscribed
# cores while the others took their turn, and so finished last (with the filter speed-up of plugins/filter and the
# one-call check_build, this order took the clean-clone run from 43 to 24 minutes on the reference machine).
# The seeded network is the same in every emulator (tools/emulator/seed.py), so both share inventories/local's
# network file. The background parts' output is shown when they are done, the integration tests' last.
molecule_port=$((DITO_EMULATOR_PORT + 1)) empty_port=$((DITO_EMULATOR_PORT - 1))
python -m tools.emulator start --port "$DITO_EMULATOR_PORT" || failed+=("emulator")
DITO_EMULATOR_REQUEST_LOG='' python -m tools.emulator start --port "$molecule_port" || failed+=("emulator")
empty_log="$root/.emulator/$empty_port.requests.jsonl"
DITO_EMULATOR_REQUEST_LOG="$empty_log" python -m tools.emulator start --port "$empty_port" || failed+=("emulator")
stop_emulators() {
  local port
  for port in "$DITO_EMULATOR_PORT" "$molecule_port" "$empty_port"; do python -m tools.emulator stop --port "$port" >/dev/null; done
}
trap stop_emulators EXIT
logs=$(mktemp -d)
t_background=$SECONDS
launch() {  # launch NAME NICENESS COMMAND...: in the background, its output to $logs/NAME, its pid in $logs/NAME.pid
  local name=$1 niceness=$2; shift 2
  ( nice -n "$niceness" "$@" >"$logs/$name" 2>&1; rc=$?; echo "($name: done $((SECONDS - t_background))s after the tests started)" >>"$logs/$name"; exit $rc ) &
  echo $! >"$logs/$name.pid"
}
launch integration 0 env DITO_TEST_INTEGRATION_PART=stack python -m pytest tests/integration -q -p no:cacheprovider --durations=30
# The integration tests that need no converged stack (invalid input, --check on an empty account, the preflight: some
# 6 minutes) beside them, on an emulator of their own (port -1), at nice 5: ahead of the rest, behind the longest chain.
launch integration_empty 5 env DITO_TEST_INTEGRATION_PART=empty DITO_TEST_EMULATOR_PORT="$empty_port" DITO_EMULATOR_PORT="$empty_port" \
  DITO_EMULATOR_REQUEST_LOG="$empty_log" python -m pytest tests/integration -q -p no:cacheprovider --durations=10
launch molecule 10 env DITO_EMULATOR_PORT="$molecule_port" bash -c 'python -m tools.emulator reset >/dev/null && molecule test --all'
launch unit 10 python -m pytest tests/unit -q -p no:cacheprovider

stage ruff nice -n 10 bash -c 'ruff check . && ruff format --check .'
stage ansible-lint nice -n 10 ansible-lint --profile production
stage changelog nice -n 10 antsibull-changelog lint
stage role-docs nice -n 10 python -m tools.role_docs --check
stage no-aws-cli nice -n 10 python -m tools.lint_no_aws_cli
stage build nice -n 10 bash tools/check_build.sh
stage sanity nice -n 10 bash tools/sanity.sh
# The release checks, with the tools of .venv-release: galaxy-importer on the tarball, the documentation site (lint and
# build), the execution environment's build context (README: Release checks, Execution environment).
stage galaxy-import nice -n 10 bash tools/check_galaxy_import.sh
stage docs nice -n 10 bash tools/docs.sh check
stage ee nice -n 10 bash tools/check_ee.sh

background() {  # background NAME: wait for it, show its output, return its exit status
  wait "$(cat "$logs/$1.pid")"; local rc=$?; cat "$logs/$1"; return $rc
}
stage pytest-unit background unit
stage molecule background molecule
stage pytest-integration-empty background integration_empty
stage pytest-integration background integration
printf '\n=== test summaries\n'
summary() { grep -E '(passed|failed|error).* in [0-9.]+s' "$logs/$1" | tail -n 1 | sed "s/^/$1: /"; }
summary unit
grep -E '^[a-z0-9_]+ +: actions=' "$logs/molecule" | sed 's/^/molecule: /' || true
summary integration_empty
summary integration
grep -h -E '^\([a-z_]+: done ' "$logs/unit" "$logs/molecule" "$logs/integration_empty" "$logs/integration"
printf '\n=== passed: %s\n' "${passed[*]}"
[ ${#failed[@]} -eq 0 ] || printf '=== FAILED: %s\n' "${failed[*]}"
printf 'stages: %d passed, %d failed\n' "${#passed[@]}" "${#failed[@]}"
[ ${#failed[@]} -eq 0 ]
