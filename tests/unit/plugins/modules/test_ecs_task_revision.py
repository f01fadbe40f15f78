"""dito.chat.ecs_task_revision against moto in-process (with the emulator's compatibility layer)."""

import json

import boto3
import pytest

from ansible_collections.dito.chat.plugins.module_utils import ecs_task_definitions as task_definitions
from ansible_collections.dito.chat.plugins.modules import ecs_task_revision

FAMILY = "dito-backend"
IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/backend:abc123"

MINIMAL = {
    "family": FAMILY,
    "cpu": "256",
    "memory": "512",
    "network_mode": "awsvpc",
    "requires_compatibilities": ["FARGATE"],
    "container_definitions": [
        {
            "name": "backend",
            "image": IMAGE,
            "portMappings": [{"containerPort": 8080}],
            "environment": [{"name": "B", "value": "2"}, {"name": "A", "value": "1"}],
            "readonlyRootFilesystem": True,
        }
    ],
}

# The same definition with every default AWS adds spelled out, other orders, other units.
SPELLED_OUT = {
    "family": FAMILY,
    "cpu": ".25 vCPU",
    "memory": "0.5 GB",
    "network_mode": "awsvpc",
    "requires_compatibilities": ["FARGATE"],
    "container_definitions": [
        {
            "readonlyRootFilesystem": True,
            "essential": True,
            "cpu": 0,
            "image": IMAGE,
            "name": "backend",
            "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}],
            "environment": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
            "mountPoints": [],
            "volumesFrom": [],
            "secrets": [],
        }
    ],
    "volumes": [],
}


@pytest.fixture
def ecs(aws):
    return boto3.client("ecs", region_name="eu-west-1")


def revisions(ecs, status="ACTIVE"):
    return ecs.list_task_definitions(familyPrefix=FAMILY, status=status)["taskDefinitionArns"]


def test_defaults_spelled_out_or_omitted_give_one_revision(ecs, run_module):
    first = run_module(ecs_task_revision.main, MINIMAL)
    assert first["changed"] is True and first["registered"] is True
    assert first["task_definition"]["revision"] == 1
    second = run_module(ecs_task_revision.main, SPELLED_OUT)
    assert second["changed"] is False, second.get("differences")
    assert second["task_definition"]["revision"] == 1
    assert len(revisions(ecs)) == 1


def test_a_change_of_cpu_alone_registers_a_second_revision(ecs, run_module):
    run_module(ecs_task_revision.main, MINIMAL)
    result = run_module(ecs_task_revision.main, dict(MINIMAL, cpu="512", memory="1024"), diff=True)
    assert result["changed"] is True
    assert result["differences"] == ["cpu", "memory"]
    assert result["diff"] == {"before": {"cpu": "256", "memory": "512"}, "after": {"cpu": "512", "memory": "1024"}}
    assert result["task_definition"]["revision"] == 2
    assert ecs.describe_task_definition(taskDefinition=FAMILY)["taskDefinition"]["cpu"] == "512"


@pytest.mark.parametrize(
    "change",
    [
        {"execution_role_arn": "arn:aws:iam::123456789012:role/exec"},
        {"task_role_arn": "arn:aws:iam::123456789012:role/task"},
        {"runtime_platform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"}},
        {"ephemeral_storage": {"sizeInGiB": 30}},
        {"volumes": [{"name": "scratch"}]},
    ],
)
def test_every_task_level_field_is_compared(ecs, run_module, change):
    run_module(ecs_task_revision.main, MINIMAL)
    result = run_module(ecs_task_revision.main, dict(MINIMAL, **change))
    assert result["registered"] is True, change
    assert len(revisions(ecs)) == 2


def test_check_mode_predicts_and_registers_nothing(ecs, run_module):
    plan = run_module(ecs_task_revision.main, MINIMAL, check_mode=True)
    assert plan["changed"] is True and plan["exists"] is True
    assert plan["task_definition"]["revision"] == 1
    assert revisions(ecs) == []
    run_module(ecs_task_revision.main, MINIMAL)
    plan = run_module(ecs_task_revision.main, dict(MINIMAL, cpu="1024", memory="2048"), check_mode=True)
    assert plan["task_definition"]["revision"] == 2
    assert plan["task_definition"]["task_definition_arn"].endswith(f"task-definition/{FAMILY}:2")
    assert len(revisions(ecs)) == 1


