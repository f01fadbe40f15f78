# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Systems Manager Parameter Store wrappers: a parameter that does not exist reads as None."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleSSMError(AnsibleAWSError):
    pass


class SSMErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleSSMError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ParameterNotFound")


@SSMErrorHandler.list_error_handler("read SSM parameter {name}")
@AWSRetry.jittered_backoff()
def get_secure_parameter(client, name):
    """The parameter (``Value`` decrypted, ``LastModifiedDate``...), or None when there is none."""
    return client.get_parameter(Name=name, WithDecryption=True)["Parameter"]
