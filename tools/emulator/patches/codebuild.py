"""AWS CodeBuild behaviours that moto 5.2 lacks or bends (AWS CodeBuild API reference: CreateProject,
UpdateProject, BatchGetProjects, and the data types ProjectSource, ProjectArtifacts, ProjectEnvironment,
ProjectCache, LogsConfig).

moto validates a project with module-level functions of ``moto.codebuild.responses`` that CreateProject calls
by name; the patches below replace those functions, so UpdateProject (which moto lacks, added here) runs the
same checks. The IAM propagation fault mode (``DITO_EMULATOR_IAM_PROPAGATION_SECONDS``, see awslambda.py)
makes CreateProject/UpdateProject refuse a service role younger than N seconds, as CodeBuild does while IAM
propagates a new role.
"""

import copy

import botocore.session
from moto.codebuild import responses as cb_responses
from moto.codebuild.exceptions import InvalidInputException
from moto.codebuild.exceptions import ResourceNotFoundException
from moto.core.responses import ActionResult
from moto.core.utils import unix_time
from moto.core.utils import utcnow
from moto.iam.exceptions import NotFoundException as IAMNotFoundException
from moto.iam.models import iam_backends
from moto.utilities.utils import get_partition

from tools.emulator import trust
from tools.emulator.patches.awslambda import propagation_seconds

# The types without a location: "If type is set to CODEPIPELINE, CodePipeline ignores this value if specified.
# This is because CodePipeline manages its build output locations instead of CodeBuild." (ProjectArtifacts.location;
# ProjectSource.location likewise for CODEPIPELINE, and NO_SOURCE has no source at all.)
SOURCES_WITHOUT_LOCATION = ("CODEPIPELINE", "NO_SOURCE")
ARTIFACTS_WITHOUT_LOCATION = ("CODEPIPELINE", "NO_ARTIFACTS")

# UpdateProject's fields that replace the project's own when given (the API reference's request syntax).
UPDATABLE_FIELDS = (
    "description",
    "source",
    "secondarySources",
    "sourceVersion",
    "secondarySourceVersions",
    "artifacts",
    "secondaryArtifacts",
    "cache",
    "environment",
    "serviceRole",
    "timeoutInMinutes",
    "queuedTimeoutInMinutes",
    "encryptionKey",
    "tags",
    "vpcConfig",
    "logsConfig",
    "fileSystemLocations",
    "buildBatchConfig",
    "concurrentBuildLimit",
    "autoRetryLimit",
)


def _enum(shape):
    """The values of one of the API's enums, from botocore's model of the CodeBuild API (the API reference's)."""
    return tuple(botocore.session.get_session().get_service_model("codebuild").shape_for(shape).enum)


def _project_arn(region, account, name):
    return f"arn:{get_partition(region)}:codebuild:{region}:{account}:project/{name}"


def codepipeline_sources_and_artifacts_need_no_location():
    """A CODEPIPELINE (or NO_SOURCE) source and a CODEPIPELINE (or NO_ARTIFACTS) artifact need no ``location``.

    ProjectSource.location: "For source code in an AWS CodePipeline pipeline, do not specify this property ...
    CodePipeline ignores it"; ProjectArtifacts.location: "If type is set to CODEPIPELINE, CodePipeline ignores
    this value if specified." moto demanded a location for every type but NO_ARTIFACTS.
    """
    source_types = _enum("SourceType")
    artifact_types = _enum("ArtifactsType")

    def validate_source(source):
        source = source or {}
        if source.get("type") not in source_types:
            raise InvalidInputException("Invalid type provided: Project source type")
        if source["type"] not in SOURCES_WITHOUT_LOCATION and not source.get("location"):
            raise InvalidInputException("Project source location is required")

    def validate_artifacts(artifacts):
        artifacts = artifacts or {}
        if artifacts.get("type") not in artifact_types:
            raise InvalidInputException("Invalid type provided: Artifact type")
        if artifacts["type"] == "NO_ARTIFACTS" and "location" in artifacts:
            raise InvalidInputException("Invalid artifacts: artifact type NO_ARTIFACTS should have null location")
        if artifacts["type"] not in ARTIFACTS_WITHOUT_LOCATION and not artifacts.get("location"):
            raise InvalidInputException("Project artifacts location is required")

    cb_responses._validate_required_params_source = validate_source
    cb_responses._validate_required_params_artifacts = validate_artifacts


