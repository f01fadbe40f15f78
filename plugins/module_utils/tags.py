# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Bringing a resource's tags to the asked ones, the same way for every service (check mode and purge_tags included)."""

from ansible_collections.amazon.aws.plugins.module_utils.tagging import compare_aws_tags


def reconcile(module, have, wanted, tag, untag):
    """Make ``have`` (a dict) into ``wanted`` (None: leave the tags alone) with the module's ``purge_tags``.

    ``tag(dict)`` and ``untag(keys)`` are the service's wrappers, bound to the resource; under check mode neither
    is called. Returns ``(changed, tags after)``.
    """
    if wanted is None:
        return False, have
    to_set, to_unset = compare_aws_tags(have, wanted, module.params["purge_tags"])
    if not (to_set or to_unset):
        return False, have
    if not module.check_mode:
        if to_unset:
            untag(to_unset)
        if to_set:
            tag(to_set)
    return True, {k: v for k, v in dict(have, **to_set).items() if k not in to_unset}
