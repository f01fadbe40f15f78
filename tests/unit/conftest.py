"""Fixtures for module unit tests: moto in-process and a runner for a module's main()."""

import json
from unittest import mock

import pytest
from ansible.module_utils.testing import patch_module_args
from botocore.client import BaseClient
from moto import mock_aws

from tools.emulator import patches


@pytest.fixture(scope="session", autouse=True)
def one_botocore_loader():
    """Every botocore session of the unit tests shares one data loader. A module makes its clients through a new
    boto3 Session (amazon.aws boto3_conn), whose own loader reads and parses the service models and endpoints.json
    again: a tenth of the unit tests' time. A loader's answers are already shared by every client of its session, so
    sharing them across sessions changes nothing else. (An Ansible module run is a process of its own: this concerns
    the in-process unit tests only.)"""
    import botocore.loaders
    import botocore.session

    loaders = {}
    original = botocore.session.create_loader

    def shared(search_path_string=None):
        if search_path_string not in loaders:
            loaders[search_path_string] = original(search_path_string)
        return loaders[search_path_string]

    with mock.patch.object(botocore.session, "create_loader", shared):
        yield


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
