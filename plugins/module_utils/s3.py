# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Amazon S3 bucket wrappers (retries, error handling): a setting the bucket does not hold reads as None."""

import json

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils import creates
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

# What S3 answers for a bucket that does not exist (HeadBucket has no body: a bare 404) and for each
# bucket setting that was never set.
MISSING_BUCKET = ["404", "NoSuchBucket", "NotFound"]
MISSING_SETTING = [
    "NoSuchBucketPolicy",
    "ServerSideEncryptionConfigurationNotFoundError",
    "NoSuchPublicAccessBlockConfiguration",
    "OwnershipControlsNotFoundError",
    "NoSuchLifecycleConfiguration",
    "NoSuchTagSet",
    "NoSuchTagSetError",
]


class AnsibleS3Error(AnsibleAWSError):
    pass


class S3ErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleS3Error

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(MISSING_BUCKET + MISSING_SETTING)


# ---------------------------------------------------------------------------------------------
# Reads


@S3ErrorHandler.list_error_handler("find bucket {name}", default_value=False)
@AWSRetry.jittered_backoff()
def bucket_exists(client, name):
    """True when the bucket exists and is ours; False when there is none. A bucket of another account fails."""
    client.head_bucket(Bucket=name)
    return True


@S3ErrorHandler.list_error_handler("get the encryption of bucket {name}")
@AWSRetry.jittered_backoff()
def get_encryption(client, name):
    return client.get_bucket_encryption(Bucket=name).get("ServerSideEncryptionConfiguration")


@S3ErrorHandler.list_error_handler("get the public access block of bucket {name}")
@AWSRetry.jittered_backoff()
def get_public_access_block(client, name):
    return client.get_public_access_block(Bucket=name).get("PublicAccessBlockConfiguration")


@S3ErrorHandler.list_error_handler("get the ownership controls of bucket {name}")
@AWSRetry.jittered_backoff()
def get_ownership_controls(client, name):
    return client.get_bucket_ownership_controls(Bucket=name).get("OwnershipControls")


@S3ErrorHandler.list_error_handler("get the policy of bucket {name}")
@AWSRetry.jittered_backoff()
def get_policy(client, name):
    """The bucket policy as a dict, or None."""
    policy = client.get_bucket_policy(Bucket=name).get("Policy")
    return json.loads(policy) if policy else None


@S3ErrorHandler.list_error_handler("get the lifecycle rules of bucket {name}", default_value=[])
@AWSRetry.jittered_backoff()
def get_lifecycle_rules(client, name):
    return client.get_bucket_lifecycle_configuration(Bucket=name).get("Rules") or []


@S3ErrorHandler.list_error_handler("get the versioning of bucket {name}")
@AWSRetry.jittered_backoff()
def get_versioning(client, name):
    """C(Enabled), C(Suspended), or None for a bucket that never had versioning."""
    return client.get_bucket_versioning(Bucket=name).get("Status")


@S3ErrorHandler.list_error_handler("get the tags of bucket {name}", default_value={})
@AWSRetry.jittered_backoff()
def get_tags(client, name):
    return tag_set_to_dict(client.get_bucket_tagging(Bucket=name).get("TagSet"))


# ---------------------------------------------------------------------------------------------
# Writes


@S3ErrorHandler.common_error_handler("create bucket {name}")
@AWSRetry.jittered_backoff()
def create_bucket(client, name, region, object_ownership="BucketOwnerEnforced"):
    """A resend after a lost response meets the bucket the first attempt made: BucketAlreadyOwnedByYou (409)
    everywhere but us-east-1, where S3 answers 200 again (legacy compatibility): either way the bucket is ours."""
    config = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    creates.created_or_existing(
        lambda: client.create_bucket(Bucket=name, ObjectOwnership=object_ownership, **config), ["BucketAlreadyOwnedByYou"], lambda: None
    )


@S3ErrorHandler.common_error_handler("wait for bucket {name} to exist")
def wait_bucket_exists(client, name):
    client.get_waiter("bucket_exists").wait(Bucket=name)


@S3ErrorHandler.common_error_handler("set the ownership controls of bucket {name}")
@AWSRetry.jittered_backoff()
def put_ownership_controls(client, name, object_ownership):
    client.put_bucket_ownership_controls(Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": object_ownership}]})


@S3ErrorHandler.common_error_handler("set the public access block of bucket {name}")
@AWSRetry.jittered_backoff()
def put_public_access_block(client, name, configuration):
    client.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=configuration)


@S3ErrorHandler.common_error_handler("set the encryption of bucket {name}")
@AWSRetry.jittered_backoff()
def put_encryption(client, name, configuration):
    client.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration=configuration)


@S3ErrorHandler.common_error_handler("set the policy of bucket {name}")
@AWSRetry.jittered_backoff()
def put_policy(client, name, policy):
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))


@S3ErrorHandler.common_error_handler("set the lifecycle rules of bucket {name}")
@AWSRetry.jittered_backoff()
def put_lifecycle_rules(client, name, rules):
    """Put the rules, or delete the lifecycle configuration when there are none."""
    if rules:
        client.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": rules})
    else:
        client.delete_bucket_lifecycle(Bucket=name)


@S3ErrorHandler.common_error_handler("turn on the versioning of bucket {name}")
@AWSRetry.jittered_backoff()
def enable_versioning(client, name):
    client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})


@S3ErrorHandler.common_error_handler("set the tags of bucket {name}")
@AWSRetry.jittered_backoff()
def put_tags(client, name, tags):
    """Replace the bucket's whole tag set (PutBucketTagging), or delete it when ``tags`` is empty."""
    if tags:
        client.put_bucket_tagging(Bucket=name, Tagging={"TagSet": dict_to_tag_set(tags)})
    else:
        client.delete_bucket_tagging(Bucket=name)


@S3ErrorHandler.common_error_handler("empty bucket {name}")
@AWSRetry.jittered_backoff()
def delete_all_object_versions(client, name):
    """Delete every object version and delete marker, a page (at most 1000) at a time."""
    paginator = client.get_paginator("list_object_versions")
    for page in paginator.paginate(Bucket=name):
        objects = object_identifiers(page)
        if objects:
            # DeleteObjects answers 200 and lists what it could not delete under Errors (AccessDenied, say).
            errors = client.delete_objects(Bucket=name, Delete={"Objects": objects, "Quiet": True}).get("Errors", [])
            if errors:
                first = errors[0]
                raise AnsibleS3Error(
                    message=f"Could not delete {len(errors)} object version(s) of {name}, first {first.get('Key')}: {first.get('Code')} {first.get('Message')}"
                )


@S3ErrorHandler.deletion_error_handler("delete bucket {name}")
@AWSRetry.jittered_backoff()
def delete_bucket(client, name):
    client.delete_bucket(Bucket=name)
    return True


# ---------------------------------------------------------------------------------------------
# Pure helpers


def tag_set_to_dict(tag_set):
    return {t["Key"]: t["Value"] for t in tag_set or []}


def dict_to_tag_set(tags):
    """A TagSet in a stable order (by key)."""
    return [{"Key": k, "Value": v} for k, v in sorted((tags or {}).items())]


def object_identifiers(page):
    """The DeleteObjects entries of one ListObjectVersions page: versions and delete markers."""
    return [{"Key": o["Key"], "VersionId": o["VersionId"]} for o in page.get("Versions", []) + page.get("DeleteMarkers", [])]