def compute_types_of_the_api_reference_are_accepted():
    """ProjectEnvironment.computeType and .type take every value of the API reference (BUILD_GENERAL1_SMALL ..
    BUILD_GENERAL1_2XLARGE with XLARGE, BUILD_LAMBDA_1GB .. 10GB, ATTRIBUTE_BASED_COMPUTE, CUSTOM_INSTANCE_TYPE;
    LINUX_CONTAINER, ARM_CONTAINER, LINUX_LAMBDA_CONTAINER, LINUX_EC2, ...); anything else is
    InvalidInputException. moto knew four compute types (no XLARGE, no Lambda) and four environment types.
    """
    compute_types = _enum("ComputeType")
    environment_types = _enum("EnvironmentType")

    def validate_environment(environment):
        environment = environment or {}
        if environment.get("type") not in environment_types:
            raise InvalidInputException(f"Invalid type provided: {environment.get('type')}")
        if environment.get("computeType") not in compute_types:
            raise InvalidInputException(f"Invalid compute type provided: {environment.get('computeType')}")

    cb_responses._validate_required_params_environment = validate_environment


def service_roles_must_be_assumable_by_codebuild():
    """CreateProject and UpdateProject refuse a service role that CodeBuild cannot assume: one that does not exist,
    or whose trust policy does not let ``codebuild.amazonaws.com`` call sts:AssumeRole (InvalidInputException
    "CodeBuild is not authorized to perform: sts:AssumeRole on <arn>"), and, in the IAM propagation fault mode, a
    role younger than N seconds. moto checked only the ARN's account.
    """
    original = cb_responses._validate_required_params_service_role

    def validate_service_role(account_id, region_name, service_role):
        original(account_id, region_name, service_role)
        refused = InvalidInputException(f"CodeBuild is not authorized to perform: sts:AssumeRole on {service_role}")
        try:
            role = iam_backends[account_id][get_partition(region_name)].get_role_by_arn(service_role)
        except IAMNotFoundException:
            raise refused from None
        if not trust.trusts_service(role.assume_role_policy_document, "codebuild", region_name):
            raise refused
        seconds = propagation_seconds()
        if seconds > 0 and (utcnow() - role.create_date).total_seconds() < seconds:
            raise refused

    cb_responses._validate_required_params_service_role = validate_service_role


def _complete(metadata, account, region):
    """Fill in what BatchGetProjects reports when the request left it out (the API reference's defaults)."""
    name = metadata["name"]
    metadata["source"] = dict({"insecureSsl": False}, **(metadata.get("source") or {}))
    artifacts = dict(metadata.get("artifacts") or {})
    if artifacts.get("type") == "CODEPIPELINE":
        # CodeBuild names a pipeline's output after the project and does not zip it itself.
        artifacts = dict({"name": name, "packaging": "NONE"}, **artifacts)
    if artifacts.get("type") != "NO_ARTIFACTS":
        artifacts.setdefault("encryptionDisabled", False)
    metadata["artifacts"] = artifacts
    environment = dict({"environmentVariables": [], "privilegedMode": False, "imagePullCredentialsType": "CODEBUILD"}, **(metadata.get("environment") or {}))
    environment["environmentVariables"] = [dict({"type": "PLAINTEXT"}, **v) for v in environment["environmentVariables"] or []]
    metadata["environment"] = environment
    metadata["cache"] = metadata.get("cache") or {"type": "NO_CACHE"}
    # timeoutInMinutes: "The default is 60 minutes."; queuedTimeoutInMinutes: 480 (8 hours).
    metadata["timeoutInMinutes"] = metadata.get("timeoutInMinutes") or 60
    metadata["queuedTimeoutInMinutes"] = metadata.get("queuedTimeoutInMinutes") or 480
    # encryptionKey: "If you don't specify a value, CodeBuild uses the managed CMK for Amazon S3."
    metadata["encryptionKey"] = metadata.get("encryptionKey") or f"arn:{get_partition(region)}:kms:{region}:{account}:alias/aws/s3"
    logs = copy.deepcopy(metadata.get("logsConfig") or {})
    logs["cloudWatchLogs"] = logs.get("cloudWatchLogs") or {"status": "ENABLED"}
    logs["s3Logs"] = dict({"encryptionDisabled": False}, **(logs.get("s3Logs") or {"status": "DISABLED"}))
    metadata["logsConfig"] = logs
    metadata["tags"] = metadata.get("tags") or []
    metadata.setdefault("projectVisibility", "PRIVATE")
    metadata.setdefault("lastModified", metadata.get("created"))
    if metadata.get("concurrentBuildLimit") in (None, -1):
        metadata.pop("concurrentBuildLimit", None)
    return metadata


