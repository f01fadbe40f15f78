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
