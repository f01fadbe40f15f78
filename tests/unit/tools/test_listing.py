"""The account listing's environment arithmetic (tools/listing.py), used by test_faults and test_site's teardown."""

from tools.listing import as_environment
from tools.listing import differences
from tools.listing import environment_part
from tools.listing import merged
from tools.listing import renamed

LOCAL = {
    "route53 zones": {"dito.local. private=False": 1, "local.dito.internal. private=True": 1},
    "route53 records": {
        "dito.local. dito.local. NS": 1,
        "dito.local. chat.dito.local. A": 1,
        "dito.local. chat-origin.dito.local. A": 1,
        "local.dito.internal. redis.local.dito.internal. CNAME": 1,
    },
    "security groups": {"default": 1, "dito-local-backend-tasks": 1},
    "ecs services": {"dito-local/dito-local-backend": 1},
    "ecr repositories": {"dito/local/backend": 1},
    "ssm parameters": {"/dito/local/redis/auth-token": 1},
    "cloud map services": {"svc.local.dito.internal/backend": 1},
    "task definition revisions": {"dito-local-backend": 3},
}


def test_every_name_of_the_environment_is_renamed_and_shared_names_are_not():
    assert renamed("dito-local-backend-tasks ingress tcp 8080-8080 dito-local-backend-alb", "faults") == (
        "dito-faults-backend-tasks ingress tcp 8080-8080 dito-faults-backend-alb"
    )
    assert (
        renamed("TargetTracking-service/dito-local/dito-local-backend-AlarmHigh-<uuid>", "b") == "TargetTracking-service/dito-b/dito-b-backend-AlarmHigh-<uuid>"
    )
    assert renamed("local.dito.internal. redis.local.dito.internal. CNAME", "b") == "b.dito.internal. redis.b.dito.internal. CNAME"
    assert renamed("dito.local. chat-origin.dito.local. A", "b") == "dito.local. chat-b-origin.dito.local. A"
    assert renamed("dito-local-frontend:443 priority 1", "b") == "dito-b-frontend:443 priority 1"
    for shared in ("dito.local. dito.local. NS", "default", "dito.local. private=False"):
        assert renamed(shared, "b") == shared


def test_the_environments_part_and_its_image_in_another_environment():
    part = environment_part(LOCAL)
    assert "default" not in part["security groups"] and "route53 zones" in part
    assert part["route53 zones"] == {"local.dito.internal. private=True": 1}
    other = as_environment(LOCAL, "b")
    assert other["ecr repositories"] == {"dito/b/backend": 1} and other["task definition revisions"] == {"dito-b-backend": 3}
    both = merged(LOCAL, other)
    assert both["security groups"] == {"default": 1, "dito-local-backend-tasks": 1, "dito-b-backend-tasks": 1}
    assert differences(both, merged(LOCAL, other)) == []
    doubled = merged(LOCAL, other, {"security groups": {"dito-b-backend-tasks": 1}})
    assert differences(both, doubled) == ["security groups: dito-b-backend-tasks: expected 1, found 2"]
