"""dito.chat.ecr_repository_info against moto in-process: it reads what dito.chat.ecr_repository wrote."""

import boto3
import pytest

from ansible_collections.dito.chat.plugins.modules import ecr_repository
from ansible_collections.dito.chat.plugins.modules import ecr_repository_info

LIFECYCLE = {
    "rules": [
        {
            "rulePriority": 1,
            "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 7},
            "action": {"type": "expire"},
        }
    ]
}
PULL_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "CrossAccountPull",
            "Effect": "Allow",
            "Principal": {"AWS": ["arn:aws:iam::210987654321:root"]},
            "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        }
    ],
}


@pytest.fixture
def ecr(aws):
    return boto3.client("ecr", region_name="eu-west-1")


def present(**extra):
    return dict({"name": "dito/frontend", "lifecycle_policy": LIFECYCLE, "tags": {"project": "dito", "service": "frontend"}}, **extra)


def test_info_reads_back_what_the_module_wrote(ecr, run_module):
    written = run_module(ecr_repository.main, present(policy=PULL_POLICY))["repository"]
    read = run_module(ecr_repository_info.main, {"names": ["dito/missing", "dito/frontend"]})
    assert read["changed"] is False
    assert read["repositories"] == [written]


def test_no_repository_reads_as_an_empty_list(ecr, run_module):
    read = run_module(ecr_repository_info.main, {"names": ["dito/missing"]})
    assert (read["changed"], read["repositories"]) == (False, [])
