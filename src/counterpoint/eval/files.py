"""Reading evaluation data files, plain or gzipped, with one-line errors."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..errors import EvalError

_GZIP_MAGIC = b"\x1f\x8b"


def text_lines(path: Path, kind: str) -> Iterator[str]:
    """The lines of a UTF-8 text file, gunzipped when it starts with the gzip magic bytes.

    ``kind`` names the expected format in the error message ("JSONL", "TSV").
    """
    try:
        with path.open("rb") as raw:
            gzipped = raw.read(2) == _GZIP_MAGIC
        if gzipped:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                yield from handle
        else:
            with path.open(encoding="utf-8") as handle:
                yield from handle
    except FileNotFoundError:
        raise EvalError("no such file", source=str(path)) from None
    except IsADirectoryError:
        raise EvalError("is a directory, not a data file", source=str(path)) from None
    except PermissionError:
        raise EvalError("permission denied", source=str(path)) from None
    except (OSError, EOFError, zlib.error):  # gzip.BadGzipFile is an OSError; a cut file an EOFError
        raise EvalError(f"cannot read: not a readable (gzipped) {kind} file", source=str(path)) from None
    except UnicodeDecodeError:
        raise EvalError("not UTF-8 text", source=str(path)) from None


def read_text(path: Path, kind: str) -> str:
    return "".join(text_lines(path, kind))
