"""Application Auto Scaling behaviours that moto 5.2 bends."""

from moto.applicationautoscaling import models as aas_models


def deregistering_a_scalable_target_deletes_its_policies():
    """DeregisterScalableTarget deletes the target's scaling policies (with the alarms of target-tracking policies)
    and its scheduled actions.

    AWS API reference, DeregisterScalableTarget: "Deregistering a scalable target deletes the scaling policies and
    the scheduled actions that are associated with it." Target-tracking policies own their CloudWatch alarms, which go
    with them (as in DeleteScalingPolicy). moto removed the target only: policies and their alarms stayed.
    """
    backend_cls = aas_models.ApplicationAutoscalingBackend
    original = backend_cls.deregister_scalable_target

    def deregister_scalable_target(self, namespace, r_id, dimension):
        original(self, namespace, r_id, dimension)
        for key, policy in list(self.policies.items()):
            if (policy.service_namespace, policy.resource_id, policy.scalable_dimension) == (namespace, r_id, dimension):
                policy.delete_alarms(self.account_id, self.region_name)
                del self.policies[key]
        self.scheduled_actions = [
            a for a in self.scheduled_actions if (a.service_namespace, a.resource_id, a.scalable_dimension) != (namespace, r_id, dimension)
        ]

    backend_cls.deregister_scalable_target = deregister_scalable_target
