"""Names screened per second per core from Python batches, against the full OFAC SDN list.

    RAYON_NUM_THREADS=1 python python/benches/screening.py [N]

Screens N names (default 20,000: the query names of the labelled pairs in
`$INTERDICT_DATA/names/name-pairs.csv`, repeated) against the 2024-05 SDN list of
`$INTERDICT_DATA` (default `../shared/data`), and prints the median of 3 runs of `screen` (the
index is built once, before timing), and of `interdict.arrow.screen_record_batch` on the same
names as one Arrow batch, with the machine's load average.
"""

import csv
import os
import statistics
import sys
import time

import pyarrow as pa

import interdict
from interdict.arrow import screen_record_batch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.environ.get("INTERDICT_DATA", os.path.join(ROOT, "..", "shared", "data"))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with open(os.path.join(DATA, "names", "name-pairs.csv"), newline="") as f:
        queries = [row["name1"] for row in csv.DictReader(f)]
    names = (queries * (n // len(queries) + 1))[:n]
    start = time.perf_counter()
    engine = interdict.Engine.load([os.path.join(ROOT, "policies")],
                                   lists=[f"ofac={os.path.join(DATA, 'ofac', '2024-05')}"])
    engine.screen(names[:1])
    loaded = time.perf_counter() - start
    times = []
    for _ in range(3):
        start = time.perf_counter()
        reports = engine.screen(names)
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    hits = sum(bool(r["matches"]) for r in reports)
    threads = os.environ.get("RAYON_NUM_THREADS", "all cores")
    print(f"{n} names, threads: {threads}, load average {os.getloadavg()[0]:.2f}; "
          f"list loaded and indexed in {loaded:.1f} s; {hits} with a match")
    print(f"  screen {seconds:8.3f} s  {n / seconds:10,.0f} names/s  {seconds / n * 1e6:8.1f} µs each")
    batch = pa.RecordBatch.from_pydict({"name": names})
    times = []
    for _ in range(3):
        start = time.perf_counter()
        screen_record_batch(engine, batch)
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    print(f"  arrow  {seconds:8.3f} s  {n / seconds:10,.0f} names/s  {seconds / n * 1e6:8.1f} µs each")


if __name__ == "__main__":
    main()
