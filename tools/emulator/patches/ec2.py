"""Amazon EC2 behaviours that moto 5.2 bends."""

from moto.ec2.exceptions import InvalidVPCIdError
from moto.ec2.models.security_groups import SecurityGroupBackend


def security_groups_need_an_existing_vpc():
    """CreateSecurityGroup in a VPC that does not exist answers InvalidVpcID.NotFound.

    AWS API reference, Amazon EC2 error codes: "InvalidVpcID.NotFound - The specified VPC does not exist."
    CreateSecurityGroup, request parameter ``VpcId``: "The ID of the VPC. Required for a nondefault VPC."
    moto created the group in any VPC id it was given; amazon.aws.ec2_security_group then waited minutes
    for a group that AWS would have refused at once.
    """
    original = SecurityGroupBackend.create_security_group

    def create_security_group(self, name, description, vpc_id=None, *args, **kwargs):
        if vpc_id and vpc_id not in self.vpcs:
            raise InvalidVPCIdError(vpc_id)
        return original(self, name, description, vpc_id, *args, **kwargs)

    SecurityGroupBackend.create_security_group = create_security_group


# Weights of the AWS-managed prefix lists (Amazon VPC User Guide, "AWS-managed prefix lists", table "Available
# AWS-managed prefix lists", column Weight): "the number of entries that it will take up in a resource". The
# CloudFront origin-facing list weighs 55, so a security group rule that references it counts as 55 of the group's rules.
AWS_MANAGED_PREFIX_LIST_WEIGHTS = {
    "com.amazonaws.global.cloudfront.origin-facing": 55,
    "com.amazonaws.global.ipv6.cloudfront.origin-facing": 55,
    "com.amazonaws.global.groundstation": 5,
    "s3": 1,
    "dynamodb": 1,
    "ec2-instance-connect": 2,
    "ipv6.ec2-instance-connect": 2,
    "route53-healthchecks": 25,
    "ipv6.route53-healthchecks": 25,
    "s3express": 6,
    "vpc-lattice": 10,
    "ipv6.vpc-lattice": 10,
}
# Amazon VPC quotas, "Security groups": inbound or outbound rules per security group, 60 by default.
RULES_PER_SECURITY_GROUP = 60


def _aws_managed_weight(name):
    if name in AWS_MANAGED_PREFIX_LIST_WEIGHTS:
        return AWS_MANAGED_PREFIX_LIST_WEIGHTS[name]
    parts = (name or "").split(".", 3)  # com.amazonaws.<region>.<service>
    return AWS_MANAGED_PREFIX_LIST_WEIGHTS.get(parts[3]) if len(parts) == 4 else None


class _PrefixListNotFound(Exception):
    pass


def aws_managed_prefix_lists_report_their_weight_as_max_entries():
    """DescribeManagedPrefixLists reports an AWS-managed prefix list's MaxEntries (its documented weight) and Version.

    AWS API reference, ManagedPrefixList: "MaxEntries - The maximum number of entries for the prefix list",
    "Version - The version of the prefix list"; Amazon VPC User Guide, "AWS-managed prefix lists": the CloudFront
    list ``com.amazonaws.global.cloudfront.origin-facing`` has weight 55, "the number of entries that it will take up
    in a resource". moto answered the AWS-managed lists without MaxEntries or Version.
    """
    from moto.ec2.models.managed_prefixes import ManagedPrefixListBackend

    original = ManagedPrefixListBackend._create_aws_managed_prefix_list

    def _create_aws_managed_prefix_list(self, name, address_family, entries):
        original(self, name, address_family, entries)
        created = next(pl for pl in self.managed_prefix_lists.values() if pl.prefix_list_name == name and pl.resource_owner_id == "AWS")
        weight = _aws_managed_weight(name)
        created.max_entries = weight if weight is not None else len(entries)
        created.version = 1
        created.entries = {1: entries}

    ManagedPrefixListBackend._create_aws_managed_prefix_list = _create_aws_managed_prefix_list


def get_managed_prefix_list_entries_of_an_unknown_list_is_not_found():
    """GetManagedPrefixListEntries of a prefix list that does not exist answers InvalidPrefixListID.NotFound.

    Amazon EC2 error codes: "InvalidPrefixListID.NotFound - The specified prefix list ID does not exist." (AWS answers
    "The prefix list (pl-...) does not exist."). moto answered an empty list of entries.
    """
    from moto.ec2.exceptions import EC2ClientError
    from moto.ec2.models.managed_prefixes import ManagedPrefixListBackend

    original = ManagedPrefixListBackend.get_managed_prefix_list_entries

    def get_managed_prefix_list_entries(self, prefix_list_id):
        found = original(self, prefix_list_id)
        if found is None:
            raise EC2ClientError("InvalidPrefixListID.NotFound", f"The prefix list ({prefix_list_id}) does not exist.")
        return found

    ManagedPrefixListBackend.get_managed_prefix_list_entries = get_managed_prefix_list_entries


