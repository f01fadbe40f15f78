#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: kms_key
short_description: Manage a symmetric AWS KMS key found by its alias, never created twice
version_added: 1.0.0
description:
  - Creates, updates or schedules the deletion of one symmetric encryption KMS key (C(SYMMETRIC_DEFAULT),
    C(ENCRYPT_DECRYPT)) named by an alias - its description, automatic rotation, enabled state and tags.
    Check mode and diff mode are supported.
  - Takes the options of M(amazon.aws.kms_key) that a key found by alias needs, with the same names and the same
    return keys, and replaces it where a key must never be made twice. KMS C(CreateKey) has no client token and
    keys have no name, so a C(CreateKey) whose response was lost and resent, or a run killed between C(CreateKey)
    and C(CreateAlias), leaves a key nobody names, and M(amazon.aws.kms_key) makes another on the next run.
  - Every key this module creates carries the tag C(dito.chat:alias=alias/<name>) from its creation on. When the
    alias does not exist, the module first looks for an Enabled customer managed key with that tag and no alias
    (C(ListAliases), C(ListKeys), then C(ListResourceTags) for each key without an alias; these requests are made
    only when the alias is missing, on a first run or after a killed one) and adopts it (C(CreateAlias)) instead of
    creating one. That tag is part of the key, not of O(tags); O(purge_tags) never removes it.
  - C(CreateKey) is sent by a client that never resends a request by itself (whatever C(AWS_MAX_ATTEMPTS) says);
    the module sends it again after throttling, and after a lost response or a 5xx it first looks for the key the
    request may have made (as above) and adopts it. C(CreateAlias) resent after a lost response finds the alias
    naming this key, which is success. Every other call retries KMS throttling and transient errors with jittered
    backoff.
  - A key the alias names that is scheduled for deletion is brought back with O(state=present)
    (C(CancelKeyDeletion), then C(EnableKey)), as M(amazon.aws.kms_key) does.
  - O(state=absent) schedules the key for deletion after O(pending_window) days; the alias stays, naming the key
    until AWS deletes it (as M(amazon.aws.kms_key)). A key already scheduled for deletion is absent. When the alias
    does not exist, keys this module made for it and never named (see above) are scheduled for deletion.
  - The key policy is the one C(CreateKey) gives without a policy (the account may use the key through IAM
    policies); grants and policies are not managed.
author:
  - dito.chat engineering (@dito-chat)
options:
  alias:
    description:
      - The key's alias. The C(alias/) prefix is optional.
    type: str
    required: true
    aliases: [key_alias]
  state:
    description:
      - Whether the key should exist. V(absent) schedules it for deletion.
    type: str
    default: present
    choices: [present, absent]
  description:
    description:
      - The key's description. Unset, an existing key's description is left alone.
    type: str
  enable_key_rotation:
    description:
      - Whether KMS rotates the key material automatically every year. Unset, left alone (a new key does not rotate).
    type: bool
  enabled:
    description:
      - Whether the key is enabled.
    type: bool
    default: true
  pending_window:
    description:
      - Days between O(state=absent) and the deletion of the key, V(7) to V(30). Unset, AWS's default (30).
    type: int
    aliases: [deletion_delay]
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - A converged key costs three requests (C(DescribeKey) of the alias, C(GetKeyRotationStatus),
    C(ListResourceTags)) where M(amazon.aws.kms_key) makes about nine.
  - RV(aliases) holds the alias this module manages, not every alias of the key; C(grants), C(key_policies),
    C(changes_needed) and C(had_invalid_entries) of M(amazon.aws.kms_key) are not returned.
  - IAM actions used - C(kms:DescribeKey), C(kms:GetKeyRotationStatus), C(kms:ListResourceTags),
    C(kms:CreateKey), C(kms:TagResource) (tags given to C(CreateKey)), C(kms:CreateAlias), C(kms:ListAliases),
    C(kms:ListKeys), C(kms:EnableKeyRotation), C(kms:DisableKeyRotation), C(kms:UpdateKeyDescription),
    C(kms:UntagResource), C(kms:EnableKey), C(kms:DisableKey), C(kms:CancelKeyDeletion), C(kms:ScheduleKeyDeletion).
"""

EXAMPLES = r"""
- name: The key of the cache, rotated every year
  dito.chat.kms_key:
    alias: alias/dito-prod-cache
    description: Data at rest of dito-prod-cache
    enable_key_rotation: true
    tags:
      project: dito
  register: cache_key

- name: Use it
  ansible.builtin.debug:
    msg: "{{ cache_key.key_arn }}"

- name: Schedule its deletion in 7 days (the shortest AWS allows)
  dito.chat.kms_key:
    alias: alias/dito-prod-cache
    state: absent
    pending_window: 7
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
key_id:
  description: ID of the key.
  type: str
  returned: when the key exists (not in check mode before it is created)
  sample: "abcd1234-abcd-1234-5678-ef1234567890"
key_arn:
  description: ARN of the key.
  type: str
  returned: when the key exists (not in check mode before it is created)
  sample: "arn:aws:kms:eu-west-1:123456789012:key/abcd1234-abcd-1234-5678-ef1234567890"
