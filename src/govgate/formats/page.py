"""The HTML page shell shared by report.html and portfolio.html: escaping, CSP, one style sheet.

Pages load nothing and run nothing (`default-src 'none'`, inline styles only), so text that
reaches them from rule packs, model cards or a registry stays text even if an escape were missed.
"""

from __future__ import annotations

from html import escape

from govgate.formats.safe_text import is_unsafe

CSP = "default-src 'none'; style-src 'unsafe-inline'"

_STYLE = """\
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:80rem;padding:0 1rem;color:#1f2328}
h1{margin:.2rem 0}h2{margin-top:2rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d0d7de;padding:.35rem .5rem;
text-align:left;vertical-align:top}th{background:#f6f8fa}code{font-size:90%}td.num{text-align:right}
.verdict-pass{color:#1a7f37}.verdict-fail{color:#cf222e}.verdict-error{color:#9a6700}
.status{font-weight:600;white-space:nowrap}.status-pass{color:#1a7f37}.status-fail{color:#cf222e}
.status-error{color:#9a6700}.status-warn{color:#9a6700}.status-waived,.status-skipped{color:#656d76}
.meta{color:#656d76}ul{margin:.2rem 0;padding-left:1.2rem}td.digest{font-family:monospace;
word-break:break-all}"""


def text(value: object) -> str:
    """Any value as inert HTML text, safe in attributes too. A control, bidi or invisible format
    character is shown as its escape (`\\u202e`), so it can neither hide nor reorder what a
    reviewer reads; tabs and line breaks stay."""
    raw = str(value)
    if not raw.isprintable():
        raw = "".join(_escape(c) if c not in "\t\n" and is_unsafe(c) else c for c in raw)
    return escape(raw, quote=True)


def _escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def link(url: str | None, label: str) -> str:
    """`label` (already HTML) as a link when `url` is an absolute http(s) URL, else as is."""
    if url and url.startswith(("https://", "http://")):
        return f'<a href="{text(url)}" rel="noopener noreferrer">{label}</a>'
    return label


def page(title: str, body: str, style: str = _STYLE) -> bytes:
    """A complete HTML5 document; `title` is plain text, `body` is HTML built with `text`,
    `style` an inline style sheet (the CSP allows inline styles only)."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{text(title)}</title>\n<style>\n{style}\n</style>\n</head>\n<body>\n"
        f"{body}</body>\n</html>\n"
    ).encode()
