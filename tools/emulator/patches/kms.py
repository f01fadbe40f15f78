"""AWS KMS behaviours that moto 5.2 bends."""

from moto.kms import models as kms_models


def schedule_key_deletion_accepts_key_arn():
    """ScheduleKeyDeletion takes a key ARN as well as a key id.

    AWS API reference, ScheduleKeyDeletion, request parameter ``KeyId``: "The unique identifier of the KMS
    key to delete. Specify the key ID or key ARN of the KMS key." moto looked the value up as a key id only
    and answered 500 for an ARN (amazon.aws.kms_key passes the ARN).
    """
    backend_cls = kms_models.KmsBackend
    original = backend_cls.schedule_key_deletion

    def schedule_key_deletion(self, key_id, pending_window_in_days):
        return original(self, self.any_id_to_key_id(key_id), pending_window_in_days)

    backend_cls.schedule_key_deletion = schedule_key_deletion
