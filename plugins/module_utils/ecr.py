# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon ECR API wrappers (retries, error handling) and the pure desired-vs-current comparison."""

import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.policy import compare_policies
from ansible_collections.amazon.aws.plugins.module_utils.tagging import ansible_dict_to_boto3_tag_list
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.dito.chat.plugins.module_utils import creates
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleECRError(AnsibleAWSError):
    pass


class ECRErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleECRError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["RepositoryNotFoundException", "LifecyclePolicyNotFoundException", "RepositoryPolicyNotFoundException"])


# ---------------------------------------------------------------------------------------------
# API wrappers: a missing repository or policy reads as None, anything else raises AnsibleECRError.


def _registry(registry_id):
    """The registryId parameter for another account's registry; none for the caller's own."""
    return {"registryId": str(registry_id)} if registry_id else {}


@ECRErrorHandler.list_error_handler("describe repository {name}")
@AWSRetry.jittered_backoff()
def describe_repository(client, name, registry_id=None):
    """The repository of this name, in the caller's registry or in another account's (registry_id)."""
    found = client.describe_repositories(repositoryNames=[name], **_registry(registry_id))["repositories"]
    return found[0] if found else None


@ECRErrorHandler.list_error_handler("get the lifecycle policy of repository {name}")
@AWSRetry.jittered_backoff()
def get_lifecycle_policy(client, name):
    return json.loads(client.get_lifecycle_policy(repositoryName=name)["lifecyclePolicyText"])


@ECRErrorHandler.list_error_handler("get the policy of repository {name}")
@AWSRetry.jittered_backoff()
def get_repository_policy(client, name):
    return json.loads(client.get_repository_policy(repositoryName=name)["policyText"])


@ECRErrorHandler.list_error_handler("list the tags of repository {arn}", default_value={})
@AWSRetry.jittered_backoff()
def list_tags(client, arn):
    return boto3_tag_list_to_ansible_dict(client.list_tags_for_resource(resourceArn=arn)["tags"])


@ECRErrorHandler.list_error_handler("describe image {image} in repository {name}")
@AWSRetry.jittered_backoff()
def describe_image(client, name, image, registry_id=None):
    """The image details of one tag or digest, or None when the image (or the repository) does not exist."""
    try:
        return client.describe_images(repositoryName=name, imageIds=[image_id(image)], **_registry(registry_id))["imageDetails"][0]
    except is_boto3_error_code("ImageNotFoundException"):
        return None


@ECRErrorHandler.common_error_handler("create repository {name}")
@AWSRetry.jittered_backoff()
def create_repository(client, name, desired):
    params = {
        "repositoryName": name,
        "imageTagMutability": desired["image_tag_mutability"],
        "imageScanningConfiguration": {"scanOnPush": desired["scan_on_push"]},
        "encryptionConfiguration": {"encryptionType": desired["encryption_type"]},
    }
    if desired.get("kms_key"):
        params["encryptionConfiguration"]["kmsKey"] = desired["kms_key"]
    if desired.get("tags"):
        params["tags"] = ansible_dict_to_boto3_tag_list(desired["tags"])
    # A resend after a lost response meets the repository the first attempt made: RepositoryAlreadyExistsException.
    return creates.created_or_existing(
        lambda: client.create_repository(**params)["repository"],
        ["RepositoryAlreadyExistsException"],
        lambda: client.describe_repositories(repositoryNames=[name])["repositories"][0],
    )


@ECRErrorHandler.common_error_handler("set the tag mutability of repository {name}")
@AWSRetry.jittered_backoff()
def put_image_tag_mutability(client, name, value):
    client.put_image_tag_mutability(repositoryName=name, imageTagMutability=value)


@ECRErrorHandler.common_error_handler("set the scan configuration of repository {name}")
@AWSRetry.jittered_backoff()
def put_image_scanning_configuration(client, name, scan_on_push):
    client.put_image_scanning_configuration(repositoryName=name, imageScanningConfiguration={"scanOnPush": scan_on_push})


