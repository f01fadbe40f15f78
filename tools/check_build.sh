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
for junk in tools tests inventories extensions requirements .ci .venv .ansible .collections .emulator .ansible-lint ruff.toml; do
  if [ -e "$installed/$junk" ]; then echo "check_build: $junk is in the tarball" >&2; exit 1; fi
done
bundled=$(python -c 'import ansible, pathlib; print(pathlib.Path(ansible.__file__).parents[1])')
export ANSIBLE_COLLECTIONS_PATH="$out/collections:$bundled"
ansible-doc -t role dito.chat.ecr | grep -q "ecr_keep_tagged_images"
ansible-doc -t role dito.chat.site | grep -q "site_vpc_id"
ansible-doc dito.chat.ecr_repository | grep -q "image_tag_mutability"
ansible-doc dito.chat.ecr_repository_info | grep -q "names"
ansible-doc dito.chat.ecs_task_revision | grep -q "keep_deployed_images"
ansible-doc -t role dito.chat.ecs_service | grep -q "ecs_service_autoscaling"
ansible-doc dito.chat.ecs_cluster | grep -q "container_insights"
ansible-doc dito.chat.ecs_service | grep -q "alternate_target_group_arns"
ansible-doc dito.chat.cloudmap_namespace | grep -q "wait_timeout"
ansible-doc dito.chat.cloudmap_service | grep -q "dns_records"
ansible-doc dito.chat.ecs_appspec | grep -q "use_placeholder"
ansible-doc dito.chat.eventbridge_rule | grep -q "event_pattern"
ansible-doc dito.chat.elasticache_replication_group | grep -q "allow_replacement"
ansible-doc dito.chat.elasticache_subnet_group | grep -q "subnets"
ansible-doc dito.chat.elasticache_parameter_group | grep -q "purge_parameters"
ansible-doc dito.chat.elb_listener | grep -q "any_of_target_group_arns"
ansible-doc dito.chat.elb_target_group | grep -q "health_check"
ansible-doc dito.chat.s3_log_bucket | grep -q "elb_log_delivery"
ansible-doc -t role dito.chat.alb | grep -q "alb_test_listener_port"
ansible-doc -t role dito.chat.route53 | grep -q "route53_target_hosted_zone_id"
ansible-doc dito.chat.cloudwatch_alarm | grep -q "treat_missing_data"
ansible-doc dito.chat.lambda_package | grep -q "CodeSha256"
ansible-doc -t role dito.chat.elasticache | grep -q "elasticache_auth_token_parameter"
ansible-doc -t role dito.chat.security_groups | grep -q "security_groups_list"
ansible-doc -t role dito.chat.lambda_alerts | grep -q "lambda_alerts_webhooks"
echo "check_build: $(basename "$out"/dito-chat-*.tar.gz) installs and documents its roles and modules"
