# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Filters of the cloudfront role, documented in the ``<filter>.yml`` file beside this one.

No botocore here: Ansible loads every filter file of the collection in each worker (see test_filter_imports.py).
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError


def cloudfront_path_behaviors(paths, behavior):
    """One cache behaviour per path pattern of ``paths``, each ``behavior`` with its ``path_pattern``, in the given order
    (CloudFront takes the first pattern that matches)."""
    if not isinstance(paths, (list, tuple)) or not all(isinstance(p, str) and p for p in paths):
        raise AnsibleFilterError(f"cloudfront_path_behaviors expects a list of path patterns, got {paths!r}")
    if not isinstance(behavior, dict):
        raise AnsibleFilterError(f"cloudfront_path_behaviors expects the behaviour as a dictionary, got {behavior!r}")
    return [dict(behavior, path_pattern=path) for path in paths]


class FilterModule:
    def filters(self):
        return {"cloudfront_path_behaviors": cloudfront_path_behaviors}
