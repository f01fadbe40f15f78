"""AWS CodeConnections (formerly CodeStar Connections): a backend of the emulator's own; moto 5.2 has none.

AWS serves one set of connections through two endpoints, ``codeconnections`` (JSON 1.0, target prefix
``com.amazonaws.codeconnections.CodeConnections_20231201``) and ``codestar-connections`` (target prefix
``com.amazonaws.codestar.connections.CodeStar_connections_20191201``); each accepts both ARN forms
(``arn:aws:codeconnections:<region>:<account>:connection/<id>`` and ``arn:aws:codestar-connections:...``). A
connection takes the ARN form of the endpoint that created it, and keeps it.

Served (CodeConnections API reference): CreateConnection, GetConnection, ListConnections (ProviderTypeFilter,
HostArnFilter, MaxResults/NextToken), DeleteConnection, TagResource, UntagResource, ListTagsForResource. A new
connection is PENDING, as on AWS until someone completes the handshake with the provider in the console; the
emulator-only call ``POST /moto-api/codeconnections/connection-status`` with ``{"ConnectionArn": <arn>,
"ConnectionStatus": "AVAILABLE"}`` stands in for that handshake. Hosts are not emulated: a HostArn names no host
(ResourceNotFoundException). ``POST /moto-api/reset`` drops every connection.
"""

import json
import re
import sys

from moto import backend_index
from moto import backends
from moto.core.base_backend import BackendDict
from moto.core.base_backend import BaseBackend
from moto.core.exceptions import JsonRESTError
from moto.core.responses import BaseResponse
from moto.moto_api._internal import mock_random
from moto.moto_api._internal import urls as moto_api_urls

# The signing names (and endpoint prefixes) of the two APIs, with the version in their X-Amz-Target.
SERVICES = {"codeconnections": "CodeConnections_20231201", "codestar-connections": "CodeStar_connections_20191201"}
PROVIDER_TYPES = ("Bitbucket", "GitHub", "GitHubEnterpriseServer", "GitLab", "GitLabSelfManaged", "AzureDevOps", "GitHubEnterpriseCloudDataResidency")
STATUSES = ("PENDING", "AVAILABLE", "ERROR")
# Service Quotas, AWS CodeConnections: "Maximum number of connections per AWS account: 250" (per Region).
CONNECTION_LIMIT = 250
TAG_LIMIT = 200  # TagList: "Length Constraints: Maximum length of 200"
DEFAULT_MAX_RESULTS = 50
CONNECTION_ARN = re.compile(r"^arn:aws(-[\w]+)*:(codestar-connections|codeconnections):([a-z0-9\-]+):([0-9]{12}):connection/([\w\-]+)$")
STATUS_PATH = "/moto-api/codeconnections/connection-status"

# Where moto finds a backend for a request: by host (in-process) or by the host built from the signing name (server).
url_bases = [rf"https?://{re.escape(service)}\.(.+)\.amazonaws\.com" for service in SERVICES]


class ConnectionsError(JsonRESTError):
    code = 400


class ResourceNotFoundException(ConnectionsError):
    def __init__(self, message):
        super().__init__("ResourceNotFoundException", message)


class LimitExceededException(ConnectionsError):
    def __init__(self, message):
        super().__init__("LimitExceededException", message)


class InvalidInputException(ConnectionsError):
    def __init__(self, message):
        super().__init__("InvalidInputException", message)


class ValidationException(ConnectionsError):
    def __init__(self, message):
        super().__init__("ValidationException", message)


def parse_connection_arn(arn):
    """``(region, account, id)`` of a connection ARN of either form; ValidationException when it is not one."""
    match = CONNECTION_ARN.match(arn or "")
    if not match:
        raise ValidationException(
            f"1 validation error detected: Value '{arn}' at 'connectionArn' failed to satisfy constraint: Member must satisfy "
            f"regular expression pattern: {CONNECTION_ARN.pattern.strip('^$')}"
        )
    return match.group(3), match.group(4), match.group(5)


class Connection:
    def __init__(self, arn, name, provider_type, owner, host_arn=None, provider_endpoint=None):
        self.arn, self.name, self.provider_type, self.owner = arn, name, provider_type, owner
        self.host_arn, self.provider_endpoint = host_arn, provider_endpoint
        self.status = "PENDING"
        self.tags = {}

    def describe(self):
        described = {
            "ConnectionName": self.name,
            "ConnectionArn": self.arn,
            "ProviderType": self.provider_type,
            "OwnerAccountId": self.owner,
            "ConnectionStatus": self.status,
        }
        if self.host_arn:
            described["HostArn"] = self.host_arn
        if self.provider_endpoint:
            described["ProviderEndpoint"] = self.provider_endpoint
        return described


