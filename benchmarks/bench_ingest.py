"""Speed and memory of `counterpoint ingest` and of a `stories` query, from 2,000 to 20,000 articles.

The corpus is synthetic, generated (seeded) from the shared data: German articles from the quotes-de
documents and the German SemEval texts, English ones from the AllSides triplets and the English SemEval
texts; each gets an outlet, a publication time spread over a year and a URL, and 10 % are agency copies
of an earlier article with a changed first line (near-duplicates). For each size it prints:
- ingest: wall time of `counterpoint ingest corpus.jsonl --db new.db` (a fresh database; per-article
  analysis, near-duplicates, clustering, store), articles/s, and the peak RSS of all its processes
  together (sampled from /proc every 0.2 s);
- query: the time of one `Store.stories(min_outlets=2)` call (median of 5, in-process) and the wall time
  of a `counterpoint stories --min-outlets 2` process.

Usage: python benchmarks/bench_ingest.py [--shared ../shared] [--sizes 2000 20000] [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from counterpoint.store import Store

OUTLETS = [f"outlet-{i:02d}.example" for i in range(40)]


def _texts(shared: Path) -> list[tuple[str, str, str]]:
    """(language, title, text) of every usable text in the shared data."""
    out: list[tuple[str, str, str]] = []
    data = shared / "data"
    for name in ("train.jsonl.gz", "dev.jsonl.gz"):
        with gzip.open(data / "quotes-de" / name, "rt", encoding="utf-8") as f:
            for line in f:
                text = json.loads(line).get("originalText") or ""
                head, _, body = text.strip().partition("\n")
                if body.strip():
                    out.append(("de", head.strip()[:200], body.strip()))
    raw = gzip.decompress((data / "semeval2022-similarity" / "pairs-dev.csv.gz").read_bytes()).decode("utf-8")
    for row in csv.DictReader(io.StringIO(raw)):
        for lang, text in ((row["lang1"], row["text1"]), (row["lang2"], row["text2"])):
            if lang in ("de", "en") and len(text) > 200:
                title, _, body = text.partition("  ")
                out.append((lang, title.strip()[:200], body.strip() or text))
    for name in ("train.source.gz", "val.source.gz"):
        with gzip.open(data / "allsides-triplets" / name, "rt", encoding="utf-8") as f:
            for line in f:
                for part in line.split("[SEP]"):
                    title, _, body = part.partition("ARTICLE=>")
                    title = title.replace("TITLE=>", "").strip()
                    if body.strip():
                        out.append(("en", title, body.strip()))
    return out


def make_corpus(shared: Path, n: int, path: Path, seed: int = 7) -> float:
    """Write ``n`` article records to ``path`` (JSONL); returns the mean words per article."""
    rng = random.Random(seed)
    pool = _texts(shared)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    written: list[dict[str, str]] = []
    words = 0
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            if written and rng.random() < 0.1:  # an agency copy: same text, another outlet, new first line
                orig = rng.choice(written[-500:])
                first, _, rest = orig["text"].partition("\n")
                rec = {**orig, "text": f"({rng.choice(OUTLETS)}) " + first + "\n" + rest}
            else:
                lang, title, text = pool[i % len(pool)] if i < len(pool) else rng.choice(pool)
                if i >= len(pool):  # reuse: another outlet's report, the paragraphs in another order
                    paras = text.split("\n")
                    rng.shuffle(paras)
                    text = "\n".join(paras) + f"\nBericht {i}." if lang == "de" else "\n".join(paras) + f"\nReport {i}."
                when = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
                rec = {"title": title, "text": text, "language": lang, "published": when.isoformat()}
            outlet = rng.choice(OUTLETS)
            rec = {**rec, "id": f"a{i}", "outlet": outlet, "url": f"https://{outlet}/news/{i}"}
            written.append(rec)
            words += len(rec["text"].split())
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return words / max(n, 1)


def _tree_rss(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def run_measured(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS of the process tree in MB)"""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {err.strip().splitlines()[-1] if err.strip() else proc.returncode}")
    return time.perf_counter() - t, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    exe = shutil.which("counterpoint") or str(Path(sys.executable).with_name("counterpoint"))
    results = []
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            corpus, db = Path(tmp) / f"corpus-{n}.jsonl", Path(tmp) / f"news-{n}.db"
            mean_words = make_corpus(args.shared, n, corpus)
            wall, rss = run_measured([exe, "ingest", str(corpus), "--db", str(db)])
            with Store(db, read_only=True) as store:
                stored = store.article_count()
                times = []
                for _ in range(5):
                    t = time.perf_counter()
                    rows = store.stories(min_outlets=2, limit=50)
                    times.append(time.perf_counter() - t)
                n_stories = len(store.stories(limit=10**9))
            cli_wall, _ = run_measured([exe, "stories", "--db", str(db), "--min-outlets", "2"])
            row = {"articles": n, "stored": stored, "mean_words": round(mean_words), "ingest_s": round(wall, 1),
                   "articles_per_s": round(n / wall, 1), "peak_rss_mb": round(rss), "stories": n_stories,
                   "query_ms": round(statistics.median(times) * 1000, 2), "query_rows": len(rows),
                   "stories_cli_s": round(cli_wall, 2)}
            results.append(row)
            print(json.dumps(row))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
