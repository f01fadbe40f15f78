"""dito.chat.ecr_repository against moto in-process: what ECR holds after each call."""

import json

import pytest

from ansible_collections.dito.chat.plugins.modules import ecr_repository

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


def present(**extra):
    return dict({"name": "dito/frontend", "lifecycle_policy": LIFECYCLE, "tags": {"project": "dito", "service": "frontend"}}, **extra)


def held(ecr, name="dito/frontend"):
    repo = ecr.describe_repositories(repositoryNames=[name])["repositories"][0]
    tags = {t["Key"]: t["Value"] for t in ecr.list_tags_for_resource(resourceArn=repo["repositoryArn"])["tags"]}
    return repo, tags


def test_create_uses_secure_defaults_and_everything_asked_for(ecr, run_module):
    result = run_module(ecr_repository.main, present())
    assert result["changed"] is True
    repo, tags = held(ecr)
    assert repo["imageTagMutability"] == "IMMUTABLE"
    assert repo["imageScanningConfiguration"] == {"scanOnPush": True}
    assert repo["encryptionConfiguration"]["encryptionType"] == "AES256"
    assert json.loads(ecr.get_lifecycle_policy(repositoryName="dito/frontend")["lifecyclePolicyText"]) == LIFECYCLE
    assert tags == {"project": "dito", "service": "frontend"}
    assert result["repository"]["repository_uri"] == repo["repositoryUri"]
    assert result["repository"]["lifecycle_policy"] == LIFECYCLE


def test_second_run_changes_nothing(ecr, run_module):
    run_module(ecr_repository.main, present(policy=PULL_POLICY))
    again = run_module(ecr_repository.main, present(policy=json.dumps(PULL_POLICY)))
    assert again["changed"] is False
    assert again["repository"]["policy"] == PULL_POLICY


def test_check_mode_on_an_empty_account_predicts_and_creates_nothing(ecr, run_module):
    result = run_module(ecr_repository.main, present(), check_mode=True, diff=True)
    assert result["changed"] is True
    assert result["repository"]["repository_name"] == "dito/frontend"
    assert result["diff"]["after"]["image_tag_mutability"] == "IMMUTABLE"
    assert ecr.describe_repositories()["repositories"] == []


def test_drift_is_corrected_only_where_it_differs(ecr, run_module):
    run_module(ecr_repository.main, present())
    repo = held(ecr)[0]
    ecr.put_image_tag_mutability(repositoryName="dito/frontend", imageTagMutability="MUTABLE")
    ecr.tag_resource(resourceArn=repo["repositoryArn"], tags=[{"Key": "stray", "Value": "x"}])

    predicted = run_module(ecr_repository.main, present(), check_mode=True, diff=True)
    assert predicted["changed"] is True
    assert predicted["diff"]["before"]["image_tag_mutability"] == "MUTABLE"
    assert predicted["diff"]["after"]["image_tag_mutability"] == "IMMUTABLE"
    assert held(ecr)[0]["imageTagMutability"] == "MUTABLE"

    fixed = run_module(ecr_repository.main, present())
    assert fixed["changed"] is True
    repo, tags = held(ecr)
    assert repo["imageTagMutability"] == "IMMUTABLE"
    assert "stray" not in tags
    assert run_module(ecr_repository.main, present())["changed"] is False


def test_policies_are_set_and_purged(ecr, run_module):
    run_module(ecr_repository.main, present(policy=PULL_POLICY))
    assert json.loads(ecr.get_repository_policy(repositoryName="dito/frontend")["policyText"]) == PULL_POLICY
    purged = run_module(ecr_repository.main, dict(present(purge_policy=True)))
    assert purged["changed"] is True
    with pytest.raises(ecr.exceptions.RepositoryPolicyNotFoundException):
        ecr.get_repository_policy(repositoryName="dito/frontend")
    args = present(purge_lifecycle_policy=True)
    del args["lifecycle_policy"]
    run_module(ecr_repository.main, args)
    with pytest.raises(ecr.exceptions.LifecyclePolicyNotFoundException):
        ecr.get_lifecycle_policy(repositoryName="dito/frontend")


