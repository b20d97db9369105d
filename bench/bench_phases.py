"""Phase timers of one model run of ``tag_file`` (issue 17, session 7).

Usage::

    PYTHONPATH=$PWD python bench/bench_phases.py IN OUT [ROLLUPS]

``ROLLUPS`` 1 also writes ``OUT.cases.parquet`` and ``OUT.persons.parquet`` (as
``bench_scale.py --child tag ... '{"rollups": true}'``). Prints one JSON line: wall and
process CPU seconds (all threads) of pass 1 without steps A-C, of the steps
(``context_parts.summarise``), of pass 2 and of the roll-ups (``RollupStore.write``),
the peak RSS (VmHWM) and the peak resident memory per phase (a 20 ms sampler), and
the 1-minute load before and after; then a second line: CPU seconds per thread name
and phase (``/proc/self/task``, sampled every 20 ms; threads outside Python, such as
Arrow's pool, as one name). Runs the code on ``PYTHONPATH`` (compare trees by
pointing it at each).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time
from typing import Any


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    with open("/proc/loadavg", encoding="ascii") as fh:
        return fh.read().split()[0]


def main() -> None:
    import pandas as pd  # noqa: F401  (imports and model loading are not timed)

    from pv_identify.model import resolve_model
    from pv_identify.rules.loader import load_rules
    from pv_identify.stream import history, rollups, runner

    src, out = sys.argv[1], sys.argv[2]
    with_rollups = len(sys.argv) > 3 and sys.argv[3] == "1"
    rules, model = load_rules("default"), resolve_model("default")
    marks: dict[str, tuple[float, float]] = {}
    phase = ["start"]
    peaks: dict[str, int] = {}

    tick = os.sysconf("SC_CLK_TCK")
    threads: dict[tuple[str, int], tuple[str, float]] = {}  # (phase, tid) -> (name, cpu s)
    seen: dict[int, float] = {}  # tid -> cpu s at the last sample

    def thread_cpu() -> None:
        """CPU of every task since the last sample, charged to the current phase."""
        names = {t.native_id: t.name for t in threading.enumerate()}
        for tid_text in os.listdir("/proc/self/task"):
            tid = int(tid_text)
            try:
                with open(f"/proc/self/task/{tid}/stat", encoding="ascii") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total = (int(fields[11]) + int(fields[12])) / tick
            name = names.get(tid, "native (Arrow pool, ...)")
            name = name.split("_")[0] if name.startswith("ThreadPoolExecutor") else name
            key = (phase[0], tid)
            before = threads.get(key, (name, 0.0))[1]
            threads[key] = (name, before + total - seen.get(tid, 0.0))
            seen[tid] = total

    def sample() -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while True:
            with open("/proc/self/statm", encoding="ascii") as fh:
                rss = int(fh.read().split()[1]) * page >> 20
            peaks[phase[0]] = max(peaks.get(phase[0], 0), rss)
            thread_cpu()
            time.sleep(0.02)

    threading.Thread(target=sample, daemon=True).start()

    def timed(owner: Any, name: str, label: str, after: str) -> None:
        real = getattr(owner, name)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), _cpu()
            phase[0] = label
            try:
                return real(*args, **kwargs)
            finally:
                marks[label] = (_cpu() - cpu, time.perf_counter() - wall)
                phase[0] = after

        setattr(owner, name, wrapper)

    timed(history, "summarise", "steps", "pass 1")
    timed(runner, "_model_context", "pass 1", "pass 2")
    timed(rollups.RollupStore, "write", "rollups", "end")
    paths = ({"cases_path": out + ".cases.parquet", "persons_path": out + ".persons.parquet"}
             if with_rollups else {})
    load = _load()
    wall, cpu = time.perf_counter(), _cpu()
    runner.tag_file(src, out, rules, progress=False, model=model, **paths)
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    pass1, steps = marks["pass 1"], marks["steps"]
    roll = marks.get("rollups", (0.0, 0.0))
    with open("/proc/self/status", encoding="ascii") as fh:
        hwm = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    print(json.dumps({
        "load": load, "load_end": _load(), "wall": round(wall, 2), "cpu": round(cpu, 2),
        "peak_mib": hwm // 1024,
        "pass1_wo_steps": [round(pass1[0] - steps[0], 2), round(pass1[1] - steps[1], 2)],
        "steps": [round(steps[0], 2), round(steps[1], 2)],
        "pass2": [round(cpu - pass1[0] - roll[0], 2), round(wall - pass1[1] - roll[1], 2)],
        "rollups": [round(roll[0], 2), round(roll[1], 2)],
        "peaks": peaks}))
    by_phase: dict[str, dict[str, float]] = {}
    for (label, _), (name, used) in threads.items():
        mine = by_phase.setdefault(label, {})
        mine[name] = mine.get(name, 0.0) + used
    print(json.dumps({"thread_cpu": {label: {n: round(c, 2) for n, c in sorted(
        v.items(), key=lambda kv: -kv[1]) if c >= 0.05} for label, v in by_phase.items()}}))


if __name__ == "__main__":
    main()
