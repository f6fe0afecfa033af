"""Speed and memory of `counterpoint compare` on the seed pair (two German news articles, ~8 kB each).

Prints, for each embedder:
- cold: wall time of a fresh `counterpoint compare SEED_A SEED_B --format json` process (median of 3,
  and the very first run with an empty model cache) and its peak RSS;
- warm: wall time of `compare()` in-process once the models are loaded (median of 5);
- sentences/s of the embedder alone (the seed sentences, embedded in one batch, median of 3).

Usage: python benchmarks/bench_compare.py [--shared ../shared] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from counterpoint import compare, load_settings
from counterpoint.analyze.embed import make_embedder
from counterpoint.api import analyze, load

ROOT = Path(__file__).resolve().parents[1]


# A small wrapper process runs the CLI and reports the peak RSS of its child: measuring from this process
# would count the fork of this (large, models loaded) process as the child's memory.
_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def _cli_once(seeds: list[str], embedder: str, env: dict[str, str] | None = None) -> tuple[float, float]:
    exe = shutil.which("counterpoint") or str(Path(sys.executable).with_name("counterpoint"))
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, exe, "compare", *seeds, "--format", "json", "--embedder", embedder],
        check=True, capture_output=True, text=True, env=env).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def cold_cli(seeds: list[str], embedder: str) -> tuple[float, float, float]:
    """(first run with an empty model cache, median of 3 later runs, peak RSS in MB)"""
    with tempfile.TemporaryDirectory() as cache:
        first, rss0 = _cli_once(seeds, embedder, {**os.environ, "COUNTERPOINT_CACHE": cache})
    runs = [_cli_once(seeds, embedder) for _ in range(3)]
    return first, statistics.median(t for t, _ in runs), max(rss0, *(r for _, r in runs))


def warm(seeds: list[str], embedder: str) -> float:
    settings = load_settings(overrides={"embedder": embedder})
    compare(seeds, settings)  # load models
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        compare(seeds, settings)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def sentences_per_second(seeds: list[str], embedder: str) -> tuple[float, int]:
    settings = load_settings(overrides={"embedder": embedder})
    articles, _ = load(seeds, settings)
    texts = [s.text for an in analyze(articles, settings) for s in an.sentences]
    model = make_embedder(settings)
    model(texts[:2])
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        model(texts)
        times.append(time.perf_counter() - t0)
    return len(texts) / statistics.median(times), len(texts)


def extractor_speed(seeds: list[str], names: list[str] | None = None) -> dict[str, float]:
    """Milliseconds per 1,000 words of each per-article extractor, warm, on the seed articles.

    ``names``: the registered components to time (default: the extractors the settings run).
    """
    from counterpoint import registry
    from counterpoint.analyze.pipeline import Pipeline

    settings = load_settings()
    articles, _ = load(seeds, settings)
    base = Pipeline([registry.create(n, settings) for n in ("language.langid.v1", settings.sentence_splitter)])
    ready = [base(a) for a in articles]
    words = sum(len(a.article.text.split()) for a in ready)
    out = {}
    if names is None:
        names = [n for n in (settings.entity_recognizer, settings.quote_extractor, settings.claim_extractor) if n]
    for name in names:
        comp = registry.create(name, settings)
        for an in ready:
            comp(an)  # load
        t0 = time.perf_counter()
        for _ in range(5):
            for an in ready:
                comp(an)
        out[name] = 1000 * (time.perf_counter() - t0) / 5 / words * 1000
    return out


def story_of_ten() -> float:
    """Warm compare of a 10-article story made of the hand-written test stories (fast embedder)."""
    stories = sorted((ROOT / "tests" / "data" / "stories").glob("*.jsonl"))
    records = [line for path in stories for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ten.jsonl"
        path.write_text("\n".join(records[:10]) + "\n", encoding="utf-8")
        settings = load_settings()
        compare([str(path)], settings)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            compare([str(path)], settings)
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--json", dest="json_out")
    args = ap.parse_args()
    seed_dir = Path(args.shared) / "seeds"
    seeds = sorted(str(p) for p in seed_dir.glob("*.txt"))
    if len(seeds) < 2:
        sys.exit(f"no seed articles in {seed_dir}")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    results = {}
    for embedder in ("use", "e5"):
        first_s, cold_s, cold_rss = cold_cli(seeds, embedder)
        warm_s = warm(seeds, embedder)
        sps, n = sentences_per_second(seeds, embedder)
        results[embedder] = {
            "first_cli_s": round(first_s, 3), "cold_cli_s": round(cold_s, 3),
            "cold_cli_peak_rss_mb": round(cold_rss, 1), "warm_compare_s": round(warm_s, 3),
            "sentences_per_s": round(sps, 1), "sentences": n,
        }
        print(f"{embedder:>4}: cold CLI {cold_s:.2f} s (first run, empty model cache: {first_s:.2f} s; "
              f"peak RSS {cold_rss:.0f} MB) | "
              f"warm compare {warm_s:.3f} s | {sps:.0f} sentences/s ({n} sentences)")
    speeds = extractor_speed(seeds)
    for name, ms in speeds.items():
        print(f"{name}: {ms:.1f} ms per 1,000 words")
    print(f"all extractors together: {sum(speeds.values()):.1f} ms per 1,000 words")
    optional = extractor_speed(seeds, ["entities.e5.v1"])
    for name, ms in optional.items():
        print(f"{name} (optional, instead of the default recogniser): {ms:.1f} ms per 1,000 words")
    ten = story_of_ten()
    print(f"10-article story (tests/data/stories), warm compare with the fast embedder: {ten:.2f} s")
    results["extractors_ms_per_1000_words"] = {k: round(v, 1) for k, v in speeds.items()}  # type: ignore[assignment]
    results["optional_ms_per_1000_words"] = {k: round(v, 1) for k, v in optional.items()}  # type: ignore[assignment]
    results["story_of_ten_warm_s"] = round(ten, 3)  # type: ignore[assignment]
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (both embedders loaded): {self_rss:.0f} MB")
    results["bench_process_peak_rss_mb"] = round(self_rss, 1)  # type: ignore[assignment]
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
