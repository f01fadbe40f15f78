"""Command line of the local AWS emulator.

    python -m tools.emulator start    start moto on loopback (if not running), wait, seed the existing VPC
    python -m tools.emulator stop     stop it
    python -m tools.emulator reset    drop every resource, then seed again
    python -m tools.emulator status   say whether it answers
    python -m tools.emulator serve    run in the foreground (what `start` runs in the background)

The port comes from --port, else DITO_EMULATOR_PORT, else 5100. State (pid, log) is kept in
.emulator/ at the repository root, one pid file per port, so tests can run their own instance.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATE = ROOT / ".emulator"
DEFAULT_PORT = 5100
DEFAULT_REGION = "eu-west-1"
INVENTORY_FILE = ROOT / "inventories" / "local" / "group_vars" / "all" / "emulator_network.yml"


def endpoint(port):
    return f"http://127.0.0.1:{port}"


def answers(port, timeout=1.0):
    try:
        with urllib.request.urlopen(f"{endpoint(port)}/moto-api/", timeout=timeout) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def pid_file(port):
    return STATE / f"{port}.pid"


def read_pid(port):
    try:
        pid = int(pid_file(port).read_text().strip())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None


def start(port, region, seed_inventory, wait=60.0):
    STATE.mkdir(exist_ok=True)
    if read_pid(port) and answers(port):
        print(f"emulator: already running on {endpoint(port)} (pid {read_pid(port)})")
    else:
        if answers(port):
            sys.exit(f"emulator: something else answers on port {port}; choose another with --port or DITO_EMULATOR_PORT")
        log = open(STATE / f"{port}.log", "ab")  # noqa: SIM115 - handed to the child
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        child = subprocess.Popen(
            [sys.executable, "-m", "tools.emulator", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        pid_file(port).write_text(str(child.pid))
        deadline = time.monotonic() + wait
        while not answers(port):
            if child.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"emulator: did not start on port {port}; see {STATE / f'{port}.log'}")
            time.sleep(0.2)
        print(f"emulator: started on {endpoint(port)} (pid {child.pid}, log .emulator/{port}.log)")
    do_seed(port, region, seed_inventory)


def do_seed(port, region, seed_inventory):
    from tools.emulator import seed

    network = seed.seed(endpoint(port), region, INVENTORY_FILE if seed_inventory else None)
    print(
        f"emulator: existing VPC {network['vpc_id']} with subnets "
        f"public={','.join(network['public_subnet_ids'])} private={','.join(network['private_subnet_ids'])}"
    )


def stop(port):
    pid = read_pid(port)
    if pid is None:
        print(f"emulator: not running on port {port}")
        return
    os.kill(pid, signal.SIGTERM)
    for _attempt in range(50):
        if read_pid(port) is None:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
    pid_file(port).unlink(missing_ok=True)
    print(f"emulator: stopped (pid {pid})")


def reset(port, region, seed_inventory):
    if not answers(port):
        sys.exit(f"emulator: nothing answers on {endpoint(port)}; start it first")
    req = urllib.request.Request(f"{endpoint(port)}/moto-api/reset", data=b"", method="POST")
    urllib.request.urlopen(req, timeout=30).read()
    print("emulator: reset")
    do_seed(port, region, seed_inventory)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.emulator", description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("command", choices=["start", "stop", "reset", "status", "serve"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("DITO_EMULATOR_PORT", DEFAULT_PORT)))
    parser.add_argument(
        "--region", default=os.environ.get("DITO_EMULATOR_REGION", DEFAULT_REGION), help="region of the seeded VPC (the local inventory's region)"
    )
    parser.add_argument("--no-inventory", action="store_true", help="seed the VPC but do not write inventories/local/group_vars/all/emulator_network.yml")
    args = parser.parse_args(argv)
    seed_inventory = not args.no_inventory
    if args.command == "serve":
        from tools.emulator.server import serve

        serve(args.port)
    elif args.command == "start":
        start(args.port, args.region, seed_inventory)
    elif args.command == "stop":
        stop(args.port)
    elif args.command == "reset":
        reset(args.port, args.region, seed_inventory)
    else:
        up = answers(args.port)
        print(json.dumps({"endpoint": endpoint(args.port), "answers": up, "pid": read_pid(args.port)}))
        sys.exit(0 if up else 1)


if __name__ == "__main__":
    main()
