"""Fixtures for module unit tests: moto in-process and a runner for a module's main()."""

import json
from unittest import mock

import pytest
from ansible.module_utils.testing import patch_module_args
from botocore.client import BaseClient
from moto import mock_aws

from tools.emulator import patches


@pytest.fixture
def aws():
    """An empty emulated AWS account, in-process, with the emulator's compatibility layer."""
    patches.apply_all()
    with mock_aws():
        yield


@pytest.fixture
def run_module(capsys):
    """Run a module's main() with the given args; return its JSON result (failed results included)."""

    def run(main, args, check_mode=False, diff=False):
        args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
        with patch_module_args(args), pytest.raises(SystemExit):
            main()
        out = capsys.readouterr().out
        return json.loads(out.strip().splitlines()[-1])

    return run


@pytest.fixture
def api_calls():
    """Every AWS API operation called while the test runs, in order, as (service, operation)."""
    calls = []
    original = BaseClient._make_api_call

    def counting(self, operation_name, api_params):
        calls.append((self.meta.service_model.service_name, operation_name))
        return original(self, operation_name, api_params)

    with mock.patch.object(BaseClient, "_make_api_call", counting):
        yield calls
