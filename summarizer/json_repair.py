"""Make a model's almost-JSON strictly parseable without changing what it says."""

from __future__ import annotations

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def escape_control_characters(text: str) -> str:
    """Escape raw control characters inside JSON strings, which strict parsers reject.

    Characters outside strings are left alone: there they are insignificant whitespace.
    """
    if not any(ch < " " for ch in text):
        return text
    out: list[str] = []
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            elif ch < " ":
                out.append(_ESCAPES.get(ch, f"\\u{ord(ch):04x}"))
                continue
        elif ch == '"':
            in_string = True
        out.append(ch)
    return "".join(out)
