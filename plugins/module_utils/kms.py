# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS KMS wrappers: resolving a key id, ARN or alias to the key it names."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleKMSError(AnsibleAWSError):
    pass


class KMSErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleKMSError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("NotFoundException")


@KMSErrorHandler.common_error_handler("resolve the KMS key {key_id}")
@AWSRetry.jittered_backoff()
def describe_key(client, key_id):
    """The KeyMetadata of a key given by id, ARN, alias name or alias ARN. A key that does not exist fails."""
    return client.describe_key(KeyId=key_id)["KeyMetadata"]
