"""Exceptions raised by pv_identify.

All errors the user can act on derive from :class:`PvIdentifyError`, so the CLI can
report them without a traceback. Messages name the file, line, rule or column
involved and what was expected, but never record contents.
"""

from __future__ import annotations


class PvIdentifyError(Exception):
    """Base class of all pv_identify errors a user can act on."""


class RuleFileError(PvIdentifyError, ValueError):
    """A rule file or term list is invalid.

    Parameters
    ----------
    path : str
        The file.
    message : str
        What is wrong and what was expected.
    line : int, optional
        1-based line number in the file, where known.
    rule_id : str, optional
        The id of the offending rule, where known.
    """

    def __init__(
        self, path: str, message: str, line: int | None = None, rule_id: str | None = None
    ) -> None:
        self.path = str(path)
        self.line = line
        self.rule_id = rule_id
        self.detail = message
        where = self.path + (f":{line}" if line is not None else "")
        who = f" (rule {rule_id!r})" if rule_id else ""
        super().__init__(f"{where}{who}: {message}")


class RuleFileErrors(RuleFileError):
    """Several problems in rule files, reported together (each with file and line).

    Parameters
    ----------
    errors : list of RuleFileError
        The problems, in file order; the first gives :attr:`path` and :attr:`line`.
    """

    def __init__(self, errors: list[RuleFileError]) -> None:
        self.errors = list(errors)
        first = self.errors[0]
        super().__init__(first.path, first.detail, line=first.line, rule_id=first.rule_id)
        self.args = (f"{len(self.errors)} problems:\n"
                     + "\n".join(f"  {e}" for e in self.errors),)

    def __str__(self) -> str:
        return str(self.args[0])


class ColumnMappingError(PvIdentifyError, KeyError):
    """A required column is missing or the column mapping is invalid."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class InputFileError(PvIdentifyError, OSError):
    """An input file cannot be read (missing, empty, unknown format, bad encoding)."""


class ModelFileError(PvIdentifyError, ValueError):
    """A model file is corrupt, tampered with, or not a pv_identify model."""


class EncodingError(InputFileError):
    """A text file does not decode with the given or detected encoding.

    The message names the byte offsets (and lines) of the first bad bytes and how to
    choose an encoding; it never quotes the text around them.
    """


class CsvLayoutError(InputFileError):
    """A CSV file's rows do not fit its header (extra fields, duplicate header names)."""


class SheetError(InputFileError):
    """An Excel workbook has several sheets and none was chosen, or the sheet is missing."""


class OutputFileError(PvIdentifyError, OSError):
    """An output cannot be written.

    The folder is missing or read-only, the disk is full, or the data do not fit the
    format (cell too long for Excel, column name invalid in SPSS or Stata).
    """
