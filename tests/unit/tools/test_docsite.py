"""The documentation site's guides are README.md sections in reStructuredText; --check finds a stale one."""

import docutils.core
import docutils.utils
import pytest

from tools import docsite

README = """\
# Title

## Architecture

```mermaid
flowchart LR
  a --> b
```

How the roles hand on (`site.yml`; see [the emulator](tools/emulator/README.md) and [Speed](#speed)):

| Piece | Status |
| --- | --- |
| `dito.chat.ecr` role, **done** | done |

1. Copy `inventories/example/` to `inventories/<project>/` and fill in
   `production/group_vars/all/main.yml`.
2. Apply: `ansible-playbook site.yml`s.

- **The same image** deploys nothing_ (*star*) unless `-e force=true`.
- A bullet whose text goes on
  on a second line.

    make ee
    podman build dist/ee

### Sub

Plain x`code` text.

## Other

Not in the guide.
"""


def test_sections_split_at_level_two_headings_outside_fences():
    sections = docsite.readme_sections(README)
    assert list(sections) == ["Architecture", "Other"]
    assert "flowchart LR" in sections["Architecture"]


def test_inline_markup_is_set_apart_and_relative_links_point_at_the_repository():
    text = docsite.inline("see [the emulator](tools/emulator/README.md), `a`s and x`b` and [Speed](#speed)")
    assert "`the emulator <https://github.com/dito-chat/dito.chat/blob/main/tools/emulator/README.md>`__," in text
    assert "``a``\\ s" in text
    assert "x\\ ``b``" in text
    assert "<https://github.com/dito-chat/dito.chat/blob/main/README.md#speed>" in text
    assert docsite.inline("a_b *c* |d|") == "a\\_b \\*c\\* \\|d\\|"


def test_converted_section_is_valid_rst_with_every_block():
    body = docsite.readme_sections(README)["Architecture"]
    rst = "Guide\n=====\n\n" + "\n".join(docsite.convert(body, 2))
    assert ".. code-block:: text\n\n   flowchart LR\n     a --> b" in rst
    assert ".. list-table::" in rst and "   * - ``dito.chat.ecr`` role, **done**" in rst
    assert "#. Copy ``inventories/example/`` to ``inventories/<project>/`` and fill in ``production/group_vars/all/main.yml``." in rst
    assert "- **The same image** deploys nothing\\_ (\\*star\\*) unless ``-e force=true``." in rst
    assert "- A bullet whose text goes on on a second line.\n" in rst
    assert "::\n\n    make ee\n    podman build dist/ee" in rst
    assert "Sub\n---" in rst
    # docutils parses it without a warning (Sphinx's code-block is docutils' code directive here).
    settings = {"report_level": docutils.utils.Reporter.INFO_LEVEL, "halt_level": 5, "warning_stream": False}
    doctree = docutils.core.publish_doctree(rst.replace("code-block::", "code::"), settings_overrides=settings)
    messages = [m.astext() for m in doctree.findall(docutils.nodes.system_message) if m["level"] >= 2]
    assert messages == []


def test_check_reports_a_stale_guide(tmp_path, monkeypatch):
    monkeypatch.setattr(docsite, "ROOT", tmp_path)
    monkeypatch.setattr(docsite, "GUIDES", {"architecture": ("Architecture", ["Architecture"])})
    (tmp_path / "README.md").write_text(README)
    docsite.main([])
    docsite.main(["--check"])
    (tmp_path / "README.md").write_text(README.replace("How the roles", "How all roles"))
    with pytest.raises(SystemExit, match=r"stale: docs/docsite/rst/architecture\.rst"):
        docsite.main(["--check"])


def test_the_committed_guides_are_current():
    docsite.main(["--check"])
