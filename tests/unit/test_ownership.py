"""Each shared AWS thing has one owner: exactly one task file of the collection makes it (STYLE.md, "Between roles").

Two roles ensuring the same private zone "just in case" is how two zones of one name are born; the integration tests
check the outcome (one zone per name), this test the structure that guarantees it."""

import pytest
import yaml

from tests.conftest import ROOT

# The module that makes each shared resource, and the one task file allowed to call it with state present.
OWNERS = {
    "amazon.aws.route53_zone": "roles/platform/tasks/present.yml",
    "dito.chat.ecs_cluster": "roles/platform/tasks/present.yml",
    "dito.chat.cloudmap_namespace": "roles/platform/tasks/present.yml",
    # Account-wide: one configuration per account and region, which any second writer would replace.
    "dito.chat.ecr_registry_scanning": "roles/platform/tasks/present.yml",
}


def tasks(node):
    """Every task of a task file, blocks opened."""
    for task in node or []:
        if not isinstance(task, dict):
            continue
        for key in ("block", "rescue", "always"):
            yield from tasks(task.get(key))
        yield task


def makers():
    """(module, task file) for every task that calls a module with a state other than absent."""
    files = list((ROOT / "roles").glob("*/tasks/*.yml")) + list((ROOT / "playbooks").glob("*.yml"))
    for path in files:
        data = yaml.safe_load(path.read_text())
        plays = data if isinstance(data, list) else []
        nodes = [plays] + [p.get(k) for p in plays if isinstance(p, dict) for k in ("tasks", "pre_tasks", "post_tasks", "handlers")]
        for node in nodes:
            for task in tasks(node):
                for module in OWNERS:
                    if module in task and (task[module] or {}).get("state", "present") != "absent":
                        yield module, str(path.relative_to(ROOT))


@pytest.mark.parametrize("module", sorted(OWNERS))
def test_each_shared_resource_is_made_by_one_task_file(module):
    assert sorted({f for m, f in makers() if m == module}) == [OWNERS[module]]


def test_no_role_reads_another_roles_results_by_position():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in list((ROOT / "roles").rglob("*.yml")) + list((ROOT / "playbooks").rglob("*.yml"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "results[" in line
    ]
    assert offenders == []
