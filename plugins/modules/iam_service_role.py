#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: iam_service_role
short_description: Manage an IAM role that AWS services assume, with its inline and managed policies
version_added: 1.0.0
description:
  - Creates, updates or deletes one IAM role (or several, see O(roles)) that AWS services assume (CodeBuild, CodePipeline, CodeDeploy,
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
  - With O(roles) instead of O(name), one task manages several roles, each exactly as a task with O(name) manages one
    (one module run instead of a loop of them). The top-level options other than O(name) are the defaults of every entry,
    and O(state) applies to all of them. Every entry is checked before any AWS call, and every role is read before any
    is changed.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description:
      - The role name.
      - Exactly one of O(name) and O(roles) is required.
    type: str
  roles:
    description:
      - Several roles, managed in one task, in this order. Each entry takes the options of one role; an option an entry
        leaves unset (or null) takes its top-level value. The result is then RV(roles) and RV(differences) by name.
      - Exactly one of O(name) and O(roles) is required.
      - A failure (a bad entry, a role under another path) names the entry by its index (from 0) and its role name, for
        example C(roles[1]) followed by the name in parentheses; such failures come before any role is changed.
    type: list
    elements: dict
    version_added: 1.0.0
    suboptions:
      name:
        description: The role name.
        type: str
        required: true
      path:
        description: See O(path).
        type: str
      description:
        description: See O(description).
        type: str
      trusted_services:
        description: See O(trusted_services); required here or at the top level with O(state=present).
        type: list
        elements: str
      source_account:
        description: See O(source_account).
        type: str
      source_arn:
        description: See O(source_arn).
        type: list
        elements: str
      inline_policies:
        description: See O(inline_policies). An empty mapping deletes every inline policy of this role.
        type: dict
      managed_policy_arns:
        description: See O(managed_policy_arns). An empty list detaches every managed policy of this role.
        type: list
        elements: str
      max_session_duration:
        description: See O(max_session_duration).
        type: int
      permissions_boundary:
        description: See O(permissions_boundary).
        type: str
      tags:
        description: See O(tags).
        type: dict
        aliases: [resource_tags]
      purge_tags:
        description: See O(purge_tags).
        type: bool
  state:
    description: Whether the role (every role of O(roles)) should exist. V(absent) detaches its managed policies, deletes
      its inline policies, then deletes the role.
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
    version_added: 1.0.0
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

- name: The task execution role and the task role of a service, in one task
  dito.chat.iam_service_role:
    # The defaults of both entries.
    trusted_services:
      - ecs-tasks.amazonaws.com
    source_account: "123456789012"
    tags:
      project: dito
    roles:
      - name: dito-prod-backend-execution
        description: Starts the tasks of dito-prod-backend
        managed_policy_arns:
          - arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
      - name: dito-prod-backend-task
        description: Assumed by the containers of dito-prod-backend
        inline_policies:
          messages: "{{ lookup('ansible.builtin.file', 'task-policy.json') }}"
  register: service_roles

- name: The ARNs by role name
  ansible.builtin.debug:
    msg: "{{ service_roles.roles | items2dict(key_name='role_name', value_name='arn') }}"

- name: Remove both roles
  dito.chat.iam_service_role:
    state: absent
    roles:
      - name: dito-prod-backend-execution
      - name: dito-prod-backend-task
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
role:
  description: The role after the task (in check mode, what it would be).
  returned: when O(state=present) with O(name)
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
    - With O(roles), a dict of role name to that list.
  returned: when O(state=present)
  type: raw
  sample: ["inline_policies:logs", "tags"]
roles:
  description:
    - With O(roles), each role after the task (in check mode, what it would be), in the order of O(roles); each entry
      is what RV(role) is for one role (C(role_id) missing for a role that does not exist yet in check mode).
    - In diff mode, the diff's C(before) and C(after) are keyed by role name and hold the roles that changed (a new
      role in C(after) only).
  returned: when O(state=present) with O(roles)
  type: list
  elements: dict
  sample:
    - role_name: dito-prod-backend-execution
      arn: arn:aws:iam::123456789012:role/dito-prod-backend-execution
      role_id: AROAEXAMPLEID12345678
      path: /
      description: Starts the tasks of dito-prod-backend
      trusted_services: [ecs-tasks.amazonaws.com]
      max_session_duration: 3600
      permissions_boundary: ""
      inline_policy_names: []
      managed_policy_arns: [arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy]
      tags: {"project": "dito"}
