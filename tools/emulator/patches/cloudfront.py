"""Amazon CloudFront behaviours that moto 5.2 lacks or bends (API version 2020-05-31).

Emulator-only switch: ``DITO_EMULATOR_CLOUDFRONT_DEPLOY_SECONDS`` (environment, when the server starts) or
``POST /moto-api/config {"cloudfront": {"deploy_seconds": x}}``: seconds a distribution stays ``InProgress`` after
a create or an update before it is ``Deployed`` (default 1; AWS takes minutes).
"""

import copy
import os
import time

from moto.acm.models import acm_backends
from moto.cloudfront import models as cf_models
from moto.cloudfront import responses as cf_responses
from moto.cloudfront import urls as cf_urls
from moto.cloudfront.exceptions import CloudFrontException
from moto.cloudfront.exceptions import DistributionAlreadyExists
from moto.core.config import default_user_config
from moto.core.responses import ActionResult
from moto.moto_api._internal.models import MotoAPIBackend

DEPLOY_ENV = "DITO_EMULATOR_CLOUDFRONT_DEPLOY_SECONDS"
DEFAULT_DEPLOY_SECONDS = 1.0
MODIFIED = "2020-01-01T00:00:00Z"
# The canonical id of the awslogsdelivery account (CloudFront Developer Guide, "Standard logging (legacy)":
# "CloudFront ... adds the awslogsdelivery account to the bucket's ACL with FULL_CONTROL permission").
AWSLOGSDELIVERY = "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0"


def _headers(behavior, items=None):
    return {"HeaderBehavior": behavior, "Headers": {"Quantity": len(items or []), **({"Items": items} if items else {})}}


def _cache_config(name, ttl, gzip, headers=None, cookies="none", query="none"):
    minimum, default, maximum = ttl
    return {
        "Comment": f"Managed policy {name}",
        "Name": name,
        "MinTTL": minimum,
        "DefaultTTL": default,
        "MaxTTL": maximum,
        "ParametersInCacheKeyAndForwardedToOrigin": {
            "EnableAcceptEncodingGzip": gzip,
            "EnableAcceptEncodingBrotli": gzip,
            "HeadersConfig": _headers("whitelist" if headers else "none", headers),
            "CookiesConfig": {"CookieBehavior": cookies},
            "QueryStringsConfig": {"QueryStringBehavior": query},
        },
    }


def _origin_request_config(name, headers="none", header_items=None, cookies="none", query="none"):
    return {
        "Comment": f"Managed policy {name}",
        "Name": name,
        "HeadersConfig": _headers(headers, header_items),
        "CookiesConfig": {"CookieBehavior": cookies},
        "QueryStringsConfig": {"QueryStringBehavior": query},
    }


SECURITY_HEADERS = {
    "XSSProtection": {"Override": False, "Protection": True, "ModeBlock": True},
    "FrameOptions": {"Override": False, "FrameOption": "SAMEORIGIN"},
    "ReferrerPolicy": {"Override": False, "ReferrerPolicy": "strict-origin-when-cross-origin"},
    "ContentTypeOptions": {"Override": True},
    "StrictTransportSecurity": {"Override": False, "IncludeSubdomains": False, "Preload": False, "AccessControlMaxAgeSec": 31536000},
}
SIMPLE_CORS = {
    "AccessControlAllowOrigins": {"Quantity": 1, "Items": ["*"]},
    "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["*"]},
    "AccessControlAllowMethods": {"Quantity": 1, "Items": ["ALL"]},
    "AccessControlAllowCredentials": False,
    "OriginOverride": False,
}


def _headers_config(name, security=False, cors=False):
    config = {"Comment": f"Managed policy {name}", "Name": name}
    if security:
        config["SecurityHeadersConfig"] = SECURITY_HEADERS
    if cors:
        config["CorsConfig"] = SIMPLE_CORS
    return config


