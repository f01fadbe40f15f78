#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the dito.chat project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: lambda_package
short_description: Build a byte-for-byte reproducible Lambda deployment zip
version_added: 1.0.0
description:
  - Zips the given files with fixed timestamps, permissions and order, so the same sources always give the same
    bytes and the same C(CodeSha256). M(amazon.aws.lambda) compares that hash with the deployed code, so an
    unchanged function is not updated and a re-run reports no change.
  - The zip is a build artifact on the host the module runs on, not part of the managed environment. It is
    written in check mode too (M(amazon.aws.lambda) reads it to plan), and writing it is reported as
    C(changed) only when its bytes differ from the file already there.
author:
  - dito.chat engineering (@dito-chat)
options:
  files:
    description:
      - The files to package, as a mapping of the name inside the zip to the source path.
    required: true
    type: dict
  dest:
    description:
      - Where to write the zip. Its directory is created when missing.
    required: true
    type: path
notes:
  - This module does not call AWS.
"""

EXAMPLES = r"""
- name: Package the alerts function
  dito.chat.lambda_package:
    files:
      notifier.py: "{{ role_path }}/files/notifier.py"
    dest: "{{ lookup('ansible.builtin.env', 'HOME') }}/.cache/dito.chat/alerts.zip"
  register: package
"""

RETURN = r"""
dest:
  description: The zip's path.
  returned: always
  type: str
  sample: /home/ci/.cache/dito.chat/alerts.zip
sha256:
  description: Base64 SHA-256 of the zip, as Lambda reports it in C(CodeSha256).
  returned: always
  type: str
  sample: 6Qd0G1uX6zUlZ3nqS6M7O2b4o8lYQ7QwX9yWJ1J0h1k=
size:
  description: The zip's size in bytes.
  returned: always
  type: int
  sample: 4213
"""

import base64
import hashlib
import io
import os
import tempfile
import zipfile

from ansible.module_utils.basic import AnsibleModule

# 1980-01-01 00:00:00, the earliest time a zip entry can carry.
EPOCH = (1980, 1, 1, 0, 0, 0)


def build(files):
    """The zip's bytes: entries sorted by name, fixed time, mode 0644, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            with open(files[name], "rb") as handle:
                archive.writestr(info, handle.read())
    return buffer.getvalue()


def main():
    module = AnsibleModule(
        argument_spec=dict(files=dict(type="dict", required=True), dest=dict(type="path", required=True)),
        supports_check_mode=True,
    )
    files, dest = module.params["files"], module.params["dest"]
    missing = sorted(str(path) for path in files.values() if not os.path.isfile(str(path)))
    if missing:
        module.fail_json(msg=f"files: no such file {', '.join(missing)}")
    data = build({name: str(path) for name, path in files.items()})
    try:
        with open(dest, "rb") as handle:
            changed = handle.read() != data
    except FileNotFoundError:
        changed = True
    if changed:
        os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(dest) or ".", prefix=".lambda_package.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        module.atomic_move(tmp, dest)
    module.exit_json(changed=changed, dest=dest, sha256=base64.b64encode(hashlib.sha256(data).digest()).decode(), size=len(data))


if __name__ == "__main__":
    main()
