"""Issue 15 point 10: signals, stale temporary files, all outputs or none, workers."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from pv_identify.io.atomic import remove_stale_temps
from pv_identify.stream.interrupt import Interrupted, termination_as_interrupt
from pv_identify.stream.runner import tag_file

ROOT = Path(__file__).parents[2]


def extract(path: Path, rows: int = 6) -> Path:
    df = pd.DataFrame({
        "jds_nummer": [f"P{i % 50}" for i in range(rows)],
        "parketnummer": [f"C{i % 300}" for i in range(rows)],
        "inschrijvingsdatum": ["2020-01-01"] * rows,
        "artikelkwalificatie": [f"mishandeling tegen zijn levensgezel {i % 997}"
                                for i in range(rows)],
    })
    df.to_csv(path, index=False)
    return path


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_failed_rollup_leaves_no_main_output(tmp_path, monkeypatch):
    src = extract(tmp_path / "in.csv")

    def broken(*args, **kwargs):
        raise OSError("roll-up failed")

    from pv_identify.stream.rollups import RollupStore

    monkeypatch.setattr(RollupStore, "write", broken)  # the out-of-core roll-up step
    with pytest.raises(OSError, match="roll-up failed"):
        tag_file(src, tmp_path / "out.csv", "wodc2022", progress=False,
                 cases_path=tmp_path / "cases.csv", persons_path=tmp_path / "persons.csv")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["in.csv"]


def test_a_failing_clean_up_step_does_not_leave_the_output_temp(tmp_path, monkeypatch):
    # interrupted after some chunks were written; the roll-up store then fails to close
    # (a key file cut off mid-write): the output's temporary file must still go, and the
    # interruption (not the close error) is what the caller sees
    src = extract(tmp_path / "in.csv", rows=5_000)
    from pv_identify.stream.progress import Progress
    from pv_identify.stream.rollups import RollupStore

    calls = {"n": 0}
    update = Progress.update

    def interrupt_later(self, n):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return update(self, n)

    close = RollupStore.close

    def broken_close(self):
        close(self)  # its own folder goes; the failure comes after, once
        if not calls.get("closed"):
            calls["closed"] = 1
            raise OSError("key file cut off")

    monkeypatch.setattr(Progress, "update", interrupt_later)
    monkeypatch.setattr(RollupStore, "close", broken_close)
    with pytest.raises(KeyboardInterrupt):
        tag_file(src, tmp_path / "out.csv", "wodc2022", progress=False, chunk_rows=500,
                 cases_path=tmp_path / "cases.csv")
    assert calls["n"] == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_clean_up_runs_every_step_and_keeps_a_second_interrupt():
    from pv_identify.stream.interrupt import clean_up

    done = []

    def fails():
        done.append("fails")
        raise OSError("x")

    clean_up(fails, None, lambda: done.append("next"))
    assert done == ["fails", "next"]

    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        clean_up(interrupted, lambda: done.append("never"))
    assert "never" not in done


def test_all_outputs_land_together(tmp_path):
    src = extract(tmp_path / "in.csv")
    tag_file(src, tmp_path / "out.csv", "wodc2022", progress=False,
             cases_path=tmp_path / "cases.csv", persons_path=tmp_path / "persons.csv")
    assert {"out.csv", "cases.csv", "persons.csv"} <= {p.name for p in tmp_path.iterdir()}
    assert temps(tmp_path) == []


def test_stale_temps_of_a_killed_run_are_removed(tmp_path):
    src = extract(tmp_path / "in.csv")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f".out.csv.pid{dead}.abc123.tmp"
    stale.write_text("record data", encoding="utf-8")
    other = tmp_path / f".other.csv.pid{dead}.abc123.tmp"
    other.write_text("x", encoding="utf-8")
    live = tmp_path / f".out.csv.pid{os.getppid()}.abc123.tmp"  # a running process's
    live.write_text("x", encoding="utf-8")
    tag_file(src, tmp_path / "out.csv", "wodc2022", progress=False)
    assert not stale.exists() and other.exists() and live.exists()
    assert remove_stale_temps(tmp_path / "other.csv") == 1


def test_sigterm_raises_interrupted_in_the_block():
    with pytest.raises(Interrupted) as info, termination_as_interrupt() as state:
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(5)
    assert state.signum == signal.SIGTERM and info.value.exit_code == 143
    # an error raised while unwinding after the signal is the interruption too
    with pytest.raises(Interrupted), termination_as_interrupt():
        try:
            os.kill(os.getpid(), signal.SIGHUP)
            time.sleep(5)
        except Interrupted:
            raise ValueError("input file looks corrupt") from None
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def _guarded(call) -> bool:
    """Run ``call`` in a thread; whether it returned within the 60 s guard."""
    import threading

    done = threading.Event()

    def run():
        call()
        done.set()

    threading.Thread(target=run, daemon=True).start()
    return done.wait(60)


def _writer_waiting(tmp_path: Path):
    from pv_identify.io.writers import BackgroundWriter, ExtractWriter

    writer = BackgroundWriter(ExtractWriter(tmp_path / "out.csv", {}), depth=1)
    writer.write(pd.DataFrame({"n": [1, 2]}))
    deadline = time.time() + 60
    while time.time() < deadline and not (writer._queue.empty()
                                           and writer._queue.not_empty._waiters):
        time.sleep(0.01)  # the thread wrote the chunk and waits for the next
    assert temps(tmp_path), "the chunk was not written"
    return writer


def test_a_writer_abort_survives_a_lost_wake_up(tmp_path):
    # Ctrl-C (or SIGTERM as one) raised in the main thread inside Condition.notify,
    # after it released the writer thread's waiter and before it took it off the list,
    # leaves that waiter (re-acquired by the woken thread) first in the list: the next
    # notify releases it instead of the thread's new waiter. Seen as a SIGTERM'd run
    # hanging in BackgroundWriter.abort (issue 15 point 10, n_jobs=2, loaded machine).
    import threading

    writer = _writer_waiting(tmp_path)
    stale = threading.Lock()
    stale.acquire()
    with writer._queue.mutex:
        writer._queue.not_empty._waiters.appendleft(stale)
    assert _guarded(writer.abort)
    assert temps(tmp_path) == []


def test_a_writer_abort_survives_a_queue_lock_left_held(tmp_path, monkeypatch):
    # the interrupt raised just after the queue's lock was taken leaves it held: abort
    # waits a bounded time, removes the temporary file, and the thread writes nothing more
    from pv_identify.io import writers

    monkeypatch.setattr(writers, "ABORT_WAIT_SECONDS", 0.5)
    writer = _writer_waiting(tmp_path)
    writer._queue.mutex.acquire()
    writer._queue._put(("pandas", pd.DataFrame({"n": [3]})))  # a chunk still queued
    try:
        assert _guarded(writer.abort)
        assert temps(tmp_path) == []
    finally:
        writer._queue.mutex.release()
    writer._thread.join(60)
    assert not writer._thread.is_alive()
    assert temps(tmp_path) == []


SCRIPT = """
import sys
from pv_identify.stream.runner import tag_file
tag_file(sys.argv[1], sys.argv[2], "default", progress=False, chunk_rows=2000,
         n_jobs=int(sys.argv[3]), cases_path=sys.argv[2] + ".cases.csv")