@ECRErrorHandler.common_error_handler("put the lifecycle policy of repository {name}")
@AWSRetry.jittered_backoff()
def put_lifecycle_policy(client, name, policy):
    # PutLifecyclePolicy (like every ECR Put*) is idempotent: a resend sets the same policy again.
    client.put_lifecycle_policy(repositoryName=name, lifecyclePolicyText=json.dumps(policy, sort_keys=True))


@ECRErrorHandler.deletion_error_handler("delete the lifecycle policy of repository {name}")
@AWSRetry.jittered_backoff()
def delete_lifecycle_policy(client, name):
    client.delete_lifecycle_policy(repositoryName=name)
    return True


@ECRErrorHandler.common_error_handler("set the policy of repository {name}")
@AWSRetry.jittered_backoff()
def set_repository_policy(client, name, policy):
    client.set_repository_policy(repositoryName=name, policyText=json.dumps(policy, sort_keys=True))


@ECRErrorHandler.deletion_error_handler("delete the policy of repository {name}")
@AWSRetry.jittered_backoff()
def delete_repository_policy(client, name):
    client.delete_repository_policy(repositoryName=name)
    return True


@ECRErrorHandler.common_error_handler("tag repository {arn}")
@AWSRetry.jittered_backoff()
def tag_repository(client, arn, tags):
    client.tag_resource(resourceArn=arn, tags=ansible_dict_to_boto3_tag_list(tags))


@ECRErrorHandler.common_error_handler("untag repository {arn}")
@AWSRetry.jittered_backoff()
def untag_repository(client, arn, keys):
    client.untag_resource(resourceArn=arn, tagKeys=list(keys))


@ECRErrorHandler.deletion_error_handler("delete repository {name}")
@AWSRetry.jittered_backoff()
def delete_repository(client, name, force):
    client.delete_repository(repositoryName=name, force=force)
    return True


def read_repository(client, name):
    """Everything the module compares, or (None, None) when the repository does not exist."""
    repository = describe_repository(client, name)
    if repository is None:
        return None, None
    state = normalise_repository(
        repository,
        get_lifecycle_policy(client, name),
        get_repository_policy(client, name),
        list_tags(client, repository["repositoryArn"]),
    )
    return repository, state


def to_result(repository, state):
    """The module result: identifiers from ``repository`` (the AWS data) and the compared ``state``."""
    result = {"repository_name": repository["repositoryName"]}
    for key, aws_key in (("repository_arn", "repositoryArn"), ("repository_uri", "repositoryUri"), ("registry_id", "registryId")):
        if repository.get(aws_key):
            result[key] = repository[aws_key]
    result.update(state)
    if result.get("kms_key") is None:
        result.pop("kms_key", None)
    return result


# ---------------------------------------------------------------------------------------------
# Pure helpers: plain dicts in, plain dicts out, no AWS.


def is_digest(image):
    """Whether ``image`` names an image by digest (``sha256:...``) rather than by tag."""
    return image.startswith("sha256:")


def image_id(image):
    """The ECR ``imageId`` for a tag or a ``sha256:...`` digest."""
    return {"imageDigest": image} if is_digest(image) else {"imageTag": image}


def image_result(repository_uri, detail, image):
    """The module's ``image`` result from a DescribeImages ``imageDetails`` entry.

    ``uri`` is the reference a task definition should use: by tag when the image was asked for by tag,
    else by digest. ``uri_by_digest`` always pins the exact image.
    """
    digest = detail["imageDigest"]
    pushed_at = detail.get("imagePushedAt")
    by_digest = f"{repository_uri}@{digest}"
    return {
        "digest": digest,
        "tags": sorted(detail.get("imageTags") or []),
        "pushed_at": pushed_at.isoformat() if hasattr(pushed_at, "isoformat") else pushed_at,
        "uri_by_digest": by_digest,
        "uri": by_digest if is_digest(image) else f"{repository_uri}:{image}",
    }


