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


def put_scaling_policy_updates_the_policy_of_that_name():
    """PutScalingPolicy with the name of an existing policy updates that policy: same ARN, and a target-tracking
    policy keeps one set of alarms.

    AWS API reference, PutScalingPolicy: "Creates or updates a scaling policy for an Application Auto Scaling scalable
    target"; "To update a policy, specify its policy name and the parameters that you want to change" (earlier
    editions); response ``Alarms``: "The CloudWatch alarms created for the target tracking scaling policy". The
    Application Auto Scaling User Guide, target tracking: Application Auto Scaling creates and manages the alarms of
    the policy, and deletes them with it. moto made a new policy object (a new ARN) and a new pair of alarms on every
    put, leaving the first pair behind: a put resent after a lost response doubled the policy's alarms.
    """
    backend_cls = aas_models.ApplicationAutoscalingBackend
    original = backend_cls.put_scaling_policy

    def put_scaling_policy(self, policy_name, service_namespace, resource_id, scalable_dimension, policy_body, policy_type):
        key = aas_models.FakeApplicationAutoscalingPolicy.formulate_key(service_namespace, resource_id, scalable_dimension, policy_name)
        held = self.policies.get(key)
        policy = original(self, policy_name, service_namespace, resource_id, scalable_dimension, policy_body, policy_type)
        if held is not None:
            held.delete_alarms(self.account_id, self.region_name)
            policy.delete_alarms(self.account_id, self.region_name)
            policy._guid, policy.policy_arn, policy.creation_time = held._guid, held.policy_arn, held.creation_time
            policy.alarms = []
            policy.create_alarms()
        return policy

    backend_cls.put_scaling_policy = put_scaling_policy
