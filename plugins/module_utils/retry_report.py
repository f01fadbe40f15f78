# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a module run retried, said once at its end: the collection's AnsibleAWSModule.

``AnsibleAWSModule`` here is amazon.aws's AnsibleAWSModule with three additions, so a module only changes the
import line:

- every client made with ``module.client()`` gets an observer on botocore's ``needs-retry`` event, which botocore
  emits after each attempt of a request. The observer returns None (it never changes botocore's decision) and
  counts the attempts that failed with a transient error: throttling, a 5xx answer, a lost or refused connection.
  Those are the attempts that botocore (AWS_RETRY_MODE / AWS_MAX_ATTEMPTS), an AWSRetry decorator or the module
  itself sent again.
- ``exit_json`` and ``fail_json`` add ``retries`` (a list of {service, operation, error, count}, sorted) to the
  result when something was retried, and one warning line such as
  "Retried 3 AWS requests: ecs DescribeServices ThrottlingException x2, ecs RegisterTaskDefinition connection lost x1".
- ``single_attempt_client()``: a client whose requests botocore sends once (no retry of its own), for a create
  that is not idempotent and that the module retries itself after looking at what the lost attempt did.

``AWSRetry`` here is amazon.aws's AWSRetry that also retries each service's own throttling and transient codes:
amazon.aws's list has EC2's and the query services' (RequestLimitExceeded, Throttling, ...) but not the
``ThrottlingException`` of ECS, CodeDeploy, CodeBuild, CodePipeline, Cloud Map, KMS, SSM and Logs, Route 53's
``PriorRequestNotComplete`` nor S3's ``SlowDown``. The collection's modules and module utilities import it from here.
``LimitExceededException`` stays out: most services answer it for a quota, which no retry cures.
"""

import collections

try:
    import botocore.config
    import botocore.exceptions
except ImportError:
    botocore = None  # AnsibleAWSModule reports a missing botocore

from ansible_collections.amazon.aws.plugins.module_utils import modules as aws_modules
from ansible_collections.amazon.aws.plugins.module_utils.botocore import get_aws_connection_info
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry as _AmazonAWSRetry

# The error codes botocore's standard retry mode treats as throttling or transient (botocore/retries/standard.py),
# with the names each service uses (Route 53 PriorRequestNotComplete, EC2 RequestLimitExceeded, S3 SlowDown).
THROTTLING_CODES = frozenset(
    (
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "RequestThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "TransactionInProgressException",
        "RequestLimitExceeded",
        "BandwidthLimitExceeded",
        "LimitExceededException",
        "RequestThrottled",
        "SlowDown",
        "PriorRequestNotComplete",
        "EC2ThrottledException",
    )
)
TRANSIENT_CODES = frozenset(("RequestTimeout", "RequestTimeoutException", "InternalFailure", "InternalError", "ServiceUnavailable", "Unavailable"))

# What the collection's AWSRetry decorators retry beyond amazon.aws's list (see the file's docstring).
AWS_RETRY_CODES = (THROTTLING_CODES - {"LimitExceededException"}) | TRANSIENT_CODES


class AWSRetry(_AmazonAWSRetry):
    """amazon.aws's AWSRetry (jittered_backoff, exponential_backoff, ...) that also retries AWS_RETRY_CODES."""

    @staticmethod
    def found(response_code, catch_extra_error_codes=None):
        return response_code in AWS_RETRY_CODES or _AmazonAWSRetry.found(response_code, catch_extra_error_codes)


# What the run's output calls a failed connection, by botocore exception (the first that matches).
CONNECTION_ERRORS = (
    ("ConnectionClosedError", "connection lost"),
    ("ReadTimeoutError", "read timeout"),
    ("ConnectTimeoutError", "connect timeout"),
    ("EndpointConnectionError", "connection refused"),
)

# The result key and the ``unique_id`` of the observer on each client's events.
RESULT_KEY = "retries"
HANDLER_ID = "dito-chat-retry-report"


def _connection_error(exception):
    """What a caught exception is called in the report, or None when it is not a failed connection."""
    if not isinstance(exception, (botocore.exceptions.ConnectionError, botocore.exceptions.HTTPClientError)):
        return None
    names = {cls.__name__ for cls in type(exception).__mro__}
    return next((said for name, said in CONNECTION_ERRORS if name in names), type(exception).__name__)


def transient_error(response=None, caught_exception=None):
    """What one failed attempt is called in the report ("ThrottlingException", "HTTP 503", "connection lost"),
    or None when the attempt succeeded or failed for a reason that a retry does not cure."""
    if caught_exception is not None:
        return _connection_error(caught_exception)
    if not response:
        return None
    http, parsed = response
    status = getattr(http, "status_code", None) or 0
    code = ((parsed or {}).get("Error") or {}).get("Code")
    if code in THROTTLING_CODES or code in TRANSIENT_CODES:
        return code
    if status >= 500:
        return code or f"HTTP {status}"
    return None


def transient_client_error(error):
    """Whether a ClientError is one a retry cures (throttling, a transient code, a 5xx answer)."""
    response = getattr(error, "response", None) or {}
    code = (response.get("Error") or {}).get("Code")
    status = (response.get("ResponseMetadata") or {}).get("HTTPStatusCode") or 0
    return code in THROTTLING_CODES or code in TRANSIENT_CODES or status >= 500


def lost_connection(error):
    """Whether an exception is a failed connection: the request may or may not have reached AWS."""
    return _connection_error(error) is not None


class RetryReport:
    """Counts the failed attempts of the clients it observes, by (service, operation, error)."""

    def __init__(self):
        self.counts = collections.Counter()

    def observe(self, client):
        """Register on ``client`` (a boto3 client) once; returns the client. Anything without botocore events
        (a stand-in of a unit test) is returned as it is."""
        events = getattr(getattr(client, "meta", None), "events", None)
        if events is not None:
            events.register("needs-retry", self._needs_retry, unique_id=HANDLER_ID)
        return client

    def _needs_retry(self, response=None, operation=None, caught_exception=None, **kwargs):
        error = transient_error(response, caught_exception)
        if error and operation is not None:
            self.counts[(operation.service_model.service_name, operation.name, error)] += 1
        # None: botocore's own handler decides whether to retry.

    def entries(self):
        return [{"service": s, "operation": o, "error": e, "count": n} for (s, o, e), n in sorted(self.counts.items())]

    def warning(self):
        entries = self.entries()
        if not entries:
            return None
        total = sum(e["count"] for e in entries)
        said = ", ".join(f"{e['service']} {e['operation']} {e['error']} x{e['count']}" for e in entries)
        return f"Retried {total} AWS request{'s' if total != 1 else ''}: {said}"


class AnsibleAWSModule(aws_modules.AnsibleAWSModule):
    """amazon.aws's AnsibleAWSModule that reports the AWS requests it retried (see the file's docstring)."""

    _retry_report = None

    def __init__(self, **kwargs):
        self._retry_report = RetryReport()
        super().__init__(**kwargs)

    def client(self, service, retry_decorator=None, **extra_params):
        conn = super().client(service, retry_decorator=retry_decorator, **extra_params)
        # module.client() returns amazon.aws's RetryingBotoClientWrapper around the boto3 client when given a decorator.
        self._retry_report.observe(getattr(conn, "client", conn))
        return conn

    def single_attempt_client(self, service, retry_decorator=None):
        """A client whose requests botocore sends once, whatever AWS_MAX_ATTEMPTS or the module's aws_config say,
        for a create that is not idempotent: a connection lost after the request was sent is the caller's to
        settle (look for what the lost attempt made before sending again)."""
        once = botocore.config.Config(retries={"total_max_attempts": 1})
        configured = get_aws_connection_info(self)[2].get("aws_config")
        return self.client(service, retry_decorator=retry_decorator, aws_config=configured.merge(once) if configured else once)

    def _with_retries(self, kwargs):
        report = self._retry_report
        if report is not None and report.counts and RESULT_KEY not in kwargs:
            kwargs[RESULT_KEY] = report.entries()
            self.warn(report.warning())
        return kwargs

    def exit_json(self, *args, **kwargs):
        super().exit_json(*args, **self._with_retries(kwargs))

    def fail_json(self, *args, **kwargs):
        super().fail_json(*args, **self._with_retries(kwargs))
