#!/usr/bin/env bash
# Benchmark of the local stack (speed targets live here, not in timed tests): see tools/bench.py.
#   make bench                      3 rounds and the 10-services run (about 25 minutes on 2 cores)
#   bash tools/bench.sh --quick     one round, no 10-services run
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash tools/setup.sh >/dev/null
# shellcheck disable=SC1091
. .venv/bin/activate
export ANSIBLE_CONFIG="$root/ansible.cfg" PYTHONPATH="$root" ANSIBLE_NOCOLOR=1
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=eu-west-1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL
# The chart's matplotlib (requirements/bench.txt, pinned), into .venv, once; the benchmark runs without it otherwise.
python -c 'import matplotlib' 2>/dev/null || python -m uv pip install --quiet --python "$root/.venv/bin/python" -r requirements/bench.txt \
  || python -m pip install --quiet -r requirements/bench.txt || echo "bench: matplotlib not installed, no chart" >&2
# Nothing may reach a real endpoint once installed: a dead proxy for everything but loopback.
export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost
exec python -m tools.bench "$@"
