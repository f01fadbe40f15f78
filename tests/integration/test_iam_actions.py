"""Each role README's IAM action list holds every action the role made in this session's integration tests.

The emulator logs every request by IAM action and calling role (tools/emulator/request_log.py; site.yml and
teardown.yml put `app/<role>` in each module's User-Agent). Reads count as much as writes. An action listed but never
called is reported, not failed: some calls happen only on update paths, and some actions are checked by AWS without
an API call of their own (IAMPassRole, the log deliveries ElastiCache makes, KMS through SSM): IMPLIED below names
those that a call needs, so that the test holds them too.

The README format: the section `## IAM actions` opens with an indented code block of `service:Action` words, any
number a line, `#` starting a comment to the end of the line; the prose after the block says how to scope them."""

import re
import warnings

import pytest

from tests.conftest import ROOT

ROLES = sorted(p.parent.name for p in (ROOT / "roles").glob("*/README.md"))
ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9]+$")

# Actions that AWS checks when a role's call does something on the caller's behalf, with no request of their own
# in the log. Each: (the call, what it needs, where AWS documents it). Only what the roles' calls always do.
IMPLIED = (
    ("lambda:CreateFunction", "iam:PassRole", "Lambda Developer Guide, execution role: the creator passes the role"),
    ("ecs:RegisterTaskDefinition", "iam:PassRole", "ECS Developer Guide, task execution and task IAM roles"),
    ("elasticloadbalancing:CreateLoadBalancer", "iam:CreateServiceLinkedRole", "ELB guide, service-linked role, made on first use"),
    ("elasticache:CreateReplicationGroup", "iam:CreateServiceLinkedRole", "ElastiCache guide, service-linked role, made on first use"),
    ("ecs:CreateCluster", "iam:CreateServiceLinkedRole", "ECS Developer Guide, service-linked role, made on first use"),
    ("application-autoscaling:RegisterScalableTarget", "iam:CreateServiceLinkedRole", "Application Auto Scaling, service-linked roles"),
    ("codedeploy:CreateDeploymentGroup", "iam:PassRole", "CodeDeploy user guide, service role: the creator passes it to CodeDeploy"),
    ("codebuild:CreateProject", "iam:PassRole", "CodeBuild user guide, service role: the creator passes it to CodeBuild"),
    ("codepipeline:CreatePipeline", "iam:PassRole", "CodePipeline user guide, service role: the creator passes it to CodePipeline"),
    # Service Authorization Reference, CodePipeline: CreatePipeline and UpdatePipeline check PassConnection on the
    # source action's connection (the codeconnections form, as site.yml makes it).
    ("codepipeline:CreatePipeline", "codeconnections:PassConnection", "Service Authorization Reference, CodePipeline, CreatePipeline"),
    ("codepipeline:UpdatePipeline", "codeconnections:PassConnection", "Service Authorization Reference, CodePipeline, UpdatePipeline"),
    # Service Authorization Reference, AWS CodeDeploy: CreateDeployment's dependent actions.
    *(
        ("codedeploy:CreateDeployment", f"codedeploy:{action}", "Service Authorization Reference, CodeDeploy, CreateDeployment")
        for action in ("GetApplicationRevision", "RegisterApplicationRevision", "GetDeploymentConfig")
    ),
    # ElastiCache log delivery to CloudWatch Logs (ElastiCache guide, "Log delivery", permissions to configure it).
    *(
        (call, f"logs:{action}", "ElastiCache guide, Log delivery")
        for call in ("elasticache:CreateReplicationGroup", "elasticache:ModifyReplicationGroup")
        for action in ("CreateLogDelivery", "GetLogDelivery", "UpdateLogDelivery", "DeleteLogDelivery", "ListLogDeliveries")
    ),
    # At-rest encryption with the role's KMS key: ElastiCache creates a grant on it (ElastiCache guide, at-rest encryption).
    ("elasticache:CreateReplicationGroup", "kms:CreateGrant", "ElastiCache guide, at-rest encryption with a customer managed key"),
    # SecureString parameters with the role's key: SSM encrypts and decrypts as the caller (SSM guide, "How AWS
    # Systems Manager Parameter Store uses AWS KMS").
    ("ssm:PutParameter", "kms:Encrypt", "SSM guide, Parameter Store and KMS: a SecureString written with a customer key"),
    ("ssm:GetParameter", "kms:Decrypt", "SSM guide, Parameter Store and KMS: a SecureString read back decrypted"),
)


def readme_actions(role):
    """The actions of the README's `## IAM actions` block (see the module docstring)."""
    text = (ROOT / "roles" / role / "README.md").read_text()
    section = re.search(r"^## IAM actions\n\n((?:    .*\n|\n)+)", text, re.M)
    assert section, f"roles/{role}/README.md: no '## IAM actions' section opening with an indented block"
    words = [w for line in section[1].splitlines() for w in line.split("#", 1)[0].split()]
    bad = [w for w in words if not ACTION.match(w)]
    assert not bad, f"roles/{role}/README.md: not service:Action words in the IAM actions block: {bad}"
    return set(words)


@pytest.mark.parametrize("role", ROLES)
def test_every_readme_has_an_iam_action_list(role):
    assert readme_actions(role)


def test_each_role_readme_lists_every_action_the_role_called(role_calls):
    # Every role calls AWS (site: its read-only preflight): a role without calls means the attribution (app/<role>) is lost.
    assert sorted(r for r in ROLES if not role_calls.get(f"dito.chat.{r}")) == [], sorted(role_calls)
    missing, unused = {}, {}
    for role in ROLES:
        called = dict(role_calls.get(f"dito.chat.{role}", {}))
        for call, needed, _source in IMPLIED:
            if call in called:
                called.setdefault(needed, f"(implied by {call})")
        listed = readme_actions(role)
        if set(called) - listed:
            missing[role] = sorted(f"{action} ({called[action]})" if called[action] != action.split(":")[1] else action for action in set(called) - listed)
        if listed - set(called):
            unused[role] = sorted(listed - set(called))
    if unused:
        warnings.warn(
            "IAM actions listed but not called in this session (update paths?): " + "; ".join(f"{r}: {' '.join(a)}" for r, a in unused.items()), stacklevel=1
        )
    assert not missing, "add to the roles' README IAM action lists:\n" + "\n".join(f"roles/{r}/README.md: {' '.join(a)}" for r, a in missing.items())


def test_every_call_of_the_playbooks_is_made_by_a_role(role_calls):
    """Every call that site.yml and teardown.yml make comes from a role (app/dito.chat.<role>), so that a README
    lists it; `app/dito.chat` alone is a task outside any role. Calls without app/ are the tests' own boto3 reads
    and the plays that tests write themselves."""
    outside = {role: sorted(calls) for role, calls in role_calls.items() if role and role.removeprefix("dito.chat.") not in ROLES}
    assert not outside, outside
