"""Blue/green deployments on the local stack: the codedeploy role's application and group (site.yml), and
playbooks/deploy.yml deploying through the emulator's CodeDeploy, which moves traffic as AWS's does (task sets,
test listener, production listener, termination of the original tasks) and rolls back a deployment made to fail
(an image tag starting `dito-emulator-unhealthy`, tools/emulator/README.md)."""

import re

from tests.integration.test_alb import PORTS
from tests.integration.test_alb import load_balancer
from tests.integration.test_alb import network
from tools.faults import push_image

SERVICES = ("frontend", "backend")


def push(ecr, service, tag):
    """An image of the service's repository with this tag (a manifest of its own, so its own digest)."""
    return push_image(ecr.meta.endpoint_url, service, tag)


def serving(elb, service):
    """The color of the target group that each listener of the service forwards to."""
    found = load_balancer(elb, service)
    listeners, groups = found[1], found[3]
    colors = {g["TargetGroupArn"]: color for color, g in groups.items()}
    on = {}
    for port in PORTS[service]:
        action = listeners[port]["DefaultActions"][0]
        if action["Type"] != "forward":  # behind CloudFront: the rule that forwards what carries the secret header
            rules = elb.describe_rules(ListenerArn=listeners[port]["ListenerArn"])["Rules"]
            action = next(a for r in rules if not r["IsDefault"] for a in r["Actions"] if a["Type"] == "forward")
        arn = action.get("TargetGroupArn") or next(g["TargetGroupArn"] for g in action["ForwardConfig"]["TargetGroups"] if g.get("Weight", 1))
        on[port] = colors[arn]
    return on


def service_state(ecs, service):
    held = ecs.describe_services(cluster="dito-local", services=[f"dito-local-{service}"])["services"][0]
    return held["taskDefinition"], held["loadBalancers"][0]["targetGroupArn"].split(":targetgroup/")[1].split("/")[0].rsplit("-", 1)[1]


def deployments(cd, service):
    return cd.list_deployments(applicationName=f"dito-local-{service}", deploymentGroupName=f"dito-local-{service}")["deployments"]


def image_of(ecs, arn):
    return ecs.describe_task_definition(taskDefinition=arn)["taskDefinition"]["containerDefinitions"][0]["image"]


def test_site_makes_each_service_a_blue_green_deployment_group(converged, client):
    cd = client("codedeploy")
    for service in SERVICES:
        name = f"dito-local-{service}"
        app = cd.get_application(applicationName=name)["application"]
        assert app["computePlatform"] == "ECS"
        group = cd.get_deployment_group(applicationName=name, deploymentGroupName=name)["deploymentGroupInfo"]
        assert group["deploymentStyle"] == {"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"}
        assert group["ecsServices"] == [{"serviceName": name, "clusterName": "dito-local"}]
        pair = group["loadBalancerInfo"]["targetGroupPairInfoList"][0]
        assert sorted(t["name"] for t in pair["targetGroups"]) == [f"{name}-blue", f"{name}-green"]
        assert len(pair["prodTrafficRoute"]["listenerArns"]) == 1 and len(pair["testTrafficRoute"]["listenerArns"]) == 1
        assert group["deploymentConfigName"] == "CodeDeployDefault.ECSAllAtOnce"
        assert group["autoRollbackConfiguration"]["enabled"] is True
        assert set(group["autoRollbackConfiguration"]["events"]) == {"DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM", "DEPLOYMENT_STOP_ON_REQUEST"}
        assert group["alarmConfiguration"]["enabled"] is True
        assert sorted(a["name"] for a in group["alarmConfiguration"]["alarms"]) == sorted(
            f"{name}-{kind}-{color}" for kind in ("5xx", "unhealthy") for color in ("blue", "green")
        )
        blue_green = group["blueGreenDeploymentConfiguration"]
        assert blue_green["terminateBlueInstancesOnDeploymentSuccess"] == {"action": "TERMINATE", "terminationWaitTimeInMinutes": 5}
        assert blue_green["deploymentReadyOption"]["actionOnTimeout"] == "CONTINUE_DEPLOYMENT"
        tags = cd.list_tags_for_resource(ResourceArn=app_arn(group, name))["Tags"]
        assert {"Key": "service", "Value": service} in tags and {"Key": "environment", "Value": "local"} in tags
        # The service role: CodeDeploy for this account only, this service's task sets and listeners only.
        role = client("iam").get_role(RoleName=f"{name}-codedeploy")["Role"]
        assert group["serviceRoleArn"] == role["Arn"]
        trust = role["AssumeRolePolicyDocument"]["Statement"][0]
        assert trust["Principal"] == {"Service": "codedeploy.amazonaws.com"} and "aws:SourceAccount" in trust["Condition"]["StringEquals"]
        policy = client("iam").get_role_policy(RoleName=f"{name}-codedeploy", PolicyName=f"{name}-codedeploy")["PolicyDocument"]
        for statement in policy["Statement"]:
            assert "*" not in statement["Action"] and not any(a.endswith(":*") for a in statement["Action"]), statement
            if statement["Resource"] == ["*"]:
                assert all(":Describe" in a for a in statement["Action"]), statement
        passed = next(s for s in policy["Statement"] if s["Action"] == ["iam:PassRole"])
        assert sorted(r.rsplit("/", 1)[1] for r in passed["Resource"]) == [f"{name}-execution", f"{name}-task"]


def app_arn(group, name):
    account = group["serviceRoleArn"].split(":")[4]
    return f"arn:aws:codedeploy:eu-west-1:{account}:application:{name}"


