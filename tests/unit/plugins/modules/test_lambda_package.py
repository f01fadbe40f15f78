"""dito.chat.lambda_package: the same sources give the same bytes."""

import base64
import hashlib
import os
import zipfile

from ansible_collections.dito.chat.plugins.modules import lambda_package


def test_same_sources_same_bytes_whatever_the_mtime(tmp_path, run_module):
    src = tmp_path / "notifier.py"
    src.write_text("print('hi')\n")
    dest = tmp_path / "out" / "fn.zip"
    first = run_module(lambda_package.main, {"files": {"notifier.py": str(src)}, "dest": str(dest)})
    assert first["changed"] is True
    data = dest.read_bytes()
    assert first["sha256"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
    os.utime(src, (0, 1_000_000_000))
    dest.unlink()
    again = run_module(lambda_package.main, {"files": {"notifier.py": str(src)}, "dest": str(dest)})
    assert dest.read_bytes() == data and again["sha256"] == first["sha256"]
    assert run_module(lambda_package.main, {"files": {"notifier.py": str(src)}, "dest": str(dest)})["changed"] is False
    with zipfile.ZipFile(dest) as archive:
        info = archive.getinfo("notifier.py")
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert archive.read("notifier.py") == b"print('hi')\n"


def test_a_source_change_changes_the_zip(tmp_path, run_module):
    src = tmp_path / "notifier.py"
    src.write_text("a = 1\n")
    args = {"files": {"notifier.py": str(src)}, "dest": str(tmp_path / "fn.zip")}
    before = run_module(lambda_package.main, args)["sha256"]
    src.write_text("a = 2\n")
    after = run_module(lambda_package.main, args)
    assert after["changed"] is True and after["sha256"] != before


def test_a_missing_source_fails_by_name(tmp_path, run_module):
    result = run_module(lambda_package.main, {"files": {"x.py": str(tmp_path / "nope.py")}, "dest": str(tmp_path / "fn.zip")})
    assert result["failed"] is True and "nope.py" in result["msg"]
