"""tools/emulator/faults.py: the emulator's opt-in fault layer, through a real server and boto3 clients."""

import json
import os
import socket
import subprocess
import sys
import time
import types
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import botocore.config
import botocore.exceptions
import pytest
from botocore.retries import standard

from tools.emulator import faults
from tools.emulator import request_log

ROOT = Path(__file__).resolve().parents[4]
REGION = "eu-west-1"
NO_RETRIES = botocore.config.Config(retries={"total_max_attempts": 1})
# No proxy for loopback, whatever the environment says.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint():
    """A moto server with the fault layer in front, on a free loopback port; faults off."""
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    with pytest.MonkeyPatch.context() as env:
        for var in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
            env.delenv(var, raising=False)
        env.setenv("AWS_ACCESS_KEY_ID", "testing")
        env.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        faults.enable()
        port = free_port()
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        server.start()
        yield f"http://127.0.0.1:{port}"
        server.stop()
        faults.disable()


@pytest.fixture(autouse=True)
def faults_off_after(request):
    yield
    if "endpoint" in request.fixturenames:
        configure(request.getfixturevalue("endpoint"), {})


def call(url, method="GET", document=None):
    """(HTTP status, JSON answer) of an emulator-only call."""
    data = None if document is None else json.dumps(document).encode()
    try:
        with DIRECT.open(urllib.request.Request(url, data=data, method=method), timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def configure(endpoint, config):
    status, answer = call(f"{endpoint}{faults.ENDPOINT}", "POST", config)
    assert status == 200, answer
    return answer


def counters(endpoint):
    return call(f"{endpoint}{faults.ENDPOINT}")[1]["counters"]


def client(endpoint, service, config=NO_RETRIES, region=REGION):
    return boto3.client(service, region_name=region, endpoint_url=endpoint, config=config)


def error_of(operation):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        operation()
    response = raised.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response


def retry_context(response):
    status = response["ResponseMetadata"]["HTTPStatusCode"]
    return standard.RetryContext(attempt_number=1, parsed_response=response, http_response=types.SimpleNamespace(status_code=status))


# One service of each protocol: EC2, query (ELBv2, STS), JSON (ECS), RPCv2 CBOR (CodeBuild; CloudWatch, query-compatible),
# rest-json (Lambda), rest-xml (Route 53, S3, CloudFront); Cloud Map answers its own RequestLimitExceeded; then every
# other service of the README's table.
THROTTLED = [
    ("ec2", lambda c: c.describe_vpcs(), "RequestLimitExceeded", 503),
    ("elbv2", lambda c: c.describe_load_balancers(), "Throttling", 400),
    ("sts", lambda c: c.get_caller_identity(), "Throttling", 400),
    ("ecs", lambda c: c.list_clusters(), "ThrottlingException", 400),
    ("codebuild", lambda c: c.list_projects(), "ThrottlingException", 400),
    ("cloudwatch", lambda c: c.describe_alarms(), "Throttling", 400),
    ("servicediscovery", lambda c: c.list_namespaces(), "RequestLimitExceeded", 429),
    ("lambda", lambda c: c.list_functions(), "TooManyRequestsException", 429),
    ("route53", lambda c: c.list_hosted_zones(), "Throttling", 400),
    (
        "route53",
        lambda c: c.change_resource_record_sets(
            HostedZoneId="Z0000000000000000000",
            ChangeBatch={
                "Changes": [
                    {"Action": "UPSERT", "ResourceRecordSet": {"Name": "a.dito.local", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "10.0.0.1"}]}}
                ]
            },
        ),
        "PriorRequestNotComplete",
        400,
    ),
    ("s3", lambda c: c.list_buckets(), "SlowDown", 503),
    ("cloudfront", lambda c: c.list_distributions(), "Throttling", 400),
    # The rest of the README's table.
    ("iam", lambda c: c.list_roles(), "Throttling", 400),
    ("elasticache", lambda c: c.describe_replication_groups(), "Throttling", 400),
    ("sns", lambda c: c.list_topics(), "Throttling", 400),
    ("ecr", lambda c: c.describe_repositories(), "ThrottlingException", 400),
    ("logs", lambda c: c.describe_log_groups(), "ThrottlingException", 400),
    ("kms", lambda c: c.list_keys(), "ThrottlingException", 400),
    ("ssm", lambda c: c.describe_parameters(), "ThrottlingException", 400),
    ("events", lambda c: c.list_rules(), "ThrottlingException", 400),
    ("application-autoscaling", lambda c: c.describe_scalable_targets(ServiceNamespace="ecs"), "ThrottlingException", 400),
    ("acm", lambda c: c.list_certificates(), "ThrottlingException", 400),
    ("codedeploy", lambda c: c.list_applications(), "ThrottlingException", 400),
    ("codepipeline", lambda c: c.list_pipelines(), "ThrottlingException", 400),
    ("codestar-connections", lambda c: c.list_connections(), "ThrottlingException", 400),
    ("codeconnections", lambda c: c.list_connections(), "ThrottlingException", 429),
    ("sqs", lambda c: c.list_queues(), "RequestThrottled", 400),
]


