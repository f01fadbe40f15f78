"""module_utils/kms.py, ssm.py and sts.py against moto in-process: what a missing thing reads as, the typed errors."""

import boto3
import pytest

from ansible_collections.dito.chat.plugins.module_utils import kms
from ansible_collections.dito.chat.plugins.module_utils import ssm
from ansible_collections.dito.chat.plugins.module_utils import sts

REGION = "eu-west-1"


def test_kms_resolves_an_alias_to_the_key_arn(aws):
    client = boto3.client("kms", region_name=REGION)
    key = client.create_key()["KeyMetadata"]
    client.create_alias(AliasName="alias/dito", TargetKeyId=key["KeyId"])
    assert kms.describe_key(client, "alias/dito")["Arn"] == key["Arn"]
    with pytest.raises(kms.AnsibleKMSError, match="Failed to resolve the KMS key alias/nowhere"):
        kms.describe_key(client, "alias/nowhere")


def test_ssm_reads_a_secure_parameter_or_none(aws):
    client = boto3.client("ssm", region_name=REGION)
    assert ssm.get_secure_parameter(client, "/dito/redis/auth") is None
    client.put_parameter(Name="/dito/redis/auth", Value="s3cr3t-t0ken-0123456789", Type="SecureString")
    parameter = ssm.get_secure_parameter(client, "/dito/redis/auth")
    assert parameter["Value"] == "s3cr3t-t0ken-0123456789" and parameter["LastModifiedDate"]


def test_sts_account_id(aws):
    assert sts.account_id(boto3.client("sts", region_name=REGION)) == "123456789012"
