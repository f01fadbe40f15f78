"""An opt-in log of the requests the emulator answers, as the IAM actions they need.

Not a compatibility patch (it changes no answer): an instrument for tests. When the server starts with
``DITO_EMULATOR_REQUEST_LOG=<file>``, every signed AWS request appends one JSON line to that file::

    {"service": "elasticloadbalancing", "operation": "DescribeLoadBalancers",
     "action": "elasticloadbalancing:DescribeLoadBalancers", "role": "dito.chat.alb", "user_agent": "...",
     "access_key": "testing"}

- ``service`` is the IAM action prefix: the signing name of the request's SigV4 credential scope (what moto's
  own IAM enforcement uses), mapped where the two differ (CloudWatch signs as ``monitoring``).
- ``operation`` is the API operation (moto's reading of the request: Action, X-Amz-Target or the REST route).
- ``action`` is the IAM action that operation needs (Service Authorization Reference): the operation's own name,
  except for the operations listed in ``IAM_ACTIONS`` (mostly S3, whose IAM actions are not its API names).
- ``role`` is the dito.chat role that made the call: the ``app/<role>`` that site.yml and teardown.yml put in
  every module's User-Agent (``site__aws_defaults``, playbooks/vars/composition.yml); empty for other callers.
- ``access_key`` is the access key id that signed the request (its credential scope's first part; never a secret),
  which tells the inventory's keys from those of a session that the playbook assumed (``site_aws_role_arn``).

Requests without a SigV4 signature are not AWS API calls (moto's own ``/moto-api/`` reset, config and seed
endpoints) and are not logged. Under the fault layer (faults.py) a faulted request's line also has ``"fault"``
(``throttle``, ``error``, ``lost`` or ``latency``); a throttled or failed request, which moto never sees, is logged
by the fault layer itself.
"""

import json
import re
import threading

# Signing name (SigV4 credential scope) -> IAM action prefix, where they differ.
IAM_PREFIXES = {"monitoring": "cloudwatch"}

# API operation -> IAM action(s), where the IAM action is not "<prefix>:<operation>" (Service Authorization
# Reference, "Actions defined by ..."). Keys are "<prefix>:<operation>".
IAM_ACTIONS = {
    "s3:HeadBucket": ("s3:ListBucket",),
    "s3:ListObjects": ("s3:ListBucket",),
    "s3:ListObjectsV2": ("s3:ListBucket",),
    "s3:ListObjectVersions": ("s3:ListBucketVersions",),
    "s3:HeadObject": ("s3:GetObject",),
    "s3:DeleteObjects": ("s3:DeleteObject",),
    "s3:GetBucketEncryption": ("s3:GetEncryptionConfiguration",),
    "s3:PutBucketEncryption": ("s3:PutEncryptionConfiguration",),
    "s3:DeleteBucketEncryption": ("s3:PutEncryptionConfiguration",),
    "s3:GetPublicAccessBlock": ("s3:GetBucketPublicAccessBlock",),
    "s3:PutPublicAccessBlock": ("s3:PutBucketPublicAccessBlock",),
    "s3:DeletePublicAccessBlock": ("s3:PutBucketPublicAccessBlock",),
    "s3:GetBucketLifecycleConfiguration": ("s3:GetLifecycleConfiguration",),
    "s3:PutBucketLifecycleConfiguration": ("s3:PutLifecycleConfiguration",),
    "s3:DeleteBucketLifecycle": ("s3:PutLifecycleConfiguration",),
    "s3:DeleteBucketTagging": ("s3:PutBucketTagging",),
    "s3:DeleteBucketOwnershipControls": ("s3:PutBucketOwnershipControls",),
    "s3:GetBucketCors": ("s3:GetBucketCORS",),
    "s3:PutBucketCors": ("s3:PutBucketCORS",),
    "s3:DeleteBucketCors": ("s3:PutBucketCORS",),
    # CloudFront's CreateDistributionWithTags is authorised as CreateDistribution with TagResource (Service Authorization
    # Reference, Amazon CloudFront: CreateDistribution, dependent action TagResource when tags are given).
    "cloudfront:CreateDistributionWithTags": ("cloudfront:CreateDistribution", "cloudfront:TagResource"),
    # "No permissions are required to perform this operation" (STS API reference, GetCallerIdentity); an explicit
    # deny cannot refuse it either.
    "sts:GetCallerIdentity": (),
}

_APP_ID = re.compile(r"(?:^|\s)app/(\S+)")
_CREDENTIAL = re.compile(r"Credential=([^/]+)/[^/]+/[^/]+/([^/]+)/aws4_request")
_LOCK = threading.Lock()
_STATE = {"path": None}  # the log file while the log is on
# The WSGI environ keys where the fault layer (faults.py) notes the fault it gave the request, and where it asks for
# the line to be handed back to it (it writes the line itself once it knows whether the response was lost).
FAULT_KEY = "dito.fault"
DEFERRED_KEY = "dito.fault.deferred"


def iam_actions(prefix, operation):
    """The IAM actions an API operation of the service with that IAM prefix needs."""
    key = f"{prefix}:{operation}"
    return IAM_ACTIONS.get(key, (key,))


def entry(headers, operation):
    """The log line's fields for a request with these headers, or None for an unsigned request."""
    match = _CREDENTIAL.search(headers.get("Authorization") or "")
    if not match or not operation:
        return None
    prefix = IAM_PREFIXES.get(match[2], match[2])
    user_agent = headers.get("User-Agent") or ""
    app = _APP_ID.search(user_agent)
    return {
        "service": prefix,
        "operation": operation,
        "actions": list(iam_actions(prefix, operation)),
        "role": app[1] if app else "",
        "user_agent": user_agent,
        "access_key": match[1],
    }


def log_request(headers, operation, fault=None):
    """Append the line of a signed request (with the fault it got, if any) when the log is on."""
    path = _STATE["path"]
    line = entry(headers, operation) if path else None
    if line is None:
        return
    if fault:
        line["fault"] = fault
    with _LOCK, open(path, "a", encoding="utf-8") as log:
        log.write(json.dumps(line) + "\n")


def enable(path):
    """Log every signed request that moto answers to `path` (appended, one JSON object a line) until disable()."""
    from moto.core.responses import BaseResponse

    disable()
    _STATE["path"] = path
    original = BaseResponse.setup_class

    def setup_class(self, request, *args, **kwargs):
        original(self, request, *args, **kwargs)
        # S3's setup_class calls this one through super(): log once per request, from the outermost call.
        if getattr(request, "_dito_logged", False):
            return
        try:
            operation = self._get_action()
        except Exception:  # moto cannot name it: the request then fails on its own
            operation = None
        if entry(request.headers, operation) is None:
            return
        request._dito_logged = True
        environ = getattr(request, "environ", None) or {}
        if DEFERRED_KEY in environ:
            environ[DEFERRED_KEY] = (request.headers, operation)
        else:
            log_request(request.headers, operation, environ.get(FAULT_KEY))

    setup_class.original = original
    BaseResponse.setup_class = setup_class


def disable():
    """Stop logging (undo enable())."""
    from moto.core.responses import BaseResponse

    _STATE = {"path": None}  # the log file while the log is on
    original = getattr(BaseResponse.setup_class, "original", None)
    if original is not None:
        BaseResponse.setup_class = original


def read(path, offset=0):
    """The log's entries from byte `offset` on."""
    with open(path, encoding="utf-8") as log:
        log.seek(offset)
        return [json.loads(line) for line in log if line.strip()]
