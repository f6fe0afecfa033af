"""The command line: thin commands over the library functions.

Output that programs read (``--format json``) goes to stdout; messages for people go to stderr.
Every ``CounterpointError`` becomes a one-line message and its exit code, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.exceptions import Abort, Exit, TyperException

from .errors import CounterpointError, SettingsError
from .settings import Settings, load_settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Compare how different news outlets report the same event.",
)
eval_app = typer.Typer(no_args_is_help=True, help="Measure quality on annotated data.")
app.add_typer(eval_app, name="eval")

stderr = Console(stderr=True)

SettingsOpt = Annotated[Path | None, typer.Option("--settings", help="TOML settings file (see `settings`)")]
EmbedderOpt = Annotated[str | None, typer.Option(help="sentence embedder: use (fast), e5 (quality), st")]


def _settings(path: Path | None, **overrides: Any) -> Settings:
    return load_settings(path, overrides=overrides)


def _progress(total: int, label: str) -> Progress | nullcontext[None]:
    if not stderr.is_terminal:
        return nullcontext()
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=stderr, transient=True)


def _run_compare(inputs: Sequence[Any], settings: Settings, fmt: str, out: Path | None) -> None:
    from .api import compare
    from .report import render_html, render_json, render_terminal

    if fmt not in {"terminal", "json"}:
        raise SettingsError(f"--format must be terminal or json, not {fmt!r}")
    if out is not None and out.suffix.lower() not in {".html", ".htm", ".json"}:
        raise SettingsError(f"--out must end in .html or .json, not {out.name!r}")
    bar = _progress(len(inputs), "analysing")
    with bar:
        task = bar.add_task("analyse", total=len(inputs)) if isinstance(bar, Progress) else None

        def tick(_article: Any) -> None:
            if isinstance(bar, Progress) and task is not None:
                bar.advance(task)

        result = compare(inputs, settings, progress=tick)
    for d in result.dropped:
        stderr.print(f"[yellow]skipped[/yellow] {d['source']}: {d['reason']}", highlight=False)
    if out is not None:
        text = render_html(result) if out.suffix.lower() in {".html", ".htm"} else render_json(result)
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise SettingsError(f"cannot write {out}: {exc.strerror or exc}") from None
        stderr.print(f"wrote {out}", highlight=False)
    if fmt == "json":
        sys.stdout.write(render_json(result))
    elif out is None:
        render_terminal(result, Console())


@app.command("compare")
def compare_cmd(
    inputs: Annotated[list[str], typer.Argument(help="files (.txt .html .json .jsonl) or http(s) URLs")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal or json (to stdout)")] = "terminal",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write report.html or result.json")] = None,
    embedder: EmbedderOpt = None,
    settings_file: SettingsOpt = None,
) -> None:
    """Compare two or more articles about one story."""
    _run_compare(inputs, _settings(settings_file, embedder=embedder), fmt, out)


def demo_path() -> Path:
    """The invented example story shipped with the package (German and English, one JSONL file)."""
    return Path(str(files("counterpoint.data").joinpath("demo/story.jsonl")))


@app.command()
def demo(
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal or json (to stdout)")] = "terminal",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write report.html or result.json")] = None,
    embedder: EmbedderOpt = None,
    settings_file: SettingsOpt = None,
) -> None:
    """Compare the example articles that ship with counterpoint (an invented story, German and English)."""
    _run_compare([demo_path()], _settings(settings_file, embedder=embedder), fmt, out)


@app.command("settings")
def settings_cmd(settings_file: SettingsOpt = None) -> None:
    """Print every setting with its value and help, as TOML."""
    current = _settings(settings_file)
    for name, help_text in Settings.help().items():
        value = getattr(current, name)
        if isinstance(value, tuple):
            value = list(value)
        sys.stdout.write(f"# {help_text}\n{name} = {json.dumps(value, ensure_ascii=False)}\n\n")


@eval_app.command("sentences")
def eval_sentences_cmd(
    path: Annotated[Path, typer.Argument(help="quotes-de JSONL(.gz): documents with gold sentences")],
    json_out: Annotated[Path | None, typer.Option("--json", help="also write the figures here")] = None,
) -> None:
    """Sentence boundary precision, recall and F1 against gold sentences."""
    from .eval.sentences import evaluate_sentences

    figures = evaluate_sentences(path)
    _emit_figures(figures, json_out)


@eval_app.command("ner")
def eval_ner_cmd(
    paths: Annotated[list[Path], typer.Argument(help="GermEval 2014 TSV(.gz) files: token, outer tag, inner tag")],
    json_out: Annotated[Path | None, typer.Option("--json", help="also write the figures here")] = None,
    split: Annotated[str, typer.Option(help="heldout (documents not trained on), train or all")] = "heldout",
) -> None:
    """Strict span precision, recall and F1 of the entity recogniser, overall and per type."""
    from .eval.ner import evaluate_ner

    if split not in {"heldout", "train", "all"}:
        raise SettingsError(f"--split must be heldout, train or all, not {split!r}")
    _emit_figures(evaluate_ner(paths, split=split), json_out)  # type: ignore[arg-type]


@eval_app.command("quotes")
def eval_quotes_cmd(
    path: Annotated[Path, typer.Argument(help="quotes-de JSONL(.gz): documents with annotated quotations")],
    json_out: Annotated[Path | None, typer.Option("--json", help="also write the figures here")] = None,
) -> None:
    """Quote span, speaker and cue figures of the quotation extractor, overall and by type."""
    from .eval.quotes import evaluate_quotes

    _emit_figures(evaluate_quotes(path), json_out)


@eval_app.command("tone")
def eval_tone_cmd(
    path: Annotated[Path, typer.Argument(help="GerNTSA JSON(.gz): sentences with a target and its polarity")],
    json_out: Annotated[Path | None, typer.Option("--json", help="also write the figures here")] = None,
    split: Annotated[str, typer.Option(help="heldout (not trained on), train or all")] = "heldout",
) -> None:
    """Macro-F1 of the tone scorer (positive / neutral / negative toward a target)."""
    from .eval.tone import evaluate_tone

    if split not in {"heldout", "train", "all"}:
        raise SettingsError(f"--split must be heldout, train or all, not {split!r}")
    _emit_figures(evaluate_tone(path, split=split), json_out)


@eval_app.command("compare")
def eval_compare_cmd(
    path: Annotated[Path, typer.Argument(help="folder of stories: <id>.jsonl with <id>.expected.json")],
    json_out: Annotated[Path | None, typer.Option("--json", help="also write the figures here")] = None,
    embedder: EmbedderOpt = None,
    settings_file: SettingsOpt = None,
) -> None:
    """Precision and recall of each finding type (facts, omissions, contradictions, quotes, voices, framing)."""
    from .api import compare
    from .eval.compare import evaluate_compare

    settings = _settings(settings_file, embedder=embedder)
    _emit_figures(evaluate_compare(path, lambda story: compare([story], settings)), json_out)


def _emit_figures(figures: dict[str, Any], json_out: Path | None) -> None:
    text = json.dumps(figures, indent=2, ensure_ascii=False) + "\n"
    sys.stdout.write(text)
    if json_out is not None:
        try:
            json_out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise SettingsError(f"cannot write {json_out}: {exc.strerror or exc}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (0 on success)."""
    command = typer.main.get_command(app)
    try:
        command.main(args=list(argv) if argv is not None else None, prog_name="counterpoint",
                     standalone_mode=False)
    except CounterpointError as err:
        stderr.print(f"counterpoint: error: {err}", highlight=False, soft_wrap=True)
        return err.exit_code
    except Exit as exc:
        return int(exc.exit_code)
    except TyperException as exc:  # usage errors: unknown option, missing argument, bad value
        stderr.print(f"counterpoint: error: {exc.format_message()}", highlight=False, soft_wrap=True)
        return exc.exit_code
    except Abort:
        return 130
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last edge: never show a traceback to a user
        if os.environ.get("COUNTERPOINT_DEBUG"):
            raise
        stderr.print(f"counterpoint: internal error: {type(exc).__name__}: {exc} "
                     "(set COUNTERPOINT_DEBUG=1 for a traceback)", highlight=False, soft_wrap=True)
        return 70
    return 0


if __name__ == "__main__":
    sys.exit(main())
