"""What the English-report tests share: Chinese letters, the strings of a YAML document, the kit's leaked Chinese."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

CJK = re.compile(r"[\u3400-\u9fff]")


def yaml_strings(value: Any) -> list[str]:
    """Return every string in a loaded YAML document (mappings' values, lists' items), in order."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in yaml_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in yaml_strings(v)]
    return []


def kit_chinese(lines: Iterable[str], client_words: Iterable[str]) -> list[str]:
    """Return the lines that still hold Chinese once every one of the client's words is taken out."""
    words = list(client_words)
    left = []
    for line in lines:
        rest = line
        for word in words:
            rest = rest.replace(word, "")
        if CJK.search(rest):
            left.append(line)
    return left
