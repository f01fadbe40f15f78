"""AWS CodePipeline behaviours that moto 5.2 lacks or bends (AWS CodePipeline API reference; CodePipeline User
Guide, "Manage approval actions in CodePipeline").

moto already round-trips the V2 fields (pipelineType, executionMode, triggers, variables) through
CreatePipeline / GetPipeline / UpdatePipeline, and keeps tags given on create or through TagResource /
UntagResource / ListTagsForResource; it bumps ``version`` on every UpdatePipeline, identical or not, as AWS does.

The emulator runs no action: an execution passes each stage at once, except a Manual approval action, where it
waits (InProgress, with a token) until PutApprovalResult answers it.
"""

import json
import uuid

from moto.codepipeline import models as cp_models
from moto.codepipeline import responses as cp_responses
from moto.codepipeline.exceptions import InvalidStructureException
from moto.codepipeline.exceptions import PipelineNotFoundException
from moto.core.exceptions import JsonRESTError
from moto.core.utils import iso_8601_datetime_with_milliseconds
from moto.core.utils import utcnow
from moto.iam.exceptions import NotFoundException as IAMNotFoundException

CODEPIPELINE_PRINCIPAL = "codepipeline.amazonaws.com"


def _error(code, message):
    return JsonRESTError(code, message)


def _trusted_services(document):
    """The service principals a trust policy lets call sts:AssumeRole (Principal.Service as a string or a list)."""
    statements = json.loads(document).get("Statement") or []
    if isinstance(statements, dict):
        statements = [statements]
    services = set()
    for statement in statements:
        if statement.get("Effect", "Allow") != "Allow":
            continue
        actions = statement.get("Action") or []
        actions = [actions] if isinstance(actions, str) else actions
        if not any(a in ("sts:AssumeRole", "sts:*", "*") for a in actions):
            continue
        principal = statement.get("Principal") or {}
        service = principal.get("Service") if isinstance(principal, dict) else None
        services.update([service] if isinstance(service, str) else service or [])
    return services


def pipeline_roles_may_trust_a_list_of_services():
    """CreatePipeline and UpdatePipeline accept a role whose trust policy names ``codepipeline.amazonaws.com``
    in a list of service principals.

    IAM User Guide, "AWS JSON policy elements: Principal": "You can specify more than one service as the
    principal: "Principal": {"Service": ["ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com"]}". AWS API
    reference, CreatePipeline / UpdatePipeline, InvalidStructureException ("The structure was specified in an
    invalid format"): CodePipeline refuses a role it cannot assume, on create and on update. moto compared each
    statement's Principal.Service with the string and refused a list, and checked nothing on update.
    """
    backend_cls = cp_models.CodePipelineBackend
    original_update = backend_cls.update_pipeline

    def check_role(self, role_arn):
        try:
            role = self.iam_backend.get_role_by_arn(role_arn)
            trusted = CODEPIPELINE_PRINCIPAL in _trusted_services(role.assume_role_policy_document)
        except (IAMNotFoundException, ValueError):
            trusted = False
        if not trusted:
            raise InvalidStructureException(f"CodePipeline is not authorized to perform AssumeRole on role {role_arn}")

    def create_pipeline(self, pipeline, tags):
        # moto's own create, with the role check above in place of its string comparison.
        name = pipeline["name"]
        if name in self.pipelines:
            raise InvalidStructureException(f"A pipeline with the name '{name}' already exists in account '{self.account_id}'")
        check_role(self, pipeline["roleArn"])
        if len(pipeline["stages"]) < 2:
            raise InvalidStructureException(f"Pipeline has only {len(pipeline['stages'])} stage(s). There should be a minimum of 2 stages in a pipeline")
        created = cp_models.CodePipeline(self.account_id, self.region_name, pipeline)
        tags = tags or []
        created.validate_tags(tags)
        created.tags.update({tag["key"]: tag["value"] for tag in tags})
        self.pipelines[name] = created
        return pipeline, sorted(tags, key=lambda i: i["key"])

    def update_pipeline(self, pipeline):
        if pipeline["name"] in self.pipelines:
            check_role(self, pipeline["roleArn"])
        return original_update(self, pipeline)

    backend_cls.create_pipeline = create_pipeline
    backend_cls.update_pipeline = update_pipeline


# ---------------------------------------------------------------------------------------------------
# Executions: which stages and actions an execution reached (GetPipelineState, PutApprovalResult)


def _is_manual_approval(action):
    type_id = action.get("actionTypeId") or {}
    return type_id.get("category") == "Approval" and type_id.get("provider") == "Manual"


def _now():
    return iso_8601_datetime_with_milliseconds(utcnow())


