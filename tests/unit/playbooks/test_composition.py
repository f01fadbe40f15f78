"""composition.yml's derivations that are plain Jinja (the filters' own are tests/unit/plugins/filter/test_site.py)."""

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from tests.conftest import ROOT


def render(name, **variables):
    """A variable of composition.yml as a task sees it, for these variables."""
    loader = DataLoader()
    composition = loader.load_from_file(str(ROOT / "playbooks" / "vars" / "composition.yml"), trusted_as_template=True)
    return Templar(loader=loader, variables=dict(composition, **variables)).template(composition[name])


def test_the_shared_ecr_repositories_carry_no_environment_tag():
    """The environments of an account share <project>/<service>: an environment tag would flip with every run of
    another environment (and each run would report a change)."""
    tags = {"owner": "devops", "project": "dito", "environment": "staging", "service": "backend"}
    assert render("ecr_tags", site__service_tags=tags) == {"owner": "devops", "project": "dito", "service": "backend"}
