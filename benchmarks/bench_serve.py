"""Load test of `counterpoint serve` on 127.0.0.1: story pages (comparisons already computed) and search,
each at 20 concurrent clients, with requests/s and p50/p99 latency.

The database: `--db PATH` when it exists, else one built at PATH (default: a temporary file) by
`counterpoint ingest` from the synthetic corpus of `bench_ingest.py` (`--articles` records; the default
20,500 store 20,343 articles, some records having no body; the shared data must be beside the checkout).
The server runs as its own process (`counterpoint serve`, one uvicorn worker), so the clients (threads
here) do not share its interpreter.

Bounded in time and count: each phase runs `--seconds` seconds or `--max-requests` requests, whichever
comes first; only 127.0.0.1 is ever contacted.

Usage: python benchmarks/bench_serve.py [--db news.db] [--articles 20500] [--clients 20] [--seconds 20]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_ingest import make_corpus

WORDS = ["Regierung", "Polizei", "Präsident", "Wahl", "Klima", "Streik", "Hafen", "election", "police",
         "president", "court", "Berlin", "Trump", "Biden", "Ukraine", "Gesetz", "market", "vaccine"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def build(db: Path, articles: int, shared: Path) -> None:
    """A database of ``articles`` synthetic articles at ``db``, by ``counterpoint ingest``."""
    corpus = db.with_suffix(".jsonl")
    print(f"building {db}: {articles} synthetic articles", file=sys.stderr)
    make_corpus(shared, articles, corpus)
    subprocess.run([_bin("counterpoint"), "ingest", str(corpus), "--db", str(db)], check=True,
                   stdout=subprocess.DEVNULL)
    corpus.unlink()


def run_phase(base: str, paths: list[str], clients: int, seconds: float, max_requests: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    count = 0

    def client(seed: int) -> None:
        nonlocal errors, count
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=30) as http:
            while time.monotonic() < stop:
                with lock:
                    if count >= max_requests:
                        return
                    count += 1
                started = time.perf_counter()
                response = http.get(rng.choice(paths))
                took = time.perf_counter() - started
                with lock:
                    latencies.append(took)
                    errors += response.status_code != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {"requests": len(latencies), "errors": errors, "requests_per_s": round(len(latencies) / wall, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--articles", type=int, default=20500, help="records to ingest (about 1%% are skipped)")
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--stories", type=int, default=50, help="distinct story pages in the mix")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "news.db"
        if not db.exists():
            build(db, args.articles, args.shared)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([_bin("counterpoint"), "serve", "--db", str(db), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(base + "/api/stories?per_page=1", timeout=2)
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        sys.exit("the server did not start: " + (server.stderr.read() if server.stderr else ""))
                    time.sleep(0.2)
            stories = httpx.get(base + "/api/stories", params={"min_outlets": 2, "per_page": args.stories},
                                timeout=30).json()
            ids = [s["id"] for s in stories["items"]]
            count = httpx.get(base + "/api/stories?per_page=1", timeout=30).json()["total"]
            started = time.perf_counter()
            for sid in ids:  # compute and cache each comparison once
                httpx.get(f"{base}/stories/{sid}", timeout=120).raise_for_status()
            warm = time.perf_counter() - started
            with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as conn:
                articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            result = {
                "articles_in_db": articles, "stories_in_db": count,
                "story_pages": len(ids), "first_views_s": round(warm, 1),
                "story_page": run_phase(base, [f"/stories/{sid}" for sid in ids], args.clients, args.seconds,
                                        args.max_requests),
                "search_page": run_phase(base, [f"/stories?q={w}" for w in WORDS], args.clients, args.seconds,
                                         args.max_requests),
                "search_api": run_phase(base, [f"/api/stories?q={w}" for w in WORDS], args.clients, args.seconds,
                                        args.max_requests),
                "clients": args.clients,
            }
        finally:
            server.terminate()
            server.wait(10)
    print(json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