def test_lookup_is_one_api_call_and_a_missing_family_is_not_an_error(ecs, run_module, api_calls):
    missing = run_module(ecs_task_revision.main, {"family": FAMILY})
    assert (missing["changed"], missing["exists"], missing["registered"], missing["deregistered"]) == (False, False, False, [])
    assert "task_definition" not in missing
    run_module(ecs_task_revision.main, MINIMAL)
    api_calls.clear()
    found = run_module(ecs_task_revision.main, {"family": FAMILY})
    assert api_calls == [("ecs", "DescribeTaskDefinition")]
    td = found["task_definition"]
    assert (td["revision"], td["status"], td["cpu"], td["memory"]) == (1, "ACTIVE", "256", "512")
    assert td["containers"] == [{"name": "backend", "image": IMAGE}]
    assert td["registered_at"]


def test_inactive_revisions_are_ignored(ecs, run_module):
    run_module(ecs_task_revision.main, MINIMAL)
    run_module(ecs_task_revision.main, dict(MINIMAL, cpu="512", memory="1024"))
    ecs.deregister_task_definition(taskDefinition=f"{FAMILY}:2")
    found = run_module(ecs_task_revision.main, {"family": FAMILY})
    assert found["task_definition"]["revision"] == 1
    # Registering what revision 1 holds changes nothing, though the INACTIVE revision 2 differs.
    assert run_module(ecs_task_revision.main, MINIMAL)["changed"] is False


def test_hundreds_of_revisions_are_not_described_one_by_one(ecs, run_module, api_calls):
    for n in range(300):
        ecs.register_task_definition(
            family=FAMILY,
            cpu="256",
            memory="512",
            networkMode="awsvpc",
            requiresCompatibilities=["FARGATE"],
            containerDefinitions=[{"name": "backend", "image": f"{IMAGE}-{n}"}],
        )
    api_calls.clear()
    result = run_module(
        ecs_task_revision.main, dict(MINIMAL, container_images={"backend": f"{IMAGE}-299"}, container_definitions=[{"name": "backend", "image": "x"}])
    )
    assert result["changed"] is False
    assert result["task_definition"]["revision"] == 300
    assert api_calls == [("ecs", "DescribeTaskDefinition")]


def test_container_images_replaces_the_image(ecs, run_module):
    run_module(ecs_task_revision.main, MINIMAL)
    result = run_module(ecs_task_revision.main, dict(MINIMAL, container_images={"backend": IMAGE + "-next"}))
    assert result["differences"] == ["containerDefinitions"]
    assert result["task_definition"]["containers"] == [{"name": "backend", "image": IMAGE + "-next"}]
    bad = run_module(ecs_task_revision.main, dict(MINIMAL, container_images={"web": "x"}))
    assert bad["failed"] is True and "container_images names web" in bad["msg"]


def test_keep_deployed_images_keeps_the_pipelines_image_and_still_applies_the_rest(ecs, run_module):
    first = run_module(ecs_task_revision.main, dict(MINIMAL, keep_deployed_images=True))
    assert first["task_definition"]["containers"] == [{"name": "backend", "image": IMAGE}]  # the first revision's image
    run_module(ecs_task_revision.main, dict(MINIMAL, container_images={"backend": IMAGE + "-deployed"}))  # the pipeline

    again = run_module(ecs_task_revision.main, dict(MINIMAL, keep_deployed_images=True))
    assert again["changed"] is False and again["task_definition"]["revision"] == 2
    resized = run_module(ecs_task_revision.main, dict(MINIMAL, keep_deployed_images=True, memory="1024"))
    assert resized["differences"] == ["memory"]
    assert resized["task_definition"]["containers"] == [{"name": "backend", "image": IMAGE + "-deployed"}]
    assert len(revisions(ecs)) == 3


def test_definition_file_in_the_application_repository(ecs, run_module, tmp_path):
    described = {
        "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/other:9",
        "family": "other",
        "revision": 9,
        "status": "ACTIVE",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "256",
        "memory": "512",
        "containerDefinitions": MINIMAL["container_definitions"],
    }
    path = tmp_path / "task-definition.json"
    path.write_text(json.dumps(described))
    first = run_module(ecs_task_revision.main, {"family": FAMILY, "definition_file": str(path)})
    assert first["registered"] is True and first["task_definition"]["family"] == FAMILY
    assert run_module(ecs_task_revision.main, MINIMAL)["changed"] is False
    path.write_text("{not json")
    broken = run_module(ecs_task_revision.main, {"family": FAMILY, "definition_file": str(path)})
    assert broken["failed"] is True and "definition_file" in broken["msg"]