def test_deploys_move_traffic_and_site_yml_leaves_it_where_they_put_it(converged_to_change, playbook, client):
    """deploy.yml to both services with a new tag: a new revision, a deployment that succeeds, production (and test)
    traffic on green, the services on the new revision; autoscaling then scales them to 3. The same tag again deploys
    nothing; a deployment made to fail fails deploy.yml with CodeDeploy's reason and leaves traffic and the service as
    they were; the next good tag goes back to blue. Then site.yml limited to the services (which find the shared pieces
    by name, the platform host being left out) changes nothing CodeDeploy did (the one change: a listener the role no
    longer makes goes), and a --check of the whole stack changes nothing: the front end stays on green, the back end on
    blue, each on the revision its last deployment left, scaled out."""
    ecr, ecs, elb, cd = client("ecr"), client("ecs"), client("elbv2"), client("codedeploy")
    for service in SERVICES:
        push(ecr, service, "v2")
        assert serving(elb, service) == dict.fromkeys(PORTS[service], "blue")
    push(ecr, "backend", "v3")
    push(ecr, "backend", "dito-emulator-unhealthy-1")

    first = playbook("deploy.yml", "-e", "services=frontend,backend", "-e", "image_tag=v2")
    assert first.rc == 0 and first.total("failed") == 0, first
    deployed = {}
    for service in SERVICES:
        assert serving(elb, service) == dict.fromkeys(PORTS[service], "green"), service
        td, color = service_state(ecs, service)
        assert color == "green" and image_of(ecs, td).endswith(f"/dito/local/{service}:v2"), (service, td)
        [one] = deployments(cd, service)
        info = cd.get_deployment(deploymentId=one)["deploymentInfo"]
        assert info["status"] == "Succeeded", info
        deployed[service] = td
    assert re.search(r"AllowTraffic\s+Succeeded", first.out), first

    # Autoscaling scaled the services out meanwhile; the former design left an HTTPS 443 listener on the back end.
    for service in SERVICES:
        ecs.update_service(cluster="dito-local", service=f"dito-local-{service}", desiredCount=3)
    backend = load_balancer(elb, "backend")
    elb.create_listener(
        LoadBalancerArn=backend[0]["LoadBalancerArn"],
        Port=443,
        Protocol="HTTPS",
        Certificates=[{"CertificateArn": network()["site_certificate_arn"]}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": backend[3]["blue"]["TargetGroupArn"]}],
    )

    same = playbook("deploy.yml", "-e", "service=backend", "-e", "image_tag=v2")
    assert same.rc == 0 and same.total("changed") == 0, same
    assert len(deployments(cd, "backend")) == 1
    assert ecs.describe_task_definition(taskDefinition="dito-local-backend")["taskDefinition"]["taskDefinitionArn"] == deployed["backend"]

    missing = playbook("deploy.yml", "-e", "service=backend", "-e", "image_tag=v9")
    assert missing.rc != 0 and "v9" in missing.out and "dito/local/backend" in missing.out, missing
    assert len(deployments(cd, "backend")) == 1

    failed = playbook("deploy.yml", "-e", "service=backend", "-e", "image_tag=dito-emulator-unhealthy-1")
    assert failed.rc != 0, failed
    assert "ECS_UPDATE_ERROR" in failed.out, failed
    assert serving(elb, "backend") == dict.fromkeys(PORTS["backend"], "green")
    assert service_state(ecs, "backend") == (deployed["backend"], "green")

    again = playbook("deploy.yml", "-e", "service=backend", "-e", "image_tag=v3")
    assert again.rc == 0, again
    assert serving(elb, "backend") == dict.fromkeys(PORTS["backend"], "blue")
    td, color = service_state(ecs, "backend")
    assert color == "blue" and image_of(ecs, td).endswith("/dito/local/backend:v3")
    deployed["backend"] = td

    # A run limited to the services leaves the platform and Redis hosts out, so their outputs are missing: the roles
    # find the private zone (and the rest) by name instead.
    rerun = playbook("site.yml", "--limit", "frontend,backend")
    assert rerun.rc == 0 and set(rerun.recap) == {"frontend", "backend"} and rerun.total("changed") == 1, rerun
    assert re.search(r"changed: \[backend\] => \(item=443\)", rerun.out), rerun
    assert "Find the hosted zone local.dito.internal" in rerun.out, rerun
    check = playbook("site.yml", "--check")
    assert check.rc == 0 and check.total("changed") == 0, check
    for service, color in (("frontend", "green"), ("backend", "blue")):
        assert serving(elb, service) == dict.fromkeys(PORTS[service], color), service
        assert service_state(ecs, service) == (deployed[service], color)
        assert ecs.describe_services(cluster="dito-local", services=[f"dito-local-{service}"])["services"][0]["desiredCount"] == 3
        assert ecs.describe_task_definition(taskDefinition=f"dito-local-{service}")["taskDefinition"]["taskDefinitionArn"] == deployed[service]


def test_deploy_yml_refuses_a_request_it_cannot_serve(empty_account, playbook, client):
    """No image tag, an unknown service: refused before any AWS call, naming what is wrong."""
    run = playbook("deploy.yml", "-e", "service=backend")
    assert run.rc != 0 and "image_tag" in run.out, run
    run = playbook("deploy.yml", "-e", "service=chat", "-e", "image_tag=v2")
    assert run.rc != 0 and "frontend, backend" in run.out, run
    assert client("codedeploy").list_applications()["applications"] == []