"""


def _start(tmp_path: Path, n_jobs: int) -> subprocess.Popen:
    src = extract(tmp_path / "in.csv", rows=400_000)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, str(src), str(tmp_path / "out.csv"),
                             str(n_jobs)], env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and not any(
            p.name.startswith(".out.csv.pid") for p in tmp_path.iterdir()):
        time.sleep(0.05)
    time.sleep(0.3)
    assert proc.poll() is None, proc.stderr.read()
    return proc


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_signal_stops_the_run_like_ctrl_c(tmp_path, sig):
    proc = _start(tmp_path, 1)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "InputFileError" not in err and "corrupt" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def _children(pid: int) -> set[int]:
    out = subprocess.run(["ps", "-eo", "pid=,ppid="], capture_output=True, text=True).stdout
    pairs = [tuple(map(int, line.split())) for line in out.splitlines() if line.strip()]
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in pairs if pp in frontier} - found
        found |= frontier
    return found


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_workers_do_not_outlive_a_killed_parent(tmp_path, sig):
    proc = _start(tmp_path, 2)
    deadline = time.time() + 30
    workers: set[int] = set()
    while time.time() < deadline and len(workers) < 2:
        workers = _children(proc.pid)
        time.sleep(0.1)
    proc.send_signal(sig)
    proc.communicate(timeout=60)

    def alive(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                return fh.read().split()[2] != "Z"
        except OSError:
            return False

    deadline = time.time() + 30
    while time.time() < deadline and any(alive(p) for p in workers):
        time.sleep(0.2)
    assert not [p for p in workers if alive(p)]
    if sig != signal.SIGKILL:
        assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]
