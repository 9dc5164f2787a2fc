"""The firm's settings: config files (``diag.toml`` / ``diag.yaml`` / ``~/.config/diag``) and
the folder of its own templates (``$DIAG_TEMPLATES``)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import yaml

from diag import paths
from diag.errors import TemplateError


def _config_candidates() -> list[Path]:
    cwd = Path.cwd()
    home = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return [cwd / ".diag.yaml", cwd / "diag.yaml", cwd / "diag.toml", home / "diag" / "config.yaml"]


def _read_config(path: Path) -> str | None:
    data = _read_mapping(path)
    value = data.get("templates_dir")
    if value is not None and not isinstance(value, str):
        raise TemplateError(f"expected a folder path, got {value!r}", file=path, where="templates_dir")
    return value


def _read_mapping(path: Path) -> dict[str, Any]:
    """Return the settings of a config file (``[diag]`` of a TOML file, else its top level)."""
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            data = data.get("diag", data) if isinstance(data.get("diag"), dict) else data
        else:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise TemplateError(f"cannot read the config file ({exc})", file=path) from None
    if not isinstance(data, dict):
        raise TemplateError("expected a mapping of settings (templates_dir, report_template, …)",
                            file=path)
    return data


def user_templates_dir() -> Path | None:
    """Return the firm's own template folder ($DIAG_TEMPLATES, then config files), or None.

    The folder is absolute (a relative ``$DIAG_TEMPLATES`` is taken from the working
    directory), so it still names the same folder when handed to a kernel or worker
    that runs elsewhere.
    """
    env = paths.user_industries()
    if env is not None:
        return env.absolute()
    for candidate in _config_candidates():
        if candidate.is_file():
            value = _read_config(candidate)
            if value:
                folder = Path(value).expanduser()
                return folder if folder.is_absolute() else (candidate.parent / folder).resolve()
    return None
