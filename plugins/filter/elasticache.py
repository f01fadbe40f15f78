# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ElastiCache filters: the derivations that roles need, from the collection's one source in module_utils.

The documentation of each filter is in its own file beside this one (cache_parameter_group_family.yml).
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.dito.chat.plugins.module_utils.elasticache_versions import parameter_group_family


def cache_parameter_group_family(engine, version):
    """The cache parameter-group family of ``engine`` at ``version``, or None when there is none."""
    if engine is not None and not isinstance(engine, str):
        raise AnsibleFilterError(f"cache_parameter_group_family: the engine must be a string, not {type(engine).__name__}")
    return parameter_group_family(engine, version)


class FilterModule:
    def filters(self):
        return {"cache_parameter_group_family": cache_parameter_group_family}
