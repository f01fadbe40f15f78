#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: iam_service_role
short_description: Manage an IAM role that AWS services assume, with its inline and managed policies
version_added: 0.1.0
description:
  - Creates, updates or deletes one IAM role that AWS services assume (CodeBuild, CodePipeline, CodeDeploy,
    ECS tasks, Lambda...), together with its trust policy, its inline policies, its attached managed policies and
    its tags, in one task. Check mode and diff mode are supported.
  - The trust policy is built from O(trusted_services) (and O(source_account)); it is the whole trust policy of the
    role.
  - The role holds exactly the inline policies of O(inline_policies) and the managed policies of
    O(managed_policy_arns) after the task; others are deleted or detached. Policy documents are compared without
    regard to the order of statements, actions or principals, so a re-run makes no call that changes anything.
  - Removals come before additions (inline policies deleted before the changed ones are put, managed policies
    detached before new ones are attached), so that IAM's quotas on attached policies and on the aggregate size of
    inline policies hold at every step.
  - The path of an existing role cannot change on AWS; a role found under another path fails the task and nothing is
    changed.
  - In check mode, a role that does not exist yet is reported with the ARN it will have, so that later tasks can plan
    with it.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description: The role name.
    type: str
    required: true
  state:
    description: Whether the role should exist. V(absent) detaches its managed policies, deletes its inline policies,
      then deletes the role.
    type: str
    default: present
    choices: [present, absent]
  path:
    description: The role's path (part of its ARN); set when the role is created.
    type: str
    default: /
  description:
    description:
      - The role's description. Unset (null) leaves the description alone; an empty string clears it.
    type: str
  trusted_services:
    description:
      - The service principals allowed to assume the role, for example V(codebuild.amazonaws.com).
      - Required with O(state=present).
    type: list
    elements: str
  source_account:
    description:
      - An AWS account id (quote it in YAML). When given, the trust statement carries a C(StringEquals) condition on
        C(aws:SourceAccount) equal to it, so that a service assumes the role only on behalf of resources of that account
        (the confused deputy problem).
    type: str
  source_arn:
    description:
      - ARNs (wildcards allowed) of the resources on whose behalf the services may assume the role. When given, the trust
        statement also carries an C(ArnLike) condition on C(aws:SourceArn) - for example the CodeBuild project or the
        pipeline that uses the role, so that no other resource of the account can (the confused deputy problem).
    type: list
    elements: str
    version_added: 0.1.0
  inline_policies:
    description:
      - Inline policies of the role, a mapping of policy name to policy document (a dict, or its JSON text).
      - Inline policies of the role that are not named here are deleted. An empty mapping (the default) deletes them all.
    type: dict
    default: {}
  managed_policy_arns:
    description:
      - ARNs of the managed policies (AWS managed or customer managed) attached to the role. Others are detached.
    type: list
    elements: str
    default: []
  max_session_duration:
    description: The longest session, in seconds (3600 to 43200), that assuming the role gives.
    type: int
    default: 3600
  permissions_boundary:
    description:
      - ARN of the managed policy that is the role's permissions boundary. Unset (null) leaves the boundary alone; an
        empty string removes it.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - IAM actions used - C(iam:GetRole), C(iam:CreateRole), C(iam:UpdateRole), C(iam:UpdateAssumeRolePolicy),
    C(iam:DeleteRole), C(iam:PutRolePermissionsBoundary), C(iam:DeleteRolePermissionsBoundary),
    C(iam:ListRolePolicies), C(iam:GetRolePolicy), C(iam:PutRolePolicy), C(iam:DeleteRolePolicy),
    C(iam:ListAttachedRolePolicies), C(iam:AttachRolePolicy), C(iam:DetachRolePolicy), C(iam:TagRole),
    C(iam:UntagRole), and C(sts:GetCallerIdentity) (the account of the planned ARN, in check mode only).
  - The ARN planned in check mode takes its partition from the region (O(region) or the environment).
"""

EXAMPLES = r"""
- name: The service role of the back end's CodeBuild project
  dito.chat.iam_service_role:
    name: dito-prod-backend-codebuild
    description: CodeBuild of dito-prod-backend
    trusted_services:
      - codebuild.amazonaws.com
    source_account: "123456789012"
    inline_policies:
      logs:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: [logs:CreateLogStream, logs:PutLogEvents]
            Resource: arn:aws:logs:eu-west-1:123456789012:log-group:/aws/codebuild/dito-prod-backend:*
      artifacts: "{{ lookup('ansible.builtin.template', 'artifacts-policy.json.j2') }}"
    managed_policy_arns:
      - arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser
    tags:
      project: dito
  register: codebuild_role

- name: Remove the role (its policies go with it)
  dito.chat.iam_service_role:
    name: dito-prod-backend-codebuild
    state: absent
