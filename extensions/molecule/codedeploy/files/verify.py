"""Read back what the deployment left: python verify.py <endpoint> (credentials from the environment). Prints JSON for verify.yml's assertions."""

import json
import sys

import boto3

NAME = "molecule-bg"
kwargs = {"region_name": "eu-west-1", "endpoint_url": sys.argv[1]}
cd, elb, ecs = (boto3.client(s, **kwargs) for s in ("codedeploy", "elbv2", "ecs"))


def group_name(arn):
    return arn.split(":targetgroup/")[1].split("/")[0]


def forwarded(listener):
    action = listener["DefaultActions"][0]
    arn = action.get("TargetGroupArn") or next(g["TargetGroupArn"] for g in action["ForwardConfig"]["TargetGroups"] if g.get("Weight", 1))
    return group_name(arn)


ids = cd.list_deployments(applicationName=NAME, deploymentGroupName=NAME)["deployments"]
group = cd.get_deployment_group(applicationName=NAME, deploymentGroupName=NAME)["deploymentGroupInfo"]
lb = elb.describe_load_balancers(Names=[NAME])["LoadBalancers"][0]
listeners = {li["Port"]: li for li in elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]}
service = ecs.describe_services(cluster=NAME, services=[NAME])["services"][0]
image = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]["containerDefinitions"][0]["image"]
print(
    json.dumps(
        {
            "deployments": ids,
            "status": cd.get_deployment(deploymentId=ids[0])["deploymentInfo"]["status"] if ids else None,
            "production": forwarded(listeners[80]),
            "test": forwarded(listeners[8443]),
            "service_target_group": group_name(service["loadBalancers"][0]["targetGroupArn"]),
            "image": image,
            "group_alarms": [a["name"] for a in group.get("alarmConfiguration", {}).get("alarms", [])],
        }
    )
)
