"""Fail when a task runs the aws CLI through shell, command, raw or script.

Roles and playbooks use modules (their own or amazon.aws / community.aws), never the aws CLI: the CLI
has no check mode, no idempotence and no diff. Usage: python -m tools.lint_no_aws_cli [PATH ...]
(default: roles playbooks extensions). Exit 1 and one line per finding when any task does.
"""

import re
import sys
from pathlib import Path

import yaml

SHELL_MODULES = {f"{prefix}{name}" for name in ("shell", "command", "raw", "script") for prefix in ("", "ansible.builtin.", "ansible.legacy.")}
# aws in command position: at the start, after ; & | ( ` $( or a directory, or after sudo/exec/env.
AWS_CLI = re.compile(r"(?:^\s*|[;&|(`]\s*|/|\b(?:sudo|exec|env(?:\s+\w+=\S+)*)\s+)aws(?:\.exe)?\s+[a-z0-9-]+", re.M)
DEFAULT_PATHS = ("roles", "playbooks", "extensions")


def command_text(value):
    """The command line a shell/command task runs, whatever form its arguments take."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        parts = [value.get("cmd"), value.get("_raw_params")]
        argv = value.get("argv")
        if isinstance(argv, list):
            parts.append(" ".join(str(a) for a in argv))
        return " ".join(str(p) for p in parts if p)
    return ""


def findings(data, where):
    """Yield (where, command) for every task in ``data`` (any YAML document) that calls the aws CLI."""
    if isinstance(data, list):
        for item in data:
            yield from findings(item, where)
    elif isinstance(data, dict):
        for key, value in data.items():
            if key in SHELL_MODULES:
                text = command_text(value) or command_text(data.get("args"))
                if AWS_CLI.search(text):
                    yield where, f"{data.get('name', key)}: {text.strip()}"
            else:
                yield from findings(value, where)


def scan(paths):
    found = []
    for base in paths:
        for path in sorted(Path(base).rglob("*.y*ml")):
            try:
                documents = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
            except yaml.YAMLError:
                continue  # ansible-lint reports broken YAML
            for document in documents:
                found.extend(findings(document, str(path)))
    return found


def main(argv=None):
    paths = (argv if argv is not None else sys.argv[1:]) or DEFAULT_PATHS
    found = scan([p for p in paths if Path(p).exists()])
    for where, what in found:
        print(f"{where}: a task calls the aws CLI; use a module instead: {what}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