"""

RETURN = r"""
role:
  description: The role after the task (in check mode, what it would be).
  returned: when O(state=present)
  type: dict
  contains:
    role_name:
      description: The role name.
      type: str
      sample: dito-prod-backend-codebuild
    arn:
      description: The role ARN (also in check mode when the role does not exist yet).
      type: str
      sample: arn:aws:iam::123456789012:role/dito-prod-backend-codebuild
    role_id:
      description: The role's unique id.
      type: str
      returned: except in check mode when the role does not exist yet
      sample: AROAEXAMPLEID12345678
    path:
      description: The role's path.
      type: str
      sample: /
    description:
      description: The role's description (empty when it has none).
      type: str
      sample: CodeBuild of dito-prod-backend
    trusted_services:
      description: The service principals its trust policy allows.
      type: list
      elements: str
      sample: [codebuild.amazonaws.com]
    max_session_duration:
      description: The longest session, in seconds.
      type: int
      sample: 3600
    permissions_boundary:
      description: The ARN of its permissions boundary (empty when it has none).
      type: str
      sample: ""
    inline_policy_names:
      description: The names of its inline policies, sorted.
      type: list
      elements: str
      sample: [artifacts, logs]
    managed_policy_arns:
      description: The ARNs of its attached managed policies, sorted.
      type: list
      elements: str
      sample: [arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser]
    tags:
      description: The role's tags.
      type: dict
      sample: {"project": "dito"}
differences:
  description:
    - What the task changed (or would change), in this order - V(trust), V(description), V(max_session_duration),
      V(permissions_boundary), V(inline_policies:<name>) (one per inline policy put or deleted),
      V(managed_policies), V(tags). On creation, everything the new role is given (V(trust) first).
  returned: when O(state=present)
  type: list
  elements: str
  sample: ["inline_policies:logs", "tags"]
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry

from ansible_collections.dito.chat.plugins.module_utils import iam_roles as iam
from ansible_collections.dito.chat.plugins.module_utils import partitions
from ansible_collections.dito.chat.plugins.module_utils import sts
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging


def summary(name, arn, role_id, state, tags):
    """The ``role`` return value from a role's state (as ``iam.current()`` / ``iam.desired()`` shape it)."""
    role = {
        "role_name": name,
        "arn": arn,
        "path": state["path"],
        "description": state["description"] or "",
        "trusted_services": iam.trusted_services(state["trust"]),
        "max_session_duration": state["max_session_duration"],
        "permissions_boundary": state["permissions_boundary"] or "",
        "inline_policy_names": sorted(state["inline_policies"]),
        "managed_policy_arns": sorted(state["managed_policy_arns"]),
        "tags": tags or {},
    }
    if role_id is not None:
        role["role_id"] = role_id
    return role


def diff_view(state, tags):
    return {
        "path": state["path"],
        "trust": state["trust"],
        "description": state["description"] or "",
        "max_session_duration": state["max_session_duration"],
        "permissions_boundary": state["permissions_boundary"] or "",
        "inline_policies": state["inline_policies"],
        "managed_policy_arns": sorted(state["managed_policy_arns"]),
        "tags": tags or {},
    }


def planned_arn(module, name, path):
    """The ARN a role that does not exist yet will have (check mode): the partition of the region, the caller's account."""
    try:
        partition = partitions.partition(module.region)
    except partitions.UnknownRegion as e:
        module.fail_json(msg=f"region: the role's ARN is planned with the region's partition: {e}")
    account = sts.account_id(module.client("sts", retry_decorator=AWSRetry.jittered_backoff()))
    return iam.role_arn(partition, account, path, name)


def create(module, client, want):
    params = module.params
    name, tags = params["name"], params["tags"] or {}
    reserved = sorted(k for k in tags if tagging.is_aws_owned(k))
    if reserved:
        module.fail_json(msg=f"tags: keys starting with {tagging.AWS_PREFIX} are reserved by AWS and cannot be set: {', '.join(reserved)}")
    after = dict(want, description=want["description"] or "", permissions_boundary=want["permissions_boundary"] or "")
    given = {
        "description": after["description"],
        "max_session_duration": want["max_session_duration"] != iam.MIN_SESSION,
        "permissions_boundary": after["permissions_boundary"],
    }
    found = ["trust"] + [f for f in ("description", "max_session_duration", "permissions_boundary") if given[f]]
    found += [f"inline_policies:{n}" for n in sorted(want["inline_policies"])]
    found += ["managed_policies"] if want["managed_policy_arns"] else []
    found += ["tags"] if tags else []
    diff = {"before": {}, "after": diff_view(after, tags)}
    if module.check_mode:
        return True, found, diff, summary(name, planned_arn(module, name, want["path"]), None, after, tags)
    role = iam.create_role(
        client,
        name,
        want["path"],
        want["trust"],
        want["max_session_duration"],
        description=want["description"],
        permissions_boundary=want["permissions_boundary"],
        tags=tags,
    )
    for policy, document in sorted(want["inline_policies"].items()):
        iam.put_inline_policy(client, name, policy, document)
    for arn in want["managed_policy_arns"]:
        iam.attach_policy(client, name, arn)
    return True, found, diff, summary(name, role["Arn"], role["RoleId"], after, tags)


