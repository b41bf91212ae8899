"""Execute one notebook in its own sandbox and collect the answers it submitted.

:func:`execute_notebook` copies the notebook (a regular file, not a symlink, at most
``max_bytes``) into a fresh private directory, runs :mod:`calcml.grading._worker` there inside
bubblewrap (or as a plain subprocess with ``sandbox=False``) and reads back one JSON report,
size-capped and validated. It judges nothing: that happens in the grader's process.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ._sandbox import Limits, prepare_private_dir, worker_command, worker_env
from .answers import MIME_TYPE

Status = Literal["ok", "timeout", "crashed", "unreadable", "interrupted"]

#: Largest notebook accepted (bytes).
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
_MAX_REPORT = 32 * 1024 * 1024

_COUNTER = itertools.count()
_LIVE: set[subprocess.Popen[bytes]] = set()
_LIVE_LOCK = threading.Lock()


def clean_text(text: Any, limit: int = 300) -> str:
    """Return ``text`` as one line without control characters, at most ``limit`` long.

    Examples
    --------
    >>> clean_text("ok" + chr(27) + "[31m" + chr(10) + "next")
    'ok[31m next'
    """
    s = str(text)
    s = "".join(" " if ch in "\n\r\t" else ch for ch in s if ch.isprintable() or ch in "\n\r\t")
    return s[:limit]


@dataclass
class Execution:
    """The outcome of executing one notebook.

    Attributes
    ----------
    path : str
        The notebook as given on the command line.
    status : {"ok", "timeout", "crashed", "unreadable", "interrupted"}
        ``crashed``: the kernel or the sandbox died or could not start; ``unreadable``: not a
        notebook, a symlink, not a regular file or too large.
    detail : str
        What happened, for the report (empty when ``ok``).
    answers : dict
        Exercise id -> the last answer bundle the notebook emitted for it (raw JSON data).
    cell_errors : list of str
        ``"NameError in cell 5"`` for each cell that raised.
    cells : list
        ``[n, error name or None, [exercise ids its source submits]]`` per code cell.
    answer_cells : dict
        Exercise id -> the cell number whose output held its (last) answer.
    probe_answers : dict
        Exercise id -> the encoded values of the submitted function at the grader's points.
    truncated : bool
        Whether output beyond the caps was dropped.
    """

    path: str
    status: Status = "ok"
    detail: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    cell_errors: list[str] = field(default_factory=list)
    cells: list[list[Any]] = field(default_factory=list)
    answer_cells: dict[str, int] = field(default_factory=dict)
    probe_answers: dict[str, Any] = field(default_factory=dict)
    truncated: bool = False


def extract_answers(nb: Any) -> tuple[dict[str, Any], list[str]]:
    """Return the answer bundles (last per exercise) and the cell errors of an executed notebook.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed notebook.

    Returns
    -------
    answers : dict
        Exercise id -> bundle data ``{"exercise": id, "answer": ...}``.
    errors : list of str
        One ``"<ename> in cell <n>"`` per error output.
    """
    answers: dict[str, Any] = {}
    errors: list[str] = []
    for number, cell in enumerate(nb.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                errors.append(f"{clean_text(out.get('ename', 'Error'), 80)} in cell {number}")
            elif kind in ("display_data", "execute_result", "update_display_data"):
                data = out.get("data", {}).get(MIME_TYPE)
                if isinstance(data, dict) and isinstance(data.get("exercise"), str):
                    answers[data["exercise"]] = data
    return answers, errors


def check_notebook_file(path: str, max_bytes: int = MAX_NOTEBOOK_BYTES) -> str:
    """Return why a file cannot be graded (empty when it can): symlink, not regular, too big.

    Parameters
    ----------
    path : str
    max_bytes : int
        The size cap.

    Returns
    -------
    str
    """
    try:
        st = os.lstat(path)
    except OSError:
        return "the file does not exist"
    if stat.S_ISLNK(st.st_mode):
        return "it is a symbolic link (refused: submit the notebook file itself)"
    if not stat.S_ISREG(st.st_mode):
        return "it is not a regular file"
    if st.st_size > max_bytes:
        return f"it is larger than {max_bytes // (1024 * 1024)} MB"
    return ""


def _copy_in(path: str, dest: Path, max_bytes: int) -> str:
    """Copy a regular file without following symlinks; return why not, or ''."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return "it cannot be opened (missing, a symbolic link or unreadable)"
    with os.fdopen(fd, "rb") as src:
        st = os.fstat(src.fileno())
        if not stat.S_ISREG(st.st_mode):
            return "it is not a regular file"
        data = src.read(max_bytes + 1)
    if len(data) > max_bytes:
        return f"it is larger than {max_bytes // (1024 * 1024)} MB"
    dest.write_bytes(data)
    os.chmod(dest, 0o444)
    return ""


