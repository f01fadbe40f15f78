"""After the role removed molecule-cache: its data is in a final snapshot, tagged, under a key that is kept.

Usage: final_snapshot.py <endpoint-url>. Deletes the snapshot once checked (the scenario leaves nothing behind).
"""

import sys

import boto3


def client(service):
    return boto3.client(service, region_name="eu-west-1", endpoint_url=sys.argv[1], aws_access_key_id="testing", aws_secret_access_key="testing")  # noqa: S106 - the emulator's


ec, kms = client("elasticache"), client("kms")
assert ec.describe_replication_groups()["ReplicationGroups"] == [], "the group is gone"
snapshots = [s for s in ec.describe_snapshots()["Snapshots"] if s["SnapshotName"].startswith("molecule-cache-final-")]
assert len(snapshots) == 1 and snapshots[0]["ReplicationGroupId"] == "molecule-cache", f"one final snapshot, got {snapshots}"
tags = {t["Key"]: t["Value"] for t in ec.list_tags_for_resource(ResourceName=snapshots[0]["ARN"])["TagList"]}
assert tags == {"project": "molecule", "service": "cache"}, f"the snapshot carries the tags, got {tags}"
key = kms.describe_key(KeyId="alias/molecule-cache")["KeyMetadata"]
assert key["KeyState"] == "Enabled", f"the key that encrypts the snapshot is kept, got {key['KeyState']}"
ec.delete_snapshot(SnapshotName=snapshots[0]["SnapshotName"])
print("final snapshot verified")
