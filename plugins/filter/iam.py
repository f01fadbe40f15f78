# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""IAM filters: the trust policy of a service role, with the cross-service confused-deputy guard.

The documentation of each filter is in its own file beside this one (service_trust_policy.yml).
"""

import re

from ansible.errors import AnsibleFilterError

ACCOUNT = re.compile(r"^(\d{12}|\*)$")


def service_trust_policy(service, account, source_arn=None):
    """The trust policy that lets ``service`` (a service principal) assume a role only on behalf of ``account``
    (``aws:SourceAccount``) and, when given, only for ``source_arn`` (``aws:SourceArn``, one ARN or a list,
    wildcards allowed)."""
    if not isinstance(service, str) or not re.match(r"^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$", service):
        raise AnsibleFilterError(f"service_trust_policy: the service must be a service principal such as lambda.amazonaws.com (got {service!r})")
    account = str(account)
    if not ACCOUNT.match(account):
        raise AnsibleFilterError(f"service_trust_policy: the account must be a 12-digit account id (got {account!r})")  # or * (check-mode plans)
    condition = {"StringEquals": {"aws:SourceAccount": account}}
    if source_arn:
        condition["ArnLike"] = {"aws:SourceArn": source_arn}
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole", "Condition": condition}],
    }


class FilterModule:
    def filters(self):
        return {"service_trust_policy": service_trust_policy}
