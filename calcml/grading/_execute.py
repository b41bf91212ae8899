"""Execute one notebook in a fresh kernel and collect the answers it submitted.

Runs in a worker process of ``calcml-grade``; it judges nothing (that happens in the grader's
main process), it only returns the raw answer bundles and what went wrong.
"""

from __future__ import annotations

import asyncio
import math
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .answers import MIME_TYPE

Status = Literal["ok", "timeout", "crashed", "unreadable"]


@dataclass
class Execution:
    """The outcome of executing one notebook.

    Attributes
    ----------
    path : str
        The notebook as given on the command line.
    status : {"ok", "timeout", "crashed", "unreadable"}
        ``crashed``: the kernel died or could not start; ``unreadable``: not a notebook.
    detail : str
        What happened, for the report (empty when ``ok``).
    answers : dict
        Exercise id -> the last answer bundle the notebook emitted for it (raw JSON data).
    cell_errors : list of str
        ``"NameError in cell 5"`` for each cell that raised.
    """

    path: str
    status: Status = "ok"
    detail: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    cell_errors: list[str] = field(default_factory=list)


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
                errors.append(f"{str(out.get('ename', 'Error'))[:80]} in cell {number}")
            elif kind in ("display_data", "execute_result", "update_display_data"):
                data = out.get("data", {}).get(MIME_TYPE)
                if isinstance(data, dict) and isinstance(data.get("exercise"), str):
                    answers[data["exercise"]] = data
    return answers, errors


def execute_notebook(path: str, timeout: float = 120.0, kernel_name: str = "python3") -> Execution:
    """Execute a copy of a notebook in a fresh kernel and a fresh temporary directory.

    Parameters
    ----------
    path : str
        The notebook.
    timeout : float, default: 120
        Wall-clock limit in seconds for the whole notebook (and for any one cell).
    kernel_name : str, default: "python3"
        The Jupyter kernel to start.

    Returns
    -------
    Execution
        Never raises for a broken notebook: errors, time-outs and dead kernels are reported.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    result = Execution(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - anything unreadable is reported
        result.status, result.detail = "unreadable", f"cannot read the notebook ({exc})"[:300]
        return result
    for cell in nb.cells:  # only what this run produces counts
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    workdir = Path(tempfile.mkdtemp(prefix="calcml-grade-"))
    start = time.monotonic()
    try:
        nbformat.write(nb, workdir / Path(path).name)
        client = NotebookClient(
            nb,
            timeout=max(1, math.ceil(timeout)),
            kernel_name=kernel_name,
            allow_errors=True,
            record_timing=False,
            resources={"metadata": {"path": str(workdir)}},
        )
        start = time.monotonic()
        asyncio.run(asyncio.wait_for(client.async_execute(), timeout))
    except (TimeoutError, asyncio.TimeoutError, CellTimeoutError):
        result.status = "timeout"
        result.detail = f"the notebook did not finish within {timeout:g} s"
    except Exception as exc:  # noqa: BLE001 - a dead kernel, or one that could not start
        if time.monotonic() - start >= 0.99 * timeout:
            # cancelling the run at our deadline surfaces as a dead kernel or another error
            result.status = "timeout"
            result.detail = f"the notebook did not finish within {timeout:g} s"
        elif isinstance(exc, DeadKernelError):
            result.status, result.detail = "crashed", "the kernel died"
        else:
            result.status = "crashed"
            result.detail = f"execution failed: {type(exc).__name__}: {exc}"[:300]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result.answers, result.cell_errors = extract_answers(nb)
    return result
