"""Ansible loads every filter file of a collection, in each forked worker, to find one of its filters: so the filter
files must not import the AWS SDK (botocore cost about 0.3 s of CPU per task: half of site.yml's input checks)."""

import os
import subprocess
import sys

FILTERS = ("alerts", "aws", "cloudfront", "elasticache", "iam", "site")


def test_loading_the_filter_files_imports_no_aws_sdk():
    code = (
        "import importlib, sys\n"
        f"for name in {FILTERS!r}:\n"
        "    importlib.import_module('ansible_collections.dito.chat.plugins.filter.' + name).FilterModule().filters()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('botocore', 'boto3')))\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out


def test_the_partition_filters_still_answer_without_importing_botocore():
    code = (
        "import sys\n"
        "from ansible_collections.dito.chat.plugins.filter import aws\n"
        "print(aws.aws_partition('cn-north-1'), aws.aws_dns_suffix('cn-north-1'), 'botocore' in sys.modules)\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["aws-cn", "amazonaws.com.cn", "False"], out
