"""Where a student's notebook runs: a bubblewrap sandbox with resource limits.

:func:`worker_command` builds the command line that runs :mod:`calcml.grading._worker` (which
executes the notebook in a kernel it starts itself) inside ``bwrap``: no network, a new PID,
IPC, UTS and user namespace (unprivileged uid 65534), no capabilities, a read-only view of
the system and of this Python environment, and two small in-memory file systems of its own:
``/sandbox`` (the working directory: the notebook, read-only, an empty HOME with IPYTHONDIR,
and the Jupyter runtime directory, so the kernel's connection file is visible to nobody
else) and ``/tmp``. Memory, process-count, CPU-time and file-size limits are set by the
worker itself before it starts the kernel (the kernel inherits them).

Without ``bwrap`` the same worker runs as a plain subprocess (``--no-sandbox``): the limits
and the private directory still apply, but the student's code can read whatever the grader's
user can read, use the network, and see other processes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["Limits", "bwrap_path", "sandbox_works", "worker_command", "worker_env"]

#: The sandbox's view of the private directory.
INSIDE = "/sandbox"

UNSANDBOXED_WARNING = (
    "calcml-grade: WARNING: --no-sandbox: students' code runs with your user's rights. It "
    "can read your files and environment variables (tokens, SSH keys), use the network, see "
    "and signal your other processes and write wherever you can. Grade untrusted work only "
    "inside bubblewrap (apt-get install bubblewrap) or a disposable container."
)


@dataclass(frozen=True)
class Limits:
    """Resource limits of one notebook's sandbox (the worker and its kernel).

    Attributes
    ----------
    memory_mb : int
        Address-space limit per process, in MiB (default 2048).
    processes : int
        Most processes and threads the sandbox's user may run (default 256).
    cpu_seconds : int
        CPU seconds per process (default: set from the notebook's time-out).
    file_mb : int
        Largest file a process may write, in MiB (default 64).
    disk_mb : int
        Size of the sandbox's working directory and of its ``/tmp`` (in-memory), in MiB
        (default 128 each).
    cell_output_kb : int
        Output (other than answer bundles) kept per cell, in KiB (default 256).
    notebook_output_kb : int
        Output kept per notebook, in KiB (default 2048).
    """

    memory_mb: int = 2048
    processes: int = 256
    cpu_seconds: int = 300
    file_mb: int = 64
    disk_mb: int = 128
    cell_output_kb: int = 256
    notebook_output_kb: int = 2048

    def as_dict(self) -> dict[str, int]:
        """Return the limits as plain data (for the worker's configuration)."""
        return asdict(self)


def bwrap_path() -> str | None:
    """Return the path of ``bwrap``, or None when bubblewrap is not installed."""
    return shutil.which("bwrap")


def _readonly_roots() -> list[str]:
    """Directories the sandbox sees read-only: the Python installation and calcml."""
    import calcml

    roots = {sys.base_prefix, sys.prefix, sys.exec_prefix}
    roots.add(str(Path(calcml.__file__).resolve().parent))
    exe = Path(sys.executable)
    roots.add(str(exe.resolve().parent.parent))
    for p in sys.path:  # site-packages outside the prefixes (user or extra installs)
        if p and "site-packages" in p and Path(p).is_dir():
            roots.add(p)
    keep = sorted(r for r in roots if Path(r).exists())
    # drop directories already inside another one
    return [r for r in keep if not any(r != o and r.startswith(o + os.sep) for o in keep)]


def _system_binds() -> list[str]:
    args: list[str] = []
    for d in ("/usr", "/etc", "/opt"):
        if Path(d).is_dir():
            args += ["--ro-bind", d, d]
    for d in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        p = Path(d)
        if p.is_symlink():
            args += ["--symlink", os.readlink(d), d]
        elif p.is_dir():
            args += ["--ro-bind", d, d]
    return args


def worker_env(inside: str = INSIDE) -> dict[str, str]:
    """Return the environment of the worker and kernel (nothing of the grader's leaks in).

    Parameters
    ----------
    inside : str, default: "/sandbox"
        The private directory as the worker sees it.
    """
    import calcml

    home = f"{inside}/home"
    path = os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"])
    return {
        "PYTHONPATH": str(Path(calcml.__file__).resolve().parent.parent),
        "HOME": home,
        "PATH": path,
        "LANG": "C.UTF-8",
        "TMPDIR": "/tmp",
        "IPYTHONDIR": f"{home}/.ipython",
        "JUPYTER_CONFIG_DIR": f"{home}/.jupyter",
        "JUPYTER_DATA_DIR": f"{home}/.local/share/jupyter",
        "JUPYTER_RUNTIME_DIR": f"{inside}/runtime",
        "JUPYTER_PLATFORM_DIRS": "1",
        "MPLBACKEND": "Agg",
        "CALCML_GRADING": "1",  # explorers compute their state but draw no figure
        "MPLCONFIGDIR": f"{home}/.config/matplotlib",
        "XDG_CACHE_HOME": f"{home}/.cache",
        "XDG_RUNTIME_DIR": f"{inside}/runtime",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
    }


def prepare_private_dir(base: Path) -> None:
    """Create the private directory's layout for ``--no-sandbox`` (home, tmp, runtime)."""
    for sub in ("home", "tmp", "runtime"):
        (base / sub).mkdir(mode=0o777, exist_ok=True)
        os.chmod(base / sub, 0o777)  # the sandbox's uid 65534 writes here
    os.chmod(base, 0o755)


def worker_command(
    private_dir: Path, *, sandbox: bool = True, disk_mb: int = 128
) -> tuple[list[str], str]:
    """Return the command that runs the worker, and the private directory as it sees it.

    Parameters
    ----------
    private_dir : Path
        A fresh directory that holds only this notebook (see :func:`prepare_private_dir`).
    sandbox : bool, default: True
        Run inside bubblewrap (False: a plain subprocess, for ``--no-sandbox``).
    disk_mb : int, default: 128
        Size of each of the sandbox's two writable file systems (``/sandbox``, the working
        directory with HOME and the runtime directory, and ``/tmp``): both are in-memory
        tmpfs of this size, gone when the sandbox ends.

    Returns
    -------
    command : list of str
    inside : str
        The private directory's path for the worker.
    """
    python = [sys.executable, "-s", str(Path(__file__).resolve().with_name("_worker.py"))]
    if not sandbox:
        return python, str(private_dir)
    bwrap = bwrap_path()
    if bwrap is None:
        raise RuntimeError("bubblewrap (bwrap) is not installed")
    args = [
        bwrap,
        "--unshare-all",  # network, PID, IPC, UTS, cgroup and user namespaces
        "--uid", "65534", "--gid", "65534",
        "--die-with-parent",
        "--new-session",
        "--cap-drop", "ALL",
        "--clearenv",
        *_system_binds(),
    ]  # fmt: skip
    size = str(disk_mb * 1024 * 1024)
    args += [
        "--dev", "/dev",
        "--proc", "/proc",
        "--size", size, "--perms", "0755", "--tmpfs", INSIDE,
        "--ro-bind", str(private_dir / "notebook.ipynb"), f"{INSIDE}/notebook.ipynb",
        "--perms", "0700", "--dir", f"{INSIDE}/home",
        "--perms", "0700", "--dir", f"{INSIDE}/runtime",
        "--size", size, "--perms", "1777", "--tmpfs", "/tmp",
        "--chdir", INSIDE,
    ]  # fmt: skip
    for root in _readonly_roots():  # after /tmp, in case the environment lives under /tmp
        args += ["--ro-bind", root, root]
    for key, value in worker_env().items():
        args += ["--setenv", key, value]
    return [*args, *python], INSIDE


def sandbox_works() -> tuple[bool, str]:
    """Check that bubblewrap can start a sandbox here.

    Returns
    -------
    ok : bool
    why : str
        bwrap's own message when it cannot (e.g. user namespaces are disabled).
    """
    bwrap = bwrap_path()
    if bwrap is None:
        return False, "bubblewrap (bwrap) is not installed"
    try:
        proc = subprocess.run(
            [bwrap, "--unshare-all", "--uid", "65534", "--gid", "65534", "--ro-bind", "/", "/",
             "--dev", "/dev", "--proc", "/proc", "true"],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        return False, f"bwrap could not run: {exc}"
    if proc.returncode != 0:
        return False, f"bwrap cannot create a sandbox here: {proc.stderr.strip()[:300]}"
    return True, ""
