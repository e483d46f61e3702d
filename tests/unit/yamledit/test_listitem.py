"""yamledit.listitem on another list than the exceptions file: only the edited lines change."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml.comments import CommentedMap

from govgate.errors import InputError
from govgate.yamledit import listitem
from govgate.yamledit.listitem import ListSpec
from govgate.yamledit.nodes import set_value
from govgate.yamlio import parse_yaml

SPEC = ListSpec(key="owners", noun="owner", plural="owners", by_hand="edit it by hand")
TEXT = """\
# Owners, reviewed like code.
kind: Owners
owners:
  - id: ana   # lead
    team:   risk
  - id: bo
    team: ~
"""


def opened(tmp_path: Path, text: str = TEXT) -> listitem.ListDocument:
    path = tmp_path / "owners.yaml"
    path.write_text(text, "utf-8")
    raw = path.read_bytes()
    return listitem.open_list(SPEC, path, "owners.yaml", text, raw, parse_yaml(text, "owners.yaml"))


def test_an_edit_rewrites_only_its_item(tmp_path: Path) -> None:
    doc = opened(tmp_path)
    change = listitem.edit_item(doc, 1, lambda item: set_value(item, "team", "ops", ["id", "team"]))
    listitem.save(doc, listitem.splice(doc, doc.dump(), change))
    assert doc.path.read_text("utf-8") == TEXT.replace("team: ~", "team: ops")


def test_an_append_keeps_every_other_line(tmp_path: Path) -> None:
    doc = opened(tmp_path)
    change = listitem.append_item(doc, lambda like: CommentedMap(id="cy", team="risk"))
    listitem.save(doc, listitem.splice(doc, doc.dump(), change))
    assert doc.path.read_text("utf-8") == TEXT + "  - id: cy\n    team: risk\n"


def test_a_flow_list_is_refused_in_the_callers_words(tmp_path: Path) -> None:
    text = "kind: Owners\nowners: [{id: ana}]  # keep\n"
    doc = opened(tmp_path, text)
    change = listitem.edit_item(doc, 0, lambda item: set_value(item, "id", "bo", ["id"]))
    with pytest.raises(InputError) as info:
        listitem.splice(doc, doc.dump(), change)
    assert "its `owners` list is in flow style" in info.value.message
    assert info.value.hint is not None and info.value.hint.endswith("edit it by hand")
    assert doc.path.read_text("utf-8") == text
