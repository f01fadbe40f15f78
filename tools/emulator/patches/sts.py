"""AWS STS behaviours that moto 5.2 lacks."""

from moto.core.exceptions import AccessDeniedError
from moto.iam.exceptions import NotFoundException
from moto.iam.models import iam_backends
from moto.sts import models as sts_models
from moto.utilities.utils import get_partition


def assume_role_refuses_a_role_that_does_not_exist():
    """AssumeRole of a role ARN that names no role of its account answers AccessDenied.

    AWS STS API reference, AssumeRole, RoleArn: "The Amazon Resource Name (ARN) of the role to assume"; errors: the
    caller gets ``AccessDenied`` ("User: <caller> is not authorized to perform: sts:AssumeRole on resource: <role>")
    when it may not assume that role, which includes a role that does not exist (IAM evaluates the role's trust policy).
    moto handed out credentials for any ARN ("the role does not need to exist"), so a typo in site_aws_role_arn passed.
    (The trust policy itself is not evaluated here.)
    """
    original = sts_models.STSBackend.assume_role

    def assume_role(self, region_name, role_session_name, role_arn, policy, duration, external_id):
        account = role_arn.split(":")[4] if role_arn.count(":") >= 5 else ""
        try:
            iam_backends[account][get_partition(region_name)].get_role_by_arn(role_arn)
        except (KeyError, NotFoundException):
            raise AccessDeniedError(f"arn:aws:iam::{self.account_id}:user/caller", f"sts:AssumeRole on resource: {role_arn}") from None
        return original(self, region_name, role_session_name, role_arn, policy, duration, external_id)

    sts_models.STSBackend.assume_role = assume_role