@pytest.mark.parametrize(("service", "operation", "code", "status"), THROTTLED, ids=[f"{t[0]}-{t[2]}" for t in THROTTLED])
def test_throttling_answers_each_services_own_error_which_botocore_retries(endpoint, service, operation, code, status):
    configure(endpoint, {"throttle": {"rate": 1.0}})
    got_code, got_status, response = error_of(lambda: operation(client(endpoint, service)))
    assert (got_code, got_status) == (code, status)
    assert standard.ThrottledRetryableChecker().is_retryable(retry_context(response))


def test_lambda_throttling_carries_its_reason_and_retry_after(endpoint):
    configure(endpoint, {"throttle": {"rate": 1.0, "services": ["lambda"]}})
    response = error_of(client(endpoint, "lambda").list_functions)[2]
    assert response["Reason"] == "CallerRateLimitExceeded"
    assert response["ResponseMetadata"]["HTTPHeaders"]["retry-after"] == "1"


def test_server_errors_are_500_internal_failure_or_503_service_unavailable(endpoint):
    configure(endpoint, {"seed": 3, "error": {"rate": 1.0}})
    ecs, ec2 = client(endpoint, "ecs"), client(endpoint, "ec2")
    answers = {error_of(ecs.list_clusters)[:2] for attempt in range(12)}
    assert answers == {("InternalFailure", 500), ("ServiceUnavailable", 503)}
    assert {error_of(ec2.describe_vpcs)[:2] for attempt in range(12)} == {("InternalError", 500), ("Unavailable", 503)}
    response = error_of(ecs.list_clusters)[2]
    assert standard.TransientRetryableChecker().is_retryable(retry_context(response))
    assert counters(endpoint)["error"] == {"ecs": 13, "ec2": 12}


def test_a_rate_of_zero_faults_nothing_and_only_chosen_services_are_faulted(endpoint):
    configure(endpoint, {"throttle": {"rate": 0.0}, "error": {"rate": 1.0, "services": ["ecs"]}})
    for _attempt in range(5):
        client(endpoint, "sts").get_caller_identity()
    assert error_of(client(endpoint, "ecs").list_clusters)[0] in {"InternalFailure", "ServiceUnavailable"}
    assert counters(endpoint) == {"throttle": {}, "error": {"ecs": 1}, "latency": {}, "lost": {}}


def test_operations_narrow_a_fault(endpoint):
    configure(endpoint, {"throttle": {"rate": 1.0, "services": ["ecs"], "operations": ["ListClusters"]}})
    ecs = client(endpoint, "ecs")
    assert ecs.list_task_definitions()["taskDefinitionArns"] == []
    assert error_of(ecs.list_clusters)[0] == "ThrottlingException"


def test_a_seed_makes_a_sequential_run_reproducible(endpoint):
    def run():
        configure(endpoint, {"seed": 7, "throttle": {"rate": 0.5}})
        sts = client(endpoint, "sts")
        outcomes = []
        for _attempt in range(24):
            try:
                sts.get_caller_identity()
                outcomes.append("ok")
            except botocore.exceptions.ClientError as e:
                outcomes.append(e.response["Error"]["Code"])
        return outcomes

    first = run()
    assert first == run()
    assert set(first) == {"ok", "Throttling"}
    configure(endpoint, {"seed": 8, "throttle": {"rate": 0.5}})
    assert counters(endpoint)["throttle"] == {}  # a new config zeroes the counters


