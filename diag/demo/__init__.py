"""Demo clients: synthetic but realistic briefs and data files, regenerated deterministically.

``python -m diag.demo [--out briefs] [--scale 1.0]`` writes, for every demo client,
``<out>/<slug>.yaml`` (a complete 需求澄清表) and ``<out>/data/<slug>/…`` (its order
export and, where the client has them, WeCom statistics).  Each client draws from its
own seeded :class:`numpy.random.Generator`, so the files are byte-identical on every run
and on every machine with the same library versions; nothing is downloaded.

=================  ========  ====  ===================================================
slug               industry  格式   data
=================  ========  ====  ===================================================
xiaobei-muying     母婴      电商   line-item CSV (UTF-8 BOM), WeCom contacts CSV + groups JSON
laomian-canyin     餐饮      连锁   order-level POS CSV in GBK, 8 stores
mujia-jiaju        家居软装  品牌   XLSX with English headers, WeChat-ID customers
=================  ========  ====  ===================================================
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Callable, Sequence

import yaml

from . import canyin, jiaju, muying

__all__ = ["CLIENTS", "generate", "client_files", "brief_yaml", "main"]

#: Demo clients by slug; each module offers ``files(scale) -> {relative path: bytes}`` and ``brief()``.
CLIENTS: dict[str, ModuleType] = {m.SLUG: m for m in (muying, canyin, jiaju)}

_HEADER = ("# 演示客户 (合成数据, 非真实客户) — 由 `python -m diag.demo` 生成, 请勿手改;\n"
           "# 修改请编辑 diag/demo/{module}.py 后重新生成。\n")


def brief_yaml(slug: str) -> bytes:
    """Return the demo client's brief as YAML bytes (UTF-8, Chinese kept readable)."""
    module = CLIENTS[slug]
    body = yaml.safe_dump(module.brief(), allow_unicode=True, sort_keys=False, width=100)
    return (_HEADER.format(module=module.__name__.rsplit(".", 1)[-1]) + body).encode("utf-8")


def client_files(slug: str, *, scale: float = 1.0) -> dict[str, bytes]:
    """Return every file of one demo client, ``{path relative to the briefs folder: bytes}``."""
    files = {f"{slug}.yaml": brief_yaml(slug)}
    files.update(CLIENTS[slug].files(scale))
    return files


def generate(out: str | Path = "briefs", *, scale: float = 1.0, slugs: Sequence[str] | None = None,
             log: Callable[[str], None] | None = None) -> dict[str, str]:
    """Return ``{path relative to out: sha256}`` after writing the demo clients' files under ``out``.

    ``scale`` multiplies the number of simulated customers (1.0 gives the committed files).
    """
    from ..record import write_atomic

    out = Path(out)
    digests: dict[str, str] = {}
    for slug in slugs or CLIENTS:
        for rel, payload in client_files(slug, scale=scale).items():
            write_atomic(out / rel, payload)
            (out / rel).chmod(0o644)  # mkstemp creates 0600; these are ordinary shared files
            digests[rel] = hashlib.sha256(payload).hexdigest()
            if log is not None:
                log(f"{out / rel}  {len(payload) / 1024:,.0f} KB")
    return digests


def main(argv: Sequence[str] | None = None) -> int:
    """Run the generator from the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m diag.demo",
                                     description="生成演示客户的需求澄清表与数据文件 (确定性, 无需联网)")
    parser.add_argument("--out", default="briefs", help="输出目录 (默认 briefs)")
    parser.add_argument("--scale", type=float, default=1.0, help="客户数量倍数 (默认 1.0)")
    parser.add_argument("--client", action="append", choices=sorted(CLIENTS), help="只生成某个客户 (可重复)")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be > 0")
    generate(args.out, scale=args.scale, slugs=args.client, log=print)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
