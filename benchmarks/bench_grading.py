"""How long calcml-grade takes for a class, sandboxed, and how much memory the grader uses.

Writes N copies of a chapter's solution notebook (chapter 2 by default: every answer given and
every piece of code the exercises ask for run; one copy also prints 300 MB), grades them with
``calcml-grade --workers 3`` (the default on 2 cores; bubblewrap sandboxes on), and samples
every 0.2 s the resident memory of the grader's process tree *without the kernels* (the
``calcml-grade`` process, its sandbox workers and bwrap). Targets (issue 12): 300 notebooks in
at most 6 minutes on 2 cores; that tree at most 600 MB.

Run: ``.venv/bin/python benchmarks/bench_grading.py [N] [CHAPTER]`` (default: 300, 02). On a
shared machine run a smaller N: it also prints the CPU time per notebook (grader, sandboxes and
kernels), which gives the wall time on two otherwise idle cores; the memory does not grow with N.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parents[1]


def make_class(folder: Path, n: int, chapter: str = "02") -> list[str]:
    """Write n student notebooks, each with every answer filled in; the first prints 300 MB.

    Every student hands in the chapter's solution notebook: all its answers, and all the code
    its exercises ask for, run.
    """
    source = next((ROOT / "solutions").glob(f"{chapter}_*.ipynb"))
    base = nbformat.read(source, as_version=4)
    paths = []
    for i in range(n):
        nb = nbformat.from_dict(json.loads(json.dumps(base)))
        if i == 0:
            flood = "for _ in range(300):\n    print('x' * 1_000_000)"
            nb.cells.insert(3, nbformat.v4.new_code_cell(flood))
        d = folder / f"s{i:03d}"
        d.mkdir()
        nbformat.write(nb, d / source.name)
        paths.append(str(d / source.name))
    return paths


def tree_rss(pid: int, cpu: dict[int, float]) -> int:
    """Resident bytes of a process and its descendants, kernels excluded.

    Also records in ``cpu`` the CPU seconds each process of the tree (kernels included)
    has used so far.
    """
    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for p in procs:
        try:
            times = p.cpu_times()
            cpu[p.pid] = max(cpu.get(p.pid, 0.0), times.user + times.system)
            if "ipykernel" in " ".join(p.cmdline()):
                continue
            total += p.memory_info().rss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total


def main(n: int = 300, chapter: str = "02") -> None:
    """Grade n notebooks of `chapter` and print the time and the peak memory."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_class(Path(tmp), n, chapter)
        cmd = [str(Path(sys.executable).parent / "calcml-grade"), *paths]
        cmd += ["--workers", "3", "--no-progress", "--csv", f"{tmp}/grades.csv"]
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        peak = 0
        cpu_by_pid: dict[int, float] = {}

        def sample() -> None:
            nonlocal peak
            while proc.poll() is None:
                peak = max(peak, tree_rss(proc.pid, cpu_by_pid))
                time.sleep(0.2)

        sampler = threading.Thread(target=sample)
        sampler.start()
        proc.wait()
        sampler.join()
        elapsed = time.monotonic() - start
        cpu = sum(cpu_by_pid.values())  # sampled: a little low (the last 0.2 s is missed)
        rows = (Path(tmp) / "grades.csv").read_text().splitlines()[1:]
        flood = next(r for r in rows if "/s000/" in r).split(",")
    print(f"notebooks: {n}, exit status {proc.returncode}, rows {len(rows)}")
    print(f"wall time: {elapsed:.1f} s ({elapsed / n:.2f} s per notebook)")
    print(f"extrapolated to 300 notebooks: {elapsed / n * 300 / 60:.1f} min")
    print(f"CPU time (grader, sandboxes, kernels): {cpu:.0f} s ({cpu / n:.2f} s per notebook)")
    print(f"300 notebooks on 2 otherwise idle cores: about {cpu / n * 300 / 2 / 60:.1f} min")
    print(f"peak RSS of the grader tree without kernels: {peak / 2**20:.0f} MB")
    print(f"the 300 MB notebook: status {flood[2]}, detail {flood[-1]!r}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300, sys.argv[2] if len(sys.argv) > 2 else "02")