def test_latency_delays_only_the_chosen_services(endpoint):
    configure(endpoint, {"latency": {"ms": 400, "services": ["route53"]}})
    route53, sts = client(endpoint, "route53"), client(endpoint, "sts")
    sts.get_caller_identity()  # clients warm
    started = time.monotonic()
    route53.list_hosted_zones()
    assert time.monotonic() - started >= 0.4
    sts.get_caller_identity()  # not delayed: the counters name route53 alone (a wall-clock bound would be flaky)
    assert counters(endpoint)["latency"] == {"route53": 1}


def test_a_lost_response_leaves_the_write_done_and_the_client_with_a_connection_error(endpoint):
    configure(endpoint, {"lost": {"rate": 1.0, "services": ["logs", "ec2"], "operations": ["*"]}})
    logs = client(endpoint, "logs")
    with pytest.raises(botocore.exceptions.ConnectionClosedError):
        logs.create_log_group(logGroupName="/dito/lost")
    # Reads are never lost, and the group exists.
    assert [g["logGroupName"] for g in logs.describe_log_groups(logGroupNamePrefix="/dito/lost")["logGroups"]] == ["/dito/lost"]
    # A write that moto refuses keeps its answer: only accepted writes lose theirs.
    assert error_of(lambda: logs.create_log_group(logGroupName="/dito/lost"))[0] == "ResourceAlreadyExistsException"

    configure(endpoint, {"lost": {"rate": 1.0, "services": ["ec2"], "operations": ["CreateSecurityGroup"]}})
    ec2 = client(endpoint, "ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    with pytest.raises(botocore.exceptions.ConnectionClosedError):
        ec2.create_security_group(GroupName="dito-lost", Description="lost", VpcId=vpc)
    groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["dito-lost"]}])["SecurityGroups"]
    assert [(g["GroupName"], g["VpcId"]) for g in groups] == [("dito-lost", vpc)]
    assert counters(endpoint)["lost"] == {"ec2": 1}


def test_botocore_standard_retries_get_through_and_a_retried_create_meets_its_own_first_attempt(endpoint):
    retrying = botocore.config.Config(retries={"mode": "standard", "max_attempts": 10})
    configure(endpoint, {"seed": 5, "throttle": {"rate": 0.5, "services": ["ecs"]}, "error": {"rate": 0.2, "services": ["ecs"]}})
    ecs = client(endpoint, "ecs", retrying)
    names = [ecs.create_cluster(clusterName=f"dito-retry-{n}")["cluster"]["clusterName"] for n in range(4)]
    assert names == [f"dito-retry-{n}" for n in range(4)]
    seen = counters(endpoint)
    assert seen["throttle"].get("ecs", 0) + seen["error"].get("ecs", 0) > 0

    # What issue 18 is about: botocore sends a create again after its response was lost; the second answer is the
    # caller's to understand.
    configure(endpoint, {"lost": {"rate": 1.0, "services": ["logs"], "operations": ["CreateLogGroup"]}})
    code = error_of(lambda: client(endpoint, "logs", retrying).create_log_group(logGroupName="/dito/retried"))[0]
    assert code == "ResourceAlreadyExistsException"
    assert counters(endpoint)["lost"] == {"logs": 1}


def test_unsigned_moto_api_calls_are_never_faulted_and_a_reset_keeps_the_faults(endpoint):
    config = {"seed": 1, "throttle": {"rate": 1.0}, "error": {"rate": 1.0}, "latency": {"ms": 50}}
    configure(endpoint, config)
    # Neither throttled, failed nor delayed (the counters below would show it; a wall-clock bound would be flaky).
    assert call(f"{endpoint}/moto-api/reset", "POST")[0] == 200
    assert call(f"{endpoint}/moto-api/data.json")[0] == 200
    assert error_of(client(endpoint, "sts").get_caller_identity)[0] == "Throttling"
    assert call(f"{endpoint}/moto-api/reset", "POST")[0] == 200
    status, answer = call(f"{endpoint}{faults.ENDPOINT}")
    assert status == 200
    assert answer["config"]["throttle"] == {"rate": 1.0, "services": ["*"], "operations": ["*"]}
    assert answer["counters"] == {"throttle": {"sts": 1}, "error": {}, "latency": {"sts": 1}, "lost": {}}


