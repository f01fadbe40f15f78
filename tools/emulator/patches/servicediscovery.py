"""AWS Cloud Map (servicediscovery) behaviours that moto 5.2 lacks."""

import json

from moto.core.exceptions import JsonRESTError
from moto.route53 import route53_backends
from moto.servicediscovery import models as sd_models
from moto.utilities.utils import get_partition


def deleting_a_dns_namespace_deletes_its_hosted_zone():
    """DeleteNamespace deletes the Route 53 hosted zone that Cloud Map made for a DNS namespace.

    AWS Cloud Map developer guide, "Deleting an AWS Cloud Map namespace": "When you delete a DNS namespace,
    AWS Cloud Map deletes the corresponding Amazon Route 53 hosted zone created during namespace creation."
    moto deleted the namespace and left its zone (`DnsProperties.HostedZoneId`) behind for ever.
    """
    backend_cls = sd_models.ServiceDiscoveryBackend
    original = backend_cls.delete_namespace

    def delete_namespace(self, namespace_id):
        namespace = self.namespaces.get(namespace_id)
        operation_id = original(self, namespace_id)
        zone_id = ((namespace.dns_properties or {}).get("HostedZoneId") or "") if namespace else ""
        if zone_id:
            route53_backends[self.account_id][get_partition(self.region_name)].zones.pop(zone_id.rsplit("/", 1)[-1], None)
        return operation_id

    backend_cls.delete_namespace = delete_namespace


def namespaces_with_services_cannot_be_deleted():
    """DeleteNamespace refuses a namespace that still contains services.

    AWS API reference, DeleteNamespace: "Deletes a namespace from the current account. If the namespace still
    contains one or more services, the request fails." Error ``ResourceInUse`` (HTTP 400): "The specified resource
    can't be deleted because it contains other resources." moto deleted it and orphaned the services.
    """
    backend_cls = sd_models.ServiceDiscoveryBackend
    original = backend_cls.delete_namespace

    def delete_namespace(self, namespace_id):
        if any(service.namespace_id == namespace_id for service in self.services.values()):
            raise JsonRESTError("ResourceInUse", f"The namespace {namespace_id} contains services: delete them first.")
        return original(self, namespace_id)

    backend_cls.delete_namespace = delete_namespace


def _already_exists(code, message, **fields):
    error = JsonRESTError(code, message)
    error.description = json.dumps({"__type": code, "Message": message, **fields})
    return error


def creator_request_ids_make_creates_idempotent():
    """CreatePrivateDnsNamespace and CreateService recognise a request sent again with its CreatorRequestId, and a
    name that is taken answers ``*AlreadyExists``.

    AWS API reference, CreatePrivateDnsNamespace / CreateService, CreatorRequestId: "A unique string that identifies
    the request and that allows failed requests to be retried without the risk of running the operation twice."
    Errors: ``NamespaceAlreadyExists`` ("The namespace that you're trying to create already exists", with
    ``CreatorRequestId`` and ``NamespaceId``) and ``ServiceAlreadyExists`` ("The service can't be created because a
    service with the same name already exists", with ``CreatorRequestId`` and ``ServiceId``). moto 5.2 made a second service of the same
    name in the namespace, and answered a resent namespace ConflictingDomainExists.
    """
    backend_cls = sd_models.ServiceDiscoveryBackend
    create_namespace, create_service = backend_cls.create_private_dns_namespace, backend_cls.create_service

    def create_private_dns_namespace(self, name, creator_request_id, description, vpc, tags, properties):
        for namespace in self.namespaces.values():
            if namespace.name == name and namespace.vpc == vpc:
                if creator_request_id and namespace.creator_request_id == creator_request_id:
                    created = (i for i, op in self.operations.items() if (op.operation_type, op.targets.get("NAMESPACE")) == ("CREATE_NAMESPACE", namespace.id))
                    return next(created, None) or self._create_operation("CREATE_NAMESPACE", targets={"NAMESPACE": namespace.id})
                raise _already_exists(
                    "NamespaceAlreadyExists", f"Namespace {name} already exists", CreatorRequestId=namespace.creator_request_id, NamespaceId=namespace.id
                )
        return create_namespace(self, name, creator_request_id, description, vpc, tags, properties)

    def create_service_once(self, name, namespace_id, creator_request_id, *args, **kwargs):
        for service in self.services.values():
            if service.namespace_id == namespace_id and service.name.lower() == name.lower():
                if creator_request_id and service.creator_request_id == creator_request_id:
                    return service
                raise _already_exists(
                    "ServiceAlreadyExists", f"Service {name} already exists", CreatorRequestId=service.creator_request_id, ServiceId=service.id
                )
        return create_service(self, name, namespace_id, creator_request_id, *args, **kwargs)

    backend_cls.create_private_dns_namespace = create_private_dns_namespace
    backend_cls.create_service = create_service_once


