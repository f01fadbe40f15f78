"""dito.chat.elasticache_parameter_group against moto in-process."""

from ansible_collections.dito.chat.plugins.modules import elasticache_parameter_group


def tags_of(ec, arn):
    return {t["Key"]: t["Value"] for t in ec.list_tags_for_resource(ResourceName=arn)["TagList"]}


def test_parameter_group_lifecycle(ec, run_module):
    args = {"name": "dito-redis7", "family": "redis7", "parameters": {"maxmemory-policy": "allkeys-lru", "timeout": 300}, "tags": {"project": "dito"}}
    assert run_module(elasticache_parameter_group.main, args, check_mode=True)["changed"] is True
    created = run_module(elasticache_parameter_group.main, args)["parameter_group"]
    user = {p["ParameterName"]: p["ParameterValue"] for p in ec.describe_cache_parameters(CacheParameterGroupName="dito-redis7", Source="user")["Parameters"]}
    assert user == {"maxmemory-policy": "allkeys-lru", "timeout": "300"}
    assert tags_of(ec, created["arn"]) == {"project": "dito"}
    assert run_module(elasticache_parameter_group.main, args)["changed"] is False
    assert run_module(elasticache_parameter_group.main, args, check_mode=True)["changed"] is False

    fewer = dict(args, parameters={"maxmemory-policy": "volatile-lru"})
    plan = run_module(elasticache_parameter_group.main, fewer, check_mode=True)
    assert plan["changed"] is True and plan["parameter_group"]["parameters"] == {"maxmemory-policy": "volatile-lru"}
    run_module(elasticache_parameter_group.main, fewer)
    user = {p["ParameterName"]: p["ParameterValue"] for p in ec.describe_cache_parameters(CacheParameterGroupName="dito-redis7", Source="user")["Parameters"]}
    assert user == {"maxmemory-policy": "volatile-lru"}

    other_family = run_module(elasticache_parameter_group.main, dict(args, family="valkey8"))
    assert other_family["failed"] is True and "cannot change" in other_family["msg"]

    assert run_module(elasticache_parameter_group.main, {"name": "dito-redis7", "state": "absent"})["changed"] is True
    assert ec.describe_cache_parameter_groups()["CacheParameterGroups"] == []


def test_a_lost_create_response_is_recognised_on_the_resend(ec, run_module, lost_response):
    """CreateCacheParameterGroup's resend answers CacheParameterGroupAlreadyExists: the module reads the group back;
    ModifyCacheParameterGroup sets the same values again (idempotent)."""
    doubled = lost_response("CreateCacheParameterGroup", "ModifyCacheParameterGroup")
    args = {"name": "dito-redis7", "family": "redis7", "parameters": {"timeout": 300}, "tags": {"project": "dito"}}
    created = run_module(elasticache_parameter_group.main, args)
    assert [c[1] for c in doubled] == ["CreateCacheParameterGroup", "ModifyCacheParameterGroup"]
    assert created["changed"] is True and "failed" not in created
    [group] = ec.describe_cache_parameter_groups()["CacheParameterGroups"]
    assert created["parameter_group"]["arn"] == group["ARN"] and tags_of(ec, group["ARN"]) == {"project": "dito"}
    assert run_module(elasticache_parameter_group.main, args)["changed"] is False
