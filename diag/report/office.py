"""LibreOffice headless: the layout engine behind page numbers and the PDF.

``soffice`` is found on ``PATH`` (``$DIAG_SOFFICE`` names another binary, or ``off``
to never use it).  Each process uses its own LibreOffice profile under the temporary
folder (``-env:UserInstallation``), removed when the process exits, so parallel batch
workers never share, or wait for, one instance; calls within a process take turns.  Every call has a timeout.

Page numbers come from a small LibreOffice Basic macro installed in that private
profile: it opens the document hidden, lets the layout finish, and writes the page
of every ``_Toc`` bookmark (the contents' headings) to a file.  Basic ships with
LibreOffice itself, so no Python–UNO bridge is needed.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing.util
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from diag.errors import RunError, UsageError

__all__ = ["soffice", "available", "page_numbers", "to_pdf", "OfficeError", "INSTALL_HINT",
           "TIMEOUT"]

#: Seconds one LibreOffice call may take before it is stopped.
TIMEOUT = float(os.environ.get("DIAG_SOFFICE_TIMEOUT") or 180)
ENV = "DIAG_SOFFICE"
INSTALL_HINT = "sudo apt-get install -y libreoffice-writer-nogui fonts-noto-cjk"

_LOCK = threading.Lock()
_PROFILE: Path | None = None


class OfficeError(RunError):
    """LibreOffice failed, timed out or produced nothing (not the user's input: exit 1)."""


def soffice() -> str | None:
    """Return the LibreOffice binary to use, or None when there is none (or it is turned off)."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        if chosen.strip().lower() in ("", "0", "off", "no", "none", "false"):
            return None
        return shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    """Return whether LibreOffice can be used here."""
    return soffice() is not None


def require(option: str = "--pdf") -> str:
    """Return the LibreOffice binary, or raise :class:`UsageError` with the install command."""
    binary = soffice()
    if binary is None:
        raise UsageError(f"LibreOffice (soffice) is needed and was not found; install it with: "
                         f"{INSTALL_HINT}", file=option)
    return binary


_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="DiagPages" script:language="StarBasic">
REM Write &quot;bookmark TAB page&quot; for every _Toc bookmark of a document, once its layout is complete.
Sub Pages(sIn As String, sOut As String)
  Dim aArgs(0) As New com.sun.star.beans.PropertyValue
  aArgs(0).Name = &quot;Hidden&quot;
  aArgs(0).Value = True
  oDoc = StarDesktop.loadComponentFromURL(ConvertToURL(sIn), &quot;_blank&quot;, 0, aArgs())
  oVC = oDoc.getCurrentController().getViewCursor()
  sText = &quot;&quot;
  nPrev = -1
  REM Layout runs lazily: jump to the end until the page count holds still.
  For nTry = 1 To 5
    oVC.jumpToLastPage()
    nPages = oDoc.getCurrentController().PageCount
    If nPages = nPrev Then Exit For
    nPrev = nPages
  Next nTry
  oMarks = oDoc.getBookmarks()
  aNames = oMarks.getElementNames()
  For i = LBound(aNames) To UBound(aNames)
    If Left(aNames(i), 4) = &quot;_Toc&quot; Then
      oVC.gotoRange(oMarks.getByName(aNames(i)).getAnchor(), False)
      sText = sText &amp; aNames(i) &amp; Chr(9) &amp; oVC.getPage() &amp; Chr(10)
    End If
  Next i
  sText = sText &amp; &quot;#pages&quot; &amp; Chr(9) &amp; nPages &amp; Chr(10)
  oFiles = createUnoService(&quot;com.sun.star.ucb.SimpleFileAccess&quot;)
  oStream = createUnoService(&quot;com.sun.star.io.TextOutputStream&quot;)
  oStream.setOutputStream(oFiles.openFileWrite(ConvertToURL(sOut)))
  oStream.setEncoding(&quot;UTF-8&quot;)
  oStream.writeString(sText)
  oStream.closeOutput()
  oDoc.close(True)
End Sub
</script:module>
"""

_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" library:readonly="false" library:passwordprotected="false">
 <library:element library:name="Module1"/>
 <library:element library:name="DiagPages"/>
</library:library>
"""

_LIBRARIES = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:libraries PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "libraries.dtd">
<library:libraries xmlns:library="http://openoffice.org/2000/library" xmlns:xlink="http://www.w3.org/1999/xlink">
 <library:library library:name="Standard" library:link="false"/>
</library:libraries>
"""


def _profile(binary: str) -> Path:
    """Return this process's private LibreOffice profile (created once, removed at exit).

    LibreOffice fills a new profile with its presets on first start (overwriting a
    Basic library placed there before), so the profile is initialised first and the
    macro added afterwards.
    """
    global _PROFILE
    if _PROFILE is None or not _PROFILE.is_dir():
        profile = Path(tempfile.mkdtemp(prefix=f"diag-lo-{os.getpid()}-"))
        atexit.register(shutil.rmtree, profile, True)
        # Worker processes of a batch (multiprocessing) end without atexit, but run these.
        multiprocessing.util.Finalize(None, shutil.rmtree, args=(profile, True), exitpriority=0)
        _call([binary, f"-env:UserInstallation={profile.as_uri()}", *_FLAGS, "--terminate_after_init"],
              "start")
        standard = profile / "user" / "basic" / "Standard"
        standard.mkdir(parents=True, exist_ok=True)
        (standard / "DiagPages.xba").write_text(_MACRO, encoding="utf-8")
        (standard / "script.xlb").write_text(_LIBRARY, encoding="utf-8")
        if not (standard.parent / "script.xlc").is_file():
            (standard.parent / "script.xlc").write_text(_LIBRARIES, encoding="utf-8")
        _PROFILE = profile
    return _PROFILE


_FLAGS = ("--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck")


def _run(args: list[str], what: str) -> None:
    binary = soffice()
    if binary is None:
        raise OfficeError("LibreOffice is not available")
    with _LOCK:
        profile = _profile(binary)
        _call([binary, f"-env:UserInstallation={profile.as_uri()}", *_FLAGS, *args], what)


def _call(command: list[str], what: str) -> None:
    """Run LibreOffice; on timeout stop its whole process group (soffice starts soffice.bin)."""
    try:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    except OSError as exc:
        raise OfficeError(f"cannot start LibreOffice ({exc})") from None
    try:
        _, stderr = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise OfficeError(f"LibreOffice took longer than {TIMEOUT:.0f} s to {what}") from None
    if proc.returncode != 0:
        detail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise OfficeError(f"LibreOffice failed to {what} (exit {proc.returncode}) {detail[0]}")


def page_numbers(docx: Path) -> tuple[dict[str, int], int]:
    """Return ``({bookmark: page}, pages)`` of the ``_Toc`` bookmarks of ``docx`` as LibreOffice lays it out."""
    with tempfile.TemporaryDirectory(prefix="diag-pages-") as tmp:
        out = Path(tmp) / "pages.txt"
        source = Path(tmp) / "in.docx"
        shutil.copyfile(docx, source)
        macro = f'macro:///Standard.DiagPages.Pages("{source}","{out}")'
        _run([macro], "count pages")
        if not out.is_file():
            raise OfficeError("LibreOffice did not report the pages (macro not run)")
        pages: dict[str, int] = {}
        total = 0
        for line in out.read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition("\t")
            if value.strip().isdigit():
                if name == "#pages":
                    total = int(value)
                else:
                    pages[name] = int(value)
    return pages, total


def to_pdf(docx: Path, pdf: Path) -> Path:
    """Convert ``docx`` to ``pdf`` (written through a temporary file and a rename); return ``pdf``."""
    with tempfile.TemporaryDirectory(prefix="diag-pdf-") as tmp:
        source = Path(tmp) / "report.docx"
        shutil.copyfile(docx, source)
        _run(["--convert-to", "pdf:writer_pdf_Export", "--outdir", tmp, str(source)], "write the PDF")
        made = Path(tmp) / "report.pdf"
        if not made.is_file() or made.stat().st_size == 0:
            raise OfficeError("LibreOffice wrote no PDF")
        partial = pdf.with_name(f".{pdf.name}.tmp-{os.getpid()}")
        shutil.copyfile(made, partial)
        os.replace(partial, pdf)
    return pdf
