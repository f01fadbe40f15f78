# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS CodeConnections wrappers (connections and their tags) and the pure helpers around a connection.

The ``codeconnections`` API (formerly CodeStar Connections) accepts a connection's ARN in both forms,
``arn:<partition>:codeconnections:<region>:<account>:connection/<id>`` and the older
``arn:<partition>:codestar-connections:...``; AWS keeps the form a connection was created with. A new connection
is PENDING until someone completes the handshake with the provider in the AWS console; there is no API for it.
"""

import re

try:
    from botocore.exceptions import ClientError
except ImportError:  # Handled by AnsibleAWSModule
    ClientError = None

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleCodeConnectionsError(AnsibleAWSError):
    pass


class CodeConnectionsErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCodeConnectionsError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code("ResourceNotFoundException")


# ---------------------------------------------------------------------------------------------------
# Pure helpers

NAME_MAX_LENGTH = 32  # ConnectionName: "Length Constraints: Minimum length of 1. Maximum length of 32."
PROVIDER_TYPES = ("GitHub", "GitHubEnterpriseServer", "Bitbucket", "GitLab", "GitLabSelfManaged")
DEFAULT_PROVIDER_TYPE = "GitHub"
# ConnectionArn's pattern in the API reference, anchored, with its parts named.
CONNECTION_ARN = re.compile(
    r"^arn:(?P<partition>aws(-[\w]+)*):(?P<service>codestar-connections|codeconnections):(?P<region>[a-z0-9\-]+):"
    r"(?P<account>[0-9]{12}):connection/(?P<id>[\w\-]+)$"
)
HOST_ARN = re.compile(r"^arn:aws(-[\w]+)*:(codestar-connections|codeconnections):.+:[0-9]{12}:host/.+$")
# The AWS console's domain in each partition.
CONSOLE_DOMAINS = {"aws": "console.aws.amazon.com", "aws-cn": "console.amazonaws.cn", "aws-us-gov": "console.amazonaws-us-gov.com"}


def parse_arn(arn):
    """``{partition, service, region, account, id}`` of a connection ARN of either form, None if it is not one."""
    match = CONNECTION_ARN.match(arn or "")
    if not match:
        return None
    return {k: match.group(k) for k in ("partition", "service", "region", "account", "id")}


def console_url(arn):
    """The console page where a pending connection's handshake is completed; None without an ARN."""
    parts = parse_arn(arn)
    if parts is None:
        return None
    domain = CONSOLE_DOMAINS.get(parts["partition"], CONSOLE_DOMAINS["aws"])
    region, account = parts["region"], parts["account"]
    return f"https://{region}.{domain}/codesuite/settings/{account}/{region}/connections/{parts['id']}"


def summary(connection, tags):
    """The module's ``connection`` from a GetConnection/ListConnections ``Connection`` and its tags (a dict)."""
    arn = connection.get("ConnectionArn")
    return {
        "connection_name": connection.get("ConnectionName"),
        "connection_arn": arn,
        "connection_status": connection.get("ConnectionStatus"),
        "provider_type": connection.get("ProviderType"),
        "owner_account_id": connection.get("OwnerAccountId"),
        "host_arn": connection.get("HostArn"),
        "tags": tags,
        "console_url": console_url(arn),
    }


def pending_warning(connection):
    """The warning for a connection (the module's ``connection``) that is not AVAILABLE; None when it is."""
    status = connection.get("connection_status")
    if status == "AVAILABLE":
        return None
    name = connection.get("connection_name")
    where = connection.get("console_url") or "the AWS console (Developer Tools > Settings > Connections) once it is created"
    label = f"{name} ({connection['connection_arn']})" if connection.get("connection_arn") else name
    return f"The connection {label} is {status}: complete the handshake at {where}; pipelines that use it fail at their Source stage until then"


def tags_dict(tags):
    return {t["Key"]: t.get("Value", "") for t in tags or []}


def tags_list(tags):
    return [{"Key": k, "Value": v} for k, v in (tags or {}).items()]


# ---------------------------------------------------------------------------------------------------
# Connections


@CodeConnectionsErrorHandler.common_error_handler("list connections")
@AWSRetry.jittered_backoff()
def list_connections(client):
    """Every connection of the region (ListConnections, all pages)."""
    connections, request = [], {}
    while True:
        page = client.list_connections(**request)
        connections.extend(page.get("Connections") or [])
        if not page.get("NextToken"):
            return connections
        request["NextToken"] = page["NextToken"]


def find_by_name(client, name):
    """The connections named ``name`` (names are not unique on AWS: a list)."""
    return [c for c in list_connections(client) if c.get("ConnectionName") == name]


@CodeConnectionsErrorHandler.list_error_handler("get connection {arn}")
@AWSRetry.jittered_backoff()
def get_connection(client, arn):
    """The ``Connection``, or None when it does not exist."""
    return client.get_connection(ConnectionArn=arn)["Connection"]


@CodeConnectionsErrorHandler.common_error_handler("create connection {name}")
@AWSRetry.jittered_backoff()
def create_connection(client, name, provider_type=None, host_arn=None, tags=None):
    """CreateConnection: with a host, the provider type is the host's (HostArn alone); returns the ARN.

    Called only when no connection has ``name``. CreateConnection takes no client token and its API reference lists
    no "already exists" error, so a resend after a lost response (botocore's retry) either makes a second connection
    (see ``doubles``) or, should AWS refuse a name in use, fails: the connection of that name, which did not exist
    before the call, is then the first attempt's, and its ARN is returned."""
    request = {"ConnectionName": name}
    if host_arn:
        request["HostArn"] = host_arn
    else:
        request["ProviderType"] = provider_type
    if tags:
        request["Tags"] = tags_list(tags)
    try:
        return client.create_connection(**request)["ConnectionArn"]
    except ClientError:
        made = find_by_name(client, name)
        if len(made) != 1:
            raise
        return made[0]["ConnectionArn"]


def doubles(client, name, arn):
    """The connections named ``name`` other than ``arn``, just after ``arn`` was created where none had the name:
    those a resend of CreateConnection made (the first attempt's, when its response was lost)."""
    return [c["ConnectionArn"] for c in find_by_name(client, name) if c["ConnectionArn"] != arn]


@CodeConnectionsErrorHandler.deletion_error_handler("delete connection {arn}")
@AWSRetry.jittered_backoff()
def delete_connection(client, arn):
    client.delete_connection(ConnectionArn=arn)


@CodeConnectionsErrorHandler.common_error_handler("list the tags of {arn}")
@AWSRetry.jittered_backoff()
def list_tags(client, arn):
    return tags_dict(client.list_tags_for_resource(ResourceArn=arn).get("Tags"))


@CodeConnectionsErrorHandler.common_error_handler("tag {arn}")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceArn=arn, Tags=tags_list(tags))


@CodeConnectionsErrorHandler.common_error_handler("untag {arn}")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceArn=arn, TagKeys=list(keys))
