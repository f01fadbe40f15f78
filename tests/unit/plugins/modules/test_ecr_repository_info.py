"""dito.chat.ecr_repository_info against moto in-process: it reads what dito.chat.ecr_repository wrote."""

from ansible_collections.dito.chat.plugins.modules import ecr_repository
from ansible_collections.dito.chat.plugins.modules import ecr_repository_info
from tests.unit.plugins.modules.test_ecr_repository import PULL_POLICY
from tests.unit.plugins.modules.test_ecr_repository import present


def test_info_reads_back_what_the_module_wrote(ecr, run_module):
    written = run_module(ecr_repository.main, present(policy=PULL_POLICY))["repository"]
    read = run_module(ecr_repository_info.main, {"names": ["dito/missing", "dito/frontend"]})
    assert read["changed"] is False
    assert read["repositories"] == [written]


def test_no_repository_reads_as_an_empty_list(ecr, run_module):
    read = run_module(ecr_repository_info.main, {"names": ["dito/missing"]})
    assert (read["changed"], read["repositories"]) == (False, [])
