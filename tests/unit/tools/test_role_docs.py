"""The role READMEs' variable tables come from meta/argument_specs.yml; --check finds a stale one and defaults drift."""

import textwrap

import pytest
import yaml

from tools import role_docs

SPEC = """\
---
argument_specs:
  main: &spec
    short_description: A small role
    options:
      demo_state:
        description: Whether it exists. V(absent) deletes it unless O(demo_keep=true).
        type: str
        choices: [present, absent]
        default: present
      demo_name:
        description:
          - The name, C(<project>-demo).
          - See L(the guide,https://example.com/guide) or U(https://example.com).
        type: str
        required: true
      demo_keep:
        description: I(Keep) it | or not.
        type: bool
        default: false
      demo_items:
        description: The items.
        type: list
        elements: dict
        default: []
        options:
          name: {type: str, required: true, description: The item's name.}
      demo_version:
        type: str
        default: "7.1"
      demo_title:
        description: Its title.
        type: str
        default: "{{ demo_name }} demo"
      demo_profile:
        description: Unset unless given.
        type: str
  validate: *spec
  extra:
    short_description: The other entry point
    options:
      demo_name: {type: str, required: true, description: The name.}
      demo_only: {type: int, default: 3, description: Only here.}
"""

DEFAULTS = """\
---
demo_state: present
demo_keep: false
demo_items: []
demo_version: "7.1"
demo_title: "{{ demo_name }} demo"
demo_only: 3
# demo_profile: unset
"""

TABLE = """\
| Variable | Type | Default / required | Description |
| --- | --- | --- | --- |
| `demo_state` | str | `present` | Whether it exists. `absent` deletes it unless `demo_keep=true`. Choices: `present`, `absent`. |
| `demo_name` | str | **required** | The name, `<project>-demo`. See [the guide](https://example.com/guide) or <https://example.com>. |
| `demo_keep` | bool | `false` | *Keep* it \\| or not. |
| `demo_items` | list[dict] | `[]` | The items. |
| `demo_items[].name` | str | **required** | The item's name. |
| `demo_version` | str | `"7.1"` |  |
| `demo_title` | str | `"{{ demo_name }} demo"` | Its title. |
| `demo_profile` | str | *unset* | Unset unless given. |"""


def make_role(roles, name="demo", spec=SPEC, defaults=DEFAULTS, readme=None):
    role = roles / name
    (role / "meta").mkdir(parents=True)
    (role / "defaults").mkdir()
    (role / "meta" / "argument_specs.yml").write_text(spec)
    (role / "defaults" / "main.yml").write_text(defaults)
    if readme is not None:
        (role / "README.md").write_text(readme)
    return role


def test_renders_the_main_options_as_a_table():
    specs = yaml.safe_load(SPEC)["argument_specs"]
    text = role_docs.render(specs)
    assert text.startswith(TABLE + "\n\n")
    assert "The `validate` entry point (`tasks_from: validate`) takes the same options." in text
    extra = text.split("### Entry point `extra` (`tasks_from: extra`)", 1)[1]
    assert "The other entry point." in extra
    assert "| `demo_only` | int | `3` | Only here. |" in extra
    assert "`demo_name` |" not in extra  # declared as in main: named, not repeated
    assert "It also takes these options of `main`, as above: `demo_name`." in extra


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("O(name)", "`name`"),
        ("O(ecr_repositories[].name)", "`ecr_repositories[].name`"),
        ("O(state=absent)", "`state=absent`"),
        ("O(amazon.aws.ec2_security_group#module:rules)", "`rules`"),
        ("V(CODE_DEPLOY) or V(ECS)", "`CODE_DEPLOY` or `ECS`"),
        ("C(/ecs/<name>)", "`/ecs/<name>`"),
        ("M(amazon.aws.route53)", "`amazon.aws.route53`"),
        ("I(not) B(this)", "*not* **this**"),
        ("L(the docs, part 2,https://docs.example.com/a)", "[the docs, part 2](https://docs.example.com/a)"),
        ("U(https://example.com)", "<https://example.com>"),
        ("V(a\\)b)", "`a)b`"),
        ("C(a `b`)", "`` a `b` ``"),
        ("a <name> tag, AWS(x), I (we)", "a \\<name> tag, AWS(x), I (we)"),
    ],
)
def test_strips_ansible_markup(text, markdown):
    assert role_docs.strip_markup(text) == markdown


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("", '""'),
        ("7.1", '"7.1"'),
        ("sun:05:00-sun:06:00", "sun:05:00-sun:06:00"),
        ("{{ x }}", '"{{ x }}"'),
        (None, "null"),
        ({"a": [1, "b,c"], "d": True}, '{a: [1, "b,c"], d: true}'),
    ],
)
def test_values_are_inline_yaml(value, text):
    assert role_docs.yaml_value(value) == text
    assert yaml.safe_load(text) == value or "{{" in text


