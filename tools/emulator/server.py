"""Run moto in server mode on loopback with the compatibility layer applied (foreground)."""

import json
import os
import signal
import threading


def serve(port, host="127.0.0.1"):
    """Serve until SIGTERM or SIGINT. Blocks."""
    from tools.emulator import faults

    try:  # a wrong fault config stops the server before moto loads
        fault_config = faults.load(os.environ.get(faults.ENVIRONMENT))
    except ValueError as e:
        raise SystemExit(f"emulator: {faults.ENVIRONMENT} is not a fault config: {e}") from e
    # AWS-managed IAM policies (AmazonECSTaskExecutionRolePolicy, AWSCodeDeployRoleForECS, ...)
    # exist in every real account; moto loads them only when asked, before it is imported.
    os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    # moto loads some 120 000 public AMIs into each EC2 region backend it creates (after every reset): the collection
    # runs Fargate only and never reads an AMI, so they are left out.
    os.environ.setdefault("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")

    from moto.core.config import default_user_config
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    from tools.emulator import patches

    # There is no Docker here: Lambda invocations use moto's echo backend.
    default_user_config["lambda"]["use_docker"] = False
    default_user_config["batch"]["use_docker"] = False
    applied = patches.apply_all()
    # Opt-in: one JSON line per request, by IAM action and calling role (tools/emulator/request_log.py).
    request_log_path = os.environ.get("DITO_EMULATOR_REQUEST_LOG")
    if request_log_path:
        from tools.emulator import request_log

        request_log.enable(request_log_path)
        print(f"emulator: logging requests to {request_log_path}", flush=True)

    # Opt-in: throttling, 5xx, latency and lost responses (tools/emulator/faults.py). Always in front of moto so that
    # POST /moto-api/dito/faults can turn faults on later; DITO_EMULATOR_FAULTS sets them from the start.
    fault_config = faults.enable(fault_config)
    if faults.FAULTS.active:
        print(f"emulator: faults on: {json.dumps(fault_config)}", flush=True)

    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    print(f"emulator: serving on http://{host}:{port} with {len(applied)} compatibility patches: {', '.join(applied)}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.stop()
