"""Filters of the cloudfront role."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.dito.chat.plugins.filter.cloudfront import cloudfront_path_behaviors


def test_one_behaviour_per_pattern_in_order():
    behavior = {"target_origin_id": "origin", "cache_policy": "Managed-CachingDisabled"}
    assert cloudfront_path_behaviors(["/api/*", "/ws"], behavior) == [
        {"target_origin_id": "origin", "cache_policy": "Managed-CachingDisabled", "path_pattern": "/api/*"},
        {"target_origin_id": "origin", "cache_policy": "Managed-CachingDisabled", "path_pattern": "/ws"},
    ]
    assert behavior == {"target_origin_id": "origin", "cache_policy": "Managed-CachingDisabled"}
    assert cloudfront_path_behaviors([], behavior) == []


@pytest.mark.parametrize(("paths", "behavior"), [("/api/*", {}), ([""], {}), (["/api/*"], "origin")])
def test_bad_input_is_refused(paths, behavior):
    with pytest.raises(AnsibleFilterError, match="cloudfront_path_behaviors expects"):
        cloudfront_path_behaviors(paths, behavior)