# The managed policies, their names as the API answers them and their ids, from the CloudFront Developer Guide's
# "Use managed cache policies", "Use managed origin request policies", "Use managed response headers policies".
MANAGED = {
    "cache": {
        "2e54312d-136d-493c-8eb9-b001f22f67d2": _cache_config(
            "Managed-Amplify", (2, 2, 600), True, ["Authorization", "CloudFront-Viewer-Country", "Host"], "all", "all"
        ),
        "4135ea2d-6df8-44a3-9df3-4b5a84be39ad": _cache_config("Managed-CachingDisabled", (0, 0, 0), False),
        "658327ea-f89d-4fab-a63d-7e88639e58f6": _cache_config("Managed-CachingOptimized", (1, 86400, 31536000), True),
        "b2884449-e4de-46a7-ac36-70bc7f1ddd6d": _cache_config("Managed-CachingOptimizedForUncompressedObjects", (1, 86400, 31536000), False),
        "08627262-05a9-4f76-9ded-b50ca2e3a84f": _cache_config("Managed-Elemental-MediaPackage", (0, 86400, 31536000), True, ["origin"], "none", "whitelist"),
        "83da9c7e-98b4-4e11-a168-04f0df8e2c65": _cache_config(
            "UseOriginCacheControlHeaders", (0, 0, 31536000), True, ["host", "origin", "x-http-method-override", "x-http-method", "x-method-override"], "all"
        ),
        "4cc15a8a-d715-48a4-82b8-cc0b614638fe": _cache_config(
            "UseOriginCacheControlHeaders-QueryStrings",
            (0, 0, 31536000),
            True,
            ["host", "origin", "x-http-method-override", "x-http-method", "x-method-override"],
            "all",
            "all",
        ),
    },
    "origin_request": {
        "216adef6-5c7f-47e4-b989-5492eafa07d3": _origin_request_config("Managed-AllViewer", "allViewer", None, "all", "all"),
        "33f36d7e-f396-46d9-90e0-52428a34d9dc": _origin_request_config(
            "Managed-AllViewerAndCloudFrontHeaders-2022-06", "allViewerAndWhitelistCloudFront", None, "all", "all"
        ),
        "b689b0a8-53d0-40ab-baf2-68738e2966ac": _origin_request_config("Managed-AllViewerExceptHostHeader", "allExcept", ["host"], "all", "all"),
        "59781a5b-3903-41f3-afcb-af62929ccde1": _origin_request_config("Managed-CORS-CustomOrigin", "whitelist", ["origin"]),
        "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf": _origin_request_config(
            "Managed-CORS-S3Origin", "whitelist", ["origin", "access-control-request-headers", "access-control-request-method"]
        ),
        "775133bc-15f2-49f9-abea-afb2e0bf67d2": _origin_request_config(
            "Managed-Elemental-MediaTailor-PersonalizedManifests", "whitelist", ["origin"], "none", "all"
        ),
        "acba4595-bd28-49b8-b9fe-13317c0390fa": _origin_request_config("Managed-UserAgentRefererHeaders", "whitelist", ["user-agent", "referer"]),
    },
    "response_headers": {
        "e61eb60c-9c35-4d20-a928-2b84e02af89c": _headers_config("Managed-CORS-and-SecurityHeadersPolicy", security=True, cors=True),
        "5cc3b908-e619-4b99-88e5-2cf7f45965bd": _headers_config("Managed-CORS-With-Preflight", cors=True),
        "eaab4381-ed33-4a86-88ca-d9558dc6cd63": _headers_config("Managed-CORS-with-preflight-and-SecurityHeadersPolicy", security=True, cors=True),
        "67f7725c-6f97-4210-82d7-5512b31e9d03": _headers_config("Managed-SecurityHeadersPolicy", security=True),
        "60669652-455b-4ae9-85a4-c4c02393f86c": _headers_config("Managed-SimpleCORS", cors=True),
    },
}
KINDS = {
    # kind: (URL part, API noun, missing-error code)
    "cache": ("cache-policy", "CachePolicy", "NoSuchCachePolicy"),
    "origin_request": ("origin-request-policy", "OriginRequestPolicy", "NoSuchOriginRequestPolicy"),
    "response_headers": ("response-headers-policy", "ResponseHeadersPolicy", "NoSuchResponseHeadersPolicy"),
}


