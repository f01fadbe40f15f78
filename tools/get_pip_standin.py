"""Offline stand-in for the get-pip script that ``ansible-test sanity --venv`` downloads.

ansible-test runs it as ``__main__`` with pip's install options and packages in ``sys.argv``.
It bootstraps pip from the interpreter's own ensurepip, then lets that pip install the requested
packages from the configured package index.
"""

import ensurepip
import os
import subprocess
import sys


def main():
    ensurepip.bootstrap()
    # ensurepip sets PIP_CONFIG_FILE=/dev/null, which hides the machine's pip.conf (index, CA).
    os.environ.pop("PIP_CONFIG_FILE", None)
    args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
    sys.exit(subprocess.call([sys.executable, "-m", "pip", "install", *args]))


if __name__ == "__main__":
    main()