key_state:
  description: The state of the key (C(Enabled), C(Disabled), C(PendingDeletion)...).
  type: str
  returned: when the key exists
  sample: "Enabled"
key_usage:
  description: The cryptographic operations for which the key can be used.
  type: str
  returned: when the key exists
  sample: "ENCRYPT_DECRYPT"
key_spec:
  description: The type of the key.
  type: str
  returned: when the key exists
  sample: "SYMMETRIC_DEFAULT"
customer_master_key_spec:
  description: The type of the key (the older name of RV(key_spec)).
  type: str
  returned: when the key exists
  sample: "SYMMETRIC_DEFAULT"
key_manager:
  description: Who manages the key.
  type: str
  returned: when the key exists
  sample: "CUSTOMER"
origin:
  description: The source of the key material.
  type: str
  returned: when the key exists
  sample: "AWS_KMS"
aws_account_id:
  description: The account of the key.
  type: str
  returned: when the key exists
  sample: "123456789012"
creation_date:
  description: When the key was created.
  type: str
  returned: when the key exists
  sample: "2026-12-01T07:30:00+00:00"
deletion_date:
  description: When KMS deletes the key.
  type: str
  returned: when RV(key_state) is C(PendingDeletion)
  sample: "2026-12-08T07:30:00+00:00"
description:
  description: The key's description.
  type: str
  returned: when O(state=present)
  sample: "Data at rest of dito-prod-cache"
enabled:
  description: Whether the key is enabled.
  type: bool
  returned: when O(state=present) or the key exists
  sample: true
enable_key_rotation:
  description: Whether automatic rotation is on; null when it cannot be read.
  type: bool
  returned: when O(state=present)
  sample: true
encryption_algorithms:
  description: The encryption algorithms the key supports.
  type: list
  elements: str
  returned: when the key exists
  sample: ["SYMMETRIC_DEFAULT"]
multi_region:
  description: Whether the key is a multi-Region key (always false for keys this module creates).
  type: bool
  returned: when the key exists
  sample: false
aliases:
  description: The alias this module manages, without its C(alias/) prefix.
  type: list
  elements: str
  returned: when O(state=present) or the key exists
  sample: ["dito-prod-cache"]
tags:
  description: The key's tags, the C(dito.chat:alias) tag included.
  type: dict
  returned: when O(state=present)
  sample: {"project": "dito", "dito.chat:alias": "alias/dito-prod-cache"}
adopted:
  description: Whether the key was found without its alias (made by an earlier run that did not get to name it) and named.
  type: bool
  returned: when O(state=present)
  sample: false
