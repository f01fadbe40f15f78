"""The filter dito.chat.service_trust_policy (plugins/filter/iam.py), as roles call it."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.dito.chat.plugins.filter import iam as filters


def test_the_filter_is_registered_under_its_name():
    assert filters.FilterModule().filters()["service_trust_policy"] is filters.service_trust_policy


def test_the_account_guards_every_service_role():
    policy = filters.service_trust_policy("lambda.amazonaws.com", "123456789012")
    assert policy == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
            }
        ],
    }


def test_a_source_arn_narrows_it_to_resources():
    arn = "arn:aws:codebuild:eu-west-1:123456789012:project/backend"
    statement = filters.service_trust_policy("codebuild.amazonaws.com", 123456789012, source_arn=arn)["Statement"][0]
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}, "ArnLike": {"aws:SourceArn": arn}}


@pytest.mark.parametrize(("service", "account"), [("lambda", "123456789012"), ("lambda.amazonaws.com", "12345"), (["lambda.amazonaws.com"], "123456789012")])
def test_bad_input_is_refused(service, account):
    with pytest.raises(AnsibleFilterError, match=r"service_trust_policy: the (service|account) must be"):
        filters.service_trust_policy(service, account)
