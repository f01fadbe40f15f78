"""The emulator's opt-in fault layer: throttling, 5xx, latency and lost responses, as AWS gives them.

Not a compatibility patch (it changes answers on purpose): an instrument for tests that prove the collection comes
through what real AWS does under load (issue 18). Off by default. It sits in front of moto (a WSGI middleware around
moto's ``DomainDispatcherApplication``), so a throttled or failed request never reaches moto.

Turned on by the environment of ``python -m tools.emulator start`` (or ``serve``)::

    DITO_EMULATOR_FAULTS='{"seed": 7, "throttle": {"rate": 0.2}, "error": {"rate": 0.02}}'

or at any time by the emulator-only call ``POST /moto-api/dito/faults`` with the same JSON (``{}`` turns every fault
off). ``GET /moto-api/dito/faults`` answers ``{"config": ..., "counters": {"throttle": {"<service>": n}, "error":
{...}, "latency": {...}, "lost": {...}}}``. A POST replaces the whole config, restarts the random sequence from its
seed and zeroes the counters; ``POST /moto-api/reset`` keeps both (the faults are server configuration, like the
port: a reset between scenarios of a fault run must not turn them off).

The config (every key optional)::

    {"seed": 7,                                       # random.Random(seed): a sequential run is reproducible
     "throttle": {"rate": 0.2, "services": ["*"], "operations": ["*"]},
     "error": {"rate": 0.02, "services": ["*"]},      # 500 or 503, drawn at random
     "latency": {"ms": 100, "services": ["route53"]},  # every request of these services waits that long first
     "lost": {"rate": 0.05, "services": ["*"], "operations": ["CreateHostedZone"]}}

``services`` are SigV4 signing names (``ec2``, ``elasticloadbalancing``, ``monitoring`` for CloudWatch, ``logs``,
``route53``, ``s3``, ``lambda``, ...; ``*`` for all), and the counters are keyed by them too. ``operations`` are
API operation names (``*`` for all). Each request draws, in this order and only for the faults that apply to it:
throttle, error, lost. Only signed requests are faulted: moto's own ``/moto-api/`` calls never are, nor the
emulator's seed (``UNFAULTED_USER_AGENT``).

- throttle: the service's own throttling error in its own protocol (``THROTTLING``), e.g. EC2
  ``RequestLimitExceeded`` 503, Lambda ``TooManyRequestsException`` 429, S3 ``SlowDown`` 503, Route 53 ``Throttling``
  400 and ``PriorRequestNotComplete`` 400 for ChangeResourceRecordSets; every one is a code that botocore's retry
  handlers retry (botocore/retries/standard.py).
- error: ``InternalFailure`` 500 or ``ServiceUnavailable`` 503 (EC2 ``InternalError``/``Unavailable``, S3
  ``InternalError``/``ServiceUnavailable``, Lambda ``ServiceException``/``ServiceUnavailable``).
- latency: a sleep before the request is handled.
- lost: for writes only (``is_write``): moto handles the request fully (the resource is created or changed), then the
  connection is closed without a response, so the client sees a connection error (botocore ConnectionClosedError)
  and retries. An answer that is an error (4xx/5xx) is passed on, not lost: only accepted writes lose their answer.
  Needs werkzeug's server (``environ["werkzeug.socket"]``), which moto's ThreadedMotoServer is.

Each fault is counted, printed on the emulator's output (``emulator: fault throttle ec2 DescribeVpcs``; latency is
only counted), and, when the request log is on (``DITO_EMULATOR_REQUEST_LOG``, request_log.py), written on the
request's log line as ``"fault": "throttle" | "error" | "lost" | "latency"`` (a throttled or failed request, which
moto never sees, gets a line of its own).
"""

import contextlib
import io
import json
import random
import re
import socket
import threading
import time
import urllib.parse
import uuid

from tools.emulator import request_log

ENVIRONMENT = "DITO_EMULATOR_FAULTS"
# A User-Agent with this word is never faulted: the emulator's own seed (seed.py), which stands for what the account
# held before any run (a lost CreateVpc would otherwise seed two VPCs on `start` and `reset`).
UNFAULTED_USER_AGENT = "dito-emulator-seed"
ENDPOINT = "/moto-api/dito/faults"
KINDS = ("throttle", "error", "latency", "lost")

