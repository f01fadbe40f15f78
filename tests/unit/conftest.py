"""Fixtures for module unit tests: moto in-process and a runner for a module's main()."""

import json

import pytest
from ansible.module_utils.testing import patch_module_args
from moto import mock_aws


@pytest.fixture
def aws():
    """An empty emulated AWS account, in-process."""
    with mock_aws():
        yield


@pytest.fixture
def run_module(capsys):
    """Run a module's main() with the given args; return its JSON result (failed results included)."""

    def run(main, args, check_mode=False, diff=False):
        args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
        args.setdefault("region", "eu-west-1")
        with patch_module_args(args), pytest.raises(SystemExit):
            main()
        out = capsys.readouterr().out
        return json.loads(out.strip().splitlines()[-1])

    return run
