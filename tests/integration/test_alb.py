"""The services' load balancers on the local stack (role alb through site.yml): what AWS holds. The blue/green-aware
re-run after CodeDeploy moved production traffic to green is in test_deploy.py."""

import json

import yaml

from tests.conftest import ROOT


def network():
    return yaml.safe_load((ROOT / "inventories" / "local" / "group_vars" / "all" / "emulator_network.yml").read_text())


def load_balancer(elb, service):
    lb = elb.describe_load_balancers(Names=[f"dito-local-{service}"])["LoadBalancers"][0]
    listeners = {listener["Port"]: listener for listener in elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]}
    attributes = {a["Key"]: a["Value"] for a in elb.describe_load_balancer_attributes(LoadBalancerArn=lb["LoadBalancerArn"])["Attributes"]}
    groups = {color: elb.describe_target_groups(Names=[f"dito-local-{service}-{color}"])["TargetGroups"][0] for color in ("blue", "green")}
    return lb, listeners, attributes, groups


def test_load_balancers_are_as_designed(converged, client):
    elb, ec2, s3 = client("elbv2"), client("ec2"), client("s3")
    net = network()
    for service, scheme, subnets, port in (
        ("frontend", "internet-facing", net["site_public_subnet_ids"], 80),
        ("backend", "internal", net["site_private_subnet_ids"], 8080),
    ):
        lb, listeners, attributes, groups = load_balancer(elb, service)
        assert lb["Scheme"] == scheme
        assert sorted(z["SubnetId"] for z in lb["AvailabilityZones"]) == sorted(subnets)
        forward = [{"Type": "forward", "TargetGroupArn": groups["blue"]["TargetGroupArn"]}]
        if scheme == "internet-facing":
            assert sorted(listeners) == [80, 443, 8443]
            for https in (443, 8443):
                assert (listeners[https]["Protocol"], listeners[https]["SslPolicy"]) == ("HTTPS", "ELBSecurityPolicy-TLS13-1-2-2021-06")
                assert listeners[https]["Certificates"][0]["CertificateArn"] == net["site_certificate_arn"]
            # Behind CloudFront: 403 without the origin's secret header (test_cloudfront.py reads the rule that forwards).
            assert listeners[443]["DefaultActions"][0]["Type"] == "fixed-response"
            assert listeners[443]["DefaultActions"][0]["FixedResponseConfig"]["StatusCode"] == "403"
            assert listeners[8443]["DefaultActions"] == forward
            assert listeners[80]["DefaultActions"][0]["RedirectConfig"] == {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}
        else:
            # No certificate names backend.local.dito.internal (the public one is *.dito.local): plain HTTP inside the
            # VPC, production on 80 and test traffic on 8443, no certificate anywhere.
            assert {p: (li["Protocol"], li.get("Certificates", [])) for p, li in listeners.items()} == {80: ("HTTP", []), 8443: ("HTTP", [])}
            assert all(li["DefaultActions"] == forward for li in listeners.values())
        for group in groups.values():
            assert (group["TargetType"], group["Port"], group["HealthCheckPath"], group["Matcher"]) == ("ip", port, "/", {"HttpCode": "200-399"})
        assert attributes["routing.http.drop_invalid_header_fields.enabled"] == "true"
        assert attributes["deletion_protection.enabled"] == "false"  # the local inventory turns it off
        bucket = attributes["access_logs.s3.bucket"]
        assert (attributes["access_logs.s3.enabled"], bucket, attributes["access_logs.s3.prefix"]) == (
            "true",
            f"dito-local-{service}-alb-logs",
            f"dito-local-{service}",
        )
        assert all(s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values())
        assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
        statements = {s["Sid"]: s for s in policy["Statement"]}
        assert set(statements) == {"DenyInsecureTransport", "ElbAccessLogDelivery"}
        # Exactly the load balancer's prefix, to Ireland's ELB account; the emulator refuses logs otherwise, as AWS
        # does, and wrote its test file where AWS writes it.
        assert statements["ElbAccessLogDelivery"]["Principal"] == {"AWS": "arn:aws:iam::156460612806:root"}
        assert statements["ElbAccessLogDelivery"]["Resource"] == f"arn:aws:s3:::{bucket}/dito-local-{service}/AWSLogs/123456789012/*"
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
        assert f"dito-local-{service}/AWSLogs/123456789012/ELBAccessLogTestFile" in keys
        tags = {t["Key"]: t["Value"] for t in elb.describe_tags(ResourceArns=[lb["LoadBalancerArn"]])["TagDescriptions"][0]["Tags"]}
        assert tags["service"] == service and tags["project"] == "dito"

    # The names: chat-origin.<public zone> (behind CloudFront, whose alias is chat.<public zone>: test_cloudfront.py) and
    # backend.<private zone>, aliases to the load balancers (target read from them).
    r53 = client("route53")
    names = (("dito.local.", "chat-origin.dito.local.", "frontend"), ("local.dito.internal.", "backend.local.dito.internal.", "backend"))
    for zone_name, record, service in names:
        zone = next(z for z in r53.list_hosted_zones()["HostedZones"] if z["Name"] == zone_name)
        [alias] = [r for r in r53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"] if r["Name"] == record]
        lb = elb.describe_load_balancers(Names=[f"dito-local-{service}"])["LoadBalancers"][0]
        assert alias["Type"] == "A" and alias["AliasTarget"]["HostedZoneId"] == lb["CanonicalHostedZoneId"]
        assert alias["AliasTarget"]["DNSName"].rstrip(".").lower() == lb["DNSName"].lower()

    # Every rule's source is a security group, except the public load balancer's 443, open to CloudFront's origin-facing
    # prefix list only, and the test port, open only to what the local inventory names (site_test_listener_sources: the
    # VPC's CIDR). The internal load balancer admits plain HTTP (80) from its callers' group.
    prefix_lists = {
        p["PrefixListId"]: p["PrefixListName"]
        for p in ec2.describe_managed_prefix_lists(Filters=[{"Name": "prefix-list-name", "Values": ["com.amazonaws.global.cloudfront.origin-facing"]}])[
            "PrefixLists"
        ]
    }
    names = {g["GroupId"]: g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]}
    rules = {}
    for group in ec2.describe_security_groups()["SecurityGroups"]:
        for permission in group["IpPermissions"]:
            sources = [names[p["GroupId"]] for p in permission["UserIdGroupPairs"]]
            cidrs = [r["CidrIp"] for r in permission["IpRanges"]] + [r["CidrIpv6"] for r in permission.get("Ipv6Ranges", [])]
            cidrs += [prefix_lists[p["PrefixListId"]] for p in permission.get("PrefixListIds", [])]
            rules.setdefault(group["GroupName"], set()).add((permission["FromPort"], tuple(sources), tuple(cidrs)))
    assert rules == {
        "dito-local-frontend-alb": {(443, (), ("com.amazonaws.global.cloudfront.origin-facing",)), (8443, (), ("10.42.0.0/16",))},
        "dito-local-frontend-tasks": {(80, ("dito-local-frontend-alb",), ())},
        "dito-local-backend-alb": {(80, ("dito-local-frontend-tasks",), ()), (8443, (), ("10.42.0.0/16",))},
        "dito-local-backend-tasks": {(8080, ("dito-local-backend-alb",), ())},
        "dito-local-redis": {(6379, ("dito-local-backend-tasks",), ())},
    }


# The production and the test listener of each load balancer (the internal one serves plain HTTP).
PORTS = {"frontend": (443, 8443), "backend": (80, 8443)}


def test_the_public_certificate_is_refused_on_an_internal_name(playbook, client):
    """The public certificate (*.dito.local) on backend.local.dito.internal: no client that verifies the host would
    accept it. The role reads the certificate and stops before it makes anything, naming the variable."""
    run = playbook(str(ROOT / "tests" / "integration" / "files" / "alb_internal_certificate.yml"), "--check")
    assert run.rc != 0, run
    assert "alb_certificate_arn" in run.out and "does not cover backend.local.dito.internal" in run.out, run
    run = playbook(str(ROOT / "tests" / "integration" / "files" / "alb_internal_certificate.yml"))
    assert run.rc != 0 and "does not cover backend.local.dito.internal" in run.out, run
    assert "refused-internal-alb-logs" not in [b["Name"] for b in client("s3").list_buckets()["Buckets"]]
    assert [lb for lb in client("elbv2").describe_load_balancers()["LoadBalancers"] if lb["LoadBalancerName"] == "refused-internal"] == []