def normalise_repository(repository, lifecycle_policy, policy, tags):
    """The state of a repository as this module compares it: one flat dict of plain values."""
    encryption = repository.get("encryptionConfiguration") or {}
    return {
        "image_tag_mutability": repository.get("imageTagMutability", "MUTABLE"),
        "scan_on_push": bool((repository.get("imageScanningConfiguration") or {}).get("scanOnPush", False)),
        "encryption_type": encryption.get("encryptionType", "AES256"),
        "kms_key": encryption.get("kmsKey"),
        "lifecycle_policy": lifecycle_policy,
        "policy": policy,
        "tags": tags or {},
    }


def kms_key_matches(current, desired):
    """Whether the key ECR reports (always a key ARN) is the key asked for.

    ``desired`` may be a key ARN, a key id or an alias. An alias cannot be resolved without a KMS call,
    so it is taken as matching: the module documents that a key ARN gives exact comparison.
    """
    if not desired:
        return True
    if not current:
        return False
    if desired.startswith("arn:") and ":key/" in desired:
        return current == desired
    if desired.startswith("alias/") or ":alias/" in desired:
        return True
    return current.endswith(f":key/{desired}")


def lifecycle_policies_differ(current, desired):
    """Lifecycle policies compare as data: key order and the JSON spelling do not matter."""

    def canonical(policy):
        rules = sorted((policy or {}).get("rules", []), key=lambda rule: rule.get("rulePriority", 0))
        return json.dumps(dict(policy or {}, rules=rules), sort_keys=True)

    return canonical(current) != canonical(desired)


def compare_repository(current, desired, purge_tags=True, purge_lifecycle_policy=False, purge_policy=False):
    """Work out what must change to bring ``current`` to ``desired``.

    ``current`` comes from normalise_repository(); in ``desired`` a value of None means "leave alone".
    Returns a dict with the keys that must change (and their new values) and, under ``conflicts``, the
    differences that AWS cannot apply to an existing repository.
    """
    changes = {}
    conflicts = []
    for key in ("image_tag_mutability", "scan_on_push"):
        if desired.get(key) is not None and desired[key] != current[key]:
            changes[key] = desired[key]
    if desired.get("encryption_type") and desired["encryption_type"] != current["encryption_type"]:
        conflicts.append(
            f"encryption_type is {current['encryption_type']} and cannot change to {desired['encryption_type']} "
            "on an existing repository (ECR sets encryption at creation only)"
        )
    elif desired.get("encryption_type") == "KMS" and not kms_key_matches(current["kms_key"], desired.get("kms_key")):
        conflicts.append(
            f"the repository is encrypted with {current['kms_key']} and cannot change to {desired['kms_key']} (ECR sets encryption at creation only)"
        )
    if desired.get("lifecycle_policy") is not None:
        if current["lifecycle_policy"] is None or lifecycle_policies_differ(current["lifecycle_policy"], desired["lifecycle_policy"]):
            changes["lifecycle_policy"] = desired["lifecycle_policy"]
    elif purge_lifecycle_policy and current["lifecycle_policy"] is not None:
        changes["lifecycle_policy"] = None
    if desired.get("policy") is not None:
        if current["policy"] is None or compare_policies(current["policy"], desired["policy"]):
            changes["policy"] = desired["policy"]
    elif purge_policy and current["policy"] is not None:
        changes["policy"] = None
    if desired.get("tags") is not None:
        tags_to_set, tags_to_unset = tagging.compare(current["tags"], desired["tags"], purge_tags)
        if tags_to_set:
            changes["tags_to_set"] = tags_to_set
        if tags_to_unset:
            changes["tags_to_unset"] = tags_to_unset
    if conflicts:
        changes["conflicts"] = conflicts
    return changes


def apply_changes(current, changes):
    """The state that ``changes`` produce from ``current`` (what check mode predicts)."""
    after = dict(current)
    for key in ("image_tag_mutability", "scan_on_push", "lifecycle_policy", "policy"):
        if key in changes:
            after[key] = changes[key]
    tags = dict(current["tags"])
    tags.update(changes.get("tags_to_set", {}))
    for key in changes.get("tags_to_unset", []):
        tags.pop(key, None)
    after["tags"] = tags
    return after
