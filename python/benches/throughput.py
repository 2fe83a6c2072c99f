"""Decisions per second per core from Python batches, against the same decisions in-process.

    RAYON_NUM_THREADS=1 python python/benches/throughput.py [N]

Writes the Silver Star facts with N generated payments (default 100,000; each between two of its
entities, a quarter of them touching a designated party or its network) to a facts file,
then times, on one core:

- `rust`: `decide_batch_json`, i.e. resolving the requests, deciding and rendering the JSON in
  Rust with the GIL released (what the engine costs, called from Python);
- `dicts`: `decide_batch`, the same plus parsing the decisions into Python dicts;
- `arrow`: `interdict.arrow.decide_record_batch`, the same plus building the Arrow columns;
- `inline`: `decide_batch` of the same payments given as dicts (resolved against the facts);
- `cli`: with `--cli PATH`, `interdict eval --format json` on the same file minus the time it
  takes to load it and decide one transaction (the engine in-process, no Python at all).

The like-for-like in-process figure is `cargo bench --bench binding`: the same payments decided
and rendered to compact JSON in Rust on one core; the binding's cost is `rust` less that figure.

Medians of 3 runs; the machine's load average is printed with them.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import pyarrow as pa

import interdict
from interdict.arrow import decide_record_batch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLEAN = ["acme", "northwind", "fjord-relief"]
NETWORK = ["volasys", "yanbian-silverstar", "silver-star-software", "amur-data", "tumen-trading",
           "harbin-bright", "kumgang-web", "primorye-cloud", "ussuri-systems", "paektu-minerals",
           "haeju-logistics", "rason-digital", "komid"]


def payment(i: int) -> dict:
    """The `i`-th generated payment: a quarter of them to a party of the designated network.
    `benches/binding.rs` generates the same payments for the in-process Rust figure."""
    beneficiary = NETWORK[(i * 7919) % len(NETWORK)] if i % 4 == 0 else CLEAN[(i * 7919) % len(CLEAN)]
    return {
        "id": f"p-{i}", "kind": "payment", "date": "2024-03-01",
        "amount": {"value": 100 + (i * 48271) % 99_901, "currency": "USD"},
        "parties": [{"role": "originator", "entity": CLEAN[(i * 104_729) % len(CLEAN)]},
                    {"role": "beneficiary", "entity": beneficiary}],
    }


def facts_with_payments(n: int, path: str) -> list:
    """The Silver Star facts with `n` generated payments appended to its transactions (the last
    section of the file)."""
    payments = [payment(i) for i in range(n)]
    with open(os.path.join(ROOT, "examples/silverstar.yaml")) as f:
        text = f.read()
    with open(path, "w") as f:
        f.write(text)
        for p in payments:
            # JSON is YAML's flow style: one transaction a line.
            f.write(f"  - {json.dumps(p)}\n")
    return payments


def median_seconds(run, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 100_000
    cli = sys.argv[sys.argv.index("--cli") + 1] if "--cli" in sys.argv else None
    directory = tempfile.mkdtemp()
    path = os.path.join(directory, "payments.yaml")
    payments = facts_with_payments(n, path)
    policies = [os.path.join(ROOT, "policies")]
    engine = interdict.Engine.load(policies, facts=path)
    ids = engine.transaction_ids()
    batch = pa.RecordBatch.from_pydict({"transaction": ids})
    figures = {
        "rust": median_seconds(lambda: engine.decide_batch_json(ids)),
        "dicts": median_seconds(lambda: engine.decide_batch(ids)),
        "arrow": median_seconds(lambda: decide_record_batch(engine, batch)),
        "inline": median_seconds(lambda: engine.decide_batch(payments)),
    }
    if cli:
        def eval_(*extra):
            subprocess.run([cli, "eval", "--policy", policies[0], "--facts", path,
                            "--format", "json", *extra], check=True, stdout=subprocess.DEVNULL)
        whole = median_seconds(lambda: eval_())
        one = median_seconds(lambda: eval_("--transaction", ids[0]))
        figures["cli"] = whole - one
    threads = os.environ.get("RAYON_NUM_THREADS", "all cores")
    print(f"{n} decisions, threads: {threads}, load average {os.getloadavg()[0]:.2f}")
    for name, seconds in figures.items():
        print(f"  {name:7} {seconds:8.3f} s  {n / seconds:10,.0f} decisions/s  "
              f"{seconds / n * 1e6:8.1f} µs each")


if __name__ == "__main__":
    main()
