# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Bringing a resource's tags to the asked ones, the same way for every service (check mode and purge_tags included).

Keys that start with ``aws:`` belong to AWS (CloudFormation, Service Catalog, cost allocation...): they can be
neither set nor removed, so they take no part in the comparison. They stay in the tags reported back.
"""

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags

AWS_PREFIX = "aws:"


def is_aws_owned(key):
    return str(key).startswith(AWS_PREFIX)


def _user_tags(tags):
    return {k: v for k, v in (tags or {}).items() if not is_aws_owned(k)}


def compare(have, wanted, purge_tags):
    """``(to_set, to_unset)`` that bring ``have`` to ``wanted`` (None: leave the tags alone).

    ``aws:`` keys are ignored on both sides; ``to_unset`` is sorted. A pure function.
    """
    if wanted is None:
        return {}, []
    to_set, to_unset = compare_aws_tags(_user_tags(have), _user_tags(wanted), purge_tags)
    return to_set, sorted(to_unset)


def merged(have, to_set, to_unset):
    """The tags that ``have`` holds once ``to_set`` is set and ``to_unset`` removed."""
    return {k: v for k, v in dict(have or {}, **to_set).items() if k not in to_unset}


def reconcile(module, have, wanted, tag=None, untag=None, replace=None, purge_tags=None):
    """Make ``have`` (a dict) into ``wanted`` (None: leave the tags alone) with ``purge_tags`` (None: the module's
    ``purge_tags``; a module that manages several resources in one run gives each resource's own).

    ``tag(dict)`` and ``untag(keys)`` are the service's wrappers, bound to the resource (untag is called
    first). A service whose API replaces the whole tag set at once (S3) gives ``replace(dict)`` instead: it
    is called once with every tag the resource should hold, its ``aws:`` keys included (S3 refuses a
    PutBucketTagging that drops them: "System Tags cannot be removed by requester"). Under check mode no
    callable is called. Asking for an ``aws:`` key fails the module: AWS reserves the prefix. Returns
    ``(changed, tags after)``.
    """
    reserved = sorted(k for k in (wanted or {}) if is_aws_owned(k))
    if reserved:
        module.fail_json(msg=f"tags: keys starting with {AWS_PREFIX} are reserved by AWS and cannot be set: {', '.join(reserved)}")
    have = have or {}
    to_set, to_unset = compare(have, wanted, module.params["purge_tags"] if purge_tags is None else purge_tags)
    if not (to_set or to_unset):
        return False, have
    after = merged(have, to_set, to_unset)
    if not module.check_mode:
        if replace is not None:
            replace(after)
        else:
            if to_unset:
                untag(to_unset)
            if to_set:
                tag(to_set)
    return True, after