def _advance(execution, stages, start_stage=0):
    """Run ``stages`` from ``start_stage`` on: every action succeeds at once, a Manual approval waits."""
    for index in range(start_stage, len(stages)):
        stage = stages[index]
        actions = {}
        execution.stage_states[stage["name"]] = {"status": "InProgress", "actions": actions}
        waiting = False
        for action in stage.get("actions") or []:
            state = {"actionExecutionId": str(uuid.uuid4()), "lastStatusChange": _now()}
            if _is_manual_approval(action):
                state.update(status="InProgress", token=str(uuid.uuid4()))
                waiting = True
            else:
                state.update(status="Succeeded", summary="The emulator runs no action.")
            actions[action["name"]] = state
        if waiting:
            execution.status = "InProgress"
            return
        execution.stage_states[stage["name"]]["status"] = "Succeeded"
    execution.status = "Succeeded"
    execution.last_update_time = utcnow()


def manual_approvals_wait_for_a_result():
    """An execution waits at a Manual approval action until PutApprovalResult answers it.

    CodePipeline User Guide, "Manage approval actions": "the pipeline stops running at the approval action
    until someone approves or rejects it" ... "If the action is approved, the pipeline execution resumes. If
    the action is rejected — or if no one approves or rejects the action within seven days — the result is the
    same as an action failing, and the pipeline execution does not continue." AWS API reference,
    PutApprovalResult: request pipelineName, stageName, actionName, result {summary, status Approved|Rejected},
    token ("The system-generated token used to identify a unique approval request. The token for each open
    approval request can be obtained using the GetPipelineState action."); response approvedAt; errors
    PipelineNotFoundException, StageNotFoundException, ActionNotFoundException, InvalidApprovalTokenException
    ("The approval request already received a response or has expired"), ApprovalAlreadyCompletedException
    ("The approval action has already been approved or rejected"), ValidationException. moto marked every
    execution Succeeded at once and had no PutApprovalResult.
    """
    backend_cls = cp_models.CodePipelineBackend
    original_start = backend_cls.start_pipeline_execution

    def start_pipeline_execution(self, name, variables):
        execution_id = original_start(self, name, variables)
        codepipeline = self.pipelines[name]
        execution = codepipeline.executions[execution_id]
        execution.stage_states = {}
        _advance(execution, codepipeline.pipeline["stages"])
        return execution_id

    def put_approval_result(self, pipeline_name, stage_name, action_name, result, token):
        codepipeline = self.pipelines.get(pipeline_name)
        if not codepipeline:
            raise PipelineNotFoundException(f"Account '{self.account_id}' does not have a pipeline with name '{pipeline_name}'")
        stages = codepipeline.pipeline["stages"]
        index = next((i for i, s in enumerate(stages) if s["name"] == stage_name), None)
        if index is None:
            raise _error("StageNotFoundException", f"Stage '{stage_name}' not found in pipeline '{pipeline_name}'")
        if not any(a["name"] == action_name for a in stages[index].get("actions") or []):
            raise _error("ActionNotFoundException", f"Action '{action_name}' not found in stage '{stage_name}' of pipeline '{pipeline_name}'")
        status = (result or {}).get("status")
        if status not in ("Approved", "Rejected"):
            raise _error(
                "ValidationException", "Value at 'result.status' failed to satisfy constraint: Member must satisfy enum value set: [Approved, Rejected]"
            )
        for execution in codepipeline.executions.values():
            state = (getattr(execution, "stage_states", {}).get(stage_name) or {}).get("actions", {}).get(action_name)
            if not state or state.get("token") != token:
                continue
            if state["status"] != "InProgress":
                raise _error("ApprovalAlreadyCompletedException", f"The approval action {stage_name}/{action_name} has already been approved or rejected")
            state.update(
                status="Succeeded" if status == "Approved" else "Failed",
                summary=result.get("summary") or "",
                lastStatusChange=_now(),
                lastUpdatedBy=f"arn:aws:iam::{self.account_id}:user/emulator",
            )
            if status == "Rejected":
                state["errorDetails"] = {"code": "JobFailed", "message": "Rejected by emulator user"}
                execution.stage_states[stage_name]["status"] = "Failed"
                execution.status = "Failed"
                execution.last_update_time = utcnow()
            elif all(a["status"] == "Succeeded" for a in execution.stage_states[stage_name]["actions"].values()):
                execution.stage_states[stage_name]["status"] = "Succeeded"
                _advance(execution, stages, index + 1)
            return _now()
        raise _error(
            "InvalidApprovalTokenException",
            f"The approval token for {stage_name}/{action_name} is not valid: the request already received a response or has expired",
        )

    def response_put_approval_result(self):
        approved_at = self.codepipeline_backend.put_approval_result(
            self._get_param("pipelineName"), self._get_param("stageName"), self._get_param("actionName"), self._get_param("result"), self._get_param("token")
        )
        return json.dumps({"approvedAt": approved_at})

    backend_cls.start_pipeline_execution = start_pipeline_execution
    backend_cls.put_approval_result = put_approval_result
    cp_responses.CodePipelineResponse.put_approval_result = response_put_approval_result