"""

from ansible.module_utils.common.validation import check_required_if

from ansible_collections.dito.chat.plugins.module_utils import iam_roles as iam
from ansible_collections.dito.chat.plugins.module_utils import partitions
from ansible_collections.dito.chat.plugins.module_utils import sts
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry

# The options of one role: those of an entry of ``roles``, whose top-level values are the entries' defaults.
ROLE_OPTIONS = dict(
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
)


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


def reserved_tags(tags):
    """The message that refuses tag keys AWS reserves, or None."""
    reserved = sorted(k for k in tags or {} if tagging.is_aws_owned(k))
    if reserved:
        return f"tags: keys starting with {tagging.AWS_PREFIX} are reserved by AWS and cannot be set: {', '.join(reserved)}"
    return None


def path_error(name, held, asked):
    return (
        f"path: the role {name} exists under the path {held}, not {asked}; AWS cannot move a role to another "
        "path (delete it and create it again). Nothing was changed."
    )


def role_params(top, entry):
    """The options of one entry of ``roles``: its own values, the top-level ones where it gives none (unset or null),
    and the top-level ``state``."""
    params = {"name": entry.get("name"), "state": top["state"]}
    for option in ROLE_OPTIONS:
        params[option] = top[option] if entry.get(option) is None else entry[option]
    return params


def roles_errors(entries):
    """The checks of every entry of ``roles`` (those of a single role, the reserved tag keys, a name given twice),
    before any AWS call: a list of messages, each naming its entry as ``roles[<index>] (<name>)``."""
    errors, first = [], {}
    for index, params in enumerate(entries):
        found = iam.check_params(params)
        if params["state"] == "present" and reserved_tags(params["tags"]):
            found.append(reserved_tags(params["tags"]))
        name = params["name"]
        if name in first:
            found.append(f"name: the role {name} is already roles[{first[name]}]")
        first.setdefault(name, index)
        errors.extend(f"roles[{index}] ({name}): {e}" for e in found)
    return errors


class CallerAccount:
    """The caller's account, read (sts:GetCallerIdentity) once per module run, and only when a planned ARN needs it."""

    def __init__(self, module):
        self.module = module
        self.account = None

    def get(self):
        if self.account is None:
            self.account = sts.account_id(self.module.client("sts", retry_decorator=AWSRetry.jittered_backoff()))
        return self.account


def planned_arn(module, account, name, path):
    """The ARN a role that does not exist yet will have (check mode): the partition of the region, the caller's account."""
    try:
        partition = partitions.partition(module.region)
    except partitions.UnknownRegion as e:
        module.fail_json(msg=f"region: the role's ARN is planned with the region's partition: {e}")
    return iam.role_arn(partition, account.get(), path, name)


def create(module, client, account, params, want):
    name, tags = params["name"], params["tags"] or {}
    refused = reserved_tags(tags)
    if refused:
        module.fail_json(msg=refused)
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
        return True, found, diff, summary(name, planned_arn(module, account, name, want["path"]), None, after, tags)
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


def update(module, client, params, role, want):
    """Bring an existing role to ``want``: only what differs is called, removals before additions."""
    name = params["name"]
    have = read(client, name, role)
    if have["path"] != want["path"]:
        module.fail_json(msg=path_error(name, have["path"], want["path"]))
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
        module,
        have_tags,
        params["tags"],
        lambda t: iam.tag_role(client, name, t),
        lambda k: iam.untag_role(client, name, k),
        purge_tags=params["purge_tags"],
    )
    if tags_changed:
        found.append("tags")
    changed = bool(found)
    diff = {"before": diff_view(have, have_tags), "after": diff_view(after, tags)} if changed else {"before": {}, "after": {}}
    return changed, found, diff, summary(name, role["Arn"], role["RoleId"], after, tags)


def ensure_present(module, client, account, params):
    want = iam.desired(params)
    role = iam.get_role(client, params["name"])
    if role is None:
        return create(module, client, account, params, want)
    return update(module, client, params, role, want)


