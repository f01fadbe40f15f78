#!/usr/bin/env bash
# Every test and check, from nothing: set-up, lint, the role READMEs' generated variable tables, the no-aws-CLI
# check, the collection build, sanity, molecule scenarios and pytest (unit + integration against an emulator of
# the tests' own).
# Runs every stage even when one fails, then exits non-zero if any did.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

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

stage ruff bash -c 'ruff check . && ruff format --check .'
stage ansible-lint ansible-lint --profile production
stage changelog antsibull-changelog lint
stage role-docs python -m tools.role_docs --check
stage no-aws-cli python -m tools.lint_no_aws_cli
stage build bash tools/check_build.sh
stage sanity bash tools/sanity.sh

# The tests: three processes at once on the 2 cores, each about one core busy - the unit tests (moto in-process, no
# emulator), the molecule scenarios (an emulator of their own, port +1) and the integration tests (the tests' emulator;
# in one process, as each converge drives that one emulator). The seeded network is the same in every emulator
# (tools/emulator/seed.py), so both share inventories/local's network file. Molecule's and the unit tests' output is
# shown once the integration tests are done; the integration tests' closing line is the run's last test summary.
molecule_port=$((DITO_EMULATOR_PORT + 1))
python -m tools.emulator start --port "$DITO_EMULATOR_PORT" || failed+=("emulator")
DITO_EMULATOR_REQUEST_LOG='' python -m tools.emulator start --port "$molecule_port" || failed+=("emulator")
trap 'python -m tools.emulator stop --port "$DITO_EMULATOR_PORT" >/dev/null; python -m tools.emulator stop --port "$molecule_port" >/dev/null' EXIT
logs=$(mktemp -d)
t_background=$SECONDS
python -m pytest tests/unit -q -p no:cacheprovider >"$logs/unit" 2>&1 &
unit_pid=$!
DITO_EMULATOR_PORT=$molecule_port bash -c 'python -m tools.emulator reset >/dev/null && molecule test --all' >"$logs/molecule" 2>&1 &
molecule_pid=$!
stage pytest-integration bash -c 'python -m pytest tests/integration -q -p no:cacheprovider --durations=30 2>&1 | tee "$0"; exit "${PIPESTATUS[0]}"' "$logs/integration"
background() {  # background NAME PID: its output, then its exit status
  wait "$2"; local rc=$?; cat "$logs/$1"
  echo "($1 ran beside the integration tests: done $((SECONDS - t_background))s after they all started)"; return $rc
}
stage molecule background molecule "$molecule_pid"
stage pytest-unit background unit "$unit_pid"
printf '\n=== test summaries\n'
tail -n 1 "$logs/unit" | sed 's/^/unit: /'
grep -E '^[a-z_]+ +: actions=' "$logs/molecule" | sed 's/^/molecule: /' || true
tail -n 1 "$logs/integration" | sed 's/^/integration: /'
printf '\n=== passed: %s\n' "${passed[*]}"
[ ${#failed[@]} -eq 0 ] || printf '=== FAILED: %s\n' "${failed[*]}"
printf 'stages: %d passed, %d failed\n' "${#passed[@]}" "${#failed[@]}"
[ ${#failed[@]} -eq 0 ]
