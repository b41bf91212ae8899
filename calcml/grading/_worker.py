"""Run one student notebook and report only its answers: ``python .../grading/_worker.py``.

This runs inside the sandbox (see :mod:`calcml.grading._sandbox`), as the parent of the
kernel it starts. It reads its configuration as JSON on stdin, sets the resource limits
(inherited by the kernel), makes itself non-dumpable (the kernel cannot read its memory or
file descriptors), points its own stdin/stdout/stderr (and so the kernel's) at /dev/null, and
writes JSON lines to a private copy of its original stdout (a partial report after each
cell, so that answers survive a notebook that kills this process; the last line is final):

``status``, ``detail``, ``answers`` (exercise id -> ``{"answer": ..., "cell": n}``, the last
submitted), ``probe_answers`` (exercise id -> the student's function evaluated at the
grader's private points, after the notebook ran), ``cells`` (one ``[n, error name or None,
[ids submitted in its source]]`` per code cell) and ``truncated`` (output dropped by the caps).

Nothing it writes is trusted by the grader beyond being decoded as plain data: a student can
make it say anything a ``submit`` bundle could say.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import signal
import sys
import time
from typing import Any

# Run by file path, not as calcml.grading._worker: importing calcml (numpy, scipy, ...) would
# cost every notebook half a second of CPU. So no imports from calcml here.
MIME_TYPE = "application/vnd.calcml.answer+json"  # = calcml.grading.answers.MIME_TYPE
PROBE_MIME = "application/vnd.calcml.probes+json"
_SUBMIT = re.compile(r"""submit\(\s*["'](\d{1,2}\.\d+)["']""")
_MAX_BUNDLE = 1 << 20  # bytes of one answer bundle
_MAX_MESSAGE = 64 << 20  # bytes of one message from the kernel


def _configure_kernel() -> None:
    """Write the kernel's IPython config in the private, still empty IPYTHONDIR."""
    profile = os.path.join(os.environ.get("IPYTHONDIR", ".ipython"), "profile_default")
    os.makedirs(profile, exist_ok=True)
    with open(os.path.join(profile, "ipython_kernel_config.py"), "w", encoding="utf-8") as f:
        f.write("c.IPKernelApp.outstream_class = 'calcml.grading._outstream.CappedOutStream'\n")
        f.write("c.HistoryManager.enabled = False\n")  # no SQLite history: nobody reads it


def _set_limits(limits: dict[str, int]) -> None:
    mb = 1 << 20
    wanted = {
        resource.RLIMIT_AS: limits["memory_mb"] * mb,
        resource.RLIMIT_NPROC: limits["processes"],
        resource.RLIMIT_CPU: limits["cpu_seconds"],
        resource.RLIMIT_FSIZE: limits["file_mb"] * mb,
        resource.RLIMIT_CORE: 0,
    }
    for which, value in wanted.items():
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))


def _no_dump() -> None:
    try:
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except Exception:  # noqa: BLE001, S110 - not Linux: nothing to harden
        pass


def _small_queue_client() -> Any:
    """Return a kernel client class whose sockets queue few messages."""
    import zmq
    import zmq.asyncio
    from jupyter_client.asynchronous.client import AsyncKernelClient

    class SmallQueueClient(AsyncKernelClient):
        def _context_default(self) -> zmq.asyncio.Context:
            self._created_context = True
            context = zmq.asyncio.Context()
            context.setsockopt(zmq.RCVHWM, 16)
            context.setsockopt(zmq.MAXMSGSIZE, _MAX_MESSAGE)  # larger: the kernel is cut off
            return context

    return SmallQueueClient


def _client_class() -> Any:
    from nbclient import NotebookClient

    small_queue_client = _small_queue_client()

    class CappedClient(NotebookClient):
        """Keep answer bundles and error names; drop other output beyond the caps."""

        def __init__(self, *args: Any, cell_cap: int, notebook_cap: int, **kw: Any) -> None:
            super().__init__(*args, **kw)
            self.cell_cap, self.notebook_cap = cell_cap, notebook_cap
            self.cell_bytes: dict[int, int] = {}
            self.total_bytes = 0
            self.truncated = False

        def create_kernel_manager(self) -> Any:
            km = super().create_kernel_manager()
            km.client_factory = small_queue_client
            return km

        def output(self, outs: Any, msg: Any, display_id: Any, cell_index: int) -> Any:
            content = msg.get("content") or {}
            kind = msg.get("msg_type")
            if kind == "error":
                content["traceback"] = []
                content["evalue"] = str(content.get("evalue", ""))[:200]
                return super().output(outs, msg, None, cell_index)
            data = content.get("data") if isinstance(content.get("data"), dict) else None
            special = data and (MIME_TYPE in data or PROBE_MIME in data)
            if special:
                keep = {k: data[k] for k in (MIME_TYPE, PROBE_MIME) if k in data}
                if len(json.dumps(keep)) > _MAX_BUNDLE:
                    self.truncated = True
                    return None
                content["data"], content["metadata"] = keep, {}
                return super().output(outs, msg, None, cell_index)
            if kind == "stream":
                size = len(str(content.get("text", "")))
            else:
                size = len(json.dumps(content, default=str))
            used = self.cell_bytes.get(cell_index, 0)
            if used + size > self.cell_cap or self.total_bytes + size > self.notebook_cap:
                self.truncated = True
                return None
            self.cell_bytes[cell_index] = used + size
            self.total_bytes += size
            return super().output(outs, msg, None, cell_index)

        def _update_display_id(self, display_id: Any, msg: Any) -> None:
            return None  # updates never carry answers

        def handle_comm_msg(self, outs: Any, msg: Any, cell_index: int) -> None:
            return None  # widget state is not needed to grade

    return CappedClient