def projects_keep_every_field_with_aws_defaults():
    """CreateProject keeps every field of the request and BatchGetProjects reports the API reference's defaults
    for the ones left out: ``encryptionKey`` (moto always answered the S3 managed key), ``concurrentBuildLimit``
    (dropped), ``timeoutInMinutes`` 60 and ``queuedTimeoutInMinutes`` 480 (moto: 0), ``environment``'s
    ``privilegedMode`` false, ``imagePullCredentialsType`` CODEBUILD and each variable's ``type`` PLAINTEXT,
    ``logsConfig`` with CloudWatch Logs ENABLED and S3 logs DISABLED, a CODEPIPELINE artifact named after the
    project with packaging NONE.
    """
    original = cb_responses.CodeBuildResponse.create_project

    def create_project(self):
        result = original(self)
        project = self.codebuild_backend.codebuild_projects[self._get_param("name")]
        for field in (
            "encryptionKey",
            "concurrentBuildLimit",
            "autoRetryLimit",
            "secondarySources",
            "secondaryArtifacts",
            "fileSystemLocations",
            "buildBatchConfig",
        ):
            if self._get_param(field) is not None:
                project.project_metadata[field] = self._get_param(field)
        _complete(project.project_metadata, self.current_account, self.region)
        return result

    cb_responses.CodeBuildResponse.create_project = create_project


def update_project_applies_every_field():
    """UpdateProject (moto: not implemented): every field given replaces the project's, ``tags`` included
    ("An updated list of tag key and value pairs associated with this build project."), ``concurrentBuildLimit``
    -1 removes the limit ("To remove this limit, set this value to -1"); the same checks as CreateProject;
    ResourceNotFoundException for a project that does not exist; answers the updated ``project``.
    """

    def update_project(self):
        name = self._get_param("name")
        backend = self.codebuild_backend
        project = backend.codebuild_projects.get(name)
        if project is None:
            raise ResourceNotFoundException(f"Project cannot be found: {_project_arn(self.region, self.current_account, name)}")
        changes = {f: self._get_param(f) for f in UPDATABLE_FIELDS if self._get_param(f) is not None}
        if "source" in changes:
            cb_responses._validate_required_params_source(changes["source"])
        if "artifacts" in changes:
            cb_responses._validate_required_params_artifacts(changes["artifacts"])
        if "environment" in changes:
            cb_responses._validate_required_params_environment(changes["environment"])
        if "serviceRole" in changes:
            cb_responses._validate_required_params_service_role(self.current_account, self.region, changes["serviceRole"])
        metadata = project.project_metadata
        metadata.update(copy.deepcopy(changes))
        if "serviceRole" in changes:
            project.service_role = changes["serviceRole"]
        if "tags" in changes:
            project.tags = metadata["tags"]
        if self._get_param("badgeEnabled") is not None:
            metadata["badge"] = {"badgeEnabled": bool(self._get_param("badgeEnabled"))}
        metadata["lastModified"] = unix_time()
        _complete(metadata, self.current_account, self.region)
        return ActionResult({"project": metadata})

    cb_responses.CodeBuildResponse.update_project = update_project
