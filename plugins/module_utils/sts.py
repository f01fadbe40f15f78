# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS STS wrapper: who the caller is."""

from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleSTSError(AnsibleAWSError):
    pass


class STSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleSTSError


@STSErrorHandler.common_error_handler("get the caller identity")
@AWSRetry.jittered_backoff()
def account_id(client):
    """The account id of the credentials in use (GetCallerIdentity)."""
    return client.get_caller_identity()["Account"]
