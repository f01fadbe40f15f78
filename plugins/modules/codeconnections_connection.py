#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: codeconnections_connection
short_description: Manage an AWS CodeConnections (formerly CodeStar Connections) connection
version_added: 1.0.0
description:
  - Creates, finds or deletes one connection to a source provider (GitHub, Bitbucket, GitLab...) that CodePipeline
    source actions use, and brings its tags to the asked ones. Check mode and diff mode are supported.
  - With O(name), the connection of that name is looked up (ListConnections) and created when missing. With O(arn),
    an existing connection is read (either ARN form, C(arn:aws:codeconnections:...) or the older
    C(arn:aws:codestar-connections:...)); it is never created.
  - A new connection is C(PENDING) until someone completes the handshake with the provider in the AWS console
    (there is no API for it). The module warns, with the console page to open, whenever the connection is not
    C(AVAILABLE); pipelines that use it fail at their Source stage until then.
  - A connection cannot be changed once created (there is no UpdateConnection); an existing one of another
    provider type or host fails the task and nothing is changed.
  - CreateConnection takes no client token. When its response is lost and botocore resends it, the second
    connection it makes is deleted at once (the one answered stays, with a warning naming the other); should AWS
    refuse the resend because the name is taken, the connection of that name is the one created.
author:
  - dito.chat engineering (@dito-chat)
