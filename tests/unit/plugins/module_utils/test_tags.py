"""module_utils/tags.py: the one tag reconciliation (purge_tags, check mode, AWS-owned aws: keys)."""

from types import SimpleNamespace

import pytest

from ansible_collections.dito.chat.plugins.module_utils import tags


class Failed(Exception):
    pass


def _fail(**kwargs):
    raise Failed(kwargs["msg"])


def module(purge_tags=True, check_mode=False):
    return SimpleNamespace(params={"purge_tags": purge_tags}, check_mode=check_mode, fail_json=_fail)


class Recorder:
    """The tag/untag/replace callables of a resource, recording what they are called with."""

    def __init__(self):
        self.calls = []

    def tag(self, to_set):
        self.calls.append(("tag", to_set))

    def untag(self, keys):
        self.calls.append(("untag", list(keys)))

    def replace(self, tag_set):
        self.calls.append(("replace", tag_set))


def test_none_leaves_the_tags_alone():
    api = Recorder()
    assert tags.reconcile(module(), {"a": "1"}, None, api.tag, api.untag) == (False, {"a": "1"})
    assert api.calls == []


def test_equal_tags_change_nothing():
    api = Recorder()
    assert tags.reconcile(module(), {"a": "1", "b": "2"}, {"b": "2", "a": "1"}, api.tag, api.untag) == (False, {"a": "1", "b": "2"})
    assert api.calls == []


def test_purge_untags_first_then_tags():
    api = Recorder()
    changed, after = tags.reconcile(module(), {"a": "1", "old": "x", "gone": "y"}, {"a": "2", "new": "3"}, api.tag, api.untag)
    assert changed is True and after == {"a": "2", "new": "3"}
    assert api.calls == [("untag", ["gone", "old"]), ("tag", {"a": "2", "new": "3"})]


def test_without_purge_only_adds_and_updates():
    api = Recorder()
    changed, after = tags.reconcile(module(purge_tags=False), {"a": "1", "keep": "k"}, {"a": "2"}, api.tag, api.untag)
    assert changed is True and after == {"a": "2", "keep": "k"}
    assert api.calls == [("tag", {"a": "2"})]


def test_check_mode_predicts_and_calls_nothing():
    api = Recorder()
    changed, after = tags.reconcile(module(check_mode=True), {"a": "1", "old": "x"}, {"a": "1", "b": "2"}, api.tag, api.untag, api.replace)
    assert changed is True and after == {"a": "1", "b": "2"}
    assert api.calls == []


def test_aws_owned_keys_are_never_removed_nor_set_and_stay_reported():
    api = Recorder()
    have = {"aws:cloudformation:stack-name": "s", "project": "dito"}
    assert tags.reconcile(module(), have, {"project": "dito"}, api.tag, api.untag) == (False, have)
    changed, after = tags.reconcile(module(), have, {"project": "dito", "env": "prod"}, api.tag, api.untag)
    assert changed is True and after == dict(have, env="prod")
    assert api.calls == [("tag", {"env": "prod"})]
    # An empty set with purge_tags removes ours only.
    api.calls.clear()
    changed, after = tags.reconcile(module(), have, {}, api.tag, api.untag)
    assert changed is True and after == {"aws:cloudformation:stack-name": "s"}
    assert api.calls == [("untag", ["project"])]


def test_asking_for_an_aws_key_fails_before_any_call():
    api = Recorder()
    with pytest.raises(Failed, match=r"reserved by AWS.*aws:mine"):
        tags.reconcile(module(), {}, {"project": "dito", "aws:mine": "no"}, api.tag, api.untag)
    assert api.calls == []


def test_replace_gets_the_whole_set_with_the_aws_keys_it_must_keep():
    """S3's PutBucketTagging replaces the set and refuses one that drops the system (aws:) tags."""
    api = Recorder()
    have = {"aws:createdBy": "x", "a": "1", "b": "2"}
    changed, after = tags.reconcile(module(), have, {"a": "1", "c": "3"}, replace=api.replace)
    assert changed is True and after == {"aws:createdBy": "x", "a": "1", "c": "3"}
    assert api.calls == [("replace", {"aws:createdBy": "x", "a": "1", "c": "3"})]
    # Only the system tags left: they are sent alone, never deleted.
    api.calls.clear()
    tags.reconcile(module(), have, {}, replace=api.replace)
    assert api.calls == [("replace", {"aws:createdBy": "x"})]


def test_values_compare_as_text():
    assert tags.compare({"n": "1"}, {"n": 1}, True) == ({}, [])
    assert tags.compare({"n": "1"}, {"n": 2}, True) == ({"n": 2}, [])


@pytest.mark.parametrize(
    "have, wanted, purge, expected",
    [
        ({}, {"a": "1"}, True, ({"a": "1"}, [])),
        ({"b": "1", "a": "1"}, {}, True, ({}, ["a", "b"])),
        ({"b": "1", "a": "1"}, {}, False, ({}, [])),
        ({"aws:x": "1"}, {}, True, ({}, [])),
        ({}, {"aws:x": "1"}, True, ({}, [])),
        ({"a": "1"}, None, True, ({}, [])),
    ],
)
def test_compare(have, wanted, purge, expected):
    assert tags.compare(have, wanted, purge) == expected


def test_merged_and_ownership():
    assert tags.merged({"a": "1", "b": "2"}, {"c": "3"}, ["a"]) == {"b": "2", "c": "3"}
    assert tags.is_aws_owned("aws:cloudformation:stack-id") and not tags.is_aws_owned("awsome")
