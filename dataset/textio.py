"""Turn a user's file into text, refusing what is not text and guessing no encoding blindly."""

from __future__ import annotations

from pathlib import Path

from charset_normalizer import from_bytes

from stancebank.dataset.errors import InputError

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_MAX_CHAOS = 0.2  # charset-normalizer's "mess" ratio above which text is noise
_MARGIN = 0.02


def decode_bytes(data: bytes, path: str | Path) -> str:
    """Decode a text file's bytes.

    UTF-8 (with or without BOM) and BOM-marked UTF-16 are taken as they are. A file in a
    legacy single-byte encoding is decoded only when every plausible candidate charset
    gives the same text, so the guess cannot change a single character.

    Raises:
        InputError: empty, binary, a NUL character anywhere (naming its line), or an
            encoding that cannot be told apart.
    """
    return _without_nul(_decode(data, path), path)


def _without_nul(text: str, path: str | Path) -> str:
    """A NUL past the first 8 KB would otherwise end up inside an answer, taking the turns
    after it along (an ``Interviewer:`` line after it was swallowed)."""
    at = text.find("\x00")
    if at >= 0:
        line = text.count("\n", 0, at) + 1
        raise InputError(path, "holds a NUL character (part of a binary file?)", line=line)
    return text


def _decode(data: bytes, path: str | Path) -> str:
    if not data.strip():
        raise InputError(path, "file is empty")
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(path, "starts like UTF-16 text but is not (a binary file?)") from None
    if b"\x00" in data[:8192]:
        raise InputError(path, "looks like a binary file, expected text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data)
    best = matches.best()
    if best is None or best.chaos > _MAX_CHAOS:
        raise InputError(path, "looks like a binary file, expected text")
    # Candidates that score (almost) as well as the best one; if they disagree on a
    # single character, picking one would be a guess.
    plausible = [
        m
        for m in matches
        if m.chaos <= best.chaos + _MARGIN and m.coherence >= best.coherence - _MARGIN
    ]
    texts = {str(m) for m in plausible}
    if len(texts) != 1 or best.coherence <= 0:  # no language recognised: a blind guess
        names = ", ".join(sorted({m.encoding for m in plausible})[:4])
        raise InputError(
            path, f"not UTF-8 and the encoding is ambiguous ({names}); convert it to UTF-8"
        )
    return texts.pop()


def read_text(path: str | Path) -> str:
    """Read a user file as text with universal newlines."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, expected a text file") from None
    text = decode_bytes(data, path)
    return text.replace("\r\n", "\n").replace("\r", "\n")