class CodeConnectionsBackend(BaseBackend):
    """The connections of one account in one region (both endpoints share them)."""

    def __init__(self, region_name, account_id):
        super().__init__(region_name, account_id)
        self.connections = {}  # id -> Connection, in creation order

    @property
    def _url_module(self):
        return sys.modules[__name__]

    def _connection(self, arn):
        region, account, connection_id = parse_connection_arn(arn)
        connection = self.connections.get(connection_id)
        if connection is None or region != self.region_name or account != self.account_id:
            raise ResourceNotFoundException(f"Connection {arn} does not exist")
        return connection

    def create_connection(self, service, name, provider_type, host_arn, provider_endpoint, tags):
        if not name or len(name) > 32:
            raise ValidationException(
                f"1 validation error detected: Value '{name}' at 'connectionName' failed to satisfy constraint: "
                "Member must have length less than or equal to 32 and greater than or equal to 1"
            )
        if host_arn:
            raise ResourceNotFoundException(f"Host {host_arn} does not exist")
        if not provider_type:
            raise InvalidInputException("ProviderType or HostArn must be specified")
        if provider_type not in PROVIDER_TYPES:
            raise ValidationException(
                f"1 validation error detected: Value '{provider_type}' at 'providerType' failed to satisfy constraint: "
                f"Member must satisfy enum value set: [{', '.join(PROVIDER_TYPES)}]"
            )
        if len(self.connections) >= CONNECTION_LIMIT:
            raise LimitExceededException(f"Maximum number of connections ({CONNECTION_LIMIT}) reached")
        tags = tags_dict(tags)
        if len(tags) > TAG_LIMIT:
            raise LimitExceededException(f"A resource can have at most {TAG_LIMIT} tags")
        connection_id = str(mock_random.uuid4())
        arn = f"arn:{self.partition}:{service}:{self.region_name}:{self.account_id}:connection/{connection_id}"
        connection = Connection(arn, name, provider_type, self.account_id, provider_endpoint=provider_endpoint)
        connection.tags = tags
        self.connections[connection_id] = connection
        return connection

    def get_connection(self, arn):
        return self._connection(arn)

    def list_connections(self, provider_type=None, host_arn=None, max_results=None, next_token=None):
        found = [c for c in self.connections.values() if (not provider_type or c.provider_type == provider_type) and (not host_arn or c.host_arn == host_arn)]
        start = 0
        if next_token:
            if not str(next_token).isdigit() or int(next_token) > len(found):
                raise ValidationException(f"Invalid NextToken: {next_token}")
            start = int(next_token)
        size = int(max_results) if max_results else DEFAULT_MAX_RESULTS
        page = found[start : start + size]
        return page, (str(start + size) if start + size < len(found) else None)

    def delete_connection(self, arn):
        connection = self._connection(arn)
        del self.connections[parse_connection_arn(connection.arn)[2]]

    def tag_resource(self, arn, tags):
        connection = self._connection(arn)
        merged = dict(connection.tags, **tags_dict(tags))
        if len(merged) > TAG_LIMIT:
            raise LimitExceededException(f"A resource can have at most {TAG_LIMIT} tags")
        connection.tags = merged

    def untag_resource(self, arn, keys):
        connection = self._connection(arn)
        connection.tags = {k: v for k, v in connection.tags.items() if k not in (keys or [])}

    def list_tags_for_resource(self, arn):
        return self._connection(arn).tags

    def set_connection_status(self, arn, status):
        """Emulator only: what completing (or breaking) the handshake in the console does to a connection."""
        if status not in STATUSES:
            raise ValidationException(f"ConnectionStatus must be one of {', '.join(STATUSES)}")
        connection = self._connection(arn)
        connection.status = status
        return connection


def tags_dict(tags):
    return {t["Key"]: t.get("Value", "") for t in tags or []}


def tags_list(tags):
    return [{"Key": k, "Value": v} for k, v in tags.items()]


# Connections are served in the regions of the older endpoint's data (botocore lists none for codeconnections).
codeconnections_backends = BackendDict(CodeConnectionsBackend, "codestar-connections")


