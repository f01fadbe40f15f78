"""The aws-CLI check finds the CLI in every task form and nothing else."""

import textwrap

import pytest

from tools import lint_no_aws_cli

BAD = [
    "- ansible.builtin.shell: aws ecr describe-repositories",
    "- name: x\n  command: /usr/local/bin/aws s3 ls",
    "- ansible.builtin.command:\n    cmd: aws sts get-caller-identity",
    "- ansible.builtin.command:\n    argv: [aws, ecs, list-clusters]",
    "- block:\n    - ansible.legacy.shell: set -e; aws iam list-roles | jq .",
    "- ansible.builtin.shell: sudo -E env A=1 aws ecs list-clusters",
    "- ansible.builtin.shell:\n  args:\n    chdir: /tmp\n    cmd: aws logs tail x",
]
GOOD = [
    "- ansible.builtin.shell: echo aws is a word here",
    "- ansible.builtin.command: /bin/true",
    "- ansible.builtin.command: sudo aws-vault exec prod",
    "- dito.chat.ecr_repository:\n    name: aws ecr",
    "- ansible.builtin.debug:\n    msg: run aws ecr yourself",
]


@pytest.mark.parametrize("text", BAD)
def test_finds_the_cli(tmp_path, text):
    (tmp_path / "tasks.yml").write_text(textwrap.dedent(text))
    assert lint_no_aws_cli.main([str(tmp_path)]) == 1


@pytest.mark.parametrize("text", GOOD)
def test_leaves_everything_else(tmp_path, text):
    (tmp_path / "tasks.yml").write_text(textwrap.dedent(text))
    assert lint_no_aws_cli.main([str(tmp_path)]) == 0


def test_the_repository_is_clean():
    assert lint_no_aws_cli.main([]) == 0
