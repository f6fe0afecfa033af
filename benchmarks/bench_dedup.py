"""Memory and time of the near-duplicate index (``stories.dedup.DuplicateIndex``) as it grows.

Synthetic MinHash signatures (uint32, ``Settings.minhash_perm`` values; every tenth a copy of an earlier one
with a few values changed, which the index must find), added one by one as ingest does. Prints, per size:
microseconds per ``add``, resident memory per article (the growth of the process's RSS divided by the
articles), and the share of planted copies found.

Usage: python benchmarks/bench_dedup.py [--sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

import numpy as np

from counterpoint.settings import Settings
from counterpoint.stories.dedup import DuplicateIndex


def rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def run(n: int, settings: Settings) -> dict[str, float]:
    rng = np.random.default_rng(n)
    perm = settings.minhash_perm
    before = rss_bytes()
    index = DuplicateIndex.from_settings(settings)
    planted = found = 0
    started = time.perf_counter()
    for i in range(0, n, 10_000):  # signatures made in blocks, so the block is what memory holds besides the index
        block = rng.integers(0, 2**32, size=(min(10_000, n - i), perm), dtype=np.uint64).astype(np.uint32)
        for k, values in enumerate(block):
            row = i + k
            if row % 10 == 9 and row > 10:
                copy = block[max(k - 5, 0)].copy() if k >= 5 else values
                copy[rng.integers(0, perm, size=perm // 10)] = rng.integers(0, 2**32, size=perm // 10)
                values = copy
                planted += k >= 5
                found += k >= 5 and index.add(f"a{row}", values) is not None
                continue
            index.add(f"a{row}", values)
    took = time.perf_counter() - started
    grown = rss_bytes() - before
    return {"articles": n, "us_per_add": round(took / n * 1e6, 1), "rss_bytes_per_article": round(grown / n),
            "copies_found": round(found / planted, 3) if planted else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for n in args.sizes:
        print(json.dumps(run(n, Settings())), flush=True)


if __name__ == "__main__":
    main()
