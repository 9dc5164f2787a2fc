"""Incremental batches: a client whose inputs have not changed is not run again.

A run's inputs are its brief, every data file the brief names (by content hash), the
notebooks, the industry templates (bundled and the firm's), the kit itself (version
and source) and the run's options (language, report template, …).  Their fingerprint
is stored in ``OUT/<slug>/.diag-inputs.json`` when the run succeeds, inside the run
folder so it is swapped into place with the report (a killed run leaves none).  The
next batch compares: equal fingerprint and the report still there → ``unchanged``.

Hashing a large export costs time, so each file's hash is remembered with its size
and modification time; a file whose size and time match the stored ones is not read
again.  A file that was touched but not changed is read, hashed and found equal.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Iterable, Mapping

from diag import __version__, paths

#: The stamp of a finished run, inside ``OUT/<slug>``.
STAMP = ".diag-inputs.json"


def file_hash(path: Path, known: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return ``{"path", "size", "mtime_ns", "sha256"}`` of ``path``.

    ``known`` is the record of an earlier run: when its size and modification time
    match, its hash is reused instead of reading the file.
    """
    st = path.stat()
    record = {"path": str(path), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    if known and known.get("path") == record["path"] and known.get("size") == st.st_size \
            and known.get("mtime_ns") == st.st_mtime_ns and known.get("sha256"):
        return {**record, "sha256": known["sha256"]}
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return {**record, "sha256": digest.hexdigest()}


def _tree_files(folder: Path | None, patterns: Iterable[str]) -> list[Path]:
    if folder is None or not Path(folder).is_dir():
        return []
    return sorted({p for pattern in patterns for p in Path(folder).rglob(pattern) if p.is_file()})


def input_files(brief: Any, notebooks: Iterable[Path], templates: Path | None) -> dict[str, list[Path]]:
    """Return the files a run reads, by kind: brief, data, notebooks, templates, kit."""
    data: list[Path] = []
    for name, value in brief.data.model_dump().items():
        if isinstance(value, str) and value:
            path = brief.data_path(name)
            if path is not None and path.is_file():
                data.append(path.resolve())
    return {
        "brief": [Path(brief.source).resolve()],
        "data": data,
        "notebooks": [Path(p).resolve() for p in notebooks if Path(p).is_file()],
        "templates": _tree_files(paths.TEMPLATES, ("*.yaml", "*.yml", "*.docx"))
        + _tree_files(templates, ("*.yaml", "*.yml")),
        "kit": _tree_files(paths.PACKAGE, ("*.py", "*.yaml", "*.json", "*.ttf", "*.otf")),
    }


def fingerprint(brief: Any, notebooks: Iterable[Path], templates: Path | None,
                options: Mapping[str, Any], previous: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Return the inputs' fingerprint: every file's hash, the options and one digest over all."""
    known = {rec["path"]: rec for rec in (previous or {}).get("files", [])}
    files = []
    for kind, found in input_files(brief, notebooks, templates).items():
        for path in found:
            files.append({"kind": kind, **file_hash(path, known.get(str(path)))})
    opts = {k: _option(v, known) for k, v in sorted(options.items())}
    digest = hashlib.sha256(json.dumps({"version": __version__, "options": opts,
                                        "files": [(f["kind"], f["path"], f["sha256"]) for f in files]},
                                       sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return {"digest": digest, "version": __version__, "options": opts, "files": files}


def _option(value: Any, known: Mapping[str, Any]) -> Any:
    """Return an option as JSON; a file named by an option (a report template) counts by content."""
    if isinstance(value, Path) or (isinstance(value, str) and value.endswith((".docx", ".yaml", ".csv"))):
        path = Path(value).resolve()
        if path.is_file():
            return file_hash(path, known.get(str(path)))["sha256"]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def read_stamp(run_dir: Path) -> dict[str, Any] | None:
    """Return the stamp of the run in ``run_dir`` (None when absent or unreadable)."""
    try:
        return json.loads((run_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def unchanged(run_dir: Path, current: Mapping[str, Any]) -> bool:
    """Return True when ``run_dir`` holds a finished run made from exactly these inputs."""
    stamp = read_stamp(run_dir)
    return stamp is not None and bool(stamp) and stamp.get("digest") == current["digest"] \
        and (run_dir / "report.docx").is_file() and (run_dir / "results.json").is_file()


def write_stamp(run_dir: Path, current: Mapping[str, Any]) -> None:
    """Record the inputs of the run being finished in ``run_dir``."""
    from diag.files import write_atomic

    write_atomic(run_dir / STAMP, json.dumps(current, ensure_ascii=False, indent=1))


def last_good_run(brief: Any, out_root: Path, notebooks: Iterable[Path],
                  options: Mapping[str, Any]) -> tuple[Any, dict[str, Any]] | None:
    """Return ``(brief, results)`` of the client's last good run when its inputs are unchanged, else None.

    The firm's templates folder is the one this process resolves
    (:func:`diag.industries.registry.user_templates_dir`), as the run would.
    """
    from diag.config import user_templates_dir
    from diag.errors import DiagError
    from diag.record import load_results

    final = Path(out_root) / brief.slug
    stamp = read_stamp(final)
    if stamp is None:
        return None
    current = fingerprint(brief, notebooks, user_templates_dir(), options, previous=stamp)
    if not unchanged(final, current):
        return None
    try:
        return brief, load_results(final)
    except DiagError:
        return None


__all__ = ["STAMP", "last_good_run", "fingerprint", "file_hash", "input_files", "read_stamp", "unchanged", "write_stamp"]
