"""yamledit.text: the bytes written back are encoded as the file was."""

from __future__ import annotations

from govgate.yamledit.text import decode, separated_by_blank_lines, split_lines, terminated


def test_bom_and_crlf_survive_a_decode_and_encode() -> None:
    raw = "\ufeffa: 1\r\nb: 2\r\n".encode()
    text, encoding = decode(raw, "x.yaml")
    assert text == "a: 1\nb: 2\n"
    assert encoding.bom and encoding.crlf
    assert encoding.encode(text) == raw


def test_mixed_line_breaks_are_left_as_they_are() -> None:
    raw = b"a: 1\r\nb: 2\n"
    text, encoding = decode(raw, "x.yaml")
    assert not encoding.crlf and encoding.encode(text) == raw


def test_lines_split_only_at_yaml_line_breaks() -> None:
    assert split_lines("a: x\u2028y\nb: 2") == ["a: x\u2028y\n", "b: 2"]
    assert terminated(split_lines("a: 1\nb: 2")) == ["a: 1\n", "b: 2\n"]


def test_blank_lines_between_items_are_judged_from_every_item() -> None:
    lines = split_lines("- a\n\n# about b\n- b\n\n- c\n")
    assert separated_by_blank_lines(lines, [0, 3, 5])
    assert not separated_by_blank_lines(lines, [0, 3, 4])
    assert not separated_by_blank_lines(lines, [0])