def test_tags_change_in_place_without_a_new_revision(ecs, run_module):
    run_module(ecs_task_revision.main, dict(MINIMAL, tags={"service": "backend"}))
    result = run_module(ecs_task_revision.main, dict(MINIMAL, tags={"service": "backend", "team": "chat"}))
    assert result["changed"] is True and result["registered"] is False
    arn = ecs.describe_task_definition(taskDefinition=FAMILY)["taskDefinition"]["taskDefinitionArn"]
    tags = {t["key"]: t["value"] for t in ecs.list_tags_for_resource(resourceArn=arn)["tags"]}
    assert tags == {"service": "backend", "team": "chat"}
    assert len(revisions(ecs)) == 1
    assert run_module(ecs_task_revision.main, dict(MINIMAL, tags={"service": "backend", "team": "chat"}))["changed"] is False


def test_keep_revisions_deregisters_the_oldest_of_this_family_only(ecs, run_module):
    ecs.register_task_definition(family=FAMILY + "-admin", containerDefinitions=[{"name": "a", "image": "a", "memory": 128}])
    for cpu in ("256", "512", "1024", "2048"):
        run_module(ecs_task_revision.main, dict(MINIMAL, cpu=cpu, memory="4096"))
    plan = run_module(ecs_task_revision.main, dict(MINIMAL, cpu="2048", memory="4096", keep_revisions=2), check_mode=True)
    assert [a.rsplit(":", 1)[1] for a in plan["deregistered"]] == ["2", "1"]
    assert len(revisions(ecs)) == 4
    done = run_module(ecs_task_revision.main, dict(MINIMAL, cpu="2048", memory="4096", keep_revisions=2))
    assert done["changed"] is True and len(done["deregistered"]) == 2
    assert sorted(a.rsplit(":", 1)[1] for a in revisions(ecs)) == ["3", "4"]
    assert len(ecs.list_task_definitions(familyPrefix=FAMILY + "-admin")["taskDefinitionArns"]) == 1


def test_absent_deregisters_every_active_revision(ecs, run_module):
    run_module(ecs_task_revision.main, MINIMAL)
    run_module(ecs_task_revision.main, dict(MINIMAL, cpu="512", memory="1024"))
    gone = run_module(ecs_task_revision.main, {"family": FAMILY, "state": "absent"})
    assert gone["changed"] is True and len(gone["deregistered"]) == 2
    assert revisions(ecs) == []
    assert run_module(ecs_task_revision.main, {"family": FAMILY, "state": "absent"})["changed"] is False


def test_container_images_alone_take_the_live_definition_with_only_the_image_changed(ecs, run_module):
    """The deploy path: the latest ACTIVE revision, image replaced, everything else as registered; the same image
    again reuses the revision."""
    run_module(ecs_task_revision.main, dict(MINIMAL, tags={"service": "backend"}))
    deploy = {"family": FAMILY, "container_images": {"backend": IMAGE + "-v2"}}
    first = run_module(ecs_task_revision.main, deploy)
    assert first["changed"] is True and first["differences"] == ["containerDefinitions"], first
    latest = ecs.describe_task_definition(taskDefinition=FAMILY)["taskDefinition"]
    assert latest["revision"] == 2 and latest["containerDefinitions"][0]["image"] == IMAGE + "-v2"
    assert latest["containerDefinitions"][0]["portMappings"][0]["containerPort"] == 8080
    assert {e["name"] for e in latest["containerDefinitions"][0]["environment"]} == {"A", "B"}
    assert (latest["cpu"], latest["memory"], latest["networkMode"]) == ("256", "512", "awsvpc")
    tags = ecs.list_tags_for_resource(resourceArn=latest["taskDefinitionArn"])["tags"]
    assert tags == [{"key": "service", "value": "backend"}]  # the live revision's, so site.yml has nothing to retag
    again = run_module(ecs_task_revision.main, deploy)
    assert again["changed"] is False and again["task_definition"]["revision"] == 2
    assert len(revisions(ecs)) == 2


def test_container_images_alone_need_a_revision_and_a_known_container(ecs, run_module):
    missing = run_module(ecs_task_revision.main, {"family": FAMILY, "container_images": {"backend": IMAGE}})
    assert missing["failed"] is True and "has no ACTIVE revision" in missing["msg"]
    run_module(ecs_task_revision.main, MINIMAL)
    bad = run_module(ecs_task_revision.main, {"family": FAMILY, "container_images": {"web": IMAGE}})
    assert bad["failed"] is True and "container_images names web" in bad["msg"]


