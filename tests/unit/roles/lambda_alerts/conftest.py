"""A scripted HTTP server on loopback that plays the webhooks and the AWS endpoints."""

import importlib.util
import json
import threading
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import pytest

from tests.conftest import ROOT


@pytest.fixture
def notifier(monkeypatch):
    """A fresh import of the Lambda function (its SSM cache empty)."""
    spec = importlib.util.spec_from_file_location("notifier", ROOT / "roles" / "lambda_alerts" / "files" / "notifier.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Server:
    """Answers each request with the next scripted (status, headers, body); records every request."""

    def __init__(self):
        self.requests = []
        self.script = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                key = self.headers.get("X-Amz-Target") or self.path
                server.requests.append({"path": self.path, "target": self.headers.get("X-Amz-Target"), "headers": dict(self.headers), "body": body})
                answers = server.script.get(key) or [(200, {}, b"ok")]
                status, headers, payload = answers.pop(0) if len(answers) > 1 else answers[0]
                if not isinstance(payload, bytes):
                    payload = json.dumps(payload).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def posts(self, path):
        return [json.loads(r["body"]) for r in self.requests if r["path"] == path]


@pytest.fixture
def server():
    s = Server()
    yield s
    s.httpd.shutdown()


@pytest.fixture
def lambda_env(monkeypatch, server):
    """The function's environment: webhook parameters in a fake SSM on the scripted server."""
    secret_paths = {"slack": "/hooks/slack/T000/B000/s3cr3t-slack", "google_chat": "/hooks/chat/s3cr3t-chat", "generic": "/hooks/generic/s3cr3t"}
    params = {f"/dito/test/alerts/{kind}": server.url + path for kind, path in secret_paths.items()}
    server.script["AmazonSSM.GetParameter"] = [(200, {}, {"Parameter": {"Name": n, "Type": "SecureString", "Value": v}}) for n, v in params.items()]
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    monkeypatch.setenv("MAX_BACKOFF", "0.05")
    monkeypatch.setenv("WEBHOOKS", json.dumps([{"kind": "slack", "parameter": "/dito/test/alerts/slack"}]))
    return {"paths": secret_paths, "params": params}