def test_the_emulators_own_seed_is_never_faulted(endpoint):
    from tools.emulator import seed

    configure(endpoint, {"throttle": {"rate": 1.0}, "lost": {"rate": 1.0}})
    network = seed.seed(endpoint, REGION)
    vpcs = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint, config=seed.SEED_CLIENT_CONFIG).describe_vpcs(
        Filters=[{"Name": "tag:Name", "Values": [seed.VPC_NAME]}]
    )["Vpcs"]
    assert [v["VpcId"] for v in vpcs] == [network["vpc_id"]]
    assert counters(endpoint) == {"throttle": {}, "error": {}, "latency": {}, "lost": {}}


def test_an_empty_config_turns_every_fault_off_and_a_wrong_one_is_refused(endpoint):
    configure(endpoint, {"throttle": {"rate": 1.0}})
    assert configure(endpoint, {}) == {"config": {"seed": 0}, "counters": {"throttle": {}, "error": {}, "latency": {}, "lost": {}}}
    assert client(endpoint, "sts").get_caller_identity()["Account"] == "123456789012"
    for wrong in ({"throttle": {"rate": 2}}, {"throttel": {}}, {"latency": {"ms": -1}}, {"lost": {"rate": 0.1, "services": "ecs"}}, [1]):
        status, answer = call(f"{endpoint}{faults.ENDPOINT}", "POST", wrong)
        assert status == 400
        assert answer["message"]
    assert call(f"{endpoint}{faults.ENDPOINT}")[1]["config"] == {"seed": 0}


def test_the_request_log_says_which_fault_each_request_got(endpoint, tmp_path):
    log = tmp_path / "requests.jsonl"
    request_log.enable(str(log))
    try:
        configure(
            endpoint, {"throttle": {"rate": 1.0, "services": ["ecs"]}, "latency": {"ms": 1, "services": ["sts"]}, "lost": {"rate": 1.0, "services": ["logs"]}}
        )
        error_of(client(endpoint, "ecs").list_clusters)
        client(endpoint, "sts").get_caller_identity()
        with pytest.raises(botocore.exceptions.ConnectionClosedError):
            client(endpoint, "logs").create_log_group(logGroupName="/dito/logged")
        client(endpoint, "logs").describe_log_groups()
    finally:
        request_log.disable()
    logged = [(e["service"], e["operation"], e.get("fault")) for e in request_log.read(log)]
    assert logged == [
        ("ecs", "ListClusters", "throttle"),
        ("sts", "GetCallerIdentity", "latency"),
        ("logs", "CreateLogGroup", "lost"),
        ("logs", "DescribeLogGroups", None),
    ]


def test_writes_are_every_operation_but_reads():
    assert [op for op in ("CreateHostedZone", "RegisterTaskDefinition", "PutObject", "DeleteBucket", "UpdateService") if faults.is_write(op)] == [
        "CreateHostedZone",
        "RegisterTaskDefinition",
        "PutObject",
        "DeleteBucket",
        "UpdateService",
    ]
    assert not any(faults.is_write(op) for op in ("DescribeVpcs", "ListClusters", "GetObject", "HeadBucket", "BatchGetProjects", "TestDNSAnswer", None))


def test_serve_takes_the_faults_from_its_environment():
    port = free_port()
    config = {"seed": 2, "throttle": {"rate": 1.0, "services": ["sts"]}}
    env = dict(os.environ, PYTHONPATH=str(ROOT), DITO_EMULATOR_FAULTS=json.dumps(config))
    env.pop("DITO_EMULATOR_REQUEST_LOG", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "tools.emulator", "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = call(f"{endpoint}{faults.ENDPOINT}")[1]
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the emulator did not start"
                time.sleep(0.2)
        assert answer["config"] == {"seed": 2, "throttle": {"rate": 1.0, "services": ["sts"], "operations": ["*"]}}
        with pytest.MonkeyPatch.context() as patch:
            for var in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"):
                patch.delenv(var, raising=False)
            assert error_of(client(endpoint, "sts").get_caller_identity)[:2] == ("Throttling", 400)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert "emulator: faults on:" in output
    assert "emulator: fault throttle sts GetCallerIdentity" in output


def test_serve_refuses_a_wrong_fault_config():
    env = dict(os.environ, PYTHONPATH=str(ROOT), DITO_EMULATOR_FAULTS='{"throttle": {"rate": "often"}}')
    done = subprocess.run(
        [sys.executable, "-m", "tools.emulator", "serve", "--port", str(free_port())],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "DITO_EMULATOR_FAULTS is not a fault config: throttle.rate is a number from 0 to 1" in done.stderr
