"""The pure comparison behind dito.chat.ecr_repository: no AWS."""

import datetime

from ansible_collections.dito.chat.plugins.module_utils import ecr

KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def current(**extra):
    state = {
        "image_tag_mutability": "IMMUTABLE",
        "scan_on_push": True,
        "encryption_type": "AES256",
        "kms_key": None,
        "lifecycle_policy": {"rules": [{"rulePriority": 1, "action": {"type": "expire"}}]},
        "policy": None,
        "tags": {"project": "dito"},
    }
    state.update(extra)
    return state


def test_normalise_reads_what_ecr_returns():
    repo = {
        "imageTagMutability": "MUTABLE",
        "imageScanningConfiguration": {"scanOnPush": False},
        "encryptionConfiguration": {"encryptionType": "KMS", "kmsKey": KEY},
    }
    state = ecr.normalise_repository(repo, None, None, {})
    assert state == {
        "image_tag_mutability": "MUTABLE",
        "scan_on_push": False,
        "encryption_type": "KMS",
        "kms_key": KEY,
        "lifecycle_policy": None,
        "policy": None,
        "tags": {},
    }


def test_same_state_needs_no_change_whatever_the_key_order():
    desired = current(lifecycle_policy={"rules": [{"action": {"type": "expire"}, "rulePriority": 1}]})
    assert ecr.compare_repository(current(), desired) == {}


def test_none_means_leave_alone():
    desired = {"image_tag_mutability": None, "scan_on_push": None, "encryption_type": None, "lifecycle_policy": None, "policy": None, "tags": None}
    assert ecr.compare_repository(current(), desired) == {}


def test_each_difference_is_reported():
    desired = current(image_tag_mutability="MUTABLE", scan_on_push=False, tags={"project": "dito", "service": "x"}, policy={"Statement": []})
    desired["lifecycle_policy"] = {"rules": []}
    changes = ecr.compare_repository(current(tags={"project": "dito", "old": "1"}), desired)
    assert changes == {
        "image_tag_mutability": "MUTABLE",
        "scan_on_push": False,
        "lifecycle_policy": {"rules": []},
        "policy": {"Statement": []},
        "tags_to_set": {"service": "x"},
        "tags_to_unset": ["old"],
    }


def test_purge_flags_remove_policies_and_keep_tags_without_purge_tags():
    desired = current(lifecycle_policy=None, tags={"service": "x"})
    changes = ecr.compare_repository(current(policy={"Statement": []}), desired, purge_tags=False, purge_lifecycle_policy=True, purge_policy=True)
    assert changes == {"lifecycle_policy": None, "policy": None, "tags_to_set": {"service": "x"}}


def test_encryption_changes_are_conflicts():
    assert "cannot change to KMS" in ecr.compare_repository(current(), current(encryption_type="KMS"))["conflicts"][0]
    other = KEY.replace("1234abcd", "9999abcd")
    changes = ecr.compare_repository(current(encryption_type="KMS", kms_key=KEY), current(encryption_type="KMS", kms_key=other))
    assert "cannot change" in changes["conflicts"][0]


def test_kms_key_forms():
    assert ecr.kms_key_matches(KEY, None)
    assert ecr.kms_key_matches(KEY, KEY)
    assert ecr.kms_key_matches(KEY, "1234abcd-12ab-34cd-56ef-1234567890ab")
    assert not ecr.kms_key_matches(KEY, "ffffabcd-12ab-34cd-56ef-1234567890ab")
    assert ecr.kms_key_matches(KEY, "alias/dito-ecr")
    assert not ecr.kms_key_matches(None, KEY)


def test_apply_changes_predicts_the_after_state():
    after = ecr.apply_changes(current(), {"scan_on_push": False, "tags_to_set": {"a": "b"}, "tags_to_unset": ["project"]})
    assert after["scan_on_push"] is False
    assert after["tags"] == {"a": "b"}


def test_image_id_tells_a_digest_from_a_tag():
    assert ecr.image_id("sha256:" + "a" * 64) == {"imageDigest": "sha256:" + "a" * 64}
    assert ecr.image_id("v1.4.2") == {"imageTag": "v1.4.2"}


def test_image_result_pins_by_digest_and_names_the_tag_asked_for():
    detail = {"imageDigest": "sha256:abc", "imageTags": ["v2", "latest"], "imagePushedAt": datetime.datetime(2026, 11, 30, 13, 0, tzinfo=datetime.UTC)}
    by_tag = ecr.image_result("123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/backend", detail, "v2")
    assert by_tag == {
        "digest": "sha256:abc",
        "tags": ["latest", "v2"],
        "pushed_at": "2026-11-30T13:00:00+00:00",
        "uri_by_digest": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/backend@sha256:abc",
        "uri": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/backend:v2",
    }
    by_digest = ecr.image_result("r", dict(detail, imageTags=None), "sha256:abc")
    assert (by_digest["uri"], by_digest["tags"]) == ("r@sha256:abc", [])