def private_dns_namespaces_of_other_names_share_a_vpc():
    """A VPC holds several private DNS namespaces of different names (two environments of one account in one VPC).

    AWS API reference, CreatePrivateDnsNamespace, lists the errors DuplicateRequest, InvalidInput,
    NamespaceAlreadyExists, ResourceLimitExceeded and TooManyTagsException, and no limit of one namespace per VPC; the
    developer guide ("AWS Cloud Map namespaces") makes a private Route 53 hosted zone of the namespace's name, which a
    VPC may hold beside zones of other names (Route 53 refuses only a second zone of the same name in that VPC:
    ConflictingDomainExists, which the route53 patch of this layer enforces). moto refused any second namespace in a
    VPC with ConflictingDomainExists, whatever its name.
    """
    backend_cls = sd_models.ServiceDiscoveryBackend
    original = backend_cls.create_private_dns_namespace

    def create_private_dns_namespace(self, name, creator_request_id, description, vpc, tags, properties):
        # Set aside, for moto's check, the namespaces of other names in the VPC; same-name ones stay and are answered.
        aside = {key: ns for key, ns in self.namespaces.items() if ns.vpc == vpc and ns.name != name}
        for key in aside:
            del self.namespaces[key]
        try:
            return original(self, name, creator_request_id, description, vpc, tags, properties)
        finally:
            self.namespaces.update(aside)

    backend_cls.create_private_dns_namespace = create_private_dns_namespace


def _matches(value, condition, values):
    if condition == "BEGINS_WITH":
        return any(str(value).startswith(v) for v in values)
    return value in values  # EQ (one value) and IN


def list_services_and_namespaces_honour_their_filters():
    """ListServices keeps to its NAMESPACE_ID filter, and ListNamespaces to its TYPE and NAME filters.

    AWS API reference, ListServices, Filters: "A complex type that contains specifications for the namespaces that you
    want to list services for. If you specify more than one filter, an operation must match all filters to be returned";
    ServiceFilter Name NAMESPACE_ID, Condition EQ (default) or IN. ListNamespaces, NamespaceFilter: Name TYPE, NAME or
    HTTP_NAME, Condition EQ (default), IN or BEGINS_WITH. moto ignored both: a look-up of the service "backend" in one
    environment's namespace answered the "backend" of another environment's namespace in the same account (and teardown
    of the one deleted the other's).
    """
    from moto.servicediscovery import responses as sd_responses

    def filters(response):
        return json.loads(response.body or "{}").get("Filters") or []

    def list_services(self):
        services = self.servicediscovery_backend.list_services()
        for f in filters(self):
            if f.get("Name") == "NAMESPACE_ID":
                services = [s for s in services if _matches(s.namespace_id, f.get("Condition", "EQ"), f.get("Values", []))]
        return json.dumps({"Services": [s.to_json() for s in services]})

    def list_namespaces(self):
        namespaces = self.servicediscovery_backend.list_namespaces()
        fields = {"TYPE": lambda ns: ns.type, "NAME": lambda ns: ns.name, "HTTP_NAME": lambda ns: ns.name}
        for f in filters(self):
            field = fields.get(f.get("Name"))
            if field:
                namespaces = [ns for ns in namespaces if _matches(field(ns), f.get("Condition", "EQ"), f.get("Values", []))]
        return 200, {}, json.dumps({"Namespaces": [ns.to_json() for ns in namespaces]})

    sd_responses.ServiceDiscoveryResponse.list_services = list_services
    sd_responses.ServiceDiscoveryResponse.list_namespaces = list_namespaces