class CodeConnectionsResponse(BaseResponse):
    def __init__(self):
        super().__init__(service_name="codeconnections")

    @property
    def backend(self):
        return codeconnections_backends[self.current_account][self.region]

    @property
    def called_service(self):
        """The endpoint called, from the request's X-Amz-Target (both endpoints reach this one handler)."""
        target = self.headers.get("X-Amz-Target") or self.headers.get("x-amz-target") or ""
        return "codestar-connections" if SERVICES["codestar-connections"] in target else "codeconnections"

    def create_connection(self):
        connection = self.backend.create_connection(
            self.called_service,
            self._get_param("ConnectionName"),
            self._get_param("ProviderType"),
            self._get_param("HostArn"),
            self._get_param("ProviderEndpoint"),
            self._get_param("Tags"),
        )
        return json.dumps({"ConnectionArn": connection.arn, "Tags": tags_list(connection.tags)})

    def get_connection(self):
        return json.dumps({"Connection": self.backend.get_connection(self._get_param("ConnectionArn")).describe()})

    def list_connections(self):
        page, token = self.backend.list_connections(
            self._get_param("ProviderTypeFilter"), self._get_param("HostArnFilter"), self._get_param("MaxResults"), self._get_param("NextToken")
        )
        answer = {"Connections": [c.describe() for c in page]}
        if token:
            answer["NextToken"] = token
        return json.dumps(answer)

    def delete_connection(self):
        self.backend.delete_connection(self._get_param("ConnectionArn"))
        return "{}"

    def tag_resource(self):
        self.backend.tag_resource(self._get_param("ResourceArn"), self._get_param("Tags"))
        return "{}"

    def untag_resource(self):
        self.backend.untag_resource(self._get_param("ResourceArn"), self._get_param("TagKeys"))
        return "{}"

    def list_tags_for_resource(self):
        return json.dumps({"Tags": tags_list(self.backend.list_tags_for_resource(self._get_param("ResourceArn")))})


url_paths = {"{0}/$": CodeConnectionsResponse.dispatch}


def set_connection_status_response(request, full_url, headers):
    """``POST /moto-api/codeconnections/connection-status`` {"ConnectionArn", "ConnectionStatus"}: the console handshake."""
    try:
        body = json.loads(request.get_data() or b"{}")
        arn = body.get("ConnectionArn")
        region, account = parse_connection_arn(arn)[:2]
        connection = codeconnections_backends[account][region].set_connection_status(arn, body.get("ConnectionStatus"))
    except ConnectionsError as e:
        return e.code, {"Content-Type": "application/json"}, e.get_body()
    except ValueError:
        return 400, {"Content-Type": "application/json"}, json.dumps({"__type": "ValidationException", "message": "the body is not JSON"})
    return 200, {"Content-Type": "application/json"}, json.dumps({"Connection": connection.describe()})


def connections_are_served_on_both_endpoints():
    """CodeConnections and CodeStar Connections answer, on their two endpoints, over one set of connections.

    AWS CodeConnections API reference (2023-12-01; the CodeStar Connections API 2019-12-01 is the same under its
    former name): CreateConnection ("Creates a connection that can then be given to other AWS services like
    CodePipeline so that it can access third-party code repositories. The connection is in pending status until
    the third-party connection handshake is completed from the console."), GetConnection, ListConnections,
    DeleteConnection, TagResource, UntagResource, ListTagsForResource, with their errors ResourceNotFoundException,
    LimitExceededException, InvalidInputException. moto has no such service: its server answered neither endpoint.
    Registered as two moto services (``codeconnections``, ``codestar-connections``) that share one BackendDict, so
    moto's dispatch by host (in-process) and by signing name (server) finds them, and moto's reset empties them.
    Also adds the emulator-only ``POST /moto-api/codeconnections/connection-status``.
    """
    for service in SERVICES:
        pattern = re.compile(rf"https?://{re.escape(service)}\.(.+)\.amazonaws\.com")
        if all(known[0] != service for known in backend_index.backend_url_patterns):
            backend_index.backend_url_patterns.append((service, pattern))
    original_get_backend = backends.get_backend

    def get_backend(name):
        if name in SERVICES:
            return codeconnections_backends
        return original_get_backend(name)

    backends.get_backend = get_backend
    moto_api_urls.url_paths["{0}" + STATUS_PATH] = set_connection_status_response