def _summarise(nb: Any) -> tuple[dict[str, Any], list[list[Any]]]:
    answers: dict[str, Any] = {}
    cells: list[list[Any]] = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        error = None
        ids = sorted(set(_SUBMIT.findall(str(cell.get("source", "")))))
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                error = str(out.get("ename", "Error"))[:80]
            elif kind in ("display_data", "execute_result"):
                data = out.get("data", {}).get(MIME_TYPE)
                if isinstance(data, dict) and isinstance(data.get("exercise"), str):
                    answers[data["exercise"][:20]] = {"answer": data.get("answer"), "cell": number}
        cells.append([number, error, ids])
    return answers, cells


_PROBE_CODE = """\
from calcml.widgets._submit import _evaluate_submitted as _calcml_probe
_calcml_probe({probes!r})
del _calcml_probe"""


async def _run(cfg: dict[str, Any], result: dict[str, Any]) -> None:
    import nbformat
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    try:
        nb = nbformat.read(cfg["notebook"], as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # noqa: BLE001 - anything unreadable is reported
        result.update(status="unreadable", detail=f"not a valid notebook ({type(exc).__name__})")
        return
    for cell in nb.cells:  # only what this run produces counts
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    limits = cfg["limits"]
    timeout = float(cfg["timeout"])
    client = _client_class()(
        nb,
        timeout=max(1, int(timeout)),
        kernel_name=cfg["kernel"],
        allow_errors=True,
        shutdown_kernel="immediate",  # nothing to save: end the kernel at once
        record_timing=False,
        store_widget_state=False,
        resources={"metadata": {"path": os.getcwd()}},
        cell_cap=limits["cell_output_kb"] * 1024,
        notebook_cap=limits["notebook_output_kb"] * 1024,
    )
    start = time.monotonic()
    try:
        async with client.async_setup_kernel():
            try:
                for index, cell in enumerate(nb.cells):
                    left = timeout - (time.monotonic() - start)
                    if left <= 0:
                        raise TimeoutError
                    await asyncio.wait_for(client.async_execute_cell(cell, index), left)
                    if cell.cell_type == "code" and cfg.get("report_fd") is not None:
                        # a partial report after each cell: kept if the kernel kills us
                        partial = dict(result, status="crashed", detail=_KILLED)
                        partial["answers"], partial["cells"] = _summarise(nb)
                        _emit(cfg["report_fd"], partial)
            finally:
                result["answers"], result["cells"] = _summarise(nb)
            probes = cfg.get("probes") or {}
            if probes:
                cell = nbformat.v4.new_code_cell(_PROBE_CODE.format(probes=json.dumps(probes)))
                nb.cells.append(cell)
                client.timeout = 60
                await asyncio.wait_for(client.async_execute_cell(cell, len(nb.cells) - 1), 90)
                for out in cell.outputs:
                    data = out.get("data", {}).get(PROBE_MIME) if "data" in out else None
                    if isinstance(data, dict):
                        result["probe_answers"] = data
    except Exception as exc:  # noqa: BLE001 - time-outs, dead kernels, kernels that won't start
        late = time.monotonic() - start >= 0.98 * timeout
        if late or isinstance(exc, (TimeoutError, asyncio.TimeoutError, CellTimeoutError)):
            # cancelling a cell at the deadline can also surface as a dead kernel
            result.update(
                status="timeout", detail=f"the notebook did not finish within {timeout:g} s"
            )
        elif isinstance(exc, DeadKernelError):
            result.update(status="crashed", detail="the kernel died (a crash, or a resource limit)")
        else:
            result.update(status="crashed", detail=f"execution failed: {type(exc).__name__}")
    result["truncated"] = bool(client.truncated)


_KILLED = "the notebook killed its grading process (answers up to there are kept)"


def _emit(fd: int, result: dict[str, Any]) -> None:
    os.write(fd, (json.dumps(result) + "\n").encode())


def main() -> None:
    """Execute the notebook named on stdin's configuration; report on a private descriptor."""
    cfg = json.loads(sys.stdin.read(1 << 20))
    report = os.dup(1)  # the grader's pipe; not inherited by the kernel
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    _set_limits(cfg["limits"])
    _no_dump()
    _configure_kernel()
    result: dict[str, Any] = {"status": "ok", "detail": "", "answers": {}, "cells": []}
    cfg["report_fd"] = report
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        asyncio.run(_run(cfg, result))
    except KeyboardInterrupt:
        result.update(status="interrupted", detail="stopped by the grader")
    _emit(report, result)  # the last line is the report


if __name__ == "__main__":
    main()
