"""Faults survived (the short version of `make faults`, tools/faults.py), and two environments side by side.

With the emulator's fault layer on (20 % of every service's requests throttled with its own error, 2 % answered
500/503, 5 % of the writes' responses lost after the write was done), site.yml builds a second environment, `faults`,
beside the shared stack (`local`: same account, region, VPC and public zone), killed halfway, then run to the end
(the re-run that reports changed=0 under the faults is `make faults`'): the account then holds exactly the shared
stack as it was, plus what a clean converge of `local` holds, by the second environment's names (nothing doubled,
nothing of `local` touched). test_site's teardown of `local`, the
destroyer after it, shows the second environment intact. deploy.yml killed while it waits for its deployment attaches
to it on the re-run, and no second deployment of the revision is made."""

import re

import pytest
import yaml

from tests.conftest import ROOT
from tests.integration import conftest
from tools import faults
from tools.listing import as_environment
from tools.listing import differences
from tools.listing import listing
from tools.listing import merged

# Seconds into site.yml at which the short version kills it: past the shared pieces, in the middle of the services.
KILL_AT = 45
# The second environment of the account, and its public front end's name (the public zone is shared).
SECOND = "faults"


def vpc_id():
    return re.search(r"site_vpc_id: (\S+)", (ROOT / "inventories/local/group_vars/all/emulator_network.yml").read_text())[1]


@pytest.fixture
def fault_layer(emulator_endpoint):
    """Turns the fault layer on (returns a function that turns it off and returns its counters), and off at the end."""
    faults.faults(emulator_endpoint, faults.DEFAULT_FAULTS)
    yield lambda: faults.stop(emulator_endpoint)
    faults.faults(emulator_endpoint, {})


def second_environment(inventory, environment):
    """The local inventory as a second environment of the same account: its own site_environment (every name the roles
    derive carries it), its own webhook parameter, and its own public name in the shared public zone."""
    settings_file = inventory / "group_vars" / "all" / "main.yml"
    settings = yaml.safe_load(settings_file.read_text())
    settings["site_environment"] = environment
    for hook in settings["lambda_alerts_webhooks"]:
        hook["parameter"] = hook["parameter"].replace("/local/", f"/{environment}/")
    settings_file.write_text(yaml.safe_dump(settings))
    hosts_file = inventory / "hosts.yml"
    hosts = yaml.safe_load(hosts_file.read_text())
    frontend = hosts["all"]["children"]["dito_services"]["hosts"]["frontend"]["site_service"]
    frontend["dns_name"] = f"{frontend.get('dns_name', 'chat')}-{environment}"
    hosts_file.write_text(yaml.safe_dump(hosts))
    return inventory


# The listing of the clean converge, taken by the reader test below: readers run before the changers (conftest), so it
# holds what site.yml alone made, not what test_deploy's deployments added.
_CLEAN = {}


def test_a_clean_converge_holds_one_resource_of_each_name(converged, emulator_endpoint):
    found = _CLEAN["listing"] = listing(emulator_endpoint, vpc_id())
    doubled = {kind: {name: n for name, n in names.items() if n != 1} for kind, names in found.items()}
    assert {kind: names for kind, names in doubled.items() if names} == {}
    assert found["load balancers"] and found["kms keys"] and found["task definition revisions"], found


def test_a_killed_run_under_faults_converges_beside_the_first_environment(converged_beside, playbook, emulator_endpoint, request, local_inventory):
    """After the changers of the shared stack (conftest: converged_beside), before its destroyer."""
    # Run alone (-k), no changer ran before: the shared stack is still the clean converge.
    clean = _CLEAN.get("listing") or listing(emulator_endpoint, vpc_id())
    before = listing(emulator_endpoint, vpc_id())
    inventory = second_environment(local_inventory, SECOND)
    off = request.getfixturevalue("fault_layer")

    killed = faults.playbook("site.yml", port=conftest.PORT, inventory=inventory, kill_after=KILL_AT)
    assert killed.killed and killed.rc != 0, killed
    run = playbook("site.yml", inventory=inventory)
    assert run.rc == 0 and run.total("failed") == 0, run
    # (The re-run under faults, changed=0, is make faults' at each of its four kill points: here it cost a whole run,
    # some 170 s of CPU, and make test's 30 minutes are CPU on two cores.)
    counts = off()

    # The faults happened, the output said what was retried, without tracebacks.
    assert counts.get("throttle", 0) > 20 and counts.get("error", 0) > 0 and counts.get("lost", 0) > 0, counts
    assert faults.RETRY_MARKS.search(run.out), run
    assert "Traceback" not in run.out, run
    # The first environment as it was, and the second one as a clean converge, once each.
    second = as_environment(clean, SECOND)
    assert differences(merged(before, second), listing(emulator_endpoint, vpc_id())) == []
    conftest.beside(SECOND, second)


def test_deploy_yml_killed_while_waiting_attaches_to_its_deployment(converged_to_change, playbook, emulator_endpoint, client, request):
    """On the shared stack as the changers before it left it (a new tag is a new revision to deploy either way)."""
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
