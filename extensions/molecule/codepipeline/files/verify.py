"""Read back what the codepipeline role made, then approve the execution that creating the pipeline started:
python verify.py <endpoint> (credentials from the environment). Prints JSON for verify.yml's assertions."""

import json
import sys

import boto3
import yaml

NAME = "molecule-api"
kwargs = {"region_name": "eu-west-1", "endpoint_url": sys.argv[1]}
cb, cp, iam = (boto3.client(s, **kwargs) for s in ("codebuild", "codepipeline", "iam"))


def approval(state):
    stage = next(s for s in state["stageStates"] if s["stageName"] == "Approval")
    return stage["actionStates"][0].get("latestExecution", {})


projects = {p["name"]: p for p in cb.batch_get_projects(names=[f"{NAME}-test", f"{NAME}-build"])["projects"]}
test, build = projects[f"{NAME}-test"], projects[f"{NAME}-build"]
pipeline = cp.get_pipeline(name=NAME)["pipeline"]
waiting = approval(cp.get_pipeline_state(name=NAME))
# A person approves in the console; PutApprovalResult is what the console calls.
cp.put_approval_result(
    pipelineName=NAME, stageName="Approval", actionName="Approve", result={"summary": "molecule", "status": "Approved"}, token=waiting["token"]
)
approved = approval(cp.get_pipeline_state(name=NAME))
print(
    json.dumps(
        {
            "stages": [s["name"] for s in pipeline["stages"]],
            "pipeline_type": pipeline["pipelineType"],
            "execution_mode": pipeline["executionMode"],
            "file_paths": pipeline["triggers"][0]["gitConfiguration"]["push"][0]["filePaths"]["includes"],
            "privileged": [test["environment"]["privilegedMode"], build["environment"]["privilegedMode"]],
            "parameter_types": {v["name"]: v["type"] for v in build["environment"]["environmentVariables"]},
            "test_commands": yaml.safe_load(test["source"]["buildspec"])["phases"]["build"]["commands"][1:],
            "log_group": test["logsConfig"]["cloudWatchLogs"]["groupName"],
            "pipeline_trust": iam.get_role(RoleName=f"{NAME}-pipeline")["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"],
            "approval_before": waiting.get("status"),
            "approval_after": approved.get("status"),
        }
    )
)
