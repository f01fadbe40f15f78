"""module_utils/creates.py: a create's "already exists" answer (its own lost response, resent) is read back."""

import pytest
from botocore.exceptions import ClientError

from ansible_collections.dito.chat.plugins.module_utils import creates


def refused(code):
    def create():
        raise ClientError({"Error": {"Code": code, "Message": "no"}}, "CreateThing")

    return create


def test_the_create_answer_when_it_answers():
    assert creates.created_or_existing(lambda: {"Id": "made"}, ["ThingAlreadyExists"], lambda: pytest.fail("read back")) == {"Id": "made"}


def test_the_read_back_answer_on_an_already_exists_code():
    assert creates.created_or_existing(refused("ThingAlreadyExists"), ["Other", "ThingAlreadyExists"], lambda: {"Id": "held"}) == {"Id": "held"}


def test_any_other_error_is_raised():
    with pytest.raises(ClientError, match="InvalidInput"):
        creates.created_or_existing(refused("InvalidInput"), ["ThingAlreadyExists"], lambda: pytest.fail("read back"))