"""

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

from ansible_collections.dito.chat.plugins.module_utils import kms
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule

GONE_STATES = ("PendingDeletion", "PendingReplicaDeletion")


def describe(meta, alias):
    """The return keys of amazon.aws.kms_key that KeyMetadata gives, and the alias."""
    meta = dict(meta)
    meta["KeyArn"] = meta.pop("Arn")
    result = camel_dict_to_snake_dict(meta)
    result["aliases"] = [alias[len("alias/") :]]
    return result


def snapshot(meta, rotation, tags):
    """What diff mode shows of a key."""
    return {
        "description": meta.get("Description", ""),
        "enabled": meta.get("Enabled"),
        "key_state": meta.get("KeyState"),
        "enable_key_rotation": rotation,
        "tags": tags,
    }


def wanted_tags(asked, have):
    """The tags to converge to: the asked ones and the marker the key already carries (never purged)."""
    if asked is None or kms.MARKER_TAG not in have:
        return asked
    return dict(asked, **{kms.MARKER_TAG: have[kms.MARKER_TAG]})


def converge(module, client, meta, changed, rotation=None, have_tags=None):
    """Bring an existing key to the options; returns ``(changed, before, after, meta, rotation, tags)``."""
    params, check = module.params, module.check_mode
    key = meta["KeyId"]  # the id: every KMS call takes it (moto's EnableKey/DisableKey take nothing else)
    if have_tags is None:
        have_tags = kms.list_tags(client, key)
    if rotation is None and meta["KeyState"] not in GONE_STATES:
        rotation = kms.rotation_enabled(client, key)
    before = snapshot(meta, rotation, have_tags)

    if meta["KeyState"] == "PendingDeletion":
        changed = True
        if not check:
            kms.cancel_deletion(client, key)
        meta = {k: v for k, v in meta.items() if k != "DeletionDate"}
        meta.update(KeyState="Disabled", Enabled=False)
        if rotation is None and not check:
            rotation = kms.rotation_enabled(client, key)
    if meta["KeyState"] in ("Enabled", "Disabled") and meta["Enabled"] != params["enabled"]:
        changed = True
        if not check:
            kms.set_enabled(client, key, params["enabled"])
        meta.update(KeyState="Enabled" if params["enabled"] else "Disabled", Enabled=params["enabled"])
    if params["description"] is not None and meta.get("Description", "") != params["description"]:
        changed = True
        if not check:
            kms.update_description(client, key, params["description"])
        meta["Description"] = params["description"]
    if params["enable_key_rotation"] is not None and rotation != params["enable_key_rotation"]:
        changed = True
        if not check:
            kms.set_rotation(client, key, params["enable_key_rotation"])
        rotation = params["enable_key_rotation"]
    tags_changed, tags = tagging.reconcile(
        module, have_tags, wanted_tags(params["tags"], have_tags), lambda t: kms.tag_key(client, key, t), lambda k: kms.untag_key(client, key, k)
    )
    changed |= tags_changed
    return changed, before, snapshot(meta, rotation, tags), meta, rotation, tags


def plan_new_key(params, alias):
    """What check mode reports for a key that does not exist yet (no id or ARN)."""
    after = snapshot(
        {"Description": params["description"] or "", "Enabled": params["enabled"], "KeyState": None},
        bool(params["enable_key_rotation"]),
        dict(params["tags"] or {}, **{kms.MARKER_TAG: alias}),
    )
    result = {"aliases": [alias[len("alias/") :]], "adopted": False}
    result.update((k, after[k]) for k in ("description", "enabled", "enable_key_rotation", "tags"))
    return {"before": {}, "after": after}, result


def ensure_present(module, client, alias):
    params, check = module.params, module.check_mode
    meta = kms.find_key(client, alias)
    adopted = created = False
    rotation = have_tags = None
    if meta is None:
        orphans = kms.find_orphans(client, alias)
        if len(orphans) > 1:
            module.warn(
                f"Several KMS keys carry the tag {kms.MARKER_TAG}={alias} without an alias; adopting the oldest, "
                f"{orphans[0]['KeyId']}. The others are left as they are: {', '.join(o['KeyId'] for o in orphans[1:])}."
            )
        if orphans:
            meta, adopted = orphans[0], True
        elif check:
            diff, result = plan_new_key(params, alias)
            return True, diff, result
        else:
            once = module.client("kms", config=kms.single_attempt_config())
            meta, adopted = kms.create_key(once, client, alias, params["description"], params["tags"])
            if not adopted:
                # What CreateKey made: the asked tags and the marker, rotation off (KMS's default).
                created, rotation, have_tags = True, False, dict(params["tags"] or {}, **{kms.MARKER_TAG: alias})
        if not check:
            kms.create_alias(client, alias, meta["KeyId"])
    changed, before, after, meta, rotation, tags = converge(module, client, meta, adopted or created, rotation, have_tags)
    result = dict(describe(meta, alias), enable_key_rotation=rotation, tags=tags, adopted=adopted)
    result.setdefault("description", meta.get("Description", ""))
    if not changed:
        return False, {"before": {}, "after": {}}, result
    return True, {"before": {} if created else before, "after": after}, result


def ensure_absent(module, client, alias):
    meta = kms.find_key(client, alias)
    keys = [meta] if meta else kms.find_orphans(client, alias)
    states = [key["KeyState"] for key in keys]
    changed = False
    for key in keys:
        if key["KeyState"] in GONE_STATES:
            continue
        changed = True
        if not module.check_mode:
            state, when = kms.schedule_deletion(client, key["KeyId"], module.params["pending_window"])
            key.update(KeyState=state, Enabled=False)
            if when:
                key["DeletionDate"] = when
    if not keys:
        return False, {"before": {}, "after": {}}, {}
    diff = {"before": {"key_state": states[0]}, "after": {"key_state": "PendingDeletion"}} if changed else {"before": {}, "after": {}}
    return changed, diff, describe(keys[0], alias)


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            alias=dict(type="str", required=True, aliases=["key_alias"]),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            description=dict(type="str"),
            enable_key_rotation=dict(type="bool"),
            enabled=dict(type="bool", default=True),
            pending_window=dict(type="int", aliases=["deletion_delay"]),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        supports_check_mode=True,
    )
    window = module.params["pending_window"]
    if window is not None and not 7 <= window <= 30:
        module.fail_json(msg=f"pending_window: AWS schedules a key's deletion 7 to 30 days ahead, not {window}")
    reserved = sorted(k for k in module.params["tags"] or {} if tagging.is_aws_owned(k) or k == kms.MARKER_TAG)
    if reserved:
        module.fail_json(msg=f"tags: {', '.join(reserved)} cannot be set (aws: keys are AWS's, {kms.MARKER_TAG} is the module's own)")
    alias = kms.canonical_alias(module.params["alias"])
    if alias.startswith("alias/aws/"):
        module.fail_json(msg=f"alias: {alias} is reserved for AWS managed keys")
    client = module.client("kms", retry_decorator=kms.retry_decorator())
    try:
        if module.params["state"] == "absent":
            changed, diff, result = ensure_absent(module, client, alias)
        else:
            changed, diff, result = ensure_present(module, client, alias)
    except kms.AnsibleKMSError as e:
        module.fail_json_aws_error(e)
    module.exit_json(changed=changed, diff=diff, **result)


if __name__ == "__main__":
    main()