def test_encryption_cannot_change_and_nothing_is_touched(ecr, run_module):
    run_module(ecr_repository.main, present())
    result = run_module(ecr_repository.main, present(encryption_type="KMS", image_tag_mutability="MUTABLE"))
    assert result["failed"] is True
    assert "encryption_type is AES256 and cannot change to KMS" in result["msg"]
    assert held(ecr)[0]["imageTagMutability"] == "IMMUTABLE"


def test_kms_key_without_kms_encryption_is_refused(ecr, run_module):
    result = run_module(ecr_repository.main, present(kms_key="alias/aws/ecr"))
    assert result["failed"] is True
    assert "kms_key is only valid with encryption_type=KMS" in result["msg"]
    assert ecr.describe_repositories()["repositories"] == []


def test_absent_deletes_and_is_idempotent(ecr, run_module):
    run_module(ecr_repository.main, present())
    assert run_module(ecr_repository.main, {"name": "dito/frontend", "state": "absent"}, check_mode=True)["changed"] is True
    assert len(ecr.describe_repositories()["repositories"]) == 1
    assert run_module(ecr_repository.main, {"name": "dito/frontend", "state": "absent"})["changed"] is True
    assert ecr.describe_repositories()["repositories"] == []
    assert run_module(ecr_repository.main, {"name": "dito/frontend", "state": "absent"})["changed"] is False


def test_a_given_policy_wins_over_purge_policy(ecr, run_module):
    # The role always passes purge_policy (false when it also passes a policy): no conflict.
    result = run_module(ecr_repository.main, present(policy=PULL_POLICY, purge_policy=False, purge_lifecycle_policy=True))
    assert result["changed"] is True
    assert json.loads(ecr.get_repository_policy(repositoryName="dito/frontend")["policyText"]) == PULL_POLICY
    assert json.loads(ecr.get_lifecycle_policy(repositoryName="dito/frontend")["lifecyclePolicyText"]) == LIFECYCLE


@pytest.mark.parametrize(("region", "partition"), [("eu-west-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")])
def test_bare_account_principals_are_root_arns_of_the_regions_partition(aws, monkeypatch, run_module, region, partition):
    """The ecr role passes pull accounts as bare ids; the module writes them as IAM stores them, in the partition of
    the region, so that the policy is right in China and GovCloud and a second run compares equal."""
    import boto3

    monkeypatch.setenv("AWS_REGION", region)
    bare = {"Version": "2012-10-17", "Statement": [dict(PULL_POLICY["Statement"][0], Principal={"AWS": ["111122223333", "210987654321"]})]}
    result = run_module(ecr_repository.main, present(policy=bare))
    held_policy = json.loads(boto3.client("ecr", region_name=region).get_repository_policy(repositoryName="dito/frontend")["policyText"])
    assert held_policy["Statement"][0]["Principal"] == {"AWS": [f"arn:{partition}:iam::111122223333:root", f"arn:{partition}:iam::210987654321:root"]}
    assert result["repository"]["policy"] == held_policy
    assert run_module(ecr_repository.main, present(policy=bare))["changed"] is False


def test_a_lost_create_response_is_recognised_on_the_resend(ecr, run_module, lost_response):
    """CreateRepository's resend answers RepositoryAlreadyExistsException: the module reads it back and carries on;
    PutLifecyclePolicy and SetRepositoryPolicy are puts (idempotent)."""
    doubled = lost_response("CreateRepository", "PutLifecyclePolicy", "SetRepositoryPolicy")
    created = run_module(ecr_repository.main, present(policy=PULL_POLICY))
    assert [c[1] for c in doubled] == ["CreateRepository", "PutLifecyclePolicy", "SetRepositoryPolicy"]
    assert created["changed"] is True and "failed" not in created
    repo, tags = held(ecr)
    assert created["repository"]["repository_arn"] == repo["repositoryArn"] and tags == {"project": "dito", "service": "frontend"}
    assert json.loads(ecr.get_lifecycle_policy(repositoryName="dito/frontend")["lifecyclePolicyText"]) == LIFECYCLE
    assert [r["repositoryName"] for r in ecr.describe_repositories()["repositories"]] == ["dito/frontend"]
