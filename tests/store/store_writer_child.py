"""Child process of the durability test: writes batches forever, printing each one's number and how long
its ``write`` took once it has returned (and the next batch is built, so the next write starts right after).

Usage: python store_writer_child.py DB FIRST_BATCH BATCH_SIZE
"""

from __future__ import annotations

import sys
import time

from store_factory import placement, state

from counterpoint.store import Store


def batch(number: int, size: int) -> tuple[list, list]:
    """Articles ``b<number>-<i>`` in story ``s<number % 3>``, with that story's new state."""
    story = f"s{number % 3}"
    items = [placement(f"b{number}-{i}", story=story, outlet=f"outlet{i % 7}", seed=number * 10_000 + i,
                       time=f"2024-06-{1 + number % 28:02d}T10:00:00Z") for i in range(size)]
    return items, [state(story, size=number, last=f"2024-06-{1 + number % 28:02d}T10:00:00Z", seed=number)]


def main() -> None:
    path, number, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    pending = batch(number, size)
    with Store(path) as store:
        while True:
            started = time.perf_counter()
            store.write(*pending)
            took = time.perf_counter() - started
            pending = batch(number + 1, size)  # built before the report, so a kill soon after it lands in write
            print(number, took, flush=True)
            number += 1


if __name__ == "__main__":
    main()
