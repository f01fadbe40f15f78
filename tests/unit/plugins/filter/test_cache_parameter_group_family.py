"""The filter dito.chat.cache_parameter_group_family (plugins/filter/elasticache.py), as roles call it."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.dito.chat.plugins.filter import elasticache as filters
from ansible_collections.dito.chat.plugins.module_utils import elasticache_versions as versions


def test_the_filter_is_registered_under_its_name():
    assert filters.FilterModule().filters()["cache_parameter_group_family"] is filters.cache_parameter_group_family


@pytest.mark.parametrize(("engine", "version"), [("redis", "7.1"), ("redis", "6.x"), ("valkey", "8.0"), ("redis", "3.2"), ("valkey", "6")])
def test_the_filter_is_the_module_utils_function(engine, version):
    assert filters.cache_parameter_group_family(engine, version) == versions.parameter_group_family(engine, version)


def test_a_version_without_family_is_none():
    assert filters.cache_parameter_group_family("redis", "8.0") is None


def test_a_bad_engine_is_refused():
    with pytest.raises(AnsibleFilterError, match="engine must be a string"):
        filters.cache_parameter_group_family(["redis"], "7.1")