def ensure_absent(module, client, name):
    if iam.get_role(client, name) is None:
        return False
    if not module.check_mode:
        for arn in iam.list_attached_policy_arns(client, name):
            iam.detach_policy(client, name, arn)
        for policy in iam.list_inline_policy_names(client, name):
            iam.delete_inline_policy(client, name, policy)
        iam.delete_role(client, name)
    return True


def ensure_roles_present(module, client, account, entries, done):
    """Every role of ``roles``, in order, as ``ensure_present`` makes one; each result is appended to ``done`` as it
    comes. All roles are read first: a role found under another path fails the task before any role is changed."""
    planned = [(params, iam.desired(params), iam.get_role(client, params["name"])) for params in entries]
    for index, (params, want, role) in enumerate(planned):
        if role is not None and role.get("Path") != want["path"]:
            module.fail_json(msg=f"roles[{index}] ({params['name']}): {path_error(params['name'], role.get('Path'), want['path'])}")
    for params, want, role in planned:
        if role is None:
            changed, found, diff, role_summary = create(module, client, account, params, want)
        else:
            changed, found, diff, role_summary = update(module, client, params, role, want)
        done.append({"name": params["name"], "changed": changed, "differences": found, "diff": diff, "role": role_summary})


def roles_result(done):
    """The result of ``roles`` with state=present: the roles in the given order, the differences and the diff by name
    (a role is in the diff only when it changed, a new one in ``after`` only)."""
    return dict(
        changed=any(r["changed"] for r in done),
        roles=[r["role"] for r in done],
        differences={r["name"]: r["differences"] for r in done},
        diff={
            "before": {r["name"]: r["diff"]["before"] for r in done if r["changed"] and r["diff"]["before"]},
            "after": {r["name"]: r["diff"]["after"] for r in done if r["changed"]},
        },
    )


def run_role(module, account):
    """The module with O(name): one role, exactly as before O(roles) existed."""
    try:
        check_required_if([("state", "present", ["trusted_services"])], module.params)
    except TypeError as e:
        module.fail_json(msg=str(e))
    errors = iam.check_params(module.params)
    if errors:
        module.fail_json(msg="; ".join(errors))
    client = module.client("iam", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client, module.params["name"]))
        changed, found, diff, role = ensure_present(module, client, account, module.params)
    except (iam.AnsibleIAMRoleError, sts.AnsibleSTSError) as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, differences=found, diff=diff, role=role)


def run_roles(module, account):
    """The module with O(roles): every entry checked before any AWS call, then each role in order."""
    entries = [role_params(module.params, entry) for entry in module.params["roles"]]
    errors = roles_errors(entries)
    if errors:
        module.fail_json(msg="; ".join(errors))
    client = module.client("iam", retry_decorator=AWSRetry.jittered_backoff())
    done = []
    try:
        if module.params["state"] == "absent":
            for params in entries:
                done.append({"name": params["name"], "changed": ensure_absent(module, client, params["name"])})
            module.exit_json(changed=any(r["changed"] for r in done))
        ensure_roles_present(module, client, account, entries, done)
    except (iam.AnsibleIAMRoleError, sts.AnsibleSTSError) as e:
        # The error names its role; the roles handled before it may have changed.
        changed = any(r["changed"] for r in done)
        if e.exception:
            module.fail_json_aws(e.exception, msg=e.message, changed=changed)
        module.fail_json(msg=e.message, changed=changed)
    module.exit_json(**roles_result(done))


def main():
    entry = dict({k: dict(v, default=None) for k, v in ROLE_OPTIONS.items()}, name=dict(type="str", required=True))
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str"),
            # No defaults in an entry: what it leaves unset (or null) comes from the top level (role_params).
            roles=dict(type="list", elements="dict", options=entry),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            **ROLE_OPTIONS,
        ),
        mutually_exclusive=[("name", "roles")],
        required_one_of=[("name", "roles")],
        supports_check_mode=True,
    )
    if module.params["roles"] is None:
        run_role(module, CallerAccount(module))
    run_roles(module, CallerAccount(module))


if __name__ == "__main__":
    main()
