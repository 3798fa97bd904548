"""Explanation speed: how long ``explain`` takes for three typical credentials.

    .venv/bin/python bench/explain.py [--rounds 300]

Explains an EDC, an OB 3.0 credential with an EQF alignment and a Japanese university
badge (the test samples) ``rounds`` times each after one warm-up call (framework data and
patterns load once) and prints milliseconds per explanation, wall and CPU. Goal: well
under 10 ms, so a candidate page with many credentials can explain them while rendering
(the stored explanations make that the cold path only). This was a test once; on a loaded
2-core machine it measured 10.7–42 ms and failed CI, so it is a figure to read, not assert.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# Run as a script, Python puts bench/ first on the path, where bench/statistics.py would
# shadow the standard library module of that name; the project root goes there instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from credentials.explanation import explain  # noqa: E402
from tests.credentials.explanation import credentials as samples  # noqa: E402

GOAL_MS = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    records = [samples.edc(), samples.ob3_with_eqf_alignment(), samples.japanese_university_badge()]
    explain(records[0])
    calls = args.rounds * len(records)
    wall_started, cpu_started = time.perf_counter(), time.process_time()
    for _ in range(args.rounds):
        for record in records:
            explain(record)
    wall = (time.perf_counter() - wall_started) * 1000 / calls
    cpu = (time.process_time() - cpu_started) * 1000 / calls
    print(f"explained {calls} times ({len(records)} credentials x {args.rounds})")
    print(f"  wall  {wall:7.3f} ms/explanation (goal < {GOAL_MS:g})")
    print(f"  cpu   {cpu:7.3f} ms/explanation")
    print(f"  load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