def error(code, message):
    return CloudFrontException(code, message)


def _policy(kind, policy_id):
    noun = KINDS[kind][1]
    return {"Id": policy_id, "LastModifiedTime": MODIFIED, f"{noun}Config": MANAGED[kind][policy_id]}


def managed_policies_are_listed():
    """List/Get Cache, OriginRequest and ResponseHeaders policies answer AWS's managed policies.

    CloudFront API reference, ListCachePolicies: "Gets a list of cache policies. You can optionally apply a filter to
    return only the managed policies created by AWS, or only the custom policies created in your AWS account" (Type
    managed | custom); GetCachePolicy: "Gets a cache policy, including the following metadata: The policy's identifier;
    The date and time when the policy was last modified" (NoSuchCachePolicy); the same for ListOriginRequestPolicies /
    GetOriginRequestPolicy and ListResponseHeadersPolicies / GetResponseHeadersPolicy. The names and ids are the
    Developer Guide's ("Use managed cache policies", ...). moto served none of these operations. Custom policies
    cannot be created in the emulator: Type custom answers an empty list.
    """
    response_cls = cf_responses.CloudFrontResponse
    for kind, (part, noun, missing) in KINDS.items():
        cf_urls.url_paths[f"{{0}}/2020-05-31/{part}$"] = response_cls.dispatch
        cf_urls.url_paths[f"{{0}}/2020-05-31/{part}/(?P<policy_id>[^/]+)$"] = response_cls.dispatch

        def list_policies(self, kind=kind, noun=noun):
            wanted = self._get_param("Type")
            items = [] if wanted == "custom" else [{"Type": "managed", noun: _policy(kind, i)} for i in MANAGED[kind]]
            return ActionResult({f"{noun}List": {"MaxItems": 100, "Quantity": len(items), "Items": items}})

        def get_policy(self, kind=kind, noun=noun, missing=missing):
            policy_id = self._get_param("Id")
            if policy_id not in MANAGED[kind]:
                raise error(missing, f"The {noun[0].lower() + noun[1:]} does not exist.")
            return ActionResult({noun: _policy(kind, policy_id), "ETag": "E23ZP02F085DFQ"})

        snake = {"cache": "cache_policies", "origin_request": "origin_request_policies", "response_headers": "response_headers_policies"}[kind]
        setattr(response_cls, f"list_{snake}", list_policies)
        setattr(response_cls, f"get_{snake[:-3]}y", get_policy)


# ---------------------------------------------------------------------------------------------------------------
# Distributions


def clock():
    """Wall time in seconds (tests replace it)."""
    return time.time()


def deploy_seconds():
    configured = default_user_config.get("cloudfront", {}).get("deploy_seconds")
    if configured is None:
        configured = os.environ.get(DEPLOY_ENV) or DEFAULT_DEPLOY_SECONDS
    return float(configured)


class StoredConfig(dict):
    """A DistributionConfig as AWS holds it (moto's backend reads ``caller_reference``)."""

    @property
    def caller_reference(self):
        return self["CallerReference"]


def _quantities(value):
    """Every {Items: [...]} wrapper gets its Quantity; an empty Items is left out, as AWS answers it."""
    if isinstance(value, dict):
        if "Items" in value or "Quantity" in value:
            items = value.get("Items") or []
            value["Quantity"] = len(items)
            if not items:
                value.pop("Items", None)
        for item in value.values():
            _quantities(item)
    elif isinstance(value, list):
        for item in value:
            _quantities(item)
    return value


def _behavior_defaults(behavior):
    behavior.setdefault("TrustedSigners", {"Enabled": False, "Quantity": 0})
    behavior.setdefault("TrustedKeyGroups", {"Enabled": False, "Quantity": 0})
    methods = behavior.setdefault("AllowedMethods", {"Items": ["HEAD", "GET"]})
    methods.setdefault("CachedMethods", {"Items": ["HEAD", "GET"]})
    for key, default in (
        ("SmoothStreaming", False),
        ("Compress", False),
        ("LambdaFunctionAssociations", {"Quantity": 0}),
        ("FunctionAssociations", {"Quantity": 0}),
        ("FieldLevelEncryptionId", ""),
    ):
        behavior.setdefault(key, default)
    return behavior


