# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The EventBridge pattern of the pipeline-alerts rule (role lambda_alerts), documented in alerts_event_pattern.yml
beside this file and tested in tests/unit/plugins/filter/test_alerts.py."""

from ansible.errors import AnsibleFilterError

CODEPIPELINE_DETAIL_TYPES = [
    "CodePipeline Pipeline Execution State Change",
    "CodePipeline Stage Execution State Change",
    "CodePipeline Action Execution State Change",
]
CODEDEPLOY_DETAIL_TYPE = "CodeDeploy Deployment State-change Notification"
# The deployment states that reach the team: a deployment failed (and was rolled back when the group says so), or was
# stopped (by hand, or by an alarm, which rolls back too). CodeDeploy also sends START, SUCCESS and READY.
CODEDEPLOY_STATES = ["FAILURE", "STOP"]


def _names(value, what):
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v for v in value):
        raise AnsibleFilterError(f"alerts_event_pattern: {what} must be a list of non-empty strings, got {value!r}")
    return list(value)


def alerts_event_pattern(pipelines, pipeline_prefix="", codedeploy_applications=None):
    """The rule's pattern: the CodePipeline state changes of ``pipelines`` (and of every pipeline whose name starts
    with ``pipeline_prefix``); with ``codedeploy_applications``, also (``$or``) the FAILURE and STOP deployment
    state changes of those CodeDeploy applications. Without applications, the pattern is the CodePipeline one
    alone, as before CodeDeploy alerts existed (an existing rule is not rewritten)."""
    matched = _names(pipelines or [], "pipelines")
    if pipeline_prefix:
        matched.append({"prefix": pipeline_prefix})
    if not matched:
        raise AnsibleFilterError("alerts_event_pattern: name the pipelines or a pipeline prefix")
    codepipeline = {"source": ["aws.codepipeline"], "detail-type": list(CODEPIPELINE_DETAIL_TYPES), "detail": {"pipeline": matched}}
    applications = _names(codedeploy_applications or [], "codedeploy_applications")
    if not applications:
        return codepipeline
    codedeploy = {
        "source": ["aws.codedeploy"],
        "detail-type": [CODEDEPLOY_DETAIL_TYPE],
        "detail": {"state": list(CODEDEPLOY_STATES), "application": sorted(set(applications))},
    }
    return {"$or": [codepipeline, codedeploy]}


class FilterModule:
    def filters(self):
        return {"alerts_event_pattern": alerts_event_pattern}
