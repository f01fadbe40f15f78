"""CloudFront in front of the public service (role cloudfront through site.yml): what AWS holds, that the load balancer
answers CloudFront only, and that the secret header never shows. Turning CloudFront off in the inventory is
test_site.py's test_turning_cloudfront_off_makes_the_alb_the_edge_again (the last changer, so no run turns it on again)."""

import yaml

from tests.conftest import ROOT

# The ids AWS gives its managed policies (CloudFront developer guide, "Use managed ... policies").
CACHING_OPTIMIZED = "658327ea-f89d-4fab-a63d-7e88639e58f6"
CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03"
CLOUDFRONT_ZONE = "Z2FDTNDATAQYW2"
SECRET_PARAMETER = "/dito/local/frontend/origin-verify"  # noqa: S105 a parameter name, not its value


def network():
    return yaml.safe_load((ROOT / "inventories" / "local" / "group_vars" / "all" / "emulator_network.yml").read_text())


def distributions(client):
    items = client("cloudfront").list_distributions()["DistributionList"].get("Items", [])
    return {d["Comment"]: d for d in items}


def records(client, name):
    r53 = client("route53")
    zone = next(z for z in r53.list_hosted_zones()["HostedZones"] if z["Name"] == "dito.local.")
    return {r["Type"]: r for r in r53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"] if r["Name"] == name}


def production_listener(elb):
    lb = elb.describe_load_balancers(Names=["dito-local-frontend"])["LoadBalancers"][0]
    listener = next(li for li in elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"] if li["Port"] == 443)
    return lb, listener, [r for r in elb.describe_rules(ListenerArn=listener["ListenerArn"])["Rules"] if not r["IsDefault"]]


def alb_ingress(ec2):
    [group] = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["dito-local-frontend-alb"]}])["SecurityGroups"]
    found = set()
    for permission in group["IpPermissions"]:
        sources = [r["CidrIp"] for r in permission["IpRanges"]] + [r["CidrIpv6"] for r in permission.get("Ipv6Ranges", [])]
        sources += [x["PrefixListId"] for x in permission.get("PrefixListIds", [])]
        found.add((permission["FromPort"], tuple(sorted(sources))))
    return found


def test_the_front_end_is_reached_through_its_distribution(converged, client):
    cf, ssm, elb, ec2 = client("cloudfront"), client("ssm"), client("elbv2"), client("ec2")
    found = distributions(client)
    assert set(found) == {"dito-local-frontend"}, found  # the internal back end has none
    summary = found["dito-local-frontend"]
    held = cf.get_distribution_config(Id=summary["Id"])["DistributionConfig"]
    assert held["Enabled"] is True and held["Aliases"]["Items"] == ["chat.dito.local"]
    viewer = held["ViewerCertificate"]
    assert (viewer["ACMCertificateArn"], viewer["SSLSupportMethod"], viewer["MinimumProtocolVersion"]) == (
        network()["site_cloudfront_certificate_arn"],
        "sni-only",
        "TLSv1.2_2021",
    )
    assert (held["HttpVersion"], held["IsIPV6Enabled"]) == ("http2and3", True)
    [origin] = held["Origins"]["Items"]
    custom = origin["CustomOriginConfig"]
    assert origin["DomainName"] == "chat-origin.dito.local"
    assert (custom["OriginProtocolPolicy"], custom["HTTPSPort"], custom["OriginSslProtocols"]["Items"]) == ("https-only", 443, ["TLSv1.2"])
    secret = ssm.get_parameter(Name=SECRET_PARAMETER, WithDecryption=True)["Parameter"]
    assert secret["Type"] == "SecureString" and len(secret["Value"]) == 48
    assert [(h["HeaderName"], h["HeaderValue"]) for h in origin["CustomHeaders"]["Items"]] == [("X-Origin-Verify", secret["Value"])]
    default = held["DefaultCacheBehavior"]
    assert (default["ViewerProtocolPolicy"], default["Compress"], default["CachePolicyId"], default["ResponseHeadersPolicyId"]) == (
        "redirect-to-https",
        True,
        CACHING_OPTIMIZED,
        SECURITY_HEADERS,
    )
    behaviours = held["CacheBehaviors"]["Items"]
    assert [b["PathPattern"] for b in behaviours] == ["/api/*", "/ws", "/ws/*"]
    for behaviour in behaviours:
        assert (behaviour["CachePolicyId"], behaviour["OriginRequestPolicyId"], behaviour["ResponseHeadersPolicyId"]) == (
            CACHING_DISABLED,
            ALL_VIEWER_EXCEPT_HOST,
            SECURITY_HEADERS,
        )
        assert set(behaviour["AllowedMethods"]["Items"]) == {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"}
    logging = held["Logging"]
    assert (logging["Enabled"], logging["Bucket"]) == (True, "dito-local-frontend-cdn-logs.s3.amazonaws.com")
    s3 = client("s3")
    bucket = "dito-local-frontend-cdn-logs"
    assert s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerPreferred"}]
    assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())
    tags = {t["Key"]: t["Value"] for t in cf.list_tags_for_resource(Resource=summary["ARN"])["Tags"]["Items"]}
    assert tags == {"project": "dito", "environment": "local", "service": "frontend", "owner": "devops", "cost-center": "chat"}

    # The load balancer admits CloudFront's origin-facing servers only, and forwards only what carries the secret.
    [prefix_list] = ec2.describe_managed_prefix_lists(Filters=[{"Name": "prefix-list-name", "Values": ["com.amazonaws.global.cloudfront.origin-facing"]}])[
        "PrefixLists"
    ]
    assert alb_ingress(ec2) == {(443, (prefix_list["PrefixListId"],)), (8443, ("10.42.0.0/16",))}
    _lb, listener, rules = production_listener(elb)
    assert listener["DefaultActions"][0]["FixedResponseConfig"]["StatusCode"] == "403"
    [rule] = rules
    assert rule["Priority"] == "1"
    assert [c["HttpHeaderConfig"] for c in rule["Conditions"]] == [{"HttpHeaderName": "X-Origin-Verify", "Values": [secret["Value"]]}]
    blue = elb.describe_target_groups(Names=["dito-local-frontend-blue"])["TargetGroups"][0]["TargetGroupArn"]
    green = elb.describe_target_groups(Names=["dito-local-frontend-green"])["TargetGroups"][0]["TargetGroupArn"]
    action = rule["Actions"][0]
    forwarded = action.get("TargetGroupArn") or next(g["TargetGroupArn"] for g in action["ForwardConfig"]["TargetGroups"] if g.get("Weight", 1))
    assert forwarded in (blue, green)

    # The public name points at the distribution (A and AAAA, no health evaluation); the origin's name at the ALB.
    public = records(client, "chat.dito.local.")
    assert set(public) == {"A", "AAAA"}
    for record in public.values():
        target = record["AliasTarget"]
        assert (target["HostedZoneId"], target["DNSName"].rstrip("."), target["EvaluateTargetHealth"]) == (CLOUDFRONT_ZONE, summary["DomainName"], False)
    assert set(records(client, "chat-origin.dito.local.")) == {"A"}

    # The secret never shows, not even at -vvv with --diff.
    assert secret["Value"] not in converged.out
