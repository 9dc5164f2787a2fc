"""Time reading a workbook whose sheet declares millions of empty (formatted) rows.

    .venv/bin/python bench/workbook.py                    # 10M empty rows under 1,000 orders
    .venv/bin/python bench/workbook.py --empty 1000000 --repeat 2
    .venv/bin/python bench/workbook.py --base /tmp/base   # also time an older checkout's diag

Exports saved from Excel often carry formatting down to row 1,048,576 or beyond; the
sheet then lists every row although only the first ones hold orders.  The file is
written directly as XML (each empty row a styled cell with no value).  Measured, as
fresh subprocesses under ``/usr/bin/time -f '%e %M'`` (wall s, peak RSS): the sheet
read by openpyxl in read-only mode (what the reader used before) and by
python-calamine, and ``diag metrics FILE`` end to end; with ``--base`` the same command
from an older checkout of the kit, in alternating pairs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PY = ROOT / ".venv" / "bin" / "python"

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="订单" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WB_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def write_workbook(path: Path, orders: int, empty: int) -> None:
    """Write ``orders`` order rows and then ``empty`` formatted empty rows."""
    head = ["订单号", "会员手机号", "支付时间", "实付金额", "订单状态"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        z.writestr("xl/styles.xml", _STYLES)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            last = orders + 1 + empty
            fh.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns='
                      '"http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                      f'<dimension ref="A1:E{last}"/><sheetData>').encode())
            cells = "".join(_inline(f"{c}1", h) for c, h in zip("ABCDE", head))
            fh.write(f'<row r="1">{cells}</row>'.encode())
            for i in range(orders):
                r = i + 2
                row = (_inline(f"A{r}", f"NO{i:08d}") + _inline(f"B{r}", f"138{i % 5000:08d}")
                       + _inline(f"C{r}", f"2025-0{1 + i % 9}-1{i % 10} 10:00:00")
                       + f'<c r="D{r}"><v>{10 + i % 90}.5</v></c>' + _inline(f"E{r}", "已完成"))
                fh.write(f'<row r="{r}">{row}</row>'.encode())
            block = []
            for r in range(orders + 2, last + 1):
                block.append(f'<row r="{r}"><c r="A{r}" s="1"/></row>')
                if len(block) >= 100_000:
                    fh.write("".join(block).encode())
                    block = []
            fh.write(("".join(block) + "</sheetData></worksheet>").encode())


_OPENPYXL = """
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
n = sum(1 for _ in wb.active.iter_rows(values_only=True))
print(n)
"""
_CALAMINE = """
import sys
from python_calamine import CalamineWorkbook
wb = CalamineWorkbook.from_path(sys.argv[1])
n = sum(1 for _ in wb.get_sheet_by_name(wb.sheet_names[0]).iter_rows())
print(n)
"""


def timed(cmd: list[str], cwd: Path = ROOT) -> tuple[float, float, str]:
    """Return (wall seconds, peak RSS in MB, first stdout line) of one subprocess run in ``cwd``
    (``python -m diag`` imports the ``diag`` package of its working directory)."""
    proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", *cmd], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, "PYTHONPATH": str(cwd)})
    wall, rss = proc.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss) / 1024, (proc.stdout.strip().splitlines() or [""])[0][:60]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--empty", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--base", type=Path, default=None, help="an older checkout to time as well")
    parser.add_argument("--diag-only", action="store_true", help="skip the bare openpyxl / calamine reads")
    args = parser.parse_args()
    path = HERE / "data" / f"workbook_{args.orders}_{args.empty}.xlsx"
    path.parent.mkdir(exist_ok=True)
    if not path.exists():
        write_workbook(path, args.orders, args.empty)
    print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB")
    runs = {"openpyxl read-only, rows": [sys.executable, "-c", _OPENPYXL, str(path)],
            "python-calamine, rows": [sys.executable, "-c", _CALAMINE, str(path)],
            "diag metrics (this checkout)": [str(PY), "-m", "diag", "metrics", str(path)]}
    if args.diag_only:
        runs = {k: v for k, v in runs.items() if k.startswith("diag")}
    cwds: dict[str, Path] = {}
    if args.base is not None:
        runs["diag metrics (base checkout)"] = [str(PY), "-m", "diag", "metrics", str(path)]
        cwds["diag metrics (base checkout)"] = args.base.resolve()
    for k in range(args.repeat):
        for name, cmd in runs.items():
            wall, rss, out = timed(cmd, cwds.get(name, ROOT))
            print(f"run {k + 1}  {name:32s} {wall:7.2f} s  {rss:7.0f} MB  {out}")


if __name__ == "__main__":
    main()