def test_check_finds_a_stale_readme_and_the_rewrite_fixes_it(tmp_path, capsys):
    readme = "# demo\n\nProse.\n\n## Variables\n\n" + role_docs.BEGIN + "\n\n| old |\n\n" + role_docs.END + "\n\nOutput: x.\n"
    role = make_role(tmp_path / "roles", readme=readme)

    assert role_docs.main(["--check", "--roles-dir", str(tmp_path / "roles")]) == 1
    out = capsys.readouterr().out
    assert "roles/demo/README.md: the generated variables table is stale" in out
    assert "python -m tools.role_docs" in out  # the hint
    assert (role / "README.md").read_text() == readme  # --check changes nothing

    assert role_docs.main(["--roles-dir", str(tmp_path / "roles")]) == 0
    text = (role / "README.md").read_text()
    assert text.startswith("# demo\n\nProse.\n\n## Variables\n\n" + role_docs.BEGIN + "\n\n" + TABLE)
    assert text.endswith(role_docs.END + "\n\nOutput: x.\n")
    assert role_docs.main(["--check", "--roles-dir", str(tmp_path / "roles")]) == 0


def test_a_readme_without_markers_gets_a_variables_section(tmp_path, capsys):
    role = make_role(tmp_path / "roles", readme="# demo\n\nProse.\n")
    assert role_docs.main(["--check", "--roles-dir", str(tmp_path / "roles")]) == 1
    assert "the generated variables table is missing" in capsys.readouterr().out
    role_docs.main(["--roles-dir", str(tmp_path / "roles")])
    assert (role / "README.md").read_text().startswith("# demo\n\nProse.\n\n## Variables\n\n" + role_docs.BEGIN)


def test_defaults_must_mirror_the_spec(tmp_path, capsys):
    defaults = textwrap.dedent(
        """\
        ---
        demo_state: absent
        demo_name: x
        demo_keep: 0
        demo_version: 7.1
        demo_title: "{{ demo_name }}  demo"
        demo_profile: default
        demo_stray: 1
        demo__internal: 2
        """
    )
    make_role(tmp_path / "roles", defaults=defaults)
    assert role_docs.main(["--roles-dir", str(tmp_path / "roles")]) == 1  # the README is written, defaults stay wrong
    capsys.readouterr()
    assert role_docs.main(["--check", "--roles-dir", str(tmp_path / "roles")]) == 1
    problems = [line.split(": ", 1)[1] for line in capsys.readouterr().out.splitlines() if "/defaults/main.yml: " in line]
    assert [p.split(":")[0] for p in problems] == [
        "demo_state",  # a different value
        "demo_name",  # required, yet defaulted
        "demo_keep",  # 0 is not false
        "demo_items",  # missing
        "demo_version",  # 7.1 is not "7.1"
        "demo_title",  # Jinja compared as a string
        "demo_profile",  # a default that the spec does not declare
        "demo_only",  # another entry point's own option, missing
        "demo_stray",  # in no spec
    ]


def test_an_unreadable_spec_is_reported(tmp_path, capsys):
    make_role(tmp_path / "roles", spec="argument_specs:\n  main:\n    options: {a: b: c}\n")
    assert role_docs.main(["--check", "--roles-dir", str(tmp_path / "roles")]) == 1
    assert "roles/demo/meta/argument_specs.yml: not readable YAML" in capsys.readouterr().out
