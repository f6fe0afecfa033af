"""Time of the comparison of long articles full of names and numbers (``compare.compare_analyses``).

Two synthetic German articles of ``--sentences`` sentences each; every sentence names a new person, two
of six towns and a count of signed agreements, so the claims, entities and names grow with the length.
Prints the analysis time (the per-article pipeline, fast embedder), the comparison time, and how many
contradictions and label pairs it reports. The comparison used to grow with the square of the claims
(every count against every other); it should now stay within seconds.

Usage: python benchmarks/bench_long_story.py [--sentences 1500]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import time

from counterpoint.api import analyze
from counterpoint.compare import compare_analyses
from counterpoint.model import Article
from counterpoint.settings import load_settings

FIRST = ["Anna", "Peter", "Jan", "Lena", "Tomas", "Mira", "Karl", "Eva"]
LAST = ["Berg", "Kurz", "Vaal", "Saar", "Lenz", "Stade", "Albers", "Möller", "Hollweg", "Kettner"]
TOWNS = ["Dorvik", "Halvsted", "Aldenau", "Wendeburg", "Lehnsdorf", "Grevenhorst"]


def article(rng: random.Random, sentences: int) -> str:
    return " ".join(
        f"Der Sprecher {rng.choice(FIRST)} {rng.choice(LAST)}{i} sagte in {rng.choice(TOWNS)}, die Regierung in "
        f"{rng.choice(TOWNS)} habe {rng.randint(2, 40)} Abkommen unterzeichnet."
        for i in range(sentences)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sentences", type=int, default=1500)
    args = parser.parse_args()
    settings = load_settings(env={})
    rng = random.Random(0)
    articles = [Article(id=f"a{k}", text=article(rng, args.sentences), language="de") for k in range(2)]
    started = time.perf_counter()
    analyses = analyze(articles, settings)
    analysed = time.perf_counter() - started
    started = time.perf_counter()
    result = compare_analyses(analyses, settings)
    compared = time.perf_counter() - started
    print(json.dumps({
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "characters_per_article": len(articles[0].text),
        "analyze_s": round(analysed, 2),
        "compare_s": round(compared, 2),
        "conflicts": len(result.conflicts),
        "label_pairs": len(result.framing["labels"]),
    }))


if __name__ == "__main__":
    main()
