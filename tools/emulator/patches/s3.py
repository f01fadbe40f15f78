"""Amazon S3 behaviours that moto 5.2 bends, and the IAM condition evaluation the ELB patches share."""

import json
import re

from moto.s3 import models as s3_models

# What a request to the emulator says about itself. Clients of AWS reach S3 over HTTPS (the modules' boto3 does); the
# emulator listens on plain HTTP on loopback only because it is local, so it answers as AWS's HTTPS endpoint would.
REQUEST_CONTEXT = {"aws:securetransport": "true"}


def listed(value):
    return value if isinstance(value, list) else [value]


def like(pattern, value):
    """IAM's wildcard match (* and ?), case-sensitive."""
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", "."), value) is not None


def condition_holds(condition, context):
    """Whether a statement's Condition block holds for a request's context (lower-cased keys; a key absent from it is
    absent, as on AWS: a positive operator fails on it, a negated or ...IfExists one passes). An operator this does not
    know fails, so that it never grants."""
    for operator, tests in (condition or {}).items():
        if_exists = operator.endswith("IfExists")
        base = operator[: -len("IfExists")] if if_exists else operator
        for key, values in tests.items():
            wanted = [str(w).lower() if base == "Bool" else str(w) for w in listed(values)]
            value = context.get(key.lower())
            if base == "Null":
                if (value is None) != (wanted[0].lower() == "true"):
                    return False
                continue
            if value is None:
                if if_exists or "Not" in base:
                    continue
                return False
            if base in ("StringEquals", "ArnEquals", "Bool"):
                ok = value in wanted
            elif base in ("StringLike", "ArnLike"):
                ok = any(like(w, value) for w in wanted)
            elif base in ("StringNotEquals", "ArnNotEquals"):
                ok = value not in wanted
            elif base in ("StringNotLike", "ArnNotLike"):
                ok = not any(like(w, value) for w in wanted)
            else:
                ok = False
            if not ok:
                return False
    return True


def bucket_policy_conditions_are_evaluated():
    """A bucket policy statement applies only when its Condition holds; a request over TLS passes aws:SecureTransport.

    IAM User Guide, "Policy evaluation logic" / "IAM JSON policy elements: Condition": "The Condition element ... lets
    you specify conditions for when a policy is in effect"; a statement whose condition is false does not apply. Global
    condition keys, aws:SecureTransport: "Use this key to check whether the request was sent using TLS." moto ignores
    conditions and treats a statement with one as matching, so the TLS-only statement every hardened bucket carries
    ({"Effect": "Deny", "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}) denied every
    DeleteObjects key and PutObject, where AWS admits the HTTPS requests of the clients. Statements without a
    condition keep moto's evaluation.
    """
    from moto.iam.access_control import IAMPolicy
    from moto.iam.access_control import PermissionResult

    bucket_cls = s3_models.FakeBucket

    def get_permission(self, action, resource):
        if self.policy is None:
            return PermissionResult.NEUTRAL
        policy = json.loads(self.policy.decode() if isinstance(self.policy, bytes) else self.policy)
        statements = []
        for statement in listed(policy.get("Statement", [])):
            if "Condition" in statement and not condition_holds(statement["Condition"], REQUEST_CONTEXT):
                continue
            statements.append({k: v for k, v in statement.items() if k != "Condition"})
        return IAMPolicy(json.dumps({"Version": policy.get("Version", "2012-10-17"), "Statement": statements})).is_action_permitted(action, resource)

    bucket_cls.get_permission = get_permission
