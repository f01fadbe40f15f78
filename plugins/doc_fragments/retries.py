# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # The retry report of every module of the collection that calls AWS (plugins/module_utils/retry_report.py).
    RETURN = r"""
retries:
  description:
    - The AWS requests of this run whose attempt failed with a transient error and was sent again (by botocore,
      whose AWS_RETRY_MODE and AWS_MAX_ATTEMPTS apply, by an AWSRetry back-off, or by the module), counted by
      service, operation and error. Transient errors are the throttling and transient error codes of botocore's
      standard retry mode (ThrottlingException, Throttling, TooManyRequestsException, RequestLimitExceeded,
      PriorRequestNotComplete, ...), any 5xx answer, and a lost, timed-out or refused connection.
    - "The run also prints one warning that sums them up, for example
      C(Retried 3 AWS requests: ecs DescribeServices ThrottlingException x2, ecs RegisterTaskDefinition connection lost x1)."
    - On a failed run, the last attempt of the request that failed is counted too.
  returned: when at least one request was retried
  type: list
  elements: dict
  version_added: 1.0.0
  contains:
    service:
      description: The botocore service name.
      type: str
      sample: ecs
    operation:
      description: The API operation.
      type: str
      sample: DescribeServices
    error:
      description:
        - The error code AWS answered, C(HTTP <status>) for a 5xx answer without one, or what happened to the
          connection (C(connection lost), C(read timeout), C(connect timeout), C(connection refused)).
      type: str
      sample: ThrottlingException
    count:
      description: How many attempts of that operation failed with that error.
      type: int
      sample: 2
  sample: [{"service": "ecs", "operation": "DescribeServices", "error": "ThrottlingException", "count": 2}]
"""
