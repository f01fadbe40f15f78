# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A create whose response was lost, recognised when botocore's retry answers "it already exists".

botocore (standard retry mode) resends a request whose response never came back (a connection error, a
timeout) with the same parameters. When the first attempt had reached AWS, the resend of a create whose
resource is named meets the resource the first attempt made and AWS answers with the operation's own
"already exists" error. A module only creates what it looked up and did not find, so that answer is its
own create: the module reads the resource back and carries on as if the create had answered."""

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code


def created_or_existing(create, codes, read_back):
    """``create()``'s answer; when it fails with one of ``codes`` (the operation's "already exists" errors),
    ``read_back()``'s answer instead, in the same shape as ``create()``'s."""
    try:
        return create()
    except is_boto3_error_code(codes):
        return read_back()
