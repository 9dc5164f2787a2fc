"""Client copy hygiene: text that reaches the .docx, HTML or JSON holds only what XML can hold.

:func:`client_text` removes the control characters XML 1.0 forbids (a ``\\x07`` pasted
into a client's name would otherwise abort the Word document) and the kit's internal
editing marks such as 「（可编辑）」 that belong in the templates, not in a client's report.
"""

from __future__ import annotations

import re

__all__ = ["client_text", "XML_ILLEGAL", "INTERNAL_MARKS"]

#: Characters XML 1.0 cannot hold: C0 controls except tab, newline and carriage return;
#: lone surrogates; U+FFFE and U+FFFF.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Editing marks for consultants that a client never reads.
INTERNAL_MARKS = re.compile(r"[（(]\s*可编辑\s*[）)]")


def client_text(text: str) -> str:
    """Return ``text`` without XML-illegal characters and internal editing marks."""
    return INTERNAL_MARKS.sub("", XML_ILLEGAL.sub("", text))
