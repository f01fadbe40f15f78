"""The ecs_service role's image and execution policy (vars/main.yml) with the images in another account's registry
(ecs_service_repository_account_id, which site.yml sets from site_ecr_registry_account_id)."""

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from tests.conftest import ROOT

ROLE = ROOT / "roles" / "ecs_service"
LOG_GROUP_ARN = "arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/dito-production-backend:*"


def render(name, **variables):
    """A variable of the role's vars/main.yml as its tasks see it (defaults, then vars, then these)."""
    loader = DataLoader()
    defaults = loader.load_from_file(str(ROLE / "defaults" / "main.yml"), trusted_as_template=True)
    role_vars = loader.load_from_file(str(ROLE / "vars" / "main.yml"), trusted_as_template=True)
    given = {
        "ecs_service_name": "dito-production-backend",
        "ecs_service_repository": "dito/backend",
        "ecs_service__log": {"arn": LOG_GROUP_ARN},
        # (What the collection's filters and the env lookup give, which an in-process Templar does not load.)
        "ecs_service__dns_suffix": "amazonaws.com",
        "ecs_service__region_fallback": "eu-west-1",
        "ecs_service__partition_fallback": "aws",
        **variables,
    }
    return Templar(loader=loader, variables={**defaults, **role_vars, **given}).template(role_vars[name])


def pull_statement(**variables):
    [statement] = [s for s in render("ecs_service__execution_policy", **variables)["Statement"] if s["Sid"] == "PullOwnRepository"]
    return statement["Resource"]


def test_by_default_the_image_and_the_pull_are_of_the_services_own_account():
    assert render("ecs_service__image") == "111122223333.dkr.ecr.eu-west-1.amazonaws.com/dito/backend:latest"
    assert pull_statement() == ["arn:aws:ecr:eu-west-1:111122223333:repository/dito/backend"]


def test_a_registry_account_holds_the_first_image_and_is_the_only_one_pulled_from():
    tooling = {"ecs_service_repository_account_id": "999988887777"}
    assert render("ecs_service__image", **tooling) == "999988887777.dkr.ecr.eu-west-1.amazonaws.com/dito/backend:latest"
    assert pull_statement(**tooling) == ["arn:aws:ecr:eu-west-1:999988887777:repository/dito/backend"]
    # Logs and secrets stay the service's own account's.
    statements = render("ecs_service__execution_policy", **tooling)["Statement"]
    [logs] = [s for s in statements if s["Sid"] == "OwnLogs"]
    assert logs["Resource"] == ["arn:aws:logs:eu-west-1:111122223333:log-group:/ecs/dito-production-backend:log-stream:*"]


@pytest.mark.parametrize("image", ["public.ecr.aws/nginx/nginx:1.27"])
def test_a_full_image_reference_still_wins(image):
    assert render("ecs_service__image", ecs_service_image=image, ecs_service_repository_account_id="999988887777") == image
