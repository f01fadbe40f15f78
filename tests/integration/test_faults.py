"""Faults survived (the short version of `make faults`, tools/faults.py): with the emulator's fault layer on (20 % of
every service's requests throttled with its own error, 2 % answered 500/503, 5 % of the writes' responses lost after
the write was done), site.yml killed halfway, then run to the end and once more, leaves an account that holds exactly
what a clean converge holds (the shared stack's listing, by name and count); deploy.yml killed while it waits for
its deployment attaches to it on the re-run, and no second deployment of the revision is made."""

import re

import pytest

from tests.conftest import ROOT
from tests.integration import conftest
from tools import faults
from tools.listing import differences
from tools.listing import listing

# Seconds into site.yml at which the short version kills it: past the shared pieces, in the middle of the services.
KILL_AT = 45


def vpc_id():
    return re.search(r"site_vpc_id: (\S+)", (ROOT / "inventories/local/group_vars/all/emulator_network.yml").read_text())[1]


@pytest.fixture
def fault_layer(emulator_endpoint):
    """Turns the fault layer on (returns a function that turns it off and returns its counters), and off at the end."""
    faults.faults(emulator_endpoint, faults.DEFAULT_FAULTS)
    yield lambda: faults.stop(emulator_endpoint)
    faults.faults(emulator_endpoint, {})


# The listing of the clean converge, taken by the reader test below: readers run before the changers (conftest), so it
# holds what site.yml alone made, not what test_deploy's deployments added.
_CLEAN = {}


def test_a_clean_converge_holds_one_resource_of_each_name(converged, emulator_endpoint):
    found = _CLEAN["listing"] = listing(emulator_endpoint, vpc_id())
    doubled = {kind: {name: n for name, n in names.items() if n != 1} for kind, names in found.items()}
    assert {kind: names for kind, names in doubled.items() if names} == {}
    assert found["load balancers"] and found["kms keys"] and found["task definition revisions"], found


def test_a_killed_run_under_faults_converges_to_the_clean_stack(converged_to_change, playbook, emulator_endpoint, request):
    """Rebuilds the shared stack through faults; once it holds what the clean converge held, the tests after it
    (the deploy kill below, test_site's teardown) take it as the shared stack."""
    # Run alone (-k), no changer ran before: the shared stack is still the clean converge.
    reference = _CLEAN.get("listing") or listing(emulator_endpoint, vpc_id())
    conftest.reset()
    off = request.getfixturevalue("fault_layer")

    killed = faults.playbook("site.yml", port=conftest.PORT, kill_after=KILL_AT)
    assert killed.killed and killed.rc != 0, killed
    run = playbook("site.yml")
    assert run.rc == 0 and run.total("failed") == 0, run
    again = playbook("site.yml")
    assert again.rc == 0 and again.total("changed") == 0, again
    counts = off()

    # The faults happened, the output said what was retried, without tracebacks.
    assert counts.get("throttle", 0) > 20 and counts.get("error", 0) > 0 and counts.get("lost", 0) > 0, counts
    assert faults.RETRY_MARKS.search(run.out + again.out), run
    assert "Traceback" not in run.out + again.out, run
    assert differences(reference, listing(emulator_endpoint, vpc_id())) == []
    conftest.converged_anew()


def test_deploy_yml_killed_while_waiting_attaches_to_its_deployment(converged_to_change, playbook, emulator_endpoint, client, request):
    """On the shared stack (the one the test above rebuilt through faults, or the one earlier changers left: a new tag
    is a new revision to deploy either way)."""
    codedeploy = client("codedeploy")
    group = {"applicationName": "dito-local-backend", "deploymentGroupName": "dito-local-backend"}
    before = set(codedeploy.list_deployments(**group)["deployments"])
    faults.push_image(emulator_endpoint, "backend", "faults-1")
    off = request.getfixturevalue("fault_layer")
    waiting = faults.deployment_in_progress(emulator_endpoint, "dito-local-backend", "dito-local-backend")
    killed = faults.playbook("deploy.yml", "-e", "service=backend", "-e", "image_tag=faults-1", port=conftest.PORT, kill_when=waiting, timeout=600)
    assert killed.killed, killed
    again = playbook("deploy.yml", "-e", "service=backend", "-e", "image_tag=faults-1")
    assert again.rc == 0 and again.total("failed") == 0, again
    counts = off()
    assert counts.get("throttle", 0) > 0, counts
    # One deployment for the revision: the re-run attached to the one the killed run started.
    [one] = set(codedeploy.list_deployments(**group)["deployments"]) - before
    info = codedeploy.get_deployment(deploymentId=one)["deploymentInfo"]
    assert info["status"] == "Succeeded", info
    service = client("ecs").describe_services(cluster="dito-local", services=["dito-local-backend"])["services"][0]
    image = client("ecs").describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]["containerDefinitions"][0]["image"]
    assert image.endswith("/dito/local/backend:faults-1"), image
