"""One writer per database: an exclusive, non-blocking lock on ``<database>.lock``.

The operating system releases the lock when the process ends, however it ends (a killed ingest leaves
no stale lock). The lock file itself stays; its presence means nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..errors import StoreError


def lock_path(database: Path) -> Path:
    """The lock file beside ``database``."""
    return database.with_name(database.name + ".lock")


class WriterLock:
    """Held by a Store open for writing, from open to close."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lock_path(database)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock now or raise StoreError: another process is writing this database."""
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot create the lock file {self.path}: {exc.strerror}",
                             source=str(self.database)) from exc
        try:
            _lock(fd)
        except OSError as exc:
            os.close(fd)
            raise StoreError("database is locked by another writer", source=str(self.database)) from exc
        self._fd = fd

    def release(self) -> None:
        """Give the lock back (closing the file releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