# Protocols the request does not name: REST services by signing name (the rest are told by the request itself:
# smithy-protocol header, x-amz-json content type, else EC2 or query).
REST_PROTOCOLS = {"lambda": "rest-json", "route53": "rest-xml", "s3": "rest-xml", "cloudfront": "rest-xml"}
JSON_SERVICES = {
    "ecs",
    "ecr",
    "logs",
    "kms",
    "ssm",
    "codebuild",
    "codedeploy",
    "codepipeline",
    "events",
    "servicediscovery",
    "application-autoscaling",
    "acm",
    "codestar-connections",
    "codeconnections",
    "sqs",
    "secretsmanager",
}

# Throttling answer (code, HTTP status) by signing name, where it is not the protocol's usual one: Throttling 400 for
# query and rest-xml services (their "Common Errors"), ThrottlingException 400 for JSON services (their API
# references' "Common Errors"; ECS, ECR, CloudWatch Logs, KMS, SSM, CodeBuild, CodeDeploy, CodePipeline, EventBridge,
# Application Auto Scaling, ACM, CodeStar Connections).
THROTTLING = {
    # EC2 API reference, "Error codes": RequestLimitExceeded ("Request throttling"), answered with 503.
    "ec2": ("RequestLimitExceeded", 503),
    # Lambda API reference: TooManyRequestsException, HTTP 429 (Reason CallerRateLimitExceeded, Retry-After).
    "lambda": ("TooManyRequestsException", 429),
    # S3 API reference, "Error codes": SlowDown, 503 ("Please reduce your request rate").
    "s3": ("SlowDown", 503),
    # Cloud Map API reference: RequestLimitExceeded, HTTP 429 ("you've reached the quota for the number of requests").
    "servicediscovery": ("RequestLimitExceeded", 429),
    # CodeConnections API reference: ThrottlingException, HTTP 429.
    "codeconnections": ("ThrottlingException", 429),
    # SQS API reference: RequestThrottled ("The request was denied due to request throttling"), 400.
    "sqs": ("RequestThrottled", 400),
}
# Route 53 Developer Guide, "Throttling for Amazon Route 53 API requests": HTTP 400, Code Throttling, "Rate exceeded";
# a change to a zone while its previous change is still being processed: PriorRequestNotComplete, HTTP 400.
ROUTE53_PENDING_OPERATIONS = {"ChangeResourceRecordSets"}
# Services that moved from the query protocol to JSON/CBOR keep their query error codes through the
# x-amzn-query-error header (botocore: awsQueryCompatible); their query throttling code is Throttling / RequestThrottled.
QUERY_COMPATIBLE = {"monitoring": "Throttling", "sqs": "RequestThrottled"}
# 5xx answers: (code of the 500, code of the 503) by signing name, else InternalFailure / ServiceUnavailable (the
# "Common Errors" of every API reference).
SERVER_ERRORS = {
    "ec2": ("InternalError", "Unavailable"),  # EC2 API reference, "Server error codes"
    "s3": ("InternalError", "ServiceUnavailable"),  # S3 API reference, "Error codes"
    "lambda": ("ServiceException", "ServiceUnavailable"),  # Lambda: "The AWS Lambda service encountered an internal error."
}
XML_NAMESPACES = {"route53": "https://route53.amazonaws.com/doc/2013-04-01/", "cloudfront": "http://cloudfront.amazonaws.com/doc/2020-05-31/"}
# botocore service names of the REST services, for moto's router (the operation comes from the method and the path).
REST_MODELS = {"lambda": "lambda", "route53": "route53", "s3": "s3", "cloudfront": "cloudfront"}

# An operation whose name starts with one of these reads: its response is never lost (S3 GET and HEAD requests are
# its Get*/Head*/List* operations). Every other operation writes.
READ_PREFIXES = (
    "Describe",
    "List",
    "Get",
    "Head",
    "BatchGet",
    "Test",
    "Search",
    "Lookup",
    "Filter",
    "Discover",
    "Simulate",
    "Query",
    "Scan",
    "Select",
    "Validate",
    "Estimate",
    "Preview",
    "Check",
)