def get_pipeline_state_answers():
    """GetPipelineState describes each stage of the pipeline's declaration with its latest execution.

    AWS API reference, GetPipelineState: "Returns information about the state of a pipeline, including the
    stages and actions." Response pipelineName, pipelineVersion, created, updated, stageStates: for each stage
    of the declaration, in order, stageName, inboundTransitionState {enabled}, actionStates (actionName,
    latestExecution {actionExecutionId, status, summary, lastStatusChange, token (of an open approval),
    lastUpdatedBy, errorDetails}) and latestExecution {pipelineExecutionId, status}; a stage no execution
    reached has neither. Error PipelineNotFoundException. moto answered "not implemented".
    """
    backend_cls = cp_models.CodePipelineBackend

    def get_pipeline_state(self, name):
        codepipeline = self.pipelines.get(name)
        if not codepipeline:
            raise PipelineNotFoundException(f"Account '{self.account_id}' does not have a pipeline with name '{name}'")
        executions = list(reversed(codepipeline.executions.values()))
        stage_states = []
        for stage in codepipeline.pipeline["stages"]:
            reached = next((e for e in executions if stage["name"] in getattr(e, "stage_states", {})), None)
            if reached is None and executions and not hasattr(executions[0], "stage_states"):
                reached = executions[0]
            held = getattr(reached, "stage_states", {}).get(stage["name"]) if reached else None
            state = {"stageName": stage["name"], "inboundTransitionState": {"enabled": True}}
            actions = []
            for action in stage.get("actions") or []:
                action_state = {"actionName": action["name"]}
                if reached is not None:
                    latest = (held or {}).get("actions", {}).get(action["name"]) or {"status": "Succeeded", "lastStatusChange": _now()}
                    action_state["latestExecution"] = dict(latest)
                actions.append(action_state)
            state["actionStates"] = actions
            if reached is not None:
                stage_execution = {"pipelineExecutionId": reached.pipeline_execution_id, "status": (held or {}).get("status", "Succeeded"), "type": "STANDARD"}
                state["latestExecution"] = stage_execution
            stage_states.append(state)
        metadata = codepipeline.metadata
        return {
            "pipelineName": name,
            "pipelineVersion": codepipeline.pipeline["version"],
            "stageStates": stage_states,
            "created": metadata["created"],
            "updated": metadata["updated"],
        }

    def response_get_pipeline_state(self):
        return json.dumps(self.codepipeline_backend.get_pipeline_state(self._get_param("name")))

    backend_cls.get_pipeline_state = get_pipeline_state
    cp_responses.CodePipelineResponse.get_pipeline_state = response_get_pipeline_state


def creating_a_pipeline_starts_an_execution():
    """CreatePipeline starts a first execution, whose trigger is ``CreatePipeline``.

    CodePipeline User Guide, "Start a pipeline in CodePipeline": "Pipeline creation: When a pipeline is created, a
    pipeline execution starts automatically. This is the CreatePipeline trigger type in the Execution history."
    AWS API reference, ExecutionTrigger ``triggerType``: CreatePipeline | StartPipelineExecution | PollForSourceChanges
    | Webhook | CloudWatchEvent | PutActionRevision | WebhookV2 | ManualRollback | AutomatedRollback. moto started
    nothing, and reported every execution's trigger as StartPipelineExecution.
    """
    backend_cls = cp_models.CodePipelineBackend
    execution_cls = cp_models.PipelineExecution
    original_create = backend_cls.create_pipeline
    original_to_dict = execution_cls.to_dict
    original_to_summary_dict = execution_cls.to_summary_dict

    def create_pipeline(self, pipeline, tags):
        result = original_create(self, pipeline, tags)
        execution_id = self.start_pipeline_execution(pipeline["name"], None)
        self.pipelines[pipeline["name"]].executions[execution_id].trigger_type = "CreatePipeline"
        return result

    def with_trigger(original):
        def answer(self):
            result = original(self)
            result["trigger"] = {"triggerType": getattr(self, "trigger_type", "StartPipelineExecution"), "triggerDetail": ""}
            return result

        return answer

    backend_cls.create_pipeline = create_pipeline
    execution_cls.to_dict = with_trigger(original_to_dict)
    execution_cls.to_summary_dict = with_trigger(original_to_summary_dict)


def a_pipeline_name_in_use_is_refused_as_pipeline_name_in_use():
    """CreatePipeline with the name of an existing pipeline fails with PipelineNameInUseException.

    AWS API reference, CreatePipeline, Errors: "PipelineNameInUseException: The specified pipeline name is already in
    use. HTTP Status Code: 400". moto answered InvalidStructureException, the error of a malformed declaration, so a
    caller could not tell its own earlier create (a lost response, resent by botocore) from a bad pipeline.
    """
    backend_cls = cp_models.CodePipelineBackend
    original_create = backend_cls.create_pipeline

    def create_pipeline(self, pipeline, tags):
        if pipeline["name"] in self.pipelines:
            raise _error("PipelineNameInUseException", f"A pipeline with the name '{pipeline['name']}' already exists in account '{self.account_id}'")
        return original_create(self, pipeline, tags)

    backend_cls.create_pipeline = create_pipeline
