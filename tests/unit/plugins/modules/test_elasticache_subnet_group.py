"""dito.chat.elasticache_subnet_group against moto in-process."""

from ansible_collections.dito.chat.plugins.modules import elasticache_subnet_group


def tags_of(ec, arn):
    return {t["Key"]: t["Value"] for t in ec.list_tags_for_resource(ResourceName=arn)["TagList"]}


def test_subnet_group_lifecycle(ec, run_module):
    args = {"name": "Dito-Redis", "subnets": ec.subnets, "description": "private", "tags": {"project": "dito"}}
    assert run_module(elasticache_subnet_group.main, args, check_mode=True)["changed"] is True
    assert ec.describe_cache_subnet_groups()["CacheSubnetGroups"] == []
    created = run_module(elasticache_subnet_group.main, args)["subnet_group"]
    assert created["name"] == "dito-redis" and created["subnet_ids"] == sorted(ec.subnets)
    assert tags_of(ec, created["arn"]) == {"project": "dito"}
    assert run_module(elasticache_subnet_group.main, args)["changed"] is False
    assert run_module(elasticache_subnet_group.main, args, check_mode=True)["changed"] is False

    one = dict(args, subnets=ec.subnets[:1], tags={"project": "dito", "service": "redis"})
    assert run_module(elasticache_subnet_group.main, one)["changed"] is True
    held = ec.describe_cache_subnet_groups(CacheSubnetGroupName="dito-redis")["CacheSubnetGroups"][0]
    assert [s["SubnetIdentifier"] for s in held["Subnets"]] == ec.subnets[:1]
    assert tags_of(ec, created["arn"]) == {"project": "dito", "service": "redis"}

    assert run_module(elasticache_subnet_group.main, {"name": "dito-redis", "state": "absent"})["changed"] is True
    assert ec.describe_cache_subnet_groups()["CacheSubnetGroups"] == []
    assert run_module(elasticache_subnet_group.main, {"name": "dito-redis", "state": "absent"})["changed"] is False


def test_a_lost_create_response_is_recognised_on_the_resend(ec, run_module, lost_response):
    """CreateCacheSubnetGroup's resend answers CacheSubnetGroupAlreadyExists: the module reads the group back."""
    doubled = lost_response("CreateCacheSubnetGroup")
    args = {"name": "dito-redis", "subnets": ec.subnets, "description": "private", "tags": {"project": "dito"}}
    created = run_module(elasticache_subnet_group.main, args)
    assert doubled == [("elasticache", "CreateCacheSubnetGroup")]
    assert created["changed"] is True and "failed" not in created
    [group] = ec.describe_cache_subnet_groups()["CacheSubnetGroups"]
    assert created["subnet_group"]["arn"] == group["ARN"] and created["subnet_group"]["subnet_ids"] == sorted(ec.subnets)
    assert tags_of(ec, group["ARN"]) == {"project": "dito"}
    assert run_module(elasticache_subnet_group.main, args)["changed"] is False