def security_group_rules_count_prefix_list_weights_and_need_an_existing_list():
    """A security group rule that references a prefix list counts as its weight, and the list must exist.

    Amazon VPC User Guide, "Reference prefix lists in your AWS resources": "When you reference a prefix list in a
    resource, the maximum number of entries for the prefix list counts against the quota for the number of entries
    for the resource. For example, if you create a prefix list with 20 maximum entries and you reference that prefix
    list in a security group rule, this counts as 20 rules for the security group"; for AWS-managed lists, their weight
    (55 for CloudFront's). Amazon VPC quotas: 60 inbound and 60 outbound rules per security group;
    AuthorizeSecurityGroupIngress/Egress answer RulesPerSecurityGroupLimitExceeded beyond it, and
    InvalidPrefixListID.NotFound ("The prefix list ID 'pl-...' does not exist") for a list that does not exist.
    moto counted a prefix-list rule as nothing and accepted any prefix list id.
    """
    from moto.ec2.exceptions import EC2ClientError
    from moto.ec2.exceptions import RulesPerSecurityGroupLimitExceededError

    def weight(backend, prefix_list_id):
        prefix_list = backend.managed_prefix_lists.get(prefix_list_id)
        if prefix_list is None or prefix_list.state == "delete-complete":
            raise _PrefixListNotFound(prefix_list_id)
        if prefix_list.resource_owner_id == "AWS":
            return _aws_managed_weight(prefix_list.prefix_list_name) or int(prefix_list.max_entries or 1)
        return int(prefix_list.max_entries or 1)

    def rule_weight(backend, rule):
        try:
            return weight(backend, rule.prefix_list_id) if rule.prefix_list_id else 1
        except _PrefixListNotFound:
            return 1

    def wrap(name, rules_attribute):
        original = getattr(SecurityGroupBackend, name)

        def authorize(self, group_name_or_id, ip_protocol, from_port, to_port, ip_ranges, *args, **kwargs):
            prefix_list_ids = kwargs.get("prefix_list_ids") or (args[2] if len(args) > 2 else None) or []
            source_groups = kwargs.get("source_groups") or (args[1] if len(args) > 1 else None) or []
            vpc_id = kwargs.get("vpc_id")
            group = self.get_security_group_by_name_or_id(group_name_or_id, vpc_id)
            if group is not None:
                added = 0
                for item in prefix_list_ids:
                    try:
                        added += weight(self, item["PrefixListId"])
                    except _PrefixListNotFound:
                        raise EC2ClientError("InvalidPrefixListID.NotFound", f"The prefix list ID '{item['PrefixListId']}' does not exist") from None
                ranges = ip_ranges if isinstance(ip_ranges, list) else ([ip_ranges] if ip_ranges else [])
                added += len(ranges) + len(source_groups)
                held = sum(rule_weight(self, rule) for rule in getattr(group, rules_attribute))
                if group.vpc_id and held + added > RULES_PER_SECURITY_GROUP:
                    raise RulesPerSecurityGroupLimitExceededError()
            return original(self, group_name_or_id, ip_protocol, from_port, to_port, ip_ranges, *args, **kwargs)

        setattr(SecurityGroupBackend, name, authorize)

    wrap("authorize_security_group_ingress", "ingress_rules")
    wrap("authorize_security_group_egress", "egress_rules")


def prefix_list_rules_keep_their_description():
    """A security group rule whose source is a prefix list keeps its description, and UpdateSecurityGroupRuleDescriptions*
    answers ``Return``.

    AWS API reference, PrefixListId: "Description - A description for the security group rule that references this prefix
    list ID", returned by DescribeSecurityGroups in ``IpPermissions[].PrefixListIds[]``.
    UpdateSecurityGroupRuleDescriptionsIngress / Egress, response elements: "return - Returns true if the request succeeds;
    otherwise, returns an error." moto dropped the description of a prefix-list rule (so amazon.aws.ec2_security_group saw
    a difference on every run) and answered the update without ``Return`` (the module then failed with KeyError 'Return').
    """
    from moto.core.responses import ActionResult
    from moto.ec2.models import security_groups as models
    from moto.ec2.responses.security_groups import SecurityGroups

    rule_init = models.SecurityGroupRule.__init__

    def init(self, *args, **kwargs):
        rule_init(self, *args, **kwargs)
        prefix = kwargs.get("prefix_list_id") if "prefix_list_id" in kwargs else (args[7] if len(args) > 7 else None)
        self.dito_prefix_list_description = (prefix or {}).get("Description")

    models.SecurityGroupRule.__init__ = init

    def flattened(self, rules):
        views = flattened_rules(self, rules)
        descriptions = {
            (r.from_port, r.to_port, r.ip_protocol, r.prefix_list_id): getattr(r, "dito_prefix_list_description", None) for r in rules if r.prefix_list_id
        }
        for view in views:
            for entry in view.prefix_list_ids:
                description = descriptions.get((view.from_port, view.to_port, view.ip_protocol, entry["PrefixListId"]))
                if description is not None:
                    entry["Description"] = description
        return views

    flattened_rules = models.SecurityGroup._flattened_rules
    models.SecurityGroup._flattened_rules = flattened

    update_description = models.SecurityGroupBackend._sg_update_description

    def sg_update_description(self, security_rule, rule):
        update_description(self, security_rule, rule)
        if security_rule.prefix_list_id and security_rule.prefix_list_id == rule.prefix_list_id:
            description = getattr(security_rule, "dito_prefix_list_description", None)
            if description is not None:
                rule.dito_prefix_list_description = description

    models.SecurityGroupBackend._sg_update_description = sg_update_description

    for name in ("update_security_group_rule_descriptions_ingress", "update_security_group_rule_descriptions_egress"):
        original = getattr(SecurityGroups, name)

        def answered(self, original=original):
            original(self)
            return ActionResult({"Return": True})

        setattr(SecurityGroups, name, answered)
