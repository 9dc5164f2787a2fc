"""Industry templates: registry and lookup.

Bundled templates live in ``templates/industries/<key>.yaml`` (the key is the Chinese
industry name, e.g. ``母婴``); a firm's own directory named by ``$DIAG_TEMPLATES``
overrides or extends them.  An unknown key fails with the list of known ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from . import paths
from .errors import TemplateError


def template_dirs() -> list[Path]:
    """Return the template folders, the firm's own last (it wins)."""
    dirs = [paths.INDUSTRIES]
    user = paths.user_industries()
    if user is not None:
        dirs.append(user)
    return dirs


def known_industries() -> dict[str, Path]:
    """Return ``{key: template path}`` for every available industry template."""
    found: dict[str, Path] = {}
    for folder in template_dirs():
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")):
                found[path.stem] = path
    return found


def require_industry(key: str, *, file: str | Path | None = None, where: str | None = None) -> Path:
    """Return the template path for ``key`` or raise naming the known keys."""
    known = known_industries()
    if key not in known:
        names = "、".join(known) or "(none installed)"
        raise TemplateError(f"no industry template '{key}'; known: {names}", file=file, where=where)
    return known[key]


def load_industry(key: str) -> dict[str, Any]:
    """Return the parsed template for ``key``."""
    path = require_industry(key)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateError(f"cannot read template ({exc})", file=path) from None
    if not isinstance(data, dict):
        raise TemplateError("expected a mapping of template fields", file=path)
    return data
