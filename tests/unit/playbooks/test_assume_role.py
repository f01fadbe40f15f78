"""The environment's role (site_aws_role_arn): every playbook assumes it once, in a play of all its hosts before its
first play that calls AWS, and composition.yml's site__aws_defaults then hands the session's credentials to every
AWS module. (tests/integration/test_preflight.py runs preflight.yml with a role against the emulator and reads which
key signed each call.)"""

import pytest
import yaml
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from tests.conftest import ROOT

PLAYBOOKS = ROOT / "playbooks"
# The emulator's stand-in keys, as inventories/local gives them.
LOCAL = {"site_aws_endpoint_url": "http://127.0.0.1:5100", "site_aws_access_key": "testing", "site_aws_secret_key": "testing"}
SESSION = {"sts_creds": {"access_key": "ASIAEXAMPLE", "secret_key": "secret", "session_token": "token", "expiration": "2026-12-01T12:00:00+00:00"}}


def aws_defaults(**inventory):
    """site__aws_defaults as a task of a play sees it, for these variables."""
    loader = DataLoader()
    composition = loader.load_from_file(str(PLAYBOOKS / "vars" / "composition.yml"), trusted_as_template=True)
    variables = dict(composition, site_region="eu-west-1", **inventory)
    return Templar(loader=loader, variables=variables).template(composition["site__aws_defaults"])


def test_without_a_role_the_inventory_or_the_credential_chain_decides():
    assert aws_defaults() == {"aws_region": "eu-west-1", "aws_config": {"user_agent_extra": "app/dito.chat"}}
    assert aws_defaults(site_aws_profile="dito-production")["profile"] == "dito-production"
    local = aws_defaults(**LOCAL)
    assert local["endpoint_url"] == "http://127.0.0.1:5100" and local["access_key"] == "testing" and "session_token" not in local


@pytest.mark.parametrize(
    "inventory",
    [{}, {"site_aws_profile": "dito-sso"}, LOCAL],
)
def test_once_assumed_the_session_makes_every_call(inventory):
    """The session's keys replace the inventory's keys and profile; the profile is set empty, so that an AWS_PROFILE
    of the shell (amazon.aws's fallback) does not come along beside the keys, which amazon.aws refuses."""
    found = aws_defaults(site__aws_role=SESSION, **inventory)
    assert {k: found[k] for k in ("access_key", "secret_key", "session_token", "profile")} == {
        "access_key": "ASIAEXAMPLE",
        "secret_key": "secret",
        "session_token": "token",
        "profile": "",
    }
    assert found.get("endpoint_url") == inventory.get("site_aws_endpoint_url")


def test_a_skipped_or_failed_assume_changes_nothing():
    assert "session_token" not in aws_defaults(site__aws_role={"skipped": True, "changed": False})
    assert "session_token" not in aws_defaults(site__aws_role={"failed": False, "msg": "AccessDenied"}, site_aws_profile="p")


def plays(name):
    """The plays of a playbook, with what it imports in place."""
    found = []
    for play in yaml.safe_load((PLAYBOOKS / name).read_text()):
        found += plays(play["ansible.builtin.import_playbook"]) if "ansible.builtin.import_playbook" in play else [play]
    return found


def assumes(task):
    return task.get("ansible.builtin.include_role", {}) == {"name": "dito.chat.site", "tasks_from": "assume_role"}


@pytest.mark.parametrize("name, playbook", [("site.yml", "site"), ("preflight.yml", "preflight"), ("deploy.yml", "deploy"), ("teardown.yml", "teardown")])
def test_every_playbook_assumes_the_role_before_its_first_aws_call(name, playbook):
    found = plays(name)
    calling = [n for n, play in enumerate(found) if "module_defaults" in play]
    first = found[calling[0]]
    # The first play that calls AWS assumes the role first, in a linear play (run_once: not under the free strategy)...
    assert assumes(first["tasks"][0]), first["name"]
    assert "strategy" not in first and first.get("any_errors_fatal") is True
    assert first["tasks"][0]["when"] == "site_aws_role_arn | default('') | length > 0"
    # ...of every host that a later play runs on, so that each one holds the registered session.
    later = {host for play in found[calling[0] :] for host in play["hosts"].split(":")}
    assert first["hosts"] == "all" or later == {first["hosts"]}, (first["hosts"], later)
    # No play before it calls AWS, and no later play assumes it again.
    assert not [play["name"] for play in found[calling[0] + 1 :] if any(assumes(t) for t in play.get("tasks", []))]
    # The session's name says the environment and the playbook: <project>-<environment>-<playbook>.
    session = first["tasks"][0]["vars"]["site_aws_role_session_name"]
    assert session.startswith("{{ site_project }}-{{ site_environment }}-")
    assert session.endswith(f"-{playbook}") or (session.endswith("{{ site__playbook | default('preflight') }}") and playbook in ("site", "preflight"))
    if playbook == "site":
        [imported] = [p for p in yaml.safe_load((PLAYBOOKS / name).read_text()) if "ansible.builtin.import_playbook" in p]
        assert imported["vars"] == {"site__playbook": "site"}
