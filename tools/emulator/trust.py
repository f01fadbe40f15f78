"""What the emulator's patches ask of an IAM role's trust policy, as the services check it when they are handed a role."""

import json
from urllib.parse import unquote


def trusts_service(document, service, region):
    """Whether a trust policy lets ``service`` (``codebuild``, ``codedeploy``...) call sts:AssumeRole, under its
    global or regional principal (conditions are not evaluated)."""
    try:
        policy = json.loads(unquote(document)) if isinstance(document, str) else document
    except ValueError:
        return False
    statements = policy.get("Statement") or []
    for statement in statements if isinstance(statements, list) else [statements]:
        if statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action") or []
        actions = [actions] if isinstance(actions, str) else actions
        if not any(a in ("sts:AssumeRole", "sts:*", "*") for a in actions):
            continue
        principal = statement.get("Principal") or {}
        services = principal.get("Service", []) if isinstance(principal, dict) else [principal]
        services = [services] if isinstance(services, str) else services
        if any(s in (f"{service}.amazonaws.com", f"{service}.{region}.amazonaws.com", "*") for s in services):
            return True
    return False