# ---------------------------------------------------------------------------------------------------
# Faults: RegisterTaskDefinition is not idempotent. The faults fixture makes botocore meet them for real (standard
# retry mode, 10 attempts): a lost response reaches moto (the revision is registered) and the connection closes.


@pytest.fixture
def no_backoff(monkeypatch):
    slept = []
    monkeypatch.setattr(task_definitions, "sleep", slept.append)
    return slept


def test_a_lost_register_response_is_adopted_not_registered_again(ecs, run_module, faults, no_backoff):
    faults.lose_response("ecs", "RegisterTaskDefinition", times=1)
    result = run_module(ecs_task_revision.main, MINIMAL)
    assert faults.met == {("ecs", "RegisterTaskDefinition", "connection lost"): 1}
    assert result["changed"] is True and result["registered"] is True and "failed" not in result, result.get("msg")
    # botocore did not send it again: one revision, the one the lost attempt registered.
    assert len(revisions(ecs)) == 1 and result["task_definition"]["revision"] == 1
    assert result["retries"] == [{"service": "ecs", "operation": "RegisterTaskDefinition", "error": "connection lost", "count": 1}]
    assert run_module(ecs_task_revision.main, MINIMAL)["changed"] is False


def test_a_lost_response_of_a_new_content_adopts_the_new_revision(ecs, run_module, faults, no_backoff):
    run_module(ecs_task_revision.main, MINIMAL)
    faults.lose_response("ecs", "RegisterTaskDefinition", times=2)
    result = run_module(ecs_task_revision.main, dict(MINIMAL, cpu="512", memory="1024"))
    assert result["changed"] is True and "failed" not in result, result.get("msg")
    # Each lost attempt registered its revision: the first one was adopted, the module sent no second.
    assert faults.met == {("ecs", "RegisterTaskDefinition", "connection lost"): 1}
    assert len(revisions(ecs)) == 2 and result["task_definition"]["revision"] == 2 and result["task_definition"]["cpu"] == "512"


def test_a_lost_connection_before_ecs_saw_the_request_registers_again(ecs, run_module, monkeypatch, no_backoff):
    # The connection fails before the request reaches ECS: nothing new in the family, so the module registers again.
    from botocore.exceptions import EndpointConnectionError

    real = task_definitions._register
    calls = []

    def refused_once(client, family, request):
        calls.append(family)
        if len(calls) == 1:
            raise EndpointConnectionError(endpoint_url="https://ecs.eu-west-1.amazonaws.com")
        return real(client, family, request)

    monkeypatch.setattr(task_definitions, "_register", refused_once)
    result = run_module(ecs_task_revision.main, MINIMAL)
    assert result["changed"] is True and len(calls) == 2 and len(no_backoff) == 1
    assert len(revisions(ecs)) == 1 and result["task_definition"]["revision"] == 1


def test_a_throttled_register_is_retried_by_the_module_and_reported(ecs, run_module, faults, no_backoff, warning_lines):
    faults.throttle("ecs", "RegisterTaskDefinition", times=2)
    faults.throttle("ecs", "DescribeTaskDefinition", times=1)
    result = run_module(ecs_task_revision.main, MINIMAL)
    assert result["changed"] is True and "failed" not in result, result.get("msg")
    assert len(revisions(ecs)) == 1 and len(no_backoff) == 2
    assert result["retries"] == [
        {"service": "ecs", "operation": "DescribeTaskDefinition", "error": "ThrottlingException", "count": 1},
        {"service": "ecs", "operation": "RegisterTaskDefinition", "error": "ThrottlingException", "count": 2},
    ]
    assert "Retried 3 AWS requests: ecs DescribeTaskDefinition ThrottlingException x1, ecs RegisterTaskDefinition ThrottlingException x2" in warning_lines(
        result
    )


def test_a_register_refused_for_good_fails_after_one_attempt(ecs, run_module, faults, no_backoff):
    faults.throttle("ecs", "RegisterTaskDefinition", times=1, code="ClientException")
    result = run_module(ecs_task_revision.main, MINIMAL)
    assert result["failed"] is True and "ClientException" in result["msg"] and no_backoff == []
    assert revisions(ecs) == []
