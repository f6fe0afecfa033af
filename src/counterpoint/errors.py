"""One exception tree for counterpoint, caught only at the edges (CLI, web app).

    CounterpointError                 base: every error counterpoint raises on purpose
    ├── SettingsError                 a setting has a bad value or the settings file is unreadable
    ├── SourceError                   input cannot be read: missing file, binary data, bad record
    │   └── FetchError                a URL cannot be fetched: unreachable, HTTP error, too large, too slow
    ├── ExtractError                  input was read but holds no usable article body (empty, no text)
    ├── AnalyzeError                  a per-article component failed or the pipeline is misbuilt
    │   └── UnsupportedLanguageError  the article's language is not one the embedder supports
    ├── CompareError                  too few usable articles to compare
    ├── EvalError                     an evaluation data file cannot be read
    └── StoreError                    the database cannot be opened, read or written (locked, newer, not ours)

Each carries a one-line message meant for people; the CLI prints it and exits with ``exit_code``.
"""

from __future__ import annotations


class CounterpointError(Exception):
    """Base class; ``str(err)`` is a one-line message for people."""

    exit_code = 1

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.source = source

    @property
    def message(self) -> str:
        """The message without the source prefix."""
        return super().__str__()

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class SettingsError(CounterpointError):
    exit_code = 2


class SourceError(CounterpointError):
    exit_code = 3


class FetchError(SourceError):
    pass


class ExtractError(CounterpointError):
    exit_code = 4


class AnalyzeError(CounterpointError):
    exit_code = 5


class UnsupportedLanguageError(AnalyzeError):
    pass


class CompareError(CounterpointError):
    exit_code = 6


class EvalError(CounterpointError):
    exit_code = 7


class StoreError(CounterpointError):
    exit_code = 8