def _kill(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except OSError:
        pass
    try:
        proc.wait(2)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
        proc.wait()


def kill_all() -> None:
    """End every sandbox still running (on Ctrl-C)."""
    with _LIVE_LOCK:
        procs = list(_LIVE)
    for proc in procs:
        _kill(proc)


def execute_notebook(
    path: str,
    timeout: float = 120.0,
    kernel_name: str = "python3",
    *,
    sandbox: bool = True,
    limits: Limits | None = None,
    probes: dict[str, Any] | None = None,
    max_bytes: int = MAX_NOTEBOOK_BYTES,
) -> Execution:
    """Execute a copy of a notebook in a fresh sandbox and kernel.

    Parameters
    ----------
    path : str
        The notebook.
    timeout : float, default: 120
        Wall-clock limit in seconds for the whole notebook.
    kernel_name : str, default: "python3"
        The Jupyter kernel to start (it must be visible inside the sandbox).
    sandbox : bool, default: True
        Run in bubblewrap; False runs a plain subprocess (see ``--no-sandbox``).
    limits : Limits, optional
        Resource limits (default :class:`~calcml.grading._sandbox.Limits`, with the CPU
        limit set from ``timeout``).
    probes : dict, optional
        Exercise id -> argument lists at which to call the submitted function afterwards.
    max_bytes : int
        Size cap of the notebook file.

    Returns
    -------
    Execution
        Never raises for a broken or hostile notebook: it is reported.
    """
    result = Execution(path)
    if limits is None:
        limits = Limits(cpu_seconds=int(timeout) + 30)
    private = Path(tempfile.mkdtemp(prefix="calcml-grade-"))
    cgroup = None
    try:
        prepare_private_dir(private)
        why = _copy_in(path, private / "notebook.ipynb", max_bytes)
        if why:
            result.status, result.detail = "unreadable", f"not graded: {why}"
            return result
        cmd, inside = worker_command(private, sandbox=sandbox, disk_mb=limits.disk_mb)
        cfg = {
            "notebook": f"{inside}/notebook.ipynb",
            "timeout": timeout,
            "kernel": kernel_name,
            "limits": limits.as_dict(),
            "probes": probes or {},
        }
        env = worker_env(inside)
        cgroup = _pids_cgroup(limits.processes) if sandbox else None
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None if os.environ.get("CALCML_GRADE_DEBUG") else subprocess.DEVNULL,
            cwd=str(private),
            env=env,
            start_new_session=True,
            preexec_fn=(lambda: _join_cgroup(cgroup)) if cgroup else None,  # noqa: PLW1509
        )
        with _LIVE_LOCK:
            _LIVE.add(proc)
        chunks: list[bytes] = []

        def read() -> None:
            assert proc.stdout is not None
            size = 0
            while block := proc.stdout.read(1 << 16):
                size += len(block)
                if size <= _MAX_REPORT:
                    chunks.append(block)

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        try:
            assert proc.stdin is not None
            proc.stdin.write(json.dumps(cfg).encode())
            proc.stdin.close()
        except OSError:
            pass
        deadline = time.monotonic() + timeout + 60  # the worker enforces `timeout` itself
        try:
            proc.wait(max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _kill(proc)
            result.status = "timeout"
            result.detail = f"the notebook did not finish within {timeout:g} s"
        finally:
            with _LIVE_LOCK:
                _LIVE.discard(proc)
        reader.join(5)
        raw = b"".join(chunks)
        if result.status == "ok":
            _read_report(result, raw, proc.returncode)
    finally:
        shutil.rmtree(private, ignore_errors=True)
        if cgroup:
            _remove_cgroup(cgroup)
    return result


_PIDS_ROOT = Path("/sys/fs/cgroup/pids")


def _pids_cgroup(limit: int) -> Path | None:
    """Create a pids cgroup (v1) capping the sandbox's processes, when running as root.

    As root, RLIMIT_NPROC does not apply (the sandbox's user is root outside its
    namespace), so a pids cgroup takes its place where one can be created.
    """
    if os.geteuid() != 0 or not os.access(_PIDS_ROOT, os.W_OK):
        return None
    path = _PIDS_ROOT / f"calcml-grade-{os.getpid()}-{next(_COUNTER)}"
    try:
        path.mkdir()
        (path / "pids.max").write_text(str(limit))
    except OSError:
        return None
    return path


def _join_cgroup(path: Path) -> None:
    with open(path / "cgroup.procs", "w") as f:
        f.write(str(os.getpid()))


def _remove_cgroup(path: Path) -> None:
    for _ in range(50):
        try:
            path.rmdir()
            return
        except OSError:
            try:
                for pid in (path / "cgroup.procs").read_text().split():
                    os.kill(int(pid), signal.SIGKILL)
            except (OSError, ValueError):
                pass
            time.sleep(0.1)


def _read_report(result: Execution, raw: bytes, returncode: int | None) -> None:
    report = None
    if len(raw) <= _MAX_REPORT:
        for line in reversed(raw.split(b"\n")):
            try:
                report = json.loads(line.decode("utf-8"))
                break
            except (UnicodeDecodeError, ValueError):
                continue
    if not isinstance(report, dict):
        result.status = "crashed"
        result.detail = f"the sandbox ended without a report (exit status {returncode})"
        return
    status = report.get("status")
    result.status = status if status in ("ok", "timeout", "crashed", "unreadable") else "crashed"
    result.detail = clean_text(report.get("detail", ""))
    answers = report.get("answers")
    if isinstance(answers, dict):
        for ex_id, item in list(answers.items())[:200]:
            if isinstance(item, dict) and isinstance(item.get("cell"), int):
                result.answers[clean_text(ex_id, 20)] = {"answer": item.get("answer")}
                result.answer_cells[clean_text(ex_id, 20)] = item["cell"]
    cells = report.get("cells")
    if isinstance(cells, list):
        for c in cells[:10_000]:
            if (
                isinstance(c, list)
                and len(c) == 3
                and isinstance(c[0], int)
                and isinstance(c[2], list)
            ):
                err = clean_text(c[1], 80) if c[1] is not None else None
                ids = [clean_text(i, 20) for i in c[2][:50] if isinstance(i, str)]
                result.cells.append([c[0], err, ids])
                if err:
                    result.cell_errors.append(f"{err} in cell {c[0]}")
    probes = report.get("probe_answers")
    if isinstance(probes, dict):
        result.probe_answers = {clean_text(k, 20): v for k, v in list(probes.items())[:200]}
    result.truncated = bool(report.get("truncated"))
