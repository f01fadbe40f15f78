"""The emulator compatibility layer: every patch, listed in one place.

A patch restores one behaviour that the AWS API reference documents and moto lacks or bends. Each is
a small function named after that behaviour, with the API reference it follows in its docstring, and
a test in tests/unit/tools/emulator/ that asserts the documented response. Roles and modules never know
whether they talk to the emulator; when real AWS and moto differ, the fix belongs here.

To add one: write a function named after the behaviour in the service's module here, add it to ``PATCHES``
below, add its test, and list it in tools/emulator/README.md.
"""

from tools.emulator.patches import applicationautoscaling
from tools.emulator.patches import awslambda
from tools.emulator.patches import cloudfront
from tools.emulator.patches import codebuild
from tools.emulator.patches import codeconnections
from tools.emulator.patches import codedeploy
from tools.emulator.patches import codepipeline
from tools.emulator.patches import ec2
from tools.emulator.patches import ecs
from tools.emulator.patches import elasticache
from tools.emulator.patches import elbv2
from tools.emulator.patches import events
from tools.emulator.patches import kms
from tools.emulator.patches import route53
from tools.emulator.patches import s3
from tools.emulator.patches import servicediscovery
from tools.emulator.patches import sts

PATCHES = (
    applicationautoscaling.deregistering_a_scalable_target_deletes_its_policies,
    applicationautoscaling.put_scaling_policy_updates_the_policy_of_that_name,
    ecs.describe_task_definition_family_returns_latest_active,
    ecs.task_definitions_record_registered_at,
    ecs.update_cluster_settings_answers,
    ecs.services_keep_health_check_grace_period,
    ecs.code_deploy_services_refuse_a_new_task_definition,
    ecs.create_service_keeps_strategy_deployment_configuration_and_flags,
    ecs.rolling_deployments_roll_out,
    # Outermost CreateService wrapper: a resend or a taken name is answered before any other wrapper runs.
    ecs.create_service_is_idempotent_by_client_token_and_a_taken_name_is_refused,
    codeconnections.connections_are_served_on_both_endpoints,
    codebuild.codepipeline_sources_and_artifacts_need_no_location,
    codebuild.compute_types_of_the_api_reference_are_accepted,
    codebuild.service_roles_must_be_assumable_by_codebuild,
    codebuild.projects_keep_every_field_with_aws_defaults,
    codebuild.update_project_applies_every_field,
    codedeploy.code_deploy_services_start_with_a_primary_task_set,
    codedeploy.deployment_configs_are_managed,
    codedeploy.deployment_groups_are_complete,
    codedeploy.ecs_blue_green_deployments_run,
    codedeploy.deployment_ids_have_the_aws_form,
    codepipeline.pipeline_roles_may_trust_a_list_of_services,
    codepipeline.manual_approvals_wait_for_a_result,
    codepipeline.get_pipeline_state_answers,
    codepipeline.creating_a_pipeline_starts_an_execution,
    codepipeline.a_pipeline_name_in_use_is_refused_as_pipeline_name_in_use,
    # ElastiCache: the wrappers of CreateReplicationGroup stack in this order (members are built last).
    elasticache.replication_groups_honour_num_cache_clusters,
    elasticache.replication_groups_keep_log_delivery_configurations,
    elasticache.replication_groups_report_the_kms_key_arn,
    elasticache.replication_group_members_are_cache_clusters,
    elasticache.modify_replication_group_applies_every_documented_field,
    elasticache.replica_count_changes,
    elasticache.deletes_finish,
    elasticache.cache_subnet_groups_can_be_modified_and_deleted,
    elasticache.cache_parameter_groups,
    elasticache.auth_tokens_and_engine_versions_are_checked,
    elasticache.auth_token_rotation_keeps_both_tokens_until_set,
    elasticache.delete_replication_group_takes_a_final_snapshot,
    elbv2.application_load_balancers_have_default_attributes,
    elbv2.application_load_balancers_report_their_regions_hosted_zone,
    elbv2.enabling_access_logs_checks_the_bucket_policy_and_writes_the_test_file,
    elbv2.rules_keep_to_the_condition_value_and_wildcard_quotas,
    elbv2.create_listener_is_idempotent_and_a_taken_port_is_refused,
    elbv2.create_load_balancer_is_idempotent_and_a_taken_name_is_refused,
    elbv2.create_target_group_is_idempotent_and_a_taken_name_is_refused,
    events.test_event_pattern_answers,
    kms.schedule_key_deletion_accepts_key_arn,
    awslambda.new_roles_cannot_be_assumed_while_iam_propagates,
    awslambda.update_function_configuration_applies_the_kms_key,
    awslambda.put_function_event_invoke_config_overwrites,
    awslambda.add_permission_refuses_a_statement_id_in_use,
    ec2.security_groups_need_an_existing_vpc,
    ec2.aws_managed_prefix_lists_report_their_weight_as_max_entries,
    ec2.get_managed_prefix_list_entries_of_an_unknown_list_is_not_found,
    ec2.security_group_rules_count_prefix_list_weights_and_need_an_existing_list,
    ec2.prefix_list_rules_keep_their_description,
    route53.private_zones_of_one_name_conflict_in_a_vpc,
    # After the conflict check: it wraps it, so a resent create is recognised first.
    route53.a_caller_reference_creates_one_hosted_zone,
    route53.a_caller_reference_is_never_used_again,
    route53.deleting_a_hosted_zone_needs_only_its_apex_soa_and_ns_left,
    route53.alias_records_to_cloudfront_cannot_evaluate_target_health,
    servicediscovery.deleting_a_dns_namespace_deletes_its_hosted_zone,
    servicediscovery.namespaces_with_services_cannot_be_deleted,
    servicediscovery.creator_request_ids_make_creates_idempotent,
    servicediscovery.private_dns_namespaces_of_other_names_share_a_vpc,
    servicediscovery.list_services_and_namespaces_honour_their_filters,
    sts.assume_role_refuses_a_role_that_does_not_exist,
    s3.bucket_policy_conditions_are_evaluated,
    # CloudFront: the wrappers of Create/UpdateDistribution stack in this order (the checks run first).
    cloudfront.managed_policies_are_listed,
    cloudfront.distribution_configs_round_trip,
    cloudfront.etags_change_and_if_match_is_checked,
    cloudfront.distributions_deploy_then_only_disabled_ones_are_deleted,
    cloudfront.distribution_configs_are_checked,
    # Outermost CreateDistribution wrapper: a reference sent before is refused before any check of the request.
    cloudfront.a_caller_reference_is_never_used_again,
)


def apply_all():
    """Apply every patch once; return the names of the patches applied."""
    applied = []
    for patch in PATCHES:
        if not getattr(patch, "applied", False):
            patch()
            patch.applied = True
        applied.append(patch.__name__)
    return applied
