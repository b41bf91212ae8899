"""calcml-grade against a determined student: every attack of issue 12 is blocked.

One grader run (two workers, real bubblewrap sandboxes) grades a class of attack notebooks;
each test checks one attack against that run. A "spy" notebook reports what it could see
and do from inside the sandbox as the text of its answer, which the test reads from the raw
execution. Network attacks only target a listener on 127.0.0.1 that this module starts.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from notebook_files import write_notebook

from calcml.grading._execute import execute_notebook
from calcml.grading._sandbox import sandbox_works
from calcml.grading.cli import main
from calcml.grading.grader import csv_safe

pytestmark = pytest.mark.skipif(not sandbox_works()[0], reason="bubblewrap cannot run here")

SETUP = "from calcml.widgets import submit"
SECRET = "calcml-secret-7d1f"


def _write(path: Path, *sources: str) -> str:
    return write_notebook(path, SETUP, *sources)


GREETING = b"calcml-test-listener"


class Listener:
    """A TCP listener on 127.0.0.1 that greets with GREETING and records whatever reaches it.

    The greeting tells this listener apart from a port inside the sandbox's own network
    namespace (the kernel's ZeroMQ sockets also listen on 127.0.0.1 there, on random ports
    that can be the same number as this one: reaching those is not reaching the grader's host).
    """

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    conn.sendall(GREETING)
                    self.received.append(conn.recv(65536) or b"<connected>")
                except OSError:
                    self.received.append(b"<connected>")


SPY = r"""
import glob, json, os, socket, subprocess, sys
seen = dict()
seen["secret_env"] = any("{secret}" in v for v in os.environ.values())
seen["home"] = os.path.expanduser("~")
seen["home_files"] = os.listdir(seen["home"])
seen["sandbox_files"] = sorted(os.listdir(os.getcwd()))
seen["cmdlines"] = []
for p in glob.glob("/proc/[0-9]*/cmdline"):
    try:
        seen["cmdlines"].append(open(p, "rb").read().replace(b"\0", b" ").decode()[:200])
    except OSError:
        pass
try:
    s = socket.create_connection(("127.0.0.1", {port}), timeout=2)
    s.settimeout(2)
    seen["network"] = s.recv(64).startswith({greeting!r})  # the host's listener greets
    s.sendall(json.dumps(dict(os.environ)).encode()); s.close()
except OSError:
    seen["network"] = False
def can_write(path):
    try:
        with open(path, "w") as f:
            f.write("overwritten")
        return True
    except OSError:
        return False
seen["write_classmate"] = can_write({classmate!r})
seen["write_grader"] = can_write({grader_file!r})
seen["write_csv"] = can_write({csv_path!r})
seen["classmate_visible"] = os.path.exists({classmate!r})
os.makedirs(os.path.expanduser("~/.ipython/profile_default/startup"), exist_ok=True)
seen["startup"] = can_write(os.path.expanduser("~/.ipython/profile_default/startup/0.py"))
seen["runtime"] = sorted(
    glob.glob(os.environ["JUPYTER_RUNTIME_DIR"] + "/**/kernel-*.json", recursive=True)
    + glob.glob("/tmp/**/kernel-*.json", recursive=True)
    + glob.glob("/sandbox/**/kernel-*.json", recursive=True)
)
seen["uid"] = os.getuid()
try:
    x = bytearray(3 * 1024**3)
    seen["memory_3gb"] = True
except MemoryError:
    seen["memory_3gb"] = False
kids = []
try:
    for _ in range(400):
        kids.append(subprocess.Popen(["sleep", "30"]))
    seen["processes_400"] = True
except OSError:
    seen["processes_400"] = False
for k in kids:
    k.kill()
try:
    with open("/tmp/big", "wb") as f:
        f.write(b"x" * (100 * 1024 * 1024))
    seen["file_100mb"] = True
except OSError:
    seen["file_100mb"] = False
os.remove("/tmp/big") if os.path.exists("/tmp/big") else None
try:
    for i in range(40):
        with open("/tmp/fill%d" % i, "wb") as f:
            f.write(b"x" * (10 * 1024 * 1024))
    seen["disk_400mb"] = True
except OSError:
    seen["disk_400mb"] = False
for name in glob.glob("/tmp/fill*"):
    os.remove(name)
subprocess.Popen(
    [sys.executable, "-c", "import time; time.sleep(3); open({csv_path!r}, 'w').write('forged')"],
    start_new_session=True,
)
"""


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """Write a class of attack notebooks, grade it once, return what the tests need."""
    d = tmp_path_factory.mktemp("class")
    (d / "alice").mkdir()
    (d / "bob").mkdir()
    listener = Listener()
    csv_path = d / "grades.csv"
    import calcml.grading

    grader_file = str(Path(calcml.grading.__file__).parent / "judge.py")
    classmate = d / "bob" / "02_gradient.ipynb"
    paths = {
        "classmate": _write(classmate, 'submit("02.1", [6, 3, 2])'),
        "spy": _write(
            d / "alice" / "02_spy.ipynb",
            SPY.format(
                greeting=GREETING,
                secret=SECRET,
                port=listener.port,
                classmate=str(classmate),
                grader_file=grader_file,
                csv_path=str(csv_path),
            ),
            'submit("02.2", json.dumps(seen))',
        ),
        "killer": _write(
            d / "alice" / "02_killer.ipynb",
            'submit("02.1", [6, 3, 2])',
            "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)",
            'submit("02.2", [0.4472135955, 0.894427191])',
        ),
        "kill_all": _write(
            d / "alice" / "02_kill_all.ipynb", "import os, signal\nos.kill(-1, signal.SIGKILL)"
        ),
        "flood": _write(
            d / "alice" / "02_flood.ipynb",
            "import os\nfor _ in range(60):\n    print('x' * 1_000_000)",
            "os.write(1, b'FORGED stdout line\\n'); os.write(2, b'FORGED stderr\\n')",
            'submit("02.1", [6, 3, 2])',
        ),
        "stale": _write(
            d / "alice" / "02_stale.ipynb",
            "answer = [6, 3, 2]",
            'submit("02.1", answer)',
            "answer = 1 / 0",
            'submit("02.2", answer)',
        ),
        "lookup": _write(
            d / "alice" / "02_lookup.ipynb",
            "from calcml.exercise_bank import exercise\n"
            "ex = exercise('02.5')\n"
            "table = {tuple(map(float, p)): v for p, v in zip(ex.probes, ex.expected_value())}\n"
            "def tangent(x, y):\n    return table[(float(x), float(y))]",
            'submit("02.5", tangent)',
        ),
    }
    os.environ["CALCML_SECRET_TOKEN"] = SECRET
    before = {p: Path(p).read_bytes() for p in paths.values()}
    grader_before = Path(grader_file).read_bytes()
    args = [*paths.values(), "--workers", "2", "--timeout", "90", "--no-progress"]
    args += ["--csv", str(csv_path), "--json"]
    import contextlib
    import io

    out = io.StringIO()
    t0 = time.monotonic()
    with contextlib.redirect_stdout(out):
        code = main(args)
    elapsed = time.monotonic() - t0
    reports = {
        json.loads(line)["notebook"]: json.loads(line) for line in out.getvalue().splitlines()
    }
    spy = execute_notebook(paths["spy"], 90)
    time.sleep(4)  # give the detached writer its chance
    listener.stop = True
    yield {
        "code": code,
        "reports": reports,
        "paths": paths,
        "before": before,
        "grader_file": grader_file,
        "grader_before": grader_before,
        "csv": csv_path,
        "listener": listener,
        "spy": json.loads(spy.answers["02.2"]["answer"]["value"]),
        "stdout": out.getvalue(),
        "elapsed": elapsed,
    }
    os.environ.pop("CALCML_SECRET_TOKEN", None)


def _report(klass, name):
    return klass["reports"][klass["paths"][name]]


def _points(klass, name):
    return {r["exercise"]: r["points"] for r in _report(klass, name)["results"]}


def test_the_run_grades_everyone(klass):
    assert klass["code"] == 0
    assert set(klass["reports"]) == set(klass["paths"].values())
    assert _points(klass, "classmate")["02.1"] == 2


def test_no_secrets_environment_or_home(klass):
    spy = klass["spy"]
    assert spy["secret_env"] is False
    assert set(spy["home_files"]) <= {".ipython", ".config", ".cache", ".local", ".jupyter"}
    assert spy["home"] != os.path.expanduser("~")
    assert spy["uid"] == 65534


def test_no_network_even_to_localhost(klass):
    assert klass["spy"]["network"] is False
    assert klass["listener"].received == []


def test_other_processes_and_command_lines_invisible(klass):
    cmdlines = " ".join(klass["spy"]["cmdlines"])
    assert "pytest" not in cmdlines and "calcml-grade" not in cmdlines
    assert len(klass["spy"]["cmdlines"]) < 10  # the sandbox's own few processes


def test_only_its_own_notebook_visible_and_nothing_outside_writable(klass):
    spy = klass["spy"]
    assert spy["sandbox_files"] == ["home", "notebook.ipynb", "runtime"]
    assert spy["classmate_visible"] is False
    assert spy["write_classmate"] is False
    assert spy["write_grader"] is False
    assert spy["write_csv"] is False
    for path, data in klass["before"].items():
        assert Path(path).read_bytes() == data
    assert Path(klass["grader_file"]).read_bytes() == klass["grader_before"]


def test_startup_files_and_connection_files_stay_private(klass):
    spy = klass["spy"]
    assert spy["startup"] is True  # allowed in its own empty IPYTHONDIR, gone afterwards
    assert len(set(map(os.path.basename, spy["runtime"]))) <= 1  # at most its own kernel
    startup = Path.home() / ".ipython" / "profile_default" / "startup" / "0.py"
    assert not startup.exists() or b"overwritten" not in startup.read_bytes()


def test_detached_process_cannot_rewrite_the_grades(klass):
    with open(klass["csv"], newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(klass["paths"])
    assert "forged" not in klass["csv"].read_text()


def test_memory_process_and_file_limits(klass):
    spy = klass["spy"]
    assert spy["memory_3gb"] is False
    assert spy["processes_400"] is False
    assert spy["file_100mb"] is False
    assert spy["disk_400mb"] is False  # /tmp and the working directory are small tmpfs


def test_killing_the_parent_costs_only_that_notebook(klass):
    killer = _report(klass, "killer")
    assert killer["status"] == "crashed"
    assert _points(klass, "killer") == {**_points(klass, "killer"), "02.1": 2, "02.2": 0}
    assert _report(klass, "kill_all")["status"] in ("crashed", "ok")
    others = [r for n, r in klass["reports"].items() if "kill" not in n]
    assert all(r["status"] == "ok" for r in others)


def test_output_flood_is_capped_and_cannot_forge_report_lines(klass):
    flood = _report(klass, "flood")
    assert _points(klass, "flood")["02.1"] == 2
    assert "output beyond the caps was dropped" in flood["detail"]
    assert "FORGED" not in klass["stdout"]
    for line in klass["stdout"].splitlines():
        json.loads(line)


def test_an_answer_cell_that_raised_is_not_judged_stale(klass):
    rows = {r["exercise"]: r for r in _report(klass, "stale")["results"]}
    assert rows["02.1"]["points"] == 2
    assert rows["02.2"]["points"] == 0
    assert "ZeroDivisionError in cell 4" in rows["02.2"]["feedback"]
    assert "Not judged" in rows["02.2"]["feedback"]


def test_a_lookup_table_of_the_public_probes_earns_nothing(klass):
    rows = {r["exercise"]: r for r in _report(klass, "lookup")["results"]}
    assert rows["02.5"]["points"] == 0
    assert "grader's own points" in rows["02.5"]["feedback"]


def test_symlink_and_special_files_refused_contents_never_echoed(tmp_path):
    link = tmp_path / "02_link.ipynb"
    link.symlink_to("/etc/passwd")
    report = execute_notebook(str(link), 30)
    assert report.status == "unreadable" and "symbolic link" in report.detail
    assert "root:" not in report.detail
    fifo = tmp_path / "02_fifo.ipynb"
    os.mkfifo(fifo)
    assert execute_notebook(str(fifo), 30).status == "unreadable"
    big = tmp_path / "02_big.ipynb"
    big.write_bytes(b"{" + b" " * (21 * 1024 * 1024) + b"}")
    assert "larger than" in execute_notebook(str(big), 30).detail


def test_formula_cells_escaped():
    assert csv_safe('=HYPERLINK("http://x")').startswith("'=")
    assert csv_safe("+1") == "'+1" and csv_safe("@x") == "'@x" and csv_safe("ok") == "ok"
    assert csv_safe("a\x1b[2Jb\x07") == "a[2Jb"


def _cli(*args, cwd=None, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "calcml.grading.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["missing/02_x.ipynb"], 3, "no such file"),
        (["nothing/*/02_x.ipynb"], 3, "matched no file"),
        (["02_ok.ipynb", "--kernel", "nosuchkernel"], 3, "no Jupyter kernel named"),
        (["02_ok.ipynb", "--csv", "nodir/x.csv"], 3, "cannot write nodir/x.csv"),
        (["notes.ipynb"], 3, "cannot tell the chapter"),
        (["02_ok.ipynb", "--chapter", "05"], 3, "file name says chapter 02 but --chapter says 05"),
        (["02_ok.ipynb", "--exercise", "99.9"], 2, "no exercise '99.9'"),
        (["02_ok.ipynb", "--workers", "0"], 2, "--workers must be at least 1"),
    ],
)
def test_instructor_mistakes_exit_nonzero_before_grading(tmp_path, args, code, message):
    _write(tmp_path / "02_ok.ipynb", 'submit("02.1", [6, 3, 2])')
    _write(tmp_path / "notes.ipynb", 'submit("02.1", [6, 3, 2])')
    result = _cli(*args, "--no-progress", cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert message in result.stderr
    assert result.stdout == ""  # nothing was graded


def test_exercise_of_another_chapter_is_a_clear_error(tmp_path):
    _write(tmp_path / "02_ok.ipynb", 'submit("02.1", [6, 3, 2])')
    result = _cli("02_ok.ipynb", "--exercise", "4.1", "--no-progress", cwd=tmp_path)
    assert result.returncode == 3
    assert "chapter 02 has none of the exercises 04.1" in result.stderr


def test_ctrl_c_stops_quickly_keeps_rows_ends_kernels_and_resume_finishes(tmp_path):
    quick = _write(tmp_path / "02_quick.ipynb", 'submit("02.1", [6, 3, 2])')
    slow = _write(
        tmp_path / "02_slow.ipynb",
        "import subprocess, time\nsubprocess.Popen(['sleep', '987'])\ntime.sleep(300)",
    )
    csv_path = tmp_path / "grades.csv"
    proc = subprocess.Popen(
        [sys.executable, "-m", "calcml.grading.cli", quick, slow, "-j", "2", "--no-progress"]
        + ["--csv", str(csv_path), "--timeout", "280"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if csv_path.exists() and len(csv_path.read_text().splitlines()) >= 2:
            break
        time.sleep(0.5)
    time.sleep(3)  # the slow notebook is now sleeping in its kernel
    t0 = time.monotonic()
    proc.send_signal(signal.SIGINT)
    proc.wait(30)
    assert time.monotonic() - t0 < 10
    assert proc.returncode == 130
    assert "--resume" in proc.stderr.read()
    time.sleep(1)
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert "sleep 987" not in ps
    rows = list(csv.DictReader(csv_path.open(newline="", encoding="utf-8")))
    assert [r["notebook"] for r in rows] == [quick]
    _write(tmp_path / "02_slow.ipynb", 'submit("02.1", [6, 3, 0])')
    result = _cli(quick, slow, "--csv", str(csv_path), "--resume", "--no-progress")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(csv_path.open(newline="", encoding="utf-8")))
    assert [r["notebook"] for r in rows] == [quick, slow]
    assert [r["02.1"] for r in rows] == ["2", "0"]
