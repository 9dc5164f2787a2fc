"""One error family for the kit.

Every :class:`DiagError` names the place of the problem (a file, and inside it a
field path or a row) and what was expected.  The CLI prints it as the contract's
one line ``error: <file>[:<where>]: <message>`` and exits with status 2.
"""

from __future__ import annotations

from os import PathLike


class DiagError(Exception):
    """Bad input from the user: a brief, a data file, a template or an argument."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | PathLike[str] | None = None,
                 where: str | None = None) -> None:
        self.message = message
        self.file = None if file is None else str(file)
        self.where = where
        super().__init__(self.line())

    def line(self) -> str:
        """Return ``<file>[:<where>]: <message>`` (the text after ``error: ``)."""
        place = self.file or ""
        if self.where:
            place = f"{place}:{self.where}" if place else self.where
        return f"{place}: {self.message}" if place else self.message


class BriefError(DiagError):
    """A brief (YAML) that cannot be read or does not validate."""


class DataError(DiagError):
    """A client data file (orders, WeCom statistics, workbook) that cannot be used."""


class TemplateError(DiagError):
    """An industry template or report template that is missing or invalid."""


class UsageError(DiagError):
    """Command-line arguments that do not make sense together."""


class RunError(Exception):
    """A notebook failed while executing; not the user's input (exit status 1)."""

    exit_code = 1
