"""module_utils/s3.py: the pure helpers, and what a missing bucket or setting reads as (moto in-process)."""

import boto3
import pytest

from ansible_collections.dito.chat.plugins.module_utils import s3


def test_tag_sets():
    assert s3.tag_set_to_dict([{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}]) == {"a": "1", "b": "2"}
    assert s3.tag_set_to_dict(None) == {}
    assert s3.dict_to_tag_set({"b": "2", "a": "1"}) == [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}]


def test_object_identifiers_take_versions_and_delete_markers():
    page = {"Versions": [{"Key": "a", "VersionId": "1", "Size": 3}], "DeleteMarkers": [{"Key": "b", "VersionId": "2"}]}
    assert s3.object_identifiers(page) == [{"Key": "a", "VersionId": "1"}, {"Key": "b", "VersionId": "2"}]
    assert s3.object_identifiers({}) == []


@pytest.fixture
def client(aws):
    return boto3.client("s3", region_name="eu-west-1")


def test_a_missing_bucket_and_unset_settings_read_as_defaults(client):
    assert s3.bucket_exists(client, "dito-logs") is False
    s3.create_bucket(client, "dito-logs", "eu-west-1")
    s3.wait_bucket_exists(client, "dito-logs")
    assert s3.bucket_exists(client, "dito-logs") is True
    assert client.get_bucket_location(Bucket="dito-logs")["LocationConstraint"] == "eu-west-1"
    assert s3.get_policy(client, "dito-logs") is None
    assert s3.get_lifecycle_rules(client, "dito-logs") == []
    assert s3.get_tags(client, "dito-logs") == {}
    assert s3.get_public_access_block(client, "dito-logs") is None


def test_tags_and_lifecycle_are_put_and_deleted(client):
    s3.create_bucket(client, "dito-logs", "eu-west-1")
    s3.put_tags(client, "dito-logs", {"project": "dito"})
    assert s3.get_tags(client, "dito-logs") == {"project": "dito"}
    s3.put_tags(client, "dito-logs", {})
    assert s3.get_tags(client, "dito-logs") == {}
    rules = [{"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 7}}]
    s3.put_lifecycle_rules(client, "dito-logs", rules)
    assert s3.get_lifecycle_rules(client, "dito-logs")[0]["Expiration"] == {"Days": 7}
    s3.put_lifecycle_rules(client, "dito-logs", [])
    assert s3.get_lifecycle_rules(client, "dito-logs") == []


def test_other_errors_raise_the_typed_error(client):
    with pytest.raises(s3.AnsibleS3Error, match="Failed to set the policy of bucket dito-logs"):
        s3.put_policy(client, "dito-logs", {"Version": "2012-10-17", "Statement": []})


def test_empty_then_delete(client):
    s3.create_bucket(client, "dito-logs", "eu-west-1")
    client.put_object(Bucket="dito-logs", Key="AWSLogs/x.log", Body=b"x")
    s3.delete_all_object_versions(client, "dito-logs")
    assert client.list_objects_v2(Bucket="dito-logs").get("KeyCount") == 0
    assert s3.delete_bucket(client, "dito-logs") is True
    assert s3.delete_bucket(client, "dito-logs") is False