_CREDENTIAL = re.compile(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request")
_CBOR_PATH = re.compile(r"^/service/[^/]+/operation/([^/?]+)")
_ROUTERS = {}


def is_write(operation):
    """Whether the operation changes something (its lost response matters)."""
    return bool(operation) and not operation.startswith(READ_PREFIXES)


def parse(config):
    """The config, checked and completed with its defaults; ValueError names what is wrong."""
    if not isinstance(config, dict):
        raise ValueError("the fault config is a JSON object")
    unknown = sorted(set(config) - {"seed", *KINDS})
    if unknown:
        raise ValueError(f"unknown fault config keys: {', '.join(unknown)} (known: seed, {', '.join(KINDS)})")
    seed = config.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise ValueError("seed is an integer")
    parsed = {"seed": seed}
    for kind in KINDS:
        spec = config.get(kind)
        if spec is None:
            continue
        amount = "ms" if kind == "latency" else "rate"
        if not isinstance(spec, dict) or set(spec) - {amount, "services", "operations"}:
            raise ValueError(f"{kind} is an object with keys {amount}, services, operations")
        value = spec.get(amount, 0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (amount == "rate" and value > 1):
            raise ValueError(f"{kind}.{amount} is a number " + ("from 0 to 1" if amount == "rate" else ">= 0"))
        item = {amount: value}
        for key in ("services", "operations"):
            names = spec.get(key, ["*"])
            if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
                raise ValueError(f"{kind}.{key} is a list of names")
            item[key] = names
        parsed[kind] = item
    return parsed


class Faults:
    """The config, the random sequence and the counters; thread-safe (moto's server answers each request in a thread)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.configure({})

    def configure(self, config):
        parsed = parse(config)
        with self._lock:
            self.config = parsed
            self.random = random.Random(parsed["seed"])  # noqa: S311 - reproducible draws, not secrets
            self.counters = {kind: {} for kind in KINDS}
        return parsed

    @property
    def active(self):
        return any(kind in self.config for kind in KINDS)

    def snapshot(self):
        with self._lock:
            return {"config": json.loads(json.dumps(self.config)), "counters": json.loads(json.dumps(self.counters))}

    @staticmethod
    def _applies(spec, service, operation):
        services, operations = spec["services"], spec["operations"]
        return ("*" in services or service in services) and ("*" in operations or operation in operations)

    def plan(self, service, operation):
        """(latency in ms, "throttle" | "error" | "lost" | None, whether a 5xx is a 503) for one request."""
        with self._lock:
            latency = self.config.get("latency")
            delay = latency["ms"] if latency and self._applies(latency, service, operation) else 0
            fault, unavailable = None, False
            for kind in ("throttle", "error", "lost"):
                spec = self.config.get(kind)
                if spec is None or not self._applies(spec, service, operation) or (kind == "lost" and not is_write(operation)):
                    continue
                if self.random.random() < spec["rate"]:
                    fault = kind
                    if kind == "error":
                        unavailable = self.random.random() < 0.5
                    break
            return delay, fault, unavailable

    def count(self, kind, service):
        with self._lock:
            self.counters[kind][service] = self.counters[kind].get(service, 0) + 1


FAULTS = Faults()


def signing_name(environ):
    match = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION") or "")
    return match[1] if match else None


def protocol(service, environ):
    if environ.get("HTTP_SMITHY_PROTOCOL") == "rpc-v2-cbor":
        return "cbor"
    if (environ.get("CONTENT_TYPE") or "").startswith("application/x-amz-json"):
        return "json"
    if service in REST_PROTOCOLS:
        return REST_PROTOCOLS[service]
    if service == "ec2":
        return "ec2"
    return "json" if service in JSON_SERVICES else "query"


def _buffer_body(environ):
    """The request body, read once and put back for moto."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length <= 0:
        return b""
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def operation_name(service, environ, body):
    """The API operation, as the request names it (X-Amz-Target, the RPCv2 path, Action=) or its REST route."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return target.rsplit(".", 1)[-1]
    match = _CBOR_PATH.match(environ.get("PATH_INFO", ""))
    if match and environ.get("HTTP_SMITHY_PROTOCOL"):
        return match[1]
    for source in (
        environ.get("QUERY_STRING", ""),
        body.decode("utf-8", "replace") if (environ.get("CONTENT_TYPE") or "").startswith("application/x-www-form-urlencoded") else "",
    ):
        action = urllib.parse.parse_qs(source).get("Action")
        if action:
            return action[0]
    model = REST_MODELS.get(service)
    if model is None:
        return None
    try:
        from moto.core.request import Request
        from moto.core.routing import get_service_router

        if model not in _ROUTERS:
            _ROUTERS[model] = get_service_router(model)
        return _ROUTERS[model].match(Request(dict(environ, **{"wsgi.input": io.BytesIO(body)})))[0].name
    except Exception:  # no route: moto answers the request as it can
        return None


def _cbor(mapping):
    """A CBOR map of text strings (RFC 8949), all an RPCv2 CBOR error body needs."""

    def head(major, length):
        if length < 24:
            return bytes([major << 5 | length])
        if length < 256:
            return bytes([major << 5 | 24, length])
        if length < 65536:
            return bytes([major << 5 | 25]) + length.to_bytes(2, "big")
        return bytes([major << 5 | 26]) + length.to_bytes(4, "big")

    out = head(5, len(mapping))
    for key, value in mapping.items():
        for text in (key, value):
            data = text.encode("utf-8")
            out += head(3, len(data)) + data
    return out


def _xml_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def error_answer(kind, service, operation, request_protocol, environ, unavailable=False):
    """(HTTP status line, headers, body) of a throttling ("throttle") or server ("error") error, as the service answers it."""
    if kind == "throttle":
        sender = True
        if service == "route53" and operation in ROUTE53_PENDING_OPERATIONS:
            code, status = "PriorRequestNotComplete", 400
            message = "The request was rejected because Route 53 was still processing a prior request."
        else:
            default = "ThrottlingException" if request_protocol in ("json", "cbor") else "Throttling"
            code, status = THROTTLING.get(service, (default, 400))
            message = "Please reduce your request rate." if service == "s3" else "Rate exceeded"
    else:
        sender = False
        codes = SERVER_ERRORS.get(service, ("InternalFailure", "ServiceUnavailable"))
        code, status = (codes[1], 503) if unavailable else (codes[0], 500)
        message = "Service is unavailable. Please try again." if unavailable else "We encountered an internal error. Please try again."
    request_id = str(uuid.uuid4())
    headers = [("x-amzn-RequestId", request_id)]
    fault_type = "Sender" if sender else "Receiver"
    if request_protocol in ("json", "cbor"):
        document = {"__type": code, "message": message}
        if service in QUERY_COMPATIBLE:
            query_code = QUERY_COMPATIBLE[service] if sender else code
            headers.append(("x-amzn-query-error", f"{query_code};{fault_type}"))
        if request_protocol == "cbor":
            headers += [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
            body = _cbor(document)
        else:
            headers.append(("Content-Type", environ.get("CONTENT_TYPE") or "application/x-amz-json-1.1"))
            body = json.dumps(document).encode()
    elif request_protocol == "rest-json":
        headers += [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)]
        document = {"Type": "User" if sender else "Service", "message": message}
        if code == "TooManyRequestsException":
            document["Reason"] = "CallerRateLimitExceeded"
            headers.append(("Retry-After", "1"))
        body = json.dumps(document).encode()
    else:
        headers.append(("Content-Type", "text/xml"))
        error = f"<Code>{code}</Code><Message>{_xml_escape(message)}</Message>"
        if request_protocol == "ec2":
            body = f'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>{error}</Error></Errors><RequestID>{request_id}</RequestID></Response>'
        elif service == "s3":
            headers.append(("x-amz-request-id", request_id))
            body = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error>{error}<RequestId>{request_id}</RequestId><HostId>dito-emulator</HostId></Error>'
        else:
            namespace = XML_NAMESPACES.get(service)
            xmlns = f' xmlns="{namespace}"' if namespace else ""
            body = (
                f'<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse{xmlns}><Error><Type>{fault_type}</Type>{error}</Error>'
                f"<RequestId>{request_id}</RequestId></ErrorResponse>"
            )
        body = body.encode()
    if environ.get("REQUEST_METHOD") == "HEAD":
        body = b""
    headers.append(("Content-Length", str(len(body))))
    reasons = {400: "Bad Request", 429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable"}
    return f"{status} {reasons[status]}", headers, body


def _note(kind, service, operation, environ):
    FAULTS.count(kind, service)
    environ[request_log.FAULT_KEY] = kind
    if kind != "latency":
        print(f"emulator: fault {kind} {service} {operation or '-'}", flush=True)


def _endpoint(environ, start_response):
    """GET / POST /moto-api/dito/faults."""
    method = environ.get("REQUEST_METHOD")
    status = "200 OK"
    if method == "POST":
        try:
            FAULTS.configure(json.loads(_buffer_body(environ) or b"{}"))
            answer = FAULTS.snapshot()
        except ValueError as e:
            status, answer = "400 Bad Request", {"message": str(e)}
    elif method == "GET":
        answer = FAULTS.snapshot()
    else:
        status, answer = "405 Method Not Allowed", {"message": "GET or POST"}
    body = json.dumps(answer).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def _lose(app, original, environ, start_response, service, operation):
    """Let moto answer, then close the connection without the answer when it accepted the write."""
    answer = {}
    environ[request_log.DEFERRED_KEY] = None

    def capture(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, headers
        return lambda data: None

    result = original(app, environ, capture)
    try:
        chunks = list(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    connection = environ.get("werkzeug.socket")
    lost = connection is not None and answer.get("status", "500").startswith(("2", "3"))
    if lost:
        _note("lost", service, operation, environ)
    deferred = environ.pop(request_log.DEFERRED_KEY, None)
    if deferred is not None:
        request_log.log_request(*deferred, environ.get(request_log.FAULT_KEY))
    if not lost:
        start_response(answer["status"], answer["headers"])
        return chunks
    with contextlib.suppress(OSError):
        connection.shutdown(socket.SHUT_RDWR)
    # werkzeug takes a ConnectionError from the application as a dropped connection and writes nothing.
    raise ConnectionAbortedError("dito emulator fault layer: response lost on purpose")


def middleware(original):
    """Wrap DomainDispatcherApplication.__call__ with the fault layer and its endpoint."""

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.rstrip("/") == ENDPOINT:
            return _endpoint(environ, start_response)
        if not FAULTS.active or path.startswith("/moto-api"):
            return original(self, environ, start_response)
        service = signing_name(environ)
        if service is None or UNFAULTED_USER_AGENT in (environ.get("HTTP_USER_AGENT") or ""):  # not the caller's API call
            return original(self, environ, start_response)
        body = _buffer_body(environ)
        operation = operation_name(service, environ, body)
        delay, fault, unavailable = FAULTS.plan(service, operation)
        if delay:
            _note("latency", service, operation, environ)
            time.sleep(delay / 1000)
        if fault in ("throttle", "error"):
            _note(fault, service, operation, environ)
            request_log.log_request({"Authorization": environ.get("HTTP_AUTHORIZATION"), "User-Agent": environ.get("HTTP_USER_AGENT")}, operation, fault)
            status, headers, answer = error_answer(fault, service, operation, protocol(service, environ), environ, unavailable)
            start_response(status, headers)
            return [answer]
        if fault == "lost":
            return _lose(self, original, environ, start_response, service, operation)
        return original(self, environ, start_response)

    __call__.original = original
    return __call__


def load(text):
    """The config of a JSON text (DITO_EMULATOR_FAULTS; empty or None: no fault), checked; ValueError if wrong."""
    return parse(json.loads(text) if text and text.strip() else {})


def enable(config=None):
    """Put the fault layer in front of moto's server app (its endpoint always answers) with this config (dict or JSON)."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    FAULTS.configure(load(config) if isinstance(config, str) or config is None else config)
    if not hasattr(DomainDispatcherApplication.__call__, "original"):
        DomainDispatcherApplication.__call__ = middleware(DomainDispatcherApplication.__call__)
    return FAULTS.config


def disable():
    """Take the layer away (undo enable()) and forget its config."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original = getattr(DomainDispatcherApplication.__call__, "original", None)
    if original is not None:
        DomainDispatcherApplication.__call__ = original
    FAULTS.configure({})
