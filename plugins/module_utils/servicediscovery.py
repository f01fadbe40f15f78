# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""AWS Cloud Map (servicediscovery) wrappers: private DNS namespaces, services, their tags, and the
operations that namespace changes run as."""

import time

from ansible_collections.amazon.aws.plugins.module_utils.botocore import is_boto3_error_code
from ansible_collections.amazon.aws.plugins.module_utils.errors import AWSErrorHandler
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


class AnsibleCloudMapError(AnsibleAWSError):
    pass


class CloudMapErrorHandler(AWSErrorHandler):
    _CUSTOM_EXCEPTION = AnsibleCloudMapError

    @classmethod
    def _is_missing(cls):
        return is_boto3_error_code(["NamespaceNotFound", "ServiceNotFound", "OperationNotFound"])


@CloudMapErrorHandler.list_error_handler("list namespaces")
@AWSRetry.jittered_backoff()
def find_namespace(client, name, kind="DNS_PRIVATE"):
    """The namespace of that name and type (names end without a dot), or None."""
    paginator = client.get_paginator("list_namespaces")
    for page in paginator.paginate(Filters=[{"Name": "TYPE", "Values": [kind], "Condition": "EQ"}]):
        for namespace in page["Namespaces"]:
            if namespace["Name"].rstrip(".").lower() == name.rstrip(".").lower() and namespace.get("Type", kind) == kind:
                return namespace
    return None


@CloudMapErrorHandler.list_error_handler("get namespace {namespace_id}")
@AWSRetry.jittered_backoff()
def get_namespace(client, namespace_id):
    return client.get_namespace(Id=namespace_id)["Namespace"]


@CloudMapErrorHandler.common_error_handler("create private DNS namespace {name}")
@AWSRetry.jittered_backoff()
def create_private_dns_namespace(client, name, vpc_id, description, tags, request_id=None):
    request = {"Name": name, "Vpc": vpc_id, "Description": description}
    if tags:
        request["Tags"] = tags
    if request_id:
        request["CreatorRequestId"] = request_id
    return client.create_private_dns_namespace(**request)["OperationId"]


# CreatePrivateDnsNamespace's answers when the namespace exists already (NamespaceAlreadyExists, with its
# NamespaceId) or its domain is taken in the VPC (ConflictingDomainExists); CreateService's when the name is taken.
NAMESPACE_EXISTS = ("NamespaceAlreadyExists", "ConflictingDomainExists")
SERVICE_EXISTS = "ServiceAlreadyExists"
# CreatePrivateDnsNamespace's answer while the operation of an earlier attempt still runs (API reference, Errors:
# "DuplicateRequest - The operation is already in progress", with DuplicateOperationId).
IN_PROGRESS = "DuplicateRequest"


def _refusal(error):
    """(error code, response) of the AWS error behind an AnsibleCloudMapError."""
    response = getattr(getattr(error, "exception", None), "response", None) or {}
    return (response.get("Error") or {}).get("Code"), response


def create_namespace_once(client, name, vpc_id, description, tags, request_id, timeout=300):
    """Create a private DNS namespace, wait for its operation, return the namespace.

    ``request_id`` (the CreatorRequestId) is the same for every attempt of the caller's run: Cloud Map answers a
    request sent again after a lost response with the operation of the first one. When Cloud Map answers that the
    namespace exists already (another request made it: an earlier attempt without this id, or a run killed while the
    namespace was being created), the namespace of that name is returned rather than an error. When it answers that
    the operation is already in progress (DuplicateRequest: the resend came while the first attempt's operation ran),
    that operation is waited for instead.
    """
    try:
        operation_id = create_private_dns_namespace(client, name, vpc_id, description, tags, request_id)
    except AnsibleCloudMapError as e:
        code, response = _refusal(e)
        if code == IN_PROGRESS and response.get("DuplicateOperationId"):
            operation = wait_for_operation(client, response["DuplicateOperationId"], timeout)
            return get_namespace(client, operation["Targets"]["NAMESPACE"])
        if code not in NAMESPACE_EXISTS:
            raise
        found = get_namespace(client, response["NamespaceId"]) if response.get("NamespaceId") else None
        found = found or find_namespace(client, name)
        if found is None:
            raise
        return found
    operation = wait_for_operation(client, operation_id, timeout)
    return get_namespace(client, operation["Targets"]["NAMESPACE"])


@CloudMapErrorHandler.common_error_handler("delete namespace {namespace_id}")
@AWSRetry.jittered_backoff()
def delete_namespace(client, namespace_id):
    return client.delete_namespace(Id=namespace_id)["OperationId"]


@CloudMapErrorHandler.common_error_handler("wait for operation {operation_id}")
def wait_for_operation(client, operation_id, timeout=300, delay=2):
    """Wait until an operation succeeds; return it. Raises on FAIL or when it outlasts ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        operation = AWSRetry.jittered_backoff()(client.get_operation)(OperationId=operation_id)["Operation"]
        if operation["Status"] == "SUCCESS":
            return operation
        if operation["Status"] == "FAIL":
            raise AnsibleCloudMapError(message=f"operation {operation_id} failed: {operation.get('ErrorMessage')}")
        if time.monotonic() > deadline:
            raise AnsibleCloudMapError(message=f"operation {operation_id} still {operation['Status']} after {timeout} s")
        time.sleep(delay)


@CloudMapErrorHandler.list_error_handler("list the services of namespace {namespace_id}")
@AWSRetry.jittered_backoff()
def find_service(client, namespace_id, name):
    paginator = client.get_paginator("list_services")
    for page in paginator.paginate(Filters=[{"Name": "NAMESPACE_ID", "Values": [namespace_id], "Condition": "EQ"}]):
        for service in page["Services"]:
            if service["Name"].lower() == name.lower():
                return service
    return None


@CloudMapErrorHandler.common_error_handler("create service {name}")
@AWSRetry.jittered_backoff()
def create_service(client, **request):
    return client.create_service(**request)["Service"]


def create_service_once(client, request):
    """CreateService; ``request["CreatorRequestId"]`` is the same for every attempt of the caller's run, so Cloud Map
    answers a request sent again after a lost response with the service of the first one. When Cloud Map answers
    ServiceAlreadyExists (another request made it), the service of that name in the namespace is returned."""
    try:
        return create_service(client, **request)
    except AnsibleCloudMapError as e:
        if _refusal(e)[0] != SERVICE_EXISTS:
            raise
        found = find_service(client, request["NamespaceId"], request["Name"])
        if found is None:
            raise
        return found


@CloudMapErrorHandler.common_error_handler("update service {service_id}")
@AWSRetry.jittered_backoff()
def update_service(client, service_id, service):
    return client.update_service(Id=service_id, Service=service)["OperationId"]


@CloudMapErrorHandler.deletion_error_handler("delete service {service_id}")
@AWSRetry.jittered_backoff()
def delete_service(client, service_id):
    client.delete_service(Id=service_id)


@CloudMapErrorHandler.list_error_handler("list the tags of {arn}")
@AWSRetry.jittered_backoff()
def list_tags(client, arn):
    return {t["Key"]: t["Value"] for t in client.list_tags_for_resource(ResourceARN=arn)["Tags"]}


@CloudMapErrorHandler.common_error_handler("tag {arn}")
@AWSRetry.jittered_backoff()
def tag_resource(client, arn, tags):
    client.tag_resource(ResourceARN=arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


@CloudMapErrorHandler.common_error_handler("untag {arn}")
@AWSRetry.jittered_backoff()
def untag_resource(client, arn, keys):
    client.untag_resource(ResourceARN=arn, TagKeys=list(keys))


def dns_records_normalised(records):
    return sorted(({"Type": r["Type"], "TTL": int(r["TTL"])} for r in records or []), key=lambda r: r["Type"])
