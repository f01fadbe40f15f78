"""The retry report's classification of failed attempts and its one-line summary (pure, no AWS)."""

import pytest
from botocore.exceptions import ClientError
from botocore.exceptions import ConnectionClosedError
from botocore.exceptions import EndpointConnectionError
from botocore.exceptions import ParamValidationError
from botocore.exceptions import ReadTimeoutError

from ansible_collections.dito.chat.plugins.module_utils import retry_report


class Http:
    def __init__(self, status):
        self.status_code = status


def answer(status, code=None):
    return Http(status), ({"Error": {"Code": code}} if code else {})


@pytest.mark.parametrize(
    ("response", "exception", "said"),
    [
        (answer(400, "ThrottlingException"), None, "ThrottlingException"),
        (answer(400, "PriorRequestNotComplete"), None, "PriorRequestNotComplete"),
        (answer(503, "RequestLimitExceeded"), None, "RequestLimitExceeded"),
        (answer(500, "InternalFailure"), None, "InternalFailure"),
        (answer(502), None, "HTTP 502"),
        (None, ConnectionClosedError(endpoint_url="https://ecs"), "connection lost"),
        (None, ReadTimeoutError(endpoint_url="https://ecs"), "read timeout"),
        (None, EndpointConnectionError(endpoint_url="https://ecs"), "connection refused"),
        # Not cured by a retry: not reported.
        (answer(200), None, None),
        (answer(400, "InvalidParameterException"), None, None),
        (answer(404, "ServiceNotFound"), None, None),
        (None, ParamValidationError(report="bad"), None),
    ],
)
def test_transient_errors_are_named_and_the_rest_ignored(response, exception, said):
    assert retry_report.transient_error(response, exception) == said


def test_the_report_counts_by_service_operation_and_error_and_says_it_in_one_line():
    report = retry_report.RetryReport()
    assert report.entries() == [] and report.warning() is None

    class Operation:
        def __init__(self, service, name):
            self.name = name
            self.service_model = type("Model", (), {"service_name": service})()

    for service, operation, response, exception in (
        ("ecs", "RegisterTaskDefinition", None, ConnectionClosedError(endpoint_url="https://ecs")),
        ("ecs", "DescribeServices", answer(400, "ThrottlingException"), None),
        ("ecs", "DescribeServices", answer(400, "ThrottlingException"), None),
        ("ecs", "DescribeServices", answer(200), None),
    ):
        assert report._needs_retry(response=response, operation=Operation(service, operation), caught_exception=exception) is None
    assert report.entries() == [
        {"service": "ecs", "operation": "DescribeServices", "error": "ThrottlingException", "count": 2},
        {"service": "ecs", "operation": "RegisterTaskDefinition", "error": "connection lost", "count": 1},
    ]
    assert report.warning() == "Retried 3 AWS requests: ecs DescribeServices ThrottlingException x2, ecs RegisterTaskDefinition connection lost x1"


def test_client_errors_that_a_retry_cures():
    def error(code, status):
        return ClientError({"Error": {"Code": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, "RegisterTaskDefinition")

    assert retry_report.transient_client_error(error("ThrottlingException", 400))
    assert retry_report.transient_client_error(error("ServerException", 500))
    assert not retry_report.transient_client_error(error("ClientException", 400))
    assert retry_report.lost_connection(ConnectionClosedError(endpoint_url="https://ecs"))
    assert not retry_report.lost_connection(ValueError("no"))


@pytest.mark.parametrize(
    ("code", "retried"),
    [
        # Services' own throttling codes, which amazon.aws's AWSRetry alone does not retry.
        ("ThrottlingException", True),
        ("PriorRequestNotComplete", True),
        ("SlowDown", True),
        ("RequestThrottled", True),
        # amazon.aws's own list still holds.
        ("RequestLimitExceeded", True),
        ("Throttling", True),
        ("ServiceUnavailable", True),
        # A quota or a real error: no retry cures it.
        ("LimitExceededException", False),
        ("InvalidParameterException", False),
    ],
)
def test_the_collections_awsretry_retries_each_services_throttling(code, retried, monkeypatch):
    monkeypatch.setattr("time.sleep", lambda seconds: None)
    calls = []

    @retry_report.AWSRetry.jittered_backoff(retries=3, delay=0, max_delay=0)
    def call():
        calls.append(code)
        if len(calls) == 1:
            raise ClientError({"Error": {"Code": code, "Message": "m"}}, "Op")
        return "ok"

    if retried:
        assert call() == "ok" and len(calls) == 2
    else:
        with pytest.raises(ClientError):
            call()
        assert len(calls) == 1
