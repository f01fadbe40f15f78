"""AWS Cloud Map (servicediscovery) behaviours that moto 5.2 lacks."""

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
