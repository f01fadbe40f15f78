"""dito.chat.ecr_repository_info against moto in-process: it reads what dito.chat.ecr_repository wrote."""

import json

import pytest

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


MANIFEST = json.dumps(
    {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7023, "digest": "sha256:" + "c" * 64},
        "layers": [],
    }
)


def pushed(ecr, tag="v1.4.2"):
    """A repository holding one image tagged ``tag``; returns (repository URI, image digest)."""
    uri = ecr.create_repository(repositoryName="dito/backend")["repository"]["repositoryUri"]
    image = ecr.put_image(repositoryName="dito/backend", imageManifest=MANIFEST, imageTag=tag)["image"]
    ecr.put_image(repositoryName="dito/backend", imageManifest=MANIFEST, imageTag="latest")
    return uri, image["imageId"]["imageDigest"]


def test_image_by_tag_resolves_to_its_digest_and_tag_uri(ecr, run_module, api_calls):
    uri, digest = pushed(ecr)
    api_calls.clear()
    result = run_module(ecr_repository_info.main, {"names": ["dito/backend"], "image": "v1.4.2"}, check_mode=True)
    assert result["changed"] is False
    assert [r["repository_name"] for r in result["repositories"]] == ["dito/backend"]
    image = result["image"]
    assert image["digest"] == digest
    assert image["tags"] == ["latest", "v1.4.2"]
    assert image["uri"] == f"{uri}:v1.4.2"
    assert image["uri_by_digest"] == f"{uri}@{digest}"
    assert image["pushed_at"].startswith("20")
    # Two reads, nothing a deployer would need more permissions for (no policy, lifecycle or tag reads).
    assert [op for _service, op in api_calls] == ["DescribeRepositories", "DescribeImages"]


def test_image_by_digest_gives_the_digest_uri(ecr, run_module):
    uri, digest = pushed(ecr)
    image = run_module(ecr_repository_info.main, {"names": ["dito/backend"], "image": digest})["image"]
    assert (image["digest"], image["uri"], image["uri_by_digest"]) == (digest, f"{uri}@{digest}", f"{uri}@{digest}")
    assert image["tags"] == ["latest", "v1.4.2"]


@pytest.mark.parametrize("image", ["v9.9.9", "sha256:" + "b" * 64])
def test_an_image_not_pushed_fails_naming_it_and_the_repository(ecr, run_module, image):
    pushed(ecr)
    result = run_module(ecr_repository_info.main, {"names": ["dito/backend"], "image": image})
    assert result["failed"] is True
    assert result["msg"] == f"image {image} is not in repository dito/backend"
    assert "image" not in result


def test_an_image_in_a_missing_repository_fails(ecr, run_module):
    result = run_module(ecr_repository_info.main, {"names": ["dito/missing"], "image": "v1"})
    assert result["failed"] is True
    assert result["msg"] == "image v1 is not in repository dito/missing: the repository does not exist"


@pytest.mark.parametrize("names", [["dito/backend", "dito/frontend"], []])
def test_image_needs_exactly_one_repository_and_fails_before_any_call(ecr, run_module, api_calls, names):
    result = run_module(ecr_repository_info.main, {"names": names, "image": "v1"})
    assert result["failed"] is True
    assert result["msg"].startswith("image is allowed only with exactly one name in names")
    assert api_calls == []


@pytest.fixture
def api_params():
    """Each AWS call's parameters while the test runs, as (operation, params)."""
    from unittest import mock

    from botocore.client import BaseClient

    calls, original = [], BaseClient._make_api_call

    def recording(self, operation_name, params):
        calls.append((operation_name, params))
        return original(self, operation_name, params)

    with mock.patch.object(BaseClient, "_make_api_call", recording):
        yield calls


def test_an_image_of_another_accounts_registry_is_looked_up_there(ecr, run_module, api_params):
    """deploy.yml with a tooling account's registry (site_ecr_registry_account_id): both reads name that registry. moto
    keeps one registry per account, so the caller's own id stands for the tooling account's here."""
    uri, _digest = pushed(ecr)
    api_params.clear()
    result = run_module(ecr_repository_info.main, {"names": ["dito/backend"], "image": "v1.4.2", "registry_id": "123456789012"})
    assert result["image"]["uri"] == f"{uri}:v1.4.2" and uri.startswith("123456789012.dkr.ecr.")
    assert [(op, params.get("registryId")) for op, params in api_params] == [("DescribeRepositories", "123456789012"), ("DescribeImages", "123456789012")]

    other = run_module(ecr_repository_info.main, {"names": ["dito/backend"], "image": "v1.4.2", "registry_id": "444455556666"})
    assert other["failed"] is True
    assert other["msg"] == "image v1.4.2 is not in repository dito/backend of account 444455556666: the repository does not exist"


@pytest.mark.parametrize(
    "args, msg",
    [
        ({"names": ["dito/backend"], "registry_id": "444455556666"}, "registry_id is allowed only with image"),
        ({"names": ["dito/backend"], "image": "v1", "registry_id": "tooling"}, "registry_id must be an AWS account id"),
    ],
)
def test_registry_id_needs_an_image_and_an_account_id_before_any_call(ecr, run_module, api_calls, args, msg):
    result = run_module(ecr_repository_info.main, args)
    assert result["failed"] is True and result["msg"].startswith(msg), result
    assert api_calls == []
