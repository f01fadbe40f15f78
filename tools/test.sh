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

python -m tools.emulator start --port "$DITO_EMULATOR_PORT" || failed+=("emulator")
trap 'python -m tools.emulator stop --port "$DITO_EMULATOR_PORT" >/dev/null' EXIT
# The unit tests (moto in-process, no emulator) run on the second core while molecule drives the emulator: each
# keeps about one core busy. Their output is shown as a stage of its own once molecule is done.
unit_log=$(mktemp)
t_unit=$SECONDS
python -m pytest tests/unit -q -p no:cacheprovider >"$unit_log" 2>&1 &
unit_pid=$!
stage molecule bash -c 'python -m tools.emulator reset >/dev/null && molecule test --all'
unit_stage() { wait "$unit_pid"; local rc=$?; cat "$unit_log"; echo "(unit tests ran beside molecule, $((SECONDS - t_unit))s from their start)"; return $rc; }
stage pytest-unit unit_stage
# The integration tests last, in one process (each converge drives the one emulator), so that their closing line is
# the run's last test summary.
stage pytest-integration python -m pytest tests/integration -q -p no:cacheprovider

printf '\n=== passed: %s\n' "${passed[*]}"
[ ${#failed[@]} -eq 0 ] || printf '=== FAILED: %s\n' "${failed[*]}"
printf 'stages: %d passed, %d failed\n' "${#passed[@]}" "${#failed[@]}"
[ ${#failed[@]} -eq 0 ]
