"""Amazon ECS behaviours that moto 5.2 bends."""

from datetime import UTC
from datetime import datetime

from moto.ecs import exceptions as ecs_exceptions
from moto.ecs import models as ecs_models


def describe_task_definition_family_returns_latest_active():
    """DescribeTaskDefinition with a bare family returns the latest ACTIVE revision.

    AWS API reference, DescribeTaskDefinition, request parameter ``taskDefinition``: "The family for
    the latest ACTIVE revision, family and revision (family:revision) for a specific revision in the
    family, or full Amazon Resource Name (ARN) of the task definition to describe."
    moto returns the highest revision even when it is INACTIVE, and a family whose revisions are all
    INACTIVE still resolves. A family:revision or an ARN with a revision keeps moto's behaviour (an
    INACTIVE revision stays describable by number, as on AWS).
    """
    backend_cls = ecs_models.EC2ContainerServiceBackend
    original = backend_cls.describe_task_definition

    def describe_task_definition(self, task_definition_str):
        name = task_definition_str.split("/")[-1]
        if ":" in name:
            return original(self, task_definition_str)
        active = [rev for rev, td in self.task_definitions.get(name, {}).items() if td.status == "ACTIVE"]
        if not active:
            raise ecs_exceptions.TaskDefinitionNotFoundException()
        return self.task_definitions[name][max(active)]

    backend_cls.describe_task_definition = describe_task_definition


def task_definitions_record_registered_at():
    """A task definition carries ``registeredAt``, the time it was registered.

    AWS API reference, TaskDefinition data type: "registeredAt - The Unix timestamp for the time when
    the task definition was registered." moto leaves it out of RegisterTaskDefinition and
    DescribeTaskDefinition responses.
    """
    task_definition_cls = ecs_models.TaskDefinition
    original_init = task_definition_cls.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.registered_at = datetime.now(UTC)

    task_definition_cls.__init__ = __init__