options:
  name:
    description:
      - The connection name (1 to 32 characters). Connection names are not unique on AWS; when several connections
        have this name the task fails and asks for O(arn).
      - Mutually exclusive with O(arn); one of them is required.
    type: str
  arn:
    description:
      - The ARN of an existing connection, in either form. Its region must be the module's region.
      - Mutually exclusive with O(name).
    type: str
  state:
    description: Whether the connection should exist.
    type: str
    default: present
    choices: [present, absent]
  provider_type:
    description:
      - The provider of the repositories. With O(name) and no O(host_arn), C(GitHub) when not given; with O(arn),
        checked only when given. Ignored when O(host_arn) is given (the host's provider type applies).
    type: str
    choices: [GitHub, GitHubEnterpriseServer, Bitbucket, GitLab, GitLabSelfManaged]
  host_arn:
    description:
      - The ARN of the host of an installed provider (GitHub Enterprise Server, GitLab self-managed), set when the
        connection is created.
    type: str
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.tags
  - amazon.aws.boto3
notes:
  - IAM actions used - C(codeconnections:ListConnections), C(codeconnections:GetConnection),
    C(codeconnections:CreateConnection), C(codeconnections:DeleteConnection), C(codeconnections:ListTagsForResource),
    C(codeconnections:TagResource), C(codeconnections:UntagResource).
  - Completing the handshake needs a person in the console (and C(codeconnections:UpdateConnectionInstallation),
    C(codeconnections:UseConnection) for them); a pipeline's role needs C(codeconnections:UseConnection) on the connection.
"""

EXAMPLES = r"""
- name: The connection to GitHub that the pipelines' source actions use
  dito.chat.codeconnections_connection:
    name: dito-github
    provider_type: GitHub
    tags:
      project: dito
  register: github_connection

- name: A connection made by hand, by its ARN (tags managed, never created)
  dito.chat.codeconnections_connection:
    arn: arn:aws:codestar-connections:eu-west-1:123456789012:connection/6a1b3c5e-0f4d-4c0b-9b1e-3f1d2a4b5c6d
    tags:
      project: dito

- name: Remove it
  dito.chat.codeconnections_connection:
    name: dito-github
    state: absent
"""

RETURN = r"""
extends_documentation_fragment:
  - dito.chat.retries
connection:
  description: The connection after the task (in check mode before it exists, its ARN and console URL are null).
  returned: when O(state=present)
  type: dict
  contains:
    connection_name:
      description: The connection name.
      type: str
      sample: dito-github
    connection_arn:
      description: The connection ARN, in the form it was created with.
      type: str
      sample: arn:aws:codeconnections:eu-west-1:123456789012:connection/6a1b3c5e-0f4d-4c0b-9b1e-3f1d2a4b5c6d
    connection_status:
      description: C(PENDING) until the handshake is completed in the console, then C(AVAILABLE); C(ERROR) when broken.
      type: str
      sample: PENDING
    provider_type:
      description: The provider of the repositories.
      type: str
      sample: GitHub
    owner_account_id:
      description: The account that owns the connection (null in check mode before it exists).
      type: str
      sample: "123456789012"
    host_arn:
      description: The host of an installed provider, if any.
      type: str
      sample: null
    tags:
      description: The connection's tags.
      type: dict
      sample: {"project": "dito"}
    console_url:
      description: The AWS console page where the pending handshake is completed.
      type: str
      sample: https://eu-west-1.console.aws.amazon.com/codesuite/settings/123456789012/eu-west-1/connections/6a1b3c5e-0f4d-4c0b-9b1e-3f1d2a4b5c6d
"""

from ansible_collections.dito.chat.plugins.module_utils import codeconnections as cc
from ansible_collections.dito.chat.plugins.module_utils import tags as tagging
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AnsibleAWSModule
from ansible_collections.dito.chat.plugins.module_utils.retry_report import AWSRetry


def validate(module):
    """Fail, naming the option, on input AWS would refuse or the module cannot honour; before any AWS call."""
    params = module.params
    name, arn, host_arn = params["name"], params["arn"], params["host_arn"]
    if name is not None and not 1 <= len(name) <= cc.NAME_MAX_LENGTH:
        module.fail_json(msg=f"name: a connection name has 1 to {cc.NAME_MAX_LENGTH} characters; {name!r} has {len(name)}")
    if arn is not None:
        parts = cc.parse_arn(arn)
        if parts is None:
            module.fail_json(
                msg=f"arn: {arn!r} is not a connection ARN (arn:aws:codeconnections:<region>:<account>:connection/<id> or "
                "arn:aws:codestar-connections:<region>:<account>:connection/<id>)"
            )
        if parts["region"] != module.region:
            module.fail_json(msg=f"arn: the connection is in region {parts['region']}, the module runs in {module.region}; set region to {parts['region']}")
    reserved = sorted(k for k in params["tags"] or {} if tagging.is_aws_owned(k))
    if reserved:
        module.fail_json(msg=f"tags: keys starting with {tagging.AWS_PREFIX} are reserved by AWS and cannot be set: {', '.join(reserved)}")
    if host_arn and not cc.HOST_ARN.match(host_arn):
        module.fail_json(msg=f"host_arn: {host_arn!r} is not a host ARN (arn:aws:codeconnections:<region>:<account>:host/<id>)")


def the_one(module, found):
    if len(found) > 1:
        arns = ", ".join(c["ConnectionArn"] for c in found)
        module.fail_json(msg=f"name: {len(found)} connections are named {module.params['name']} ({arns}); give the one meant as arn")
    return found[0] if found else None


def check_unchangeable(module, current):
    """A connection's provider and host are set at creation: refuse another."""
    params = module.params
    host_arn = params["host_arn"]
    if host_arn and current.get("HostArn") != host_arn:
        module.fail_json(
            msg=f"host_arn: the connection {current['ConnectionArn']} has host {current.get('HostArn')}, not {host_arn}; a connection "
            "cannot be changed (delete it and create it again). Nothing was changed."
        )
    wanted = params["provider_type"]
    if wanted is None and params["name"] is not None and not host_arn:
        wanted = cc.DEFAULT_PROVIDER_TYPE
    if wanted and not host_arn and current.get("ProviderType") != wanted:
        module.fail_json(
            msg=f"provider_type: the connection {current['ConnectionArn']} is a {current.get('ProviderType')} connection, not {wanted}; "
            "a connection cannot be changed (delete it and create it again). Nothing was changed."
        )


def create(module, client):
    params = module.params
    name, host_arn, tags = params["name"], params["host_arn"], params["tags"] or {}
    provider_type = None if host_arn else params["provider_type"] or cc.DEFAULT_PROVIDER_TYPE
    planned = {"ConnectionName": name, "ConnectionStatus": "PENDING", "ProviderType": provider_type, "HostArn": host_arn}
    if not module.check_mode:
        arn = cc.create_connection(client, name, provider_type, host_arn, tags)
        # A create whose response was lost and that botocore resent made two connections: the one answered stays.
        for double in cc.doubles(client, name, arn):
            cc.delete_connection(client, double)
            module.warn(f"CreateConnection was sent twice (a response lost, the request retried): deleted {double}, the second connection named {name}")
        planned = cc.get_connection(client, arn) or dict(planned, ConnectionArn=arn)
    connection = cc.summary(planned, tags)
    diff = {"before": {}, "after": {k: connection[k] for k in ("connection_name", "provider_type", "host_arn", "tags")}}
    return True, diff, connection


def current_connection(module, client):
    """The connection named by ``arn`` or by ``name`` (None when there is none)."""
    params = module.params
    if params["arn"] is not None:
        return cc.get_connection(client, params["arn"])
    return the_one(module, cc.find_by_name(client, params["name"]))


def ensure_present(module, client):
    params = module.params
    current = current_connection(module, client)
    if current is None and params["arn"] is not None:
        module.fail_json(msg=f"arn: no connection {params['arn']} in {module.region}; this module creates connections by name only")
    if current is None:
        return create(module, client)
    check_unchangeable(module, current)
    arn = current["ConnectionArn"]
    have = cc.list_tags(client, arn)
    changed, have_tags = tagging.reconcile(module, have, params["tags"], lambda t: cc.tag_resource(client, arn, t), lambda k: cc.untag_resource(client, arn, k))
    diff = {"before": {"tags": have}, "after": {"tags": have_tags}} if changed else {"before": {}, "after": {}}
    return changed, diff, cc.summary(current, have_tags)


def ensure_absent(module, client):
    current = current_connection(module, client)
    if current is None:
        return False
    if not module.check_mode:
        cc.delete_connection(client, current["ConnectionArn"])
    return True


def main():
    module = AnsibleAWSModule(
        argument_spec=dict(
            name=dict(type="str"),
            arn=dict(type="str"),
            state=dict(type="str", default="present", choices=["present", "absent"]),
            provider_type=dict(type="str", choices=list(cc.PROVIDER_TYPES)),
            host_arn=dict(type="str"),
            tags=dict(type="dict", aliases=["resource_tags"]),
            purge_tags=dict(type="bool", default=True),
        ),
        mutually_exclusive=[["name", "arn"]],
        required_one_of=[["name", "arn"]],
        supports_check_mode=True,
    )
    validate(module)
    client = module.client("codeconnections", retry_decorator=AWSRetry.jittered_backoff())
    try:
        if module.params["state"] == "absent":
            module.exit_json(changed=ensure_absent(module, client))
        changed, diff, connection = ensure_present(module, client)
    except cc.AnsibleCodeConnectionsError as e:
        module.fail_json_aws_error(e)
    warning = cc.pending_warning(connection)
    if warning:
        module.warn(warning)
    module.exit_json(changed=changed, diff=diff, connection=connection)


if __name__ == "__main__":
    main()
