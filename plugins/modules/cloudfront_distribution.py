#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudfront_distribution
short_description: Manage a CloudFront distribution in front of custom (HTTPS) origins, with managed policies by name
version_added: 1.0.0
description:
  - Creates, updates or deletes one Amazon CloudFront web distribution. CloudFront is global - the module calls its API in
    C(us-east-1) whatever the play's region (the SSM parameters of secret origin headers are read in the play's region).
  - Builds the complete C(DistributionConfig), compares it with what CloudFront holds after normalising both sides (the
    defaults and C(Quantity) fields AWS adds; the order of aliases and methods does not matter, the order of cache
    behaviours does), and calls C(UpdateDistribution) with the current ETag (C(If-Match)) only on a difference. Settings the
    module does not manage (geo restrictions, custom error responses, origin groups) are kept as they are. Tags are compared
    separately. Check mode and diff mode are supported (M(community.aws.cloudfront_distribution) has neither check mode nor
    idempotence).
  - "The distribution is identified by O(name): written in its C(CallerReference) when it is created, as
    C(<name>#<YYYYMMDDTHHMMSS.mmmZ>) (the UTC time of the create, to the millisecond), and as C(Comment) (unless
    O(comment) is given). The module lists the distributions (C(ListDistributions)) and takes the one whose Comment is the
    expected one and whose C(CallerReference) (C(GetDistributionConfig)) is O(name) followed by C(#) and such a time, or
    O(name) alone (what earlier versions of the module wrote); when none matches (the comment was changed outside), it
    reads the configuration of the others to find it by C(CallerReference)."
  - "The C(CallerReference) changes with every create because CloudFront refuses one sent before (API reference,
    DistributionConfig: If C(CallerReference) is a value that you already sent in a previous request to create a
    distribution, CloudFront returns a C(DistributionAlreadyExists) error), the reference of a distribution deleted
    since included: a reference made of O(name) alone would make a teardown followed by a new create of the same name
    fail. A create whose response was lost is sent again by botocore with the same reference; CloudFront answers
    C(DistributionAlreadyExists), and the module reads the distribution of that reference back and goes on as created."
  - Secret origin headers (for example C(X-Origin-Verify)) may name an SSM parameter; the module reads it itself
    (C(GetParameter WithDecryption)) and never returns its value (C(********) in the result and the diff).
  - Waits for the distribution to be C(Deployed) (its configuration propagated to every edge location) only when
    O(wait=true), and with O(state=absent) where CloudFront requires it.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description:
      - Identifies the distribution. Written in C(CallerReference) at creation, followed by C(#) and the UTC time of the
        create (C(CallerReference) cannot change afterwards), and as C(Comment) unless O(comment) is given.
    type: str
    required: true
  state:
    description:
      - V(absent) disables an enabled distribution (C(UpdateDistribution) C(Enabled=false)), waits until it is C(Deployed)
        (at most O(wait_timeout) seconds) and deletes it; CloudFront refuses to delete an enabled or not yet deployed one.
    type: str
    default: present
    choices: [present, absent]
  comment:
    description: The distribution's comment; defaults to O(name).
    type: str
  enabled:
    description: Whether the distribution serves requests.
    type: bool
    default: true
  aliases:
    description: Alternate domain names (CNAMEs). Each must be covered by O(certificate_arn).
    type: list
    elements: str
    default: []
  certificate_arn:
    description:
      - ARN of the ACM certificate for the aliases. Required when O(aliases) are given. CloudFront accepts ACM certificates
        only from us-east-1 - the module fails before any AWS call for another region. Without it the distribution uses the
        C(*.cloudfront.net) certificate.
    type: str
  minimum_protocol_version:
    description: The minimum TLS version for viewers (with O(certificate_arn); SNI only).
    type: str
    default: TLSv1.2_2021
  http_version:
    description: The HTTP versions viewers may use.
    type: str
    default: http2and3
    choices: [http1.1, http2, http3, http2and3]
  ipv6:
    description: Whether CloudFront answers over IPv6.
    type: bool
    default: true
  price_class:
    description: The price class (edge locations used).
    type: str
    default: PriceClass_All
    choices: [PriceClass_All, PriceClass_200, PriceClass_100]
  web_acl_id:
    description: The ARN of an AWS WAF (v2, scope CLOUDFRONT) web ACL; V("") for none.
    type: str
    default: ""
  default_root_object:
    description: The object returned for the root URL; V("") for none.
    type: str
    default: ""
  origins:
    description: The origins (custom origins, such as a load balancer's name). Required with O(state=present).
    type: list
    elements: dict
    suboptions:
      id:
        description: The origin's id, which behaviours name in C(target_origin_id).
        type: str
        required: true
      domain_name:
        description: The origin's DNS name (covered by the origin's certificate with C(https-only)).
        type: str
        required: true
      protocol_policy:
        description: How CloudFront connects to the origin.
        type: str
        default: https-only
        choices: [http-only, match-viewer, https-only]
      https_port:
        description: The origin's HTTPS port.
        type: int
        default: 443
      http_port:
        description: The origin's HTTP port.
        type: int
        default: 80
      ssl_protocols:
        description: The TLS versions CloudFront may use with the origin.
        type: list
        elements: str
        default: [TLSv1.2]
      read_timeout:
        description: Seconds CloudFront waits for a response from the origin.
        type: int
        default: 30
      keepalive_timeout:
        description: Seconds CloudFront keeps an idle connection to the origin open.
        type: int
        default: 5
      custom_headers:
        description: Headers CloudFront adds to every request to the origin; each has exactly one of C(value) or C(parameter).
        type: list
        elements: dict
        default: []
        suboptions:
          name:
            description: The header's name.
            type: str
            required: true
          value:
            description: The header's value.
            type: str
          parameter:
            description:
              - The name of an SSM parameter (SecureString) holding the value, read by the module WithDecryption.
              - When the parameter does not exist, check mode plans a change and a real run fails naming it.
            type: str
  default_cache_behavior:
    description: The default cache behaviour. Required with O(state=present).
    type: dict
    suboptions:
      target_origin_id:
        description: The id of the origin the behaviour sends requests to.
        type: str
        required: true
      viewer_protocol_policy:
        description: What viewers may use.
        type: str
        default: redirect-to-https
        choices: [allow-all, https-only, redirect-to-https]
      allowed_methods:
        description: The HTTP methods CloudFront processes and forwards (C([GET, HEAD]), C([GET, HEAD, OPTIONS]) or all seven).
        type: list
        elements: str
        default: [GET, HEAD]
      cached_methods:
        description: The methods whose responses CloudFront caches.
        type: list
        elements: str
        default: [GET, HEAD]
      compress:
        description: Whether CloudFront compresses objects.
        type: bool
        default: true
      cache_policy:
        description: A cache policy's name (with or without C(Managed-), for example V(CachingOptimized)) or id.
        type: str
        required: true
      origin_request_policy:
        description: An origin request policy's name (for example V(AllViewerExceptHostHeader)) or id.
        type: str
      response_headers_policy:
        description: A response headers policy's name (for example V(SecurityHeadersPolicy)) or id.
        type: str
  cache_behaviors:
    description: The other cache behaviours, in order of precedence (the order is kept).
    type: list
    elements: dict
    default: []
    suboptions:
      path_pattern:
        description: The path pattern the behaviour applies to, for example C(/api/*).
        type: str
        required: true
      target_origin_id:
        description: The id of the origin the behaviour sends requests to.
        type: str
        required: true
      viewer_protocol_policy:
        description: What viewers may use.
        type: str
        default: redirect-to-https
        choices: [allow-all, https-only, redirect-to-https]
      allowed_methods:
        description: The HTTP methods CloudFront processes and forwards.
        type: list
        elements: str
        default: [GET, HEAD]
      cached_methods:
        description: The methods whose responses CloudFront caches.
        type: list
        elements: str
        default: [GET, HEAD]
      compress:
        description: Whether CloudFront compresses objects.
        type: bool
        default: true
      cache_policy:
        description: A cache policy's name or id.
        type: str
        required: true
      origin_request_policy:
        description: An origin request policy's name or id.
        type: str
      response_headers_policy:
        description: A response headers policy's name or id.
        type: str
  logging:
    description:
      - Standard logging (legacy) to an S3 bucket. The bucket must have ACLs enabled (Object Ownership C(BucketOwnerPreferred)),
        as the CloudFront Developer Guide requires; CloudFront adds the C(awslogsdelivery) account to its ACL. Omitted or
        null - no logging.
    type: dict
    suboptions:
      bucket:
        description: The bucket's name (the module writes C(<bucket>.s3.amazonaws.com)).
        type: str
        required: true
      prefix:
        description: The prefix of the log files.
        type: str
        default: ""
      include_cookies:
        description: Whether the logs include cookies.
        type: bool
        default: false
  wait:
    description: Wait until the distribution is C(Deployed) after a create or an update.
    type: bool
    default: false
  wait_timeout:
    description: How many seconds to wait for C(Deployed) (with O(wait=true), and before deleting with O(state=absent)).
    type: int
    default: 1800
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: The front end's distribution, in front of its load balancer
  dito.chat.cloudfront_distribution:
    name: dito-prod-frontend
    aliases: [chat.example.com]
    certificate_arn: arn:aws:acm:us-east-1:111122223333:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0
    origins:
      - id: alb
        domain_name: chat-origin.example.com
        custom_headers:
          - name: X-Origin-Verify
            parameter: /dito/prod/cloudfront/origin-verify
    default_cache_behavior:
      target_origin_id: alb
      cache_policy: CachingOptimized
      response_headers_policy: SecurityHeadersPolicy
    cache_behaviors:
      - path_pattern: /api/*
        target_origin_id: alb
        allowed_methods: [GET, HEAD, OPTIONS, PUT, PATCH, POST, DELETE]
        cache_policy: CachingDisabled
        origin_request_policy: AllViewerExceptHostHeader
        response_headers_policy: SecurityHeadersPolicy
    logging:
      bucket: dito-prod-cloudfront-logs-111122223333
      prefix: frontend/
    tags:
      project: dito
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
distribution:
  description: The distribution after the run (under check mode before it exists, C(id), C(arn), C(domain_name), C(status), C(etag) are null).
  returned: state=present
  type: dict
  contains:
    id:
      description: The distribution's id.
      type: str
    arn:
      description: The distribution's ARN.
      type: str
    domain_name:
      description: Its C(*.cloudfront.net) name, the target of alias records.
      type: str
    status:
      description: C(InProgress) or C(Deployed).
      type: str
    etag:
      description: The current version of its configuration.
      type: str
    hosted_zone_id:
      description: CloudFront's Route 53 alias hosted zone, C(Z2FDTNDATAQYW2).
      type: str
    aliases:
      description: The alternate domain names.
      type: list
      elements: str
    enabled:
      description: Whether it serves requests.
      type: bool
    origins:
      description: The origins as asked, header values replaced by C(********).
      type: list
      elements: dict
    policies:
      description: Each policy name or id asked, resolved to its id.
      type: dict
    tags:
      description: The distribution's tags.
      type: dict
    config:
      description:
        - The C(DistributionConfig) as CloudFront holds it, header values replaced by C(********).
        - Its C(CallerReference) is C(<name>#<YYYYMMDDTHHMMSS.mmmZ>), or O(name) alone for a distribution made by an
          earlier version of the module.
      type: dict
  sample: {"id": "E2QWRUHAPOMQZL", "domain_name": "d111111abcdef8.cloudfront.net", "status": "Deployed", "hosted_zone_id": "Z2FDTNDATAQYW2"}
differences:
  description: The settings that differed (C(config), C(tags)); C(created), C(deleted).
  returned: always
  type: list
  elements: str
  sample: ["config"]
"""

import copy
import datetime
import re
import time

from ansible_collections.dito.chat.plugins.module_utils import cloudfront as cf
from ansible_collections.dito.chat.plugins.module_utils import ssm
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

HOSTED_ZONE_ID = "Z2FDTNDATAQYW2"  # CloudFront's alias target zone (Route 53 API reference, AliasTarget)
REDACTED = "********"
POLL_SECONDS = 15
POLICY_OPTIONS = (
    ("cache_policy", "cache", "CachePolicyId"),
    ("origin_request_policy", "origin_request", "OriginRequestPolicyId"),
    ("response_headers_policy", "response_headers", "ResponseHeadersPolicyId"),
)
MANAGED_PREFIX = "Managed-"
# A CallerReference is "<name>#<stamp>": the name by which the module finds the distribution, then the UTC time of the
# create (CloudFront refuses a reference sent before, that of a deleted distribution included).
REFERENCE_SEPARATOR = "#"
REFERENCE_STAMP = re.compile(r"[0-9]{8}T[0-9]{6}\.[0-9]{3}Z")


def items(values):
    return {"Quantity": len(values), "Items": list(values)}


def listed(wrapper):
    return list((wrapper or {}).get("Items") or [])


# ---------------------------------------------------------------------------------------------
# Pure helpers


def caller_reference(name, now):
    """The CallerReference of a create of ``name`` at ``now`` (an aware UTC datetime): ``<name>#YYYYMMDDTHHMMSS.mmmZ``."""
    return f"{name}{REFERENCE_SEPARATOR}{now.strftime('%Y%m%dT%H%M%S')}.{now.microsecond // 1000:03d}Z"


def is_reference_of(reference, name):
    """Whether a CallerReference is one the module wrote for ``name``: ``<name>#<stamp>``, or ``name`` itself (what
    earlier versions wrote). The stamp is split off at the last ``#``, so a name holding ``#`` is recognised too."""
    if not reference:
        return False
    if reference == name:
        return True
    base, separator, stamp = reference.rpartition(REFERENCE_SEPARATOR)
    return bool(separator) and base == name and REFERENCE_STAMP.fullmatch(stamp) is not None


def input_problems(p):
    """What is wrong with the options, before any AWS call (a list of messages naming the option)."""
    problems = []
    arn = p.get("certificate_arn")
    if arn:
        parts = arn.split(":")
        if len(parts) < 6 or parts[2] != "acm":
            problems.append(f"certificate_arn: {arn!r} is not an ACM certificate ARN")
        elif parts[3] != cf.REGION:
            problems.append(f"certificate_arn: CloudFront accepts ACM certificates only from us-east-1; {arn} is in {parts[3]}")
    if p.get("aliases") and not arn:
        problems.append("certificate_arn: required when aliases are given (a certificate in us-east-1 covering them)")
    if p.get("state") == "present":
        origin_ids = [o["id"] for o in p.get("origins") or []]
        behaviors = [("default_cache_behavior", p.get("default_cache_behavior") or {})]
        behaviors += [(f"cache_behaviors[{i}]", b) for i, b in enumerate(p.get("cache_behaviors") or [])]
        for where, behavior in behaviors:
            if behavior and behavior["target_origin_id"] not in origin_ids:
                problems.append(f"{where}.target_origin_id: {behavior['target_origin_id']!r} is not the id of one of origins ({', '.join(origin_ids)})")
        for i, origin in enumerate(p.get("origins") or []):
            for j, header in enumerate(origin.get("custom_headers") or []):
                if (header.get("value") is None) == (not header.get("parameter")):
                    problems.append(f"origins[{i}].custom_headers[{j}]: give exactly one of value or parameter")
    return problems


def policy_id(known, given):
    """The id of a policy named ``given`` (a name with or without Managed-, or an id) among ``known`` [(name, id)]."""
    for name, pid in known:
        if given in (pid, name) or name == MANAGED_PREFIX + given:
            return pid, name
    return None, None


def behavior_config(behavior, ids):
    config = {
        "TargetOriginId": behavior["target_origin_id"],
        "ViewerProtocolPolicy": behavior["viewer_protocol_policy"],
        "AllowedMethods": dict(items(behavior["allowed_methods"]), CachedMethods=items(behavior["cached_methods"])),
        "Compress": behavior["compress"],
    }
    if behavior.get("path_pattern") is not None:
        config = dict({"PathPattern": behavior["path_pattern"]}, **config)
    for option, kind, key in POLICY_OPTIONS:
        if behavior.get(option):
            config[key] = ids[(kind, behavior[option])]
    return config


def origin_config(origin, header_values):
    headers = [{"HeaderName": h["name"], "HeaderValue": header_values.get((origin["id"], h["name"]))} for h in origin.get("custom_headers") or []]
    return {
        "Id": origin["id"],
        "DomainName": origin["domain_name"],
        "OriginPath": "",
        "CustomHeaders": items(headers),
        "CustomOriginConfig": {
            "HTTPPort": origin["http_port"],
            "HTTPSPort": origin["https_port"],
            "OriginProtocolPolicy": origin["protocol_policy"],
            "OriginSslProtocols": items(origin["ssl_protocols"]),
            "OriginReadTimeout": origin["read_timeout"],
            "OriginKeepaliveTimeout": origin["keepalive_timeout"],
        },
    }


def desired_config(p, ids, header_values, current=None, reference=None):
    """The complete DistributionConfig: the current one (what the module does not manage kept) with every managed field
    set from the options. ``header_values`` maps (origin id, header name) to the value (None: unknown yet). A new one
    (no ``current``) has the CallerReference ``reference``, by default one made of the name and the time now."""
    config = copy.deepcopy(current) if current else {"CallerReference": reference or caller_reference(p["name"], datetime.datetime.now(datetime.UTC))}
    logging = p.get("logging")
    viewer = (
        {"ACMCertificateArn": p["certificate_arn"], "SSLSupportMethod": "sni-only", "MinimumProtocolVersion": p["minimum_protocol_version"]}
        if p.get("certificate_arn")
        else {"CloudFrontDefaultCertificate": True}
    )
    config.update(
        Comment=p["comment"] if p.get("comment") is not None else p["name"],
        Enabled=p["enabled"],
        Aliases=items(p["aliases"]),
        DefaultRootObject=p["default_root_object"],
        Origins=items([origin_config(o, header_values) for o in p["origins"]]),
        DefaultCacheBehavior=behavior_config(p["default_cache_behavior"], ids),
        CacheBehaviors=items([behavior_config(b, ids) for b in p["cache_behaviors"]]),
        Logging={
            "Enabled": bool(logging),
            "IncludeCookies": bool(logging and logging["include_cookies"]),
            "Bucket": f"{logging['bucket']}.s3.amazonaws.com" if logging else "",
            "Prefix": logging["prefix"] if logging else "",
        },
        PriceClass=p["price_class"],
        ViewerCertificate=viewer,
        WebACLId=p["web_acl_id"],
        HttpVersion=p["http_version"],
        IsIPV6Enabled=p["ipv6"],
    )
    return config


def _canonical_behavior(b):
    methods = b.get("AllowedMethods") or {}
    return {
        "path_pattern": b.get("PathPattern"),
        "target_origin_id": b.get("TargetOriginId"),
        "viewer_protocol_policy": b.get("ViewerProtocolPolicy"),
        "allowed_methods": sorted(listed(methods) or ["GET", "HEAD"]),
        "cached_methods": sorted(listed(methods.get("CachedMethods")) or ["GET", "HEAD"]),
        "compress": bool(b.get("Compress")),
        "cache_policy_id": b.get("CachePolicyId") or "",
        "origin_request_policy_id": b.get("OriginRequestPolicyId") or "",
        "response_headers_policy_id": b.get("ResponseHeadersPolicyId") or "",
    }


def canonical(config, redact=False):
    """The settings the module manages, in one comparable form (AWS's defaults and Quantity fields, list order of
    aliases, methods and protocols left out; the order of cache behaviours kept). A pure function."""
    viewer = config.get("ViewerCertificate") or {}
    arn = viewer.get("ACMCertificateArn") or None
    logging = config.get("Logging") or {}
    origins = []
    for o in sorted(listed(config.get("Origins")), key=lambda o: o["Id"]):
        custom = o.get("CustomOriginConfig") or {}
        headers = sorted((h["HeaderName"], REDACTED if redact else h.get("HeaderValue")) for h in listed(o.get("CustomHeaders")))
        origins.append(
            {
                "id": o["Id"],
                "domain_name": o.get("DomainName"),
                "origin_path": o.get("OriginPath") or "",
                "protocol_policy": custom.get("OriginProtocolPolicy"),
                "http_port": custom.get("HTTPPort"),
                "https_port": custom.get("HTTPSPort"),
                "ssl_protocols": sorted(listed(custom.get("OriginSslProtocols"))),
                "read_timeout": custom.get("OriginReadTimeout", 30),
                "keepalive_timeout": custom.get("OriginKeepaliveTimeout", 5),
                "custom_headers": [list(h) for h in headers],
            }
        )
    return {
        "comment": config.get("Comment") or "",
        "enabled": bool(config.get("Enabled")),
        "aliases": sorted(listed(config.get("Aliases"))),
        "default_root_object": config.get("DefaultRootObject") or "",
        "certificate_arn": arn,
        "minimum_protocol_version": viewer.get("MinimumProtocolVersion") if arn else None,
        "ssl_support_method": viewer.get("SSLSupportMethod") if arn else None,
        "http_version": config.get("HttpVersion") or "http2",
        "ipv6": bool(config.get("IsIPV6Enabled")),
        "price_class": config.get("PriceClass") or "PriceClass_All",
        "web_acl_id": config.get("WebACLId") or "",
        "origins": origins,
        "behaviors": [_canonical_behavior(config.get("DefaultCacheBehavior") or {})] + [_canonical_behavior(b) for b in listed(config.get("CacheBehaviors"))],
        "logging": {
            "enabled": bool(logging.get("Enabled")),
            "bucket": logging.get("Bucket") or "" if logging.get("Enabled") else "",
            "prefix": logging.get("Prefix") or "" if logging.get("Enabled") else "",
            "include_cookies": bool(logging.get("IncludeCookies")) if logging.get("Enabled") else False,
        },
    }


def redacted(config):
    """A copy of a DistributionConfig whose custom header values are ********."""
    config = copy.deepcopy(config)
    for origin in listed(config.get("Origins")):
        for header in listed(origin.get("CustomHeaders")):
            header["HeaderValue"] = REDACTED
    return config


def origins_result(origins):
    return [dict(o, custom_headers=[{"name": h["name"], "value": REDACTED} for h in o.get("custom_headers") or []]) for o in origins or []]


# ---------------------------------------------------------------------------------------------
# AWS


def find(client, name, comment, reference=None):
    """``(id, config, etag)`` of the distribution whose CallerReference is one written for ``name`` (``is_reference_of``),
    or exactly ``reference`` when it is given; ``(None, None, None)`` when there is none."""
    summaries = cf.list_distributions(client)
    matching = [s for s in summaries if s.get("Comment") == comment]
    others = [s for s in summaries if s.get("Comment") != comment]
    for summary in matching + others:
        config, etag = cf.get_distribution_config(client, summary["Id"])
        held = (config or {}).get("CallerReference")
        if config is not None and (held == reference if reference else is_reference_of(held, name)):
            return summary["Id"], config, etag
    return None, None, None


def resolve_policies(module, client):
    """{(kind, given): id} for every policy the behaviours name, and {name: id} to return. One list call per kind."""
    p = module.params
    behaviors = [("default_cache_behavior", p["default_cache_behavior"])] + [(f"cache_behaviors[{i}]", b) for i, b in enumerate(p["cache_behaviors"])]
    known, ids, names, problems = {}, {}, {}, []
    for where, behavior in behaviors:
        for option, kind in ((entry[0], entry[1]) for entry in POLICY_OPTIONS):
            given = behavior.get(option)
            if not given:
                continue
            if kind not in known:
                known[kind] = cf.list_policies(client, kind)
            pid, name = policy_id(known[kind], given)
            if pid is None:
                problems.append(
                    f"{where}.{option}: no {kind.replace('_', ' ')} policy is named {given!r}; known: {', '.join(sorted(entry[0] for entry in known[kind]))}"
                )
                continue
            ids[(kind, given)] = pid
            names[name] = pid
    if problems:
        module.fail_json(msg="; ".join(problems))
    return ids, names


def header_values(module):
    """{(origin id, header name): value}; a value read from a missing SSM parameter is None (check mode) or fails."""
    values, client = {}, None
    for origin in module.params["origins"]:
        for header in origin.get("custom_headers") or []:
            if header.get("parameter"):
                client = client or module.client("ssm", retry_decorator=AWSRetry.jittered_backoff())
                parameter = ssm.get_secure_parameter(client, header["parameter"])
                if parameter is None and not module.check_mode:
                    module.fail_json(
                        msg=f"The SSM parameter {header['parameter']} (origins[{origin['id']}].custom_headers[{header['name']}].parameter) does not exist."
                    )
                values[(origin["id"], header["name"])] = parameter["Value"] if parameter else None
            else:
                values[(origin["id"], header["name"])] = header["value"]
    return values


def wait_deployed(module, client, distribution_id):
    """Wait until the distribution's Status is Deployed (every edge location has its configuration), at most
    wait_timeout seconds; returns ``(distribution, etag)``, or None when it is gone."""
    deadline = time.monotonic() + module.params["wait_timeout"]
    delay = min(1, POLL_SECONDS)  # 1, 2, 4, 8 s then every POLL_SECONDS (AWS takes minutes)
    while True:
        answer = cf.get_distribution(client, distribution_id)
        if answer is None or answer[0]["Status"] == "Deployed":
            return answer
        if time.monotonic() >= deadline:
            module.fail_json(msg=f"Distribution {distribution_id} was not Deployed after {module.params['wait_timeout']} s (wait_timeout).")
        time.sleep(delay)
        delay = min(delay * 2, POLL_SECONDS)


def result(distribution, etag, config, names, tags, origins):
    distribution = distribution or {}
    return {
        "id": distribution.get("Id"),
        "arn": distribution.get("ARN"),
        "domain_name": distribution.get("DomainName"),
        "status": distribution.get("Status"),
        "etag": etag,
        "hosted_zone_id": HOSTED_ZONE_ID,
        "aliases": listed(config.get("Aliases")),
        "enabled": bool(config.get("Enabled")),
        "origins": origins_result(origins),
        "policies": names,
        "tags": tags,
        "config": redacted(config),
    }


def ensure_present(module, client):
    p = module.params
    comment = p["comment"] if p["comment"] is not None else p["name"]
    ids, names = resolve_policies(module, client)
    values = header_values(module)
    distribution_id, current, etag = find(client, p["name"], comment)
    if distribution_id is None:
        # One reference for every attempt of this create: botocore's resend after a lost response carries the same, which
        # CloudFront answers with DistributionAlreadyExists; the distribution of exactly that reference is then read back.
        reference = caller_reference(p["name"], datetime.datetime.now(datetime.UTC))
        config = desired_config(p, ids, values, reference=reference)
        diff = {"before": {}, "after": dict(canonical(config, redact=True), tags=p["tags"] or {})}
        if module.check_mode:
            return True, diff, ["created"], result(None, None, config, names, p["tags"] or {}, p["origins"])

        def created_by_this_run():
            found = find(client, p["name"], comment, reference=reference)[0]
            if found is None:
                raise cf.AnsibleCloudFrontError(
                    message=f"CloudFront answered DistributionAlreadyExists to the create of CallerReference {reference}, and no distribution has it."
                )
            return cf.get_distribution(client, found)

        distribution, etag = cf.create_distribution(client, config, p["tags"], created_by_this_run)
        if p["wait"]:
            distribution, etag = wait_deployed(module, client, distribution["Id"])
        return True, diff, ["created"], result(distribution, etag, distribution["DistributionConfig"], names, p["tags"] or {}, p["origins"])
    distribution, etag = cf.get_distribution(client, distribution_id)
    config = desired_config(p, ids, values, current)
    differences = []
    before, after = canonical(current), canonical(config)
    if before != after:
        differences.append("config")
        if not module.check_mode:
            distribution, etag = cf.update_distribution(client, distribution_id, config, etag)
    arn = distribution["ARN"]
    have_tags = cf.list_tags(client, arn)
    retagged, tags = tagging.reconcile(module, have_tags, p["tags"], tag=lambda t: cf.tag(client, arn, t), untag=lambda k: cf.untag(client, arn, k))
    if retagged:
        differences.append("tags")
    if differences and p["wait"] and not module.check_mode:
        distribution, etag = wait_deployed(module, client, distribution_id)
    held = distribution["DistributionConfig"] if not module.check_mode else config
    diff = {"before": dict(canonical(current, redact=True), tags=have_tags), "after": dict(canonical(config, redact=True), tags=tags)} if differences else {}
    return bool(differences), diff, differences, result(distribution, etag, held, names, tags, p["origins"])


def ensure_absent(module, client):
    p = module.params
    comment = p["comment"] if p["comment"] is not None else p["name"]
    distribution_id, config, etag = find(client, p["name"], comment)
    if distribution_id is None:
        return False
    if module.check_mode:
        return True
    if config.get("Enabled"):
        config = dict(config, Enabled=False)
        cf.update_distribution(client, distribution_id, config, etag)
    answer = wait_deployed(module, client, distribution_id)
    if answer is not None:
        cf.delete_distribution(client, distribution_id, answer[1])
    return True


def main():
    header = dict(name=dict(type="str", required=True), value=dict(type="str", no_log=True), parameter=dict(type="str", no_log=False))
    origin = dict(
        id=dict(type="str", required=True),
        domain_name=dict(type="str", required=True),
        protocol_policy=dict(type="str", default="https-only", choices=["http-only", "match-viewer", "https-only"]),
        https_port=dict(type="int", default=443),
        http_port=dict(type="int", default=80),
        ssl_protocols=dict(type="list", elements="str", default=["TLSv1.2"]),
        read_timeout=dict(type="int", default=30),
        keepalive_timeout=dict(type="int", default=5),
        custom_headers=dict(type="list", elements="dict", default=[], options=header),
    )
    behavior = dict(
        target_origin_id=dict(type="str", required=True),
        viewer_protocol_policy=dict(type="str", default="redirect-to-https", choices=["allow-all", "https-only", "redirect-to-https"]),
        allowed_methods=dict(type="list", elements="str", default=["GET", "HEAD"]),
        cached_methods=dict(type="list", elements="str", default=["GET", "HEAD"]),
        compress=dict(type="bool", default=True),
        cache_policy=dict(type="str", required=True),
        origin_request_policy=dict(type="str"),
        response_headers_policy=dict(type="str"),
    )
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            comment=dict(type="str"),
            enabled=dict(type="bool", default=True),
            aliases=dict(type="list", elements="str", default=[]),
            certificate_arn=dict(type="str"),
            minimum_protocol_version=dict(type="str", default="TLSv1.2_2021"),
            http_version=dict(type="str", default="http2and3", choices=["http1.1", "http2", "http3", "http2and3"]),
            ipv6=dict(type="bool", default=True),
            price_class=dict(type="str", default="PriceClass_All", choices=["PriceClass_All", "PriceClass_200", "PriceClass_100"]),
            web_acl_id=dict(type="str", default=""),
            default_root_object=dict(type="str", default=""),
            origins=dict(type="list", elements="dict", options=origin),
            default_cache_behavior=dict(type="dict", options=behavior),
            cache_behaviors=dict(type="list", elements="dict", default=[], options=dict(behavior, path_pattern=dict(type="str", required=True))),
            logging=dict(
                type="dict",
                options=dict(bucket=dict(type="str", required=True), prefix=dict(type="str", default=""), include_cookies=dict(type="bool", default=False)),
            ),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
            wait=dict(type="bool", default=False),
            wait_timeout=dict(type="int", default=1800),
        ),
        required_if=[["state", "present", ["origins", "default_cache_behavior"]]],
        supports_check_mode=True,
    )
    problems = input_problems(module.params)
    if problems:
        module.fail_json(msg="; ".join(problems))
    client = module.client("cloudfront", region=cf.REGION, retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            changed = ensure_absent(module, client)
            module.exit_json(changed=changed, differences=["deleted"] if changed else [])
        changed, diff, differences, distribution = ensure_present(module, client)
    except (cf.AnsibleCloudFrontError, ssm.AnsibleSSMError) as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, differences=differences, distribution=distribution)


if __name__ == "__main__":
    main()
