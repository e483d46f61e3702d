"""YAML loading: every problem is an InputError with file, line and column; limits hold."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from govgate.config import Config
from govgate.errors import InputError
from govgate.yamlio import load_yaml_file, parse_yaml, validate


def error_of(text: str) -> InputError:
    with pytest.raises(InputError) as info:
        parse_yaml(text, "f.yaml")
    return info.value


def test_syntax_error_has_line_and_column() -> None:
    err = error_of("a: 1\nb: [1, 2\nc: 3\n")
    assert err.location is not None and err.location.path == "f.yaml"
    assert err.location.line == 3 and err.location.column == 2
    assert "invalid YAML" in err.message


def test_duplicate_key_is_rejected_with_both_lines() -> None:
    err = error_of("model:\n  name: a\n  name: b\n")
    assert err.location is not None and (err.location.line, err.location.column) == (3, 3)
    assert "duplicate key 'name'" in err.message and "line 2" in err.message


def test_alias_bomb_is_rejected() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefgh"):
        prev = "abcdefg"[i]
        lines.append(f"{name}: &{name} [{', '.join('*' + prev for _ in range(10))}]")
    err = error_of("\n".join(lines) + "\n")
    assert "alias bomb" in err.message


def test_moderate_anchors_are_fine() -> None:
    loaded = parse_yaml("base: &b {x: 1}\nuse: *b\n", "f.yaml")
    assert loaded.data == {"base": {"x": 1}, "use": {"x": 1}}


def test_non_utf8_input_names_the_byte_position(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: ok\nowner: Jos\xe9\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        load_yaml_file(path, "latin1.yaml")
    assert info.value.location is not None
    assert (info.value.location.line, info.value.location.column) == (2, 11)
    assert "UTF-8" in info.value.message


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("x: " + "a" * 2000 + "\n")
    with pytest.raises(InputError) as info:
        load_yaml_file(path, "big.yaml", max_bytes=1000)
    assert "over the 1000-byte limit" in info.value.message


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert load_yaml_file(path, "bom.yaml").data == {"a": 1}


CONFIG = """apiVersion: govgate/v1
kind: Config
model:
  name: credit-risk
  risk_tier: high
  owner: someone
artifacts:
  model_card: {path: docs/card.md, format: markdwn}
"""


def test_validation_errors_point_at_the_offending_keys() -> None:
    with pytest.raises(InputError) as info:
        validate(Config, parse_yaml(CONFIG, "govgate.yaml"))
    err = info.value
    assert err.location is not None and err.location.line == 6  # the unknown key comes first
    assert "unknown key 'owner'" in err.message
    assert "line 8" in err.message and "markdwn" in err.message


def test_missing_required_key_points_at_its_parent() -> None:
    text = "apiVersion: govgate/v1\nkind: Config\nmodel:\n  name: credit-risk\n"
    with pytest.raises(InputError) as info:
        validate(Config, parse_yaml(text, "govgate.yaml"))
    assert info.value.location is not None and info.value.location.line == 3
    assert "missing required key 'risk_tier'" in info.value.message


PACK_WITH_TYPOS = """apiVersion: govgate/v1
kind: RulePack
metadata: {name: t}
rules:
  - id: A-1
    title: t
    severity: blocking
    remediation: r
    tier: [high]
    check:
      kind: markdown_sections
      artifact: model_card
      requried: [Intended Use]
"""


def test_misspelt_keys_get_a_suggestion_from_the_right_model() -> None:
    from govgate.rules.schema import RulePack

    with pytest.raises(InputError) as info:
        validate(RulePack, parse_yaml(PACK_WITH_TYPOS, "p.yaml"))
    message = info.value.message
    assert "unknown key 'tier' at rules[0].tier (did you mean 'tiers'?)" in message
    assert "unknown key 'requried' at rules[0].check.requried (did you mean 'required'?)" in message


def test_yaml_1_2_booleans_so_on_and_no_stay_strings() -> None:
    data = parse_yaml("on: 2026-11-18\ncountry: NO\nanswer: yes\nok: true\nbad: False\n", "f").data
    assert data == {
        "on": date(2026, 11, 18),
        "country": "NO",
        "answer": "yes",
        "ok": True,
        "bad": False,
    }
