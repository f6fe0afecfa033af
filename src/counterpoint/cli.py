"""The command line: thin commands over the library functions.

Output that programs read (``--format json``) goes to stdout; messages for people go to stderr.
Every ``CounterpointError`` becomes a one-line message and its exit code, never a traceback.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
from collections.abc import Sequence
from contextlib import nullcontext
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from typer.exceptions import Abort, Exit, TyperException

from .errors import CompareError, CounterpointError, SettingsError, SourceError
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


def _run_compare(inputs: Sequence[Any], settings: Settings, fmt: str, out: Path | None,
                 dropped: Sequence[dict[str, str]] = ()) -> None:
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
    if dropped:
        result = dataclasses.replace(result, dropped=(*result.dropped, *dropped))
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
    model: Annotated[str, typer.Option(help="crf (the default recogniser) or e5 (multilingual-e5-small "
                                            "fine-tuned for names: more accurate, slower)")] = "crf",
) -> None:
    """Strict span precision, recall and F1 of the entity recogniser, overall and per type."""
    from .analyze.entities import MODELS
    from .eval.ner import evaluate_ner

    if split not in {"heldout", "train", "all"}:
        raise SettingsError(f"--split must be heldout, train or all, not {split!r}")
    if model not in MODELS:
        raise SettingsError(f"--model must be one of {', '.join(MODELS)}, not {model!r}")
    _emit_figures(evaluate_ner(paths, split=split, model=model), json_out)  # type: ignore[arg-type]


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


@eval_app.command("similarity")
def eval_similarity_cmd(
    path: Annotated[Path, typer.Argument(help="SemEval-2022 Task 8 pairs CSV(.gz)")],
    json_out: Annotated[Path | None, typer.Option("--json", help="also write the figures here")] = None,
    settings_file: SettingsOpt = None,
) -> None:
    """Pearson correlation of story similarity with human ratings, per language pair."""
    from .eval.similarity import evaluate_similarity

    _emit_figures(evaluate_similarity(path, _settings(settings_file)), json_out)


@eval_app.command("clusters")
def eval_clusters_cmd(
    shared: Annotated[Path, typer.Option(help="the shared data folder")] = Path("../shared"),
    split: Annotated[str, typer.Option(help="val (held out) or train (the threshold was calibrated on it)")] = "val",
    json_out: Annotated[Path | None, typer.Option("--json", help="also write the figures here")] = None,
    settings_file: SettingsOpt = None,
) -> None:
    """B-cubed precision and recall of story clustering on stories labelled from the shared data."""
    from .eval.clusters import evaluate_clusters

    _emit_figures(evaluate_clusters(_settings(settings_file), shared, split=split), json_out)


def _emit_figures(figures: dict[str, Any], json_out: Path | None) -> None:
    text = json.dumps(figures, indent=2, ensure_ascii=False) + "\n"
    sys.stdout.write(text)
    if json_out is not None:
        try:
            json_out.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise SettingsError(f"cannot write {json_out}: {exc.strerror or exc}") from None


DbOpt = Annotated[str | None, typer.Option("--db", help="SQLite database (default: the setting db)")]


@app.command()
def ingest(
    sources: Annotated[list[str], typer.Argument(
        help="folders, files (.html .txt .json .jsonl .warc .warc.gz), feed or article URLs, URL lists")],
    db: DbOpt = None,
    engine: Annotated[str, typer.Option(help="local (processes on this machine) or ray")] = "local",
    workers: Annotated[int | None, typer.Option(help="processes for the local engine (0: one per core)")] = None,
    ray_address: Annotated[str | None, typer.Option(help="Ray cluster for --engine ray (default: a local Ray)")] = None,
    settings_file: SettingsOpt = None,
) -> None:
    """Store new articles, find near-duplicates and cluster them into stories (idempotent, resumable)."""
    from .run.ingest import IngestReport, ingest

    settings = _settings(settings_file, db=db, workers=workers, ray_address=ray_address)
    started = time.monotonic()
    bar = Progress(TextColumn("{task.description}"), TimeElapsedColumn(), console=stderr) \
        if stderr.is_terminal else nullcontext()
    with bar:
        task = bar.add_task("ingest", total=None) if isinstance(bar, Progress) else None

        def show(report: IngestReport) -> None:
            if isinstance(bar, Progress) and task is not None:
                rate = report.read / max(time.monotonic() - started, 1e-9)
                bar.update(task, description=f"{rate:.1f} articles/s · {_ingest_line(report)}")

        report = ingest(sources, settings, engine=engine, progress=show)
    for failure in report.failures[:20]:
        stderr.print(f"[yellow]skipped[/yellow] {failure['source']}: {failure['reason']}", highlight=False)
    if len(report.failures) > 20:
        stderr.print(f"... and {len(report.failures) - 20} more skipped", highlight=False)
    stderr.print(_ingest_line(report) + f"; {len(report.stories)} stories updated; database {settings.db}",
                 highlight=False)
    if report.failures and not report.read:
        raise SourceError(f"nothing could be read ({len(report.failures)} sources failed)")


def _ingest_line(report: Any) -> str:
    skipped = ", ".join(f"{n} {reason}" for reason, n in report.skipped.most_common(3))
    return (f"stored {report.stored} ({report.duplicates} near-duplicates, {report.unclustered} not clustered)"
            + (f"; skipped {skipped}" if skipped else ""))


def _open_store(settings: Settings) -> Any:
    from .store import Store

    if not Path(settings.db).exists():
        raise SettingsError(f"{settings.db}: no such database (run `counterpoint ingest` first, or pass --db)")
    return Store(settings.db, read_only=True)


@app.command()
def stories(
    since: Annotated[str | None, typer.Option(help="only stories active on or after this date (ISO 8601)")] = None,
    until: Annotated[str | None, typer.Option(help="only stories that began on or before this date")] = None,
    outlet: Annotated[str | None, typer.Option(help="only stories this outlet covered")] = None,
    lang: Annotated[str | None, typer.Option(help="only stories with an article in this language")] = None,
    min_outlets: Annotated[int, typer.Option(help="at least this many independent outlets")] = 1,
    limit: Annotated[int, typer.Option(help="at most this many stories")] = 50,
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal or json (to stdout)")] = "terminal",
    db: DbOpt = None,
    settings_file: SettingsOpt = None,
) -> None:
    """List stories, newest first: dates, independent reports (+ near-duplicate copies), languages, title,
    outlets."""
    from rich.markup import escape

    if fmt not in {"terminal", "json"}:
        raise SettingsError(f"--format must be terminal or json, not {fmt!r}")
    with _open_store(_settings(settings_file, db=db)) as store:
        rows = store.stories(since=since, until=until, outlet=outlet, language=lang, min_outlets=min_outlets,
                             limit=limit)
    if fmt == "json":
        sys.stdout.write(json.dumps([dataclasses.asdict(r) for r in rows], ensure_ascii=False, indent=2) + "\n")
        return
    console = Console(highlight=False)
    console.print(f"[bold]{'story':<13}  {'dates':<16}  {'reports':>7}  {'lang':<5}  title[/bold]")
    for r in rows:
        dates = r.first[:10] + (f"–{r.last[5:10]}" if r.last[:10] != r.first[:10] else "")
        reports = f"{r.articles - r.duplicates}" + (f"+{r.duplicates}c" if r.duplicates else "")
        line = f"{r.id:<13}  {dates:<16}  {reports:>7}  {','.join(r.languages):<5}  "
        console.print(escape(line + _clip(r.title, console.width - len(line))))
        outlets = f"{len(r.outlets)} outlet{'s' if len(r.outlets) > 1 else ''}: " + ", ".join(r.outlets) \
            if r.outlets else "outlets unknown"
        console.print(escape(" " * 15 + _clip(outlets, console.width - 15)), style="dim")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="a story id from `counterpoint stories`")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal or json (to stdout)")] = "terminal",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write report.html or result.json")] = None,
    embedder: EmbedderOpt = None,
    db: DbOpt = None,
    settings_file: SettingsOpt = None,
) -> None:
    """Compare the independent reports of one story; near-duplicates are listed as copies."""
    settings = _settings(settings_file, db=db, embedder=embedder)
    with _open_store(settings) as store:
        if store.story(story_id) is None:
            raise SettingsError(f"no story {story_id!r} in {settings.db}")
        members = store.story_articles(story_id)
    articles = [a for a, original in members if original is None]
    copies = [{"source": a.url or a.id, "reason": f"near-duplicate of {original} (counted once)"}
              for a, original in members if original is not None]
    if len(articles) < 2:
        raise CompareError(f"story {story_id} has {len(articles)} independent report and {len(copies)} near-duplicate "
                           "copies: nothing to compare yet")
    _run_compare(articles, settings, fmt, out, dropped=copies)


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", "-o", help="folder to write the tables into")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="parquet, jsonl or csv")] = "parquet",
    db: DbOpt = None,
    settings_file: SettingsOpt = None,
) -> None:
    """Write articles, entities, quotes, claims, stories and story membership as tables."""
    from .store.export import export as export_tables

    if fmt not in {"parquet", "jsonl", "csv"}:
        raise SettingsError(f"--format must be parquet, jsonl or csv, not {fmt!r}")
    with _open_store(_settings(settings_file, db=db)) as store:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SettingsError(f"cannot create {out}: {exc.strerror or exc}") from None
        for path in export_tables(store, fmt, out):  # type: ignore[arg-type]
            stderr.print(f"wrote {path}", highlight=False)


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str | None, typer.Option(help="address to listen on (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="port to listen on (default 8000)")] = None,
    read_only: Annotated[bool, typer.Option("--read-only", help="never write to the database")] = False,
    allow_private_urls: Annotated[bool, typer.Option(
        "--allow-private-urls", help="let compare-now fetch URLs on loopback and private networks")] = False,
    token: Annotated[str | None, typer.Option(
        help="require this token on every request (better: COUNTERPOINT_TOKEN, a command line is visible to "
        "other users of the machine)")] = None,
    settings_file: SettingsOpt = None,
) -> None:
    """Browse stories and compare coverage in a web app (token: --token or COUNTERPOINT_TOKEN)."""
    try:
        import uvicorn

        from .serve import create_app
    except ImportError:
        raise SettingsError("counterpoint serve needs the web extra: pip install 'counterpoint[web]'") from None
    settings = _settings(settings_file, db=db, host=host, port=port, read_only=read_only or None,
                         allow_private_urls=allow_private_urls, token=token)
    if not Path(settings.db).exists():
        raise SettingsError(f"{settings.db}: no such database (run `counterpoint ingest` first, or pass --db)")
    if settings.host not in {"127.0.0.1", "localhost", "::1"} and not settings.token:
        stderr.print("[yellow]warning[/yellow]: listening beyond loopback without a token; set COUNTERPOINT_TOKEN",
                     highlight=False)
    application = create_app(settings)
    stderr.print(f"counterpoint serving {settings.db} on http://{settings.host}:{settings.port}/", highlight=False)
    uvicorn.run(application, host=settings.host, port=settings.port, log_level="warning")


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
