"""Text encodings of extract files: byte-order marks, strict detection, error positions.

A file is decoded with one encoding, strictly. Detection (no ``encoding`` given):

* a byte-order mark decides: UTF-8 (``utf-8-sig``), UTF-16 or UTF-32;
* else the whole file is scanned as UTF-8. Clean -> UTF-8.
* Invalid bytes and no valid non-ASCII UTF-8 character at all -> a legacy
  Windows-1252 export: read as ``cp1252`` with a warning.
* Invalid bytes *and* valid non-ASCII UTF-8 characters -> mixed encodings: an
  :class:`~pv_identify.errors.EncodingError` naming the count and the byte offsets and
  lines of the first bad bytes. Reading such a file as cp1252 would turn every other
  ``ë`` into ``Ã«``.

``encoding="utf-8:replace"`` (``--encoding utf-8:replace``) reads a file as UTF-8 with
each invalid byte replaced by U+FFFD and a warning with their count and positions.
Messages give positions, never the text around them.
"""

from __future__ import annotations

import codecs
import logging
from dataclasses import dataclass
from pathlib import Path

from pv_identify.errors import EncodingError

log = logging.getLogger(__name__)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_SHOWN = 5
_BLOCK = 1 << 20


@dataclass(frozen=True)
class DecodeScan:
    """Result of decoding a whole file once.

    Parameters
    ----------
    invalid : int
        Number of undecodable byte sequences.
    first : tuple of (int, int or None)
        Byte offset (0-based) and line (1-based, None for UTF-16/32) of the first few.
    non_ascii : bool
        Whether the file holds any correctly decoded non-ASCII character.
    """

    invalid: int
    first: tuple[tuple[int, int | None], ...]
    non_ascii: bool

    def where(self) -> str:
        """Return the first positions as text, e.g. ``byte 17 (line 2), byte 90 (line 5)``."""
        parts = [f"byte {off}" + (f" (line {line})" if line is not None else "")
                 for off, line in self.first]
        more = self.invalid - len(self.first)
        return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def parse_encoding(value: str) -> tuple[str, str]:
    """Split an encoding option into (codec, errors): ``"utf-8:replace"`` -> replace.

    Raises
    ------
    EncodingError
        For an unknown codec or error mode.
    """
    name, _, errors = value.partition(":")
    errors = errors or "strict"
    if errors not in ("strict", "replace"):
        raise EncodingError(f"encoding {value!r}: the part after ':' must be 'replace'")
    try:
        codecs.lookup(name)
    except LookupError:
        raise EncodingError(f"unknown encoding {name!r}; use e.g. utf-8, cp1252, latin-1, "
                            "utf-16 or utf-8:replace") from None
    return name, errors


def bom_encoding(path: Path) -> str | None:
    """Return the encoding a byte-order mark at the start of ``path`` announces, or None."""
    with path.open("rb") as handle:
        head = handle.read(4)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return None


def scan(path: Path, encoding: str) -> DecodeScan:
    """Decode the whole file with ``encoding`` and record where it fails.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    encoding : str
        Codec name.

    Returns
    -------
    DecodeScan
        Counts and the first positions of undecodable bytes.
    """
    codec = "utf-8" if codecs.lookup(encoding).name == "utf-8-sig" else encoding
    byte_lines = codecs.lookup(codec).name not in ("utf-16", "utf-32") \
        and not codec.lower().startswith(("utf-16", "utf-32", "utf16", "utf32"))
    found: list[int] = []
    count = 0
    state = {"base": 0}

    def record(exc: UnicodeError) -> tuple[str, int]:
        nonlocal count
        assert isinstance(exc, UnicodeDecodeError)
        count += 1
        if len(found) < _SHOWN:
            found.append(state["base"] + exc.start)
        return "\ufffd", exc.end

    handler = f"pv_identify_scan_{id(record)}"
    codecs.register_error(handler, record)
    decoder = codecs.getincrementaldecoder(codec)(errors=handler)
    non_ascii = False
    consumed = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            state["base"] = consumed - len(decoder.getstate()[0])
            before = count
            text = decoder.decode(block)
            if not non_ascii and not text.isascii():
                non_ascii = (count == before) or not text.replace("\ufffd", "").isascii()
            consumed += len(block)
        state["base"] = consumed - len(decoder.getstate()[0])
        decoder.decode(b"", final=True)
    lines = _line_numbers(path, found) if byte_lines else [None] * len(found)
    first = tuple(zip(found, lines, strict=True))
    return DecodeScan(count, first, non_ascii)


def _line_numbers(path: Path, offsets: list[int]) -> list[int | None]:
    """Return the 1-based line of each (ascending) byte offset."""
    out: list[int | None] = []
    lines = 1
    position = 0
    with path.open("rb") as handle:
        for offset in offsets:
            while position < offset:
                part = handle.read(min(_BLOCK, offset - position))
                if not part:
                    break
                lines += part.count(b"\n")
                position += len(part)
            out.append(lines)
    return out


def choose_encoding(path: Path, encoding: str | None) -> tuple[str, str]:
    """Decide how to decode ``path``: returns (codec, errors) for the CSV reader.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    encoding : str, optional
        The user's choice (``"utf-8:replace"`` allowed); detected when None.

    Returns
    -------
    tuple of str
        Codec and error mode (``"strict"`` or ``"replace"``).

    Raises
    ------
    EncodingError
        If the file does not decode with the given encoding, or mixes UTF-8 with
        other bytes when detecting.
    """
    if encoding:
        codec, errors = parse_encoding(encoding)
        result = scan(path, codec)
        if result.invalid and errors == "strict":
            raise EncodingError(
                f"{path}: {result.invalid} byte sequence(s) are not valid {codec}, at "
                f"{result.where()}. Pass the file's real encoding with --encoding "
                "(encoding= in Python), or utf-8:replace to replace invalid bytes.")
        if result.invalid:
            log.warning("%s: replaced %d invalid %s byte sequence(s) by U+FFFD, at %s",
                        path.name, result.invalid, codec, result.where())
        return codec, errors
    bom = bom_encoding(path)
    if bom is not None:
        result = scan(path, bom)
        if result.invalid:
            raise EncodingError(
                f"{path}: starts with a {bom} byte-order mark but {result.invalid} byte "
                f"sequence(s) are not valid {bom}, at {result.where()}")
        return bom, "strict"
    result = scan(path, "utf-8")
    if not result.invalid:
        return "utf-8", "strict"
    if result.non_ascii:
        raise EncodingError(
            f"{path}: mixed encodings: the file is UTF-8 but {result.invalid} byte "
            f"sequence(s) are not, at {result.where()}. Repair those bytes, or pass "
            "--encoding utf-8:replace (encoding='utf-8:replace') to replace them with "
            "U+FFFD, or --encoding cp1252 if the file is really Windows-1252.")
    cp = scan(path, "cp1252")
    if cp.invalid:
        raise EncodingError(
            f"{path}: neither UTF-8 nor Windows-1252 ({cp.invalid} undecodable byte(s) at "
            f"{cp.where()}); pass the file's encoding with --encoding")
    log.warning("%s is not UTF-8 and has no UTF-8 characters; reading it as cp1252 "
                "(Windows-1252). Pass --encoding to choose another.", path.name)
    return "cp1252", "strict"