def with_aws_defaults(config):
    """The DistributionConfig as GetDistributionConfig answers it: what was sent, with AWS's defaults."""
    c = copy.deepcopy(config)
    c.setdefault("Aliases", {"Quantity": 0})
    c.setdefault("DefaultRootObject", "")
    for origin in (c.get("Origins") or {}).get("Items") or []:
        origin.setdefault("OriginPath", "")
        origin.setdefault("CustomHeaders", {"Quantity": 0})
        origin.setdefault("ConnectionAttempts", 3)
        origin.setdefault("ConnectionTimeout", 10)
        origin.setdefault("OriginShield", {"Enabled": False})
        origin.setdefault("OriginAccessControlId", "")
        custom = origin.get("CustomOriginConfig")
        if custom is not None:
            custom.setdefault("OriginSslProtocols", {"Items": ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"]})
            custom.setdefault("OriginReadTimeout", 30)
            custom.setdefault("OriginKeepaliveTimeout", 5)
    c.setdefault("OriginGroups", {"Quantity": 0})
    _behavior_defaults(c.setdefault("DefaultCacheBehavior", {}))
    c.setdefault("CacheBehaviors", {"Quantity": 0})
    for behavior in c["CacheBehaviors"].get("Items") or []:
        _behavior_defaults(behavior)
    c.setdefault("CustomErrorResponses", {"Quantity": 0})
    c.setdefault("Comment", "")
    logging = c.get("Logging") or {}
    c["Logging"] = {"Enabled": bool(logging.get("Enabled")), "IncludeCookies": bool(logging.get("IncludeCookies")), "Bucket": "", "Prefix": ""}
    if c["Logging"]["Enabled"]:
        c["Logging"].update(Bucket=logging.get("Bucket") or "", Prefix=logging.get("Prefix") or "")
    c.setdefault("PriceClass", "PriceClass_All")
    viewer = c.get("ViewerCertificate") or {}
    if viewer.get("ACMCertificateArn"):
        c["ViewerCertificate"] = {
            "CloudFrontDefaultCertificate": False,
            "ACMCertificateArn": viewer["ACMCertificateArn"],
            "SSLSupportMethod": viewer.get("SSLSupportMethod") or "sni-only",
            "MinimumProtocolVersion": viewer.get("MinimumProtocolVersion") or "TLSv1",
            "Certificate": viewer["ACMCertificateArn"],
            "CertificateSource": "acm",
        }
    else:
        c["ViewerCertificate"] = {
            "CloudFrontDefaultCertificate": True,
            "SSLSupportMethod": "vip",
            "MinimumProtocolVersion": "TLSv1",
            "CertificateSource": "cloudfront",
        }
    c.setdefault("Restrictions", {"GeoRestriction": {"RestrictionType": "none", "Quantity": 0}})
    c.setdefault("WebACLId", "")
    c.setdefault("HttpVersion", "http2")
    c.setdefault("IsIPV6Enabled", False)
    c.setdefault("Staging", False)
    c.setdefault("ContinuousDeploymentPolicyId", "")
    return StoredConfig(_quantities(c))


def distribution_configs_round_trip():
    """GetDistributionConfig / GetDistribution / ListDistributions answer the whole DistributionConfig that was sent.

    CloudFront API reference, DistributionConfig: every element (HttpVersion, IsIPV6Enabled, Origins with
    CustomHeaders and OriginSslProtocols, CacheBehaviors with CachePolicyId / OriginRequestPolicyId /
    ResponseHeadersPolicyId, Compress, WebACLId, Logging, ViewerCertificate...) is returned as set; elements not given
    take the documented defaults (HttpVersion http2, Compress false, ...). moto rebuilt the config from a few known
    fields: it dropped ResponseHeadersPolicyId on cache behaviours, added ForwardedValues and TTLs beside a cache
    policy, ignored the ACM certificate's Certificate/CertificateSource, and returned an invented default certificate.
    """
    backend_cls = cf_models.CloudFrontBackend
    original_create = backend_cls.create_distribution_with_tags
    original_update = backend_cls.update_distribution

    def create_distribution_with_tags(self, distribution_config, tags):
        stored = with_aws_defaults(distribution_config)
        dist, location, etag = original_create(self, copy.deepcopy(distribution_config), tags)
        dist.distribution_config = stored
        return dist, location, etag

    def update_distribution(self, dist_config, _id, if_match):
        stored = with_aws_defaults(dist_config)
        dist, location, etag = original_update(self, copy.deepcopy(dist_config), _id, if_match)
        dist.distribution_config = stored
        return dist, location, etag

    backend_cls.create_distribution_with_tags = create_distribution_with_tags
    backend_cls.update_distribution = update_distribution

    def __getattr__(self, name):
        if name in cf_models.DISTRIBUTION_CONFIG_FIELDS or name == "Staging":
            config = self.__dict__.get("distribution_config")
            if isinstance(config, dict):
                return config.get(name)
            return getattr(config, name)
        raise AttributeError(name)

    cf_models.Distribution.__getattr__ = __getattr__


def etags_change_and_if_match_is_checked():
    """UpdateDistribution and DeleteDistribution need the current ETag in If-Match; an update makes a new ETag.

    CloudFront API reference, UpdateDistribution: "IfMatch: The value of the ETag header that you received when
    retrieving the distribution's configuration"; errors InvalidIfMatchVersion ("The If-Match version is missing or
    not valid") and PreconditionFailed ("The precondition in one or more of the request fields evaluated to false",
    HTTP 412); the response's ETag is "The current version of the configuration". DeleteDistribution: the same
    If-Match. moto accepted any value and never changed the ETag.
    """
    backend_cls = cf_models.CloudFrontBackend
    original_update = backend_cls.update_distribution
    original_delete = backend_cls.delete_distribution

    def check(self, distribution_id, if_match):
        dist = self.distributions.get(distribution_id)
        if dist is None:
            raise cf_models.NoSuchDistribution
        if not if_match:
            raise cf_models.InvalidIfMatchVersion
        if if_match != dist.etag:
            raise error("PreconditionFailed", "The request failed because it didn't meet the preconditions in one or more request-header fields.")
        return dist

    def update_distribution(self, dist_config, _id, if_match):
        dist = check(self, _id, if_match)
        result = original_update(self, dist_config, _id, if_match)
        dist.etag = cf_models.random_id()
        return result[0], result[1], dist.etag

    def delete_distribution(self, distribution_id, if_match):
        check(self, distribution_id, if_match)
        return original_delete(self, distribution_id, if_match)

    backend_cls.update_distribution = update_distribution
    backend_cls.delete_distribution = delete_distribution


def distributions_deploy_then_only_disabled_ones_are_deleted():
    """A distribution is InProgress after a create or an update, Deployed a while later; DeleteDistribution refuses one
    that is enabled or not yet deployed.

    CloudFront API reference, Distribution.Status: "When a distribution is created, the value of Status is InProgress.
    When the distribution is fully propagated to all CloudFront edge locations, the value is Deployed."
    DeleteDistribution: "you must first disable the distribution ... wait until the value of Status for the
    distribution changes to Deployed"; error DistributionNotDisabled ("The specified CloudFront distribution is not
    disabled. You must disable the distribution before you can delete it."). moto reported Deployed on the second read
    whatever the time and deleted enabled distributions. The delay is the emulator-only ``deploy_seconds`` (module doc).
    """
    backend_cls = cf_models.CloudFrontBackend
    original_create = backend_cls.create_distribution_with_tags
    original_update = backend_cls.update_distribution
    original_delete = backend_cls.delete_distribution

    def create_distribution_with_tags(self, distribution_config, tags):
        result = original_create(self, distribution_config, tags)
        result[0].changed_at = clock()
        return result

    def update_distribution(self, dist_config, _id, if_match):
        result = original_update(self, dist_config, _id, if_match)
        result[0].changed_at = clock()
        return result

    def delete_distribution(self, distribution_id, if_match):
        dist = self.distributions.get(distribution_id)
        if dist is not None and (dist.distribution_config.get("Enabled") or dist.status != "Deployed"):
            raise error("DistributionNotDisabled", "The distribution you are trying to delete has not been disabled.")
        return original_delete(self, distribution_id, if_match)

    def status(self):
        changed = self.__dict__.get("changed_at")
        return "InProgress" if changed is not None and clock() - changed < deploy_seconds() else "Deployed"

    def set_status(self, value):
        pass  # moto's ManagedState writes it; the time decides

    backend_cls.create_distribution_with_tags = create_distribution_with_tags
    backend_cls.update_distribution = update_distribution
    backend_cls.delete_distribution = delete_distribution
    cf_models.Distribution.status = property(status, set_status)

    original_set_config = MotoAPIBackend.set_config

    def set_config(self, config):
        original_set_config(self, config)
        if "deploy_seconds" in config.get("cloudfront", {}):
            default_user_config.setdefault("cloudfront", {})["deploy_seconds"] = float(config["cloudfront"]["deploy_seconds"])

    original_reset = MotoAPIBackend.reset

    def reset(self):
        default_user_config.get("cloudfront", {}).pop("deploy_seconds", None)
        original_reset(self)

    MotoAPIBackend.set_config = set_config
    MotoAPIBackend.reset = reset


def _behaviors(config):
    yield config.get("DefaultCacheBehavior") or {}
    yield from (config.get("CacheBehaviors") or {}).get("Items") or []


def _covers(names, alias):
    return any(name == alias or (name.startswith("*.") and alias.count(".") == name.count(".") and alias.split(".", 1)[1] == name[2:]) for name in names)


def _check_config(backend, config):
    for behavior in _behaviors(config):
        if behavior.get("CachePolicyId") and behavior.get("ForwardedValues"):
            raise error("InvalidArgument", "The parameter ForwardedValues cannot be used when a cache policy is associated to the cache behavior.")
        for key, kind in (("CachePolicyId", "cache"), ("OriginRequestPolicyId", "origin_request"), ("ResponseHeadersPolicyId", "response_headers")):
            if behavior.get(key) and behavior[key] not in MANAGED[kind]:
                code = KINDS[kind][2]
                raise error(code, f"The {KINDS[kind][1]} {behavior[key]} does not exist.")
    aliases = (config.get("Aliases") or {}).get("Items") or []
    arn = (config.get("ViewerCertificate") or {}).get("ACMCertificateArn")
    if arn:
        parts = arn.split(":")
        if len(parts) < 6 or parts[3] != "us-east-1":
            raise error(
                "InvalidViewerCertificate",
                "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain.",
            )
        certificates = acm_backends[backend.account_id]["us-east-1"]._certificates
        certificate = certificates.get(arn)
        if certificate is None:
            raise error(
                "InvalidViewerCertificate",
                "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain.",
            )
        names = [certificate.common_name, *(certificate.sans or [])]
        for alias in aliases:
            if not _covers(names, alias):
                raise error(
                    "InvalidViewerCertificate",
                    f"The certificate that is attached to your distribution doesn't cover the alternate domain name (CNAME) that you're trying to add: {alias}",
                )
    elif aliases:
        raise error(
            "InvalidViewerCertificate",
            "To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that validates your "
            "authorization to use the domain name.",
        )
    logging = config.get("Logging") or {}
    if logging.get("Enabled"):
        from moto.s3.models import s3_backends

        host = logging.get("Bucket") or ""
        name = host[: -len(".s3.amazonaws.com")] if host.endswith(".s3.amazonaws.com") else None
        bucket = s3_backends[backend.account_id]["aws"].buckets.get(name) if name else None
        if bucket is None:
            raise error("InvalidArgument", f"The S3 bucket that you specified for CloudFront logs does not exist: {host}")
        # A bucket without ownership controls has AWS's default for new buckets, BucketOwnerEnforced (S3 User Guide).
        if "BucketOwnerEnforced" in str(bucket.ownership_rule or "BucketOwnerEnforced"):
            raise error("InvalidArgument", f"The S3 bucket that you specified for CloudFront logs does not enable ACL access: {host}")
        return bucket
    return None


def _grant_log_delivery(bucket):
    from moto.s3.models import FakeAcl
    from moto.s3.models import FakeGrant
    from moto.s3.models import FakeGrantee

    acl = bucket.acl or FakeAcl([])
    if not any(g.id == AWSLOGSDELIVERY for grant in acl.grants for g in grant.grantees):
        acl.grants.append(FakeGrant([FakeGrantee(grantee_id=AWSLOGSDELIVERY, display_name="awslogsdelivery")], ["FULL_CONTROL"]))
    bucket.acl = acl


def distribution_configs_are_checked():
    """CreateDistribution / UpdateDistribution refuse what CloudFront refuses, and standard logging grants itself the
    bucket's ACL.

    CloudFront API reference, CreateDistribution errors: NoSuchCachePolicy, NoSuchOriginRequestPolicy,
    NoSuchResponseHeadersPolicy ("The response headers policy does not exist"), InvalidArgument, and
    InvalidViewerCertificate; CacheBehavior.ForwardedValues: "A CacheBehavior must include either a CachePolicyId or
    ForwardedValues" (not both). ViewerCertificate.ACMCertificateArn: "the certificate must be in the US East
    (N. Virginia) Region (us-east-1)"; the Developer Guide, "Requirements for using alternate domain names": the
    certificate must cover every alias. Developer Guide, "Standard logging (legacy)": "Don't choose an Amazon S3
    bucket with S3 Object Ownership set to bucket owner enforced"; when logging is turned on, CloudFront adds the
    awslogsdelivery account to the bucket ACL with FULL_CONTROL. moto checked none of this.
    """
    backend_cls = cf_models.CloudFrontBackend
    original_create = backend_cls.create_distribution_with_tags
    original_update = backend_cls.update_distribution

    def create_distribution_with_tags(self, distribution_config, tags):
        bucket = _check_config(self, distribution_config)
        result = original_create(self, distribution_config, tags)
        if bucket is not None:
            _grant_log_delivery(bucket)
        return result

    def update_distribution(self, dist_config, _id, if_match):
        bucket = _check_config(self, dist_config or {})
        result = original_update(self, dist_config, _id, if_match)
        if bucket is not None:
            _grant_log_delivery(bucket)
        return result

    backend_cls.create_distribution_with_tags = create_distribution_with_tags
    backend_cls.update_distribution = update_distribution


def a_caller_reference_is_never_used_again():
    """CreateDistribution / CreateDistributionWithTags with a CallerReference sent in an earlier create answer
    DistributionAlreadyExists (HTTP 409), the reference of a distribution deleted since included.

    CloudFront API reference (2020-05-31), DistributionConfig, CallerReference: "A unique value (for example, a
    date-time stamp) that ensures that the request can't be replayed. If the value of CallerReference is new
    (regardless of the content of the DistributionConfig object), CloudFront creates a new distribution. If
    CallerReference is a value that you already sent in a previous request to create a distribution, CloudFront returns
    a DistributionAlreadyExists error." Error DistributionAlreadyExists: "The caller reference you attempted to create
    the distribution with is associated with another distribution." (The 2012-2018 API versions answered a request of
    identical content with the original response; this version makes no such exception, so a create resent unchanged
    is refused too, as moto already did.) moto compared the reference with the distributions that exist only, so a
    reference made of a name alone passed a teardown and a new create that the reference refuses. Checked before any
    other check of the request. Forgotten by ``POST /moto-api/reset``, with the backend's state.
    """
    backend_cls = cf_models.CloudFrontBackend
    original_create = backend_cls.create_distribution_with_tags

    def create_distribution_with_tags(self, distribution_config, tags):
        reference = (distribution_config or {}).get("CallerReference")
        sent = self.__dict__.setdefault("dito_caller_references", {})  # reference -> id of the distribution it made
        if reference in sent:
            raise DistributionAlreadyExists(sent[reference])
        result = original_create(self, distribution_config, tags)
        sent[reference] = result[0].distribution_id
        return result

    backend_cls.create_distribution_with_tags = create_distribution_with_tags
