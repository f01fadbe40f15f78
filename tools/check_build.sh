#!/usr/bin/env bash
# The built collection installs into an empty collections path, carries only collection content, and
# ansible-doc renders its roles' argument specs and its modules' documentation from there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
trap 'echo "check_build: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$root"
ansible-galaxy collection build --force --output-path "$out" . >/dev/null
ansible-galaxy collection install --force --offline --no-deps -p "$out/collections" "$out"/dito-chat-*.tar.gz >/dev/null 2>&1
installed="$out/collections/ansible_collections/dito/chat"
test -f "$installed/roles/ecr/meta/argument_specs.yml"
for junk in tools tests inventories extensions requirements .ci .venv .venv-release dist execution-environment.yml .ansible .collections .emulator .ansible-lint ruff.toml; do
  if [ -e "$installed/$junk" ]; then echo "check_build: $junk is in the tarball" >&2; exit 1; fi
done
bundled=$(python -c 'import ansible, pathlib; print(pathlib.Path(ansible.__file__).parents[1])')
export ANSIBLE_COLLECTIONS_PATH="$out/collections:$bundled"
# Each role's argument specs and each module's documentation render from the installed tarball and carry the
# option named beside it: one ansible-doc run per plugin type (each run costs about 2 s of start-up).
expect=$(cat <<'LIST'
role dito.chat.ecr ecr_keep_tagged_images
role dito.chat.site site_vpc_id
module dito.chat.ecr_repository image_tag_mutability
module dito.chat.ecr_repository_info names
module dito.chat.ecs_task_revision keep_deployed_images
role dito.chat.ecs_service ecs_service_autoscaling
module dito.chat.ecs_cluster container_insights
module dito.chat.ecs_service alternate_target_group_arns
module dito.chat.cloudmap_namespace wait_timeout
module dito.chat.cloudmap_service dns_records
module dito.chat.ecs_appspec use_placeholder
module dito.chat.eventbridge_rule event_pattern
module dito.chat.elasticache_replication_group allow_replacement
module dito.chat.elasticache_subnet_group subnets
module dito.chat.elasticache_parameter_group purge_parameters
module dito.chat.elb_listener any_of_target_group_arns
module dito.chat.elb_target_group health_check
module dito.chat.s3_log_bucket elb_log_delivery
role dito.chat.alb alb_test_listener_port
role dito.chat.route53 route53_target_hosted_zone_id
module dito.chat.cloudwatch_alarm treat_missing_data
module dito.chat.lambda_package CodeSha256
role dito.chat.elasticache elasticache_auth_token_parameter
role dito.chat.security_groups security_groups_list
role dito.chat.lambda_alerts lambda_alerts_webhooks
role dito.chat.codedeploy codedeploy_traffic_shift
role dito.chat.codepipeline codepipeline_test_commands
role dito.chat.deploy deploy_wait_timeout
module dito.chat.codeconnections_connection provider_type
module dito.chat.codedeploy_application compute_platform
module dito.chat.codedeploy_deployment_config traffic_routing
module dito.chat.codedeploy_deployment appspec
module dito.chat.codedeploy_deployment_group termination_wait_minutes
module dito.chat.iam_service_role inline_policies
module dito.chat.codepipeline execution_mode
module dito.chat.codebuild_project queued_timeout_in_minutes
LIST
)
for type in role module; do
  names=$(awk -v t="$type" '$1 == t {print $2}' <<<"$expect" | sort -u)
  # shellcheck disable=SC2086
  ansible-doc -t "$type" --json $names >"$out/$type.json" 2>"$out/$type.err" || { cat "$out/$type.err" >&2; exit 1; }
  awk -v t="$type" '$1 == t {print $2, $3}' <<<"$expect" | python -c '
import json, sys
docs = json.load(open(sys.argv[1]))
missing = [line.strip() for line in sys.stdin if line.split()[1] not in json.dumps(docs.get(line.split()[0], {}))]
sys.exit("check_build: not documented (name option): " + "; ".join(missing) if missing else 0)
' "$out/$type.json"
done
echo "check_build: $(basename "$out"/dito-chat-*.tar.gz) installs and documents its roles and modules"
