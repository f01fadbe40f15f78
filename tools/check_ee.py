"""Check the build context that `ansible-builder create` made from execution-environment.yml (tools/check_ee.sh).

The image built from it must hold this collection (the checkout's tarball, at galaxy.yml's version), amazon.aws and
community.aws in the ranges galaxy.yml declares, the ansible-core release CI tests, and the Python packages that this
collection declares for execution environments (meta/execution-environment.yml), which ansible-builder's introspection
(run by the caller on the installed tarball) must find.
"""

import argparse
import json
import re
import sys
import tarfile
from pathlib import Path

import yaml


def check(root, context, python_reqs):
    """Return the list of problems found."""
    problems = []
    galaxy = yaml.safe_load((root / "galaxy.yml").read_text())
    definition = yaml.safe_load((root / "execution-environment.yml").read_text())
    containerfile = (context / "Containerfile").read_text()

    base = definition["images"]["base_image"]["name"]
    if f'ARG EE_BASE_IMAGE="{base}"' not in containerfile:
        problems.append(f"Containerfile: the base image is not {base}")
    if "ansible-galaxy collection install" not in containerfile or "-r requirements.yml" not in containerfile:
        problems.append("Containerfile: no `ansible-galaxy collection install -r requirements.yml` step")

    tested_core = re.search(r"^ansible-core==(\S+)", (root / "requirements/test.in").read_text(), re.M).group(1)
    if f"ansible-core=={tested_core}" not in containerfile:
        problems.append(f"Containerfile: ansible-core is not {tested_core}, the release requirements/test.in tests")

    requirements = yaml.safe_load((context / "_build/requirements.yml").read_text())
    collections = {c["name"]: c for c in requirements.get("collections", [])}
    for name, version in galaxy["dependencies"].items():
        if collections.get(name, {}).get("version") != version:
            problems.append(f"requirements.yml: {name} is not {version!r} as in galaxy.yml")
    files = [name for name, c in collections.items() if c.get("type") == "file"]
    if len(files) != 1:
        problems.append(f"requirements.yml: {len(files)} collection tarballs, not this collection's one")
    else:
        tarball = context / "_build" / files[0]
        if not tarball.is_file():
            problems.append(f"the context has no {files[0]} (requirements.yml names it)")
        else:
            with tarfile.open(tarball) as tar:
                members = set(tar.getnames())
                info = json.load(tar.extractfile("MANIFEST.json"))["collection_info"]
            found = f"{info['namespace']}.{info['name']} {info['version']}"
            wanted = f"{galaxy['namespace']}.{galaxy['name']} {galaxy['version']}"
            if found != wanted:
                problems.append(f"{files[0]} holds {found}, not {wanted}")
            meta = yaml.safe_load((root / "meta/execution-environment.yml").read_text())
            for path in ("meta/execution-environment.yml", meta["dependencies"]["python"], "meta/runtime.yml"):
                if path not in members:
                    problems.append(f"{files[0]} lacks {path}")

    introspected = python_reqs.read_text().splitlines()
    declared_file = yaml.safe_load((root / "meta/execution-environment.yml").read_text())["dependencies"]["python"]
    lines = (root / declared_file).read_text().splitlines()
    declared = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    for requirement in declared:
        if f"{requirement}  # from collection dito.chat" not in introspected:
            problems.append(f"ansible-builder introspect: {requirement} of dito.chat not found")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--context", type=Path, required=True)
    parser.add_argument("--python", type=Path, required=True, help="ansible-builder introspect --write-pip output")
    args = parser.parse_args(argv)
    problems = check(args.root, args.context, args.python)
    if problems:
        sys.exit("check_ee: " + "; ".join(problems))
    print(f"check_ee: {args.context}: the tested ansible-core, dito.chat, its dependencies and their Python packages")


if __name__ == "__main__":
    main()
