"""A fresh clone and a fresh virtual environment, as a new user gets them (for the slow tests).

``copy_repository`` copies what ``git clone`` would give (tracked and untracked-but-not-ignored
files), ``FreshVenv`` makes a virtual environment that sees nothing of ours: its own kernels,
Jupyter and IPython folders, no PYTHONPATH. pip installs from its local cache, so a venv with
numpy, scipy and matplotlib takes seconds, not minutes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_repository(dest: Path) -> Path:
    """Copy the files git would check out (tracked + untracked, minus ignored) into `dest`."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


class FreshVenv:
    """A virtual environment (default ``tmp/venv``); ``run`` runs commands with it first on PATH.

    With ``create=False`` the environment at `path` is left for the commands to make (as the
    README's steps without make do with ``python3 -m venv .venv``).
    """

    def __init__(self, tmp: Path, cwd: Path, *, path: Path | None = None, create: bool = True):
        self.path = tmp / "venv" if path is None else path
        self.cwd = cwd
        if create:
            subprocess.run([sys.executable, "-m", "venv", str(self.path)], check=True)
        self.env = {
            **os.environ,
            "PATH": f"{self.path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            "VIRTUAL_ENV": str(self.path),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            # Kernels are looked up in this environment only, never in ~/.local or /usr/share.
            "JUPYTER_PATH": str(self.path / "share" / "jupyter"),
            "JUPYTER_DATA_DIR": str(tmp / "jupyter-data"),
            "JUPYTER_CONFIG_DIR": str(tmp / "jupyter-config"),
            "IPYTHONDIR": str(tmp / "ipython"),
            "MPLBACKEND": "Agg",
        }
        self.env.pop("PYTHONPATH", None)

    @property
    def python(self) -> str:
        """The environment's Python."""
        return str(self.path / "bin" / "python")

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run a command in the copy; with ``check``, fail the test with its output if it fails."""
        result = subprocess.run(args, cwd=self.cwd, env=self.env, capture_output=True, text=True)
        if check:
            assert result.returncode == 0, (
                f"{' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result