def read(client, name, role):
    """The held role (``iam.current()``) of GetRole's ``Role``."""
    inline = {}
    for policy in iam.list_inline_policy_names(client, name):
        document = iam.get_inline_policy(client, name, policy)
        if document is not None:
            inline[policy] = document
    return iam.current(role, inline, iam.list_attached_policy_arns(client, name))


def update(module, client, role, want):
    """Bring an existing role to ``want``: only what differs is called, removals before additions."""
    name = module.params["name"]
    have = read(client, name, role)
    if have["path"] != want["path"]:
        module.fail_json(
            msg=f"path: the role {name} exists under the path {have['path']}, not {want['path']}; AWS cannot move a role to another "
            "path (delete it and create it again). Nothing was changed."
        )
    found = iam.differences(have, want)
    apply = not module.check_mode
    after = dict(have)
    if "trust" in found:
        after["trust"] = want["trust"]
        if apply:
            iam.update_trust(client, name, want["trust"])
    if "description" in found or "max_session_duration" in found:
        if "description" in found:
            after["description"] = want["description"]
        after["max_session_duration"] = want["max_session_duration"]
        if apply:  # both fields, the one kept included (iam.update_role says why)
            iam.update_role(client, name, after["description"] or "", after["max_session_duration"])
    if "permissions_boundary" in found:
        after["permissions_boundary"] = want["permissions_boundary"]
        if apply:
            if want["permissions_boundary"]:
                iam.put_permissions_boundary(client, name, want["permissions_boundary"])
            else:
                iam.delete_permissions_boundary(client, name)
    changed_policies = [f.split(":", 1)[1] for f in found if f.startswith("inline_policies:")]
    if changed_policies:
        after["inline_policies"] = dict(want["inline_policies"])
        if apply:
            for policy in (p for p in changed_policies if p not in want["inline_policies"]):
                iam.delete_inline_policy(client, name, policy)
            for policy in (p for p in changed_policies if p in want["inline_policies"]):
                iam.put_inline_policy(client, name, policy, want["inline_policies"][policy])
    if "managed_policies" in found:
        after["managed_policy_arns"] = list(want["managed_policy_arns"])
        if apply:
            for arn in sorted(set(have["managed_policy_arns"]) - set(want["managed_policy_arns"])):
                iam.detach_policy(client, name, arn)
            for arn in sorted(set(want["managed_policy_arns"]) - set(have["managed_policy_arns"])):
                iam.attach_policy(client, name, arn)
    have_tags = iam.tags_dict(role.get("Tags"))
    tags_changed, tags = tagging.reconcile(
        module, have_tags, module.params["tags"], lambda t: iam.tag_role(client, name, t), lambda k: iam.untag_role(client, name, k)
    )
    if tags_changed:
        found.append("tags")
    changed = bool(found)
    diff = {"before": diff_view(have, have_tags), "after": diff_view(after, tags)} if changed else {"before": {}, "after": {}}
    return changed, found, diff, summary(name, role["Arn"], role["RoleId"], after, tags)


def ensure_present(module, client):
    want = iam.desired(module.params)
    role = iam.get_role(client, module.params["name"])
    if role is None:
        return create(module, client, want)
    return update(module, client, role, want)


def ensure_absent(module, client):
    name = module.params["name"]
    if iam.get_role(client, name) is None:
        return False
    if not module.check_mode:
        for arn in iam.list_attached_policy_arns(client, name):
            iam.detach_policy(client, name, arn)
        for policy in iam.list_inline_policy_names(client, name):
            iam.delete_inline_policy(client, name, policy)
        iam.delete_role(client, name)
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            path=dict(type="str", default="/"),
            description=dict(type="str"),
            trusted_services=dict(type="list", elements="str"),
            source_account=dict(type="str"),
            source_arn=dict(type="list", elements="str"),
            inline_policies=dict(type="dict", default={}),
            managed_policy_arns=dict(type="list", elements="str", default=[]),
            max_session_duration=dict(type="int", default=3600),
            permissions_boundary=dict(type="str"),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        required_if=[("state", "present", ["trusted_services"])],
        supports_check_mode=True,
    )
    errors = iam.check_params(module.params)
    if errors:
        module.fail_json(msg="; ".join(errors))
    client = module.client("iam", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, found, diff, role = ensure_present(module, client)
    except (iam.AnsibleIAMRoleError, sts.AnsibleSTSError) as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, differences=found, diff=diff, role=role)


if __name__ == "__main__":
    main()
