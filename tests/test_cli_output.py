"""``gdnode-trace`` when output cannot be written or is interrupted (issue 12): one line on
standard error and exit 1 (never a traceback), the CSV target checked before the run, a named
pipe refused at once, and an export stopped by SIGTERM or SIGKILL leaves no stray file and
the old file whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import gdnode_gui.cli as cli
from gdnode_gui.cli import main
from gdnode_gui.core import atomic
from gdnode_gui.core.setup import QUOTE_LIMIT

MODULE = [sys.executable, "-m", "gdnode_gui.cli"]
#: The same command with the named temporary file that systems without O_TMPFILE use.
NAMED_TEMPORARY = [sys.executable, "-c",
                   "import sys, gdnode_gui.core.atomic as a; a.use_unnamed_temporary = False; "
                   "from gdnode_gui.cli import main; sys.exit(main())"]
PRINTING = [["--steps", "2"], ["--steps", "2", "--csv", "-"], ["--list-presets"], ["--help"], ["--version"],
            ["--steps", "2", "--export-python", "-"]]
#: A run whose CSV (about 170 MB) takes a second or more to write.
BIG_RUN = ["--steps", "1000000", "--no-stop-on-stall"]


def one_line_error(err: str, *words: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("gdnode-trace: error: ") and "Traceback" not in err, err
    for word in words:
        assert word in lines[0], (word, err)


# -- standard output that cannot be written -------------------------------------------------
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("argv", PRINTING, ids=" ".join)
def test_a_full_standard_output_is_one_line_and_exit_1(argv):
    with open("/dev/full", "wb") as full:
        done = subprocess.run([*MODULE, *argv], stdout=full, stderr=subprocess.PIPE, timeout=120, text=True)
    assert done.returncode == 1
    one_line_error(done.stderr, "cannot write to standard output", "No space left on device")


@pytest.mark.parametrize("argv", PRINTING, ids=" ".join)
def test_a_closed_standard_output_is_one_line_and_exit_1(argv):
    done = subprocess.run([*MODULE, *argv], stderr=subprocess.PIPE, timeout=120, text=True,
                          preexec_fn=lambda: os.close(1))
    assert done.returncode == 1
    one_line_error(done.stderr, "standard output is closed")


def test_a_closed_standard_output_is_fine_when_nothing_is_printed(tmp_path):
    target = tmp_path / "trace.csv"
    done = subprocess.run([*MODULE, "--steps", "3", "--csv", str(target)], stderr=subprocess.PIPE,
                          timeout=120, text=True, preexec_fn=lambda: os.close(1))
    assert done.returncode == 0, done.stderr
    assert target.read_text().count("\n") == 4


# -- the CSV target, checked before the run -------------------------------------------------
@pytest.fixture
def no_run(monkeypatch):
    def run_to_end(setup):
        pytest.fail("the run started before the CSV target was checked")

    monkeypatch.setattr(cli, "run_to_end", run_to_end)


def test_a_read_only_csv_target_is_refused_before_the_run(tmp_path, capsys, no_run):
    target = tmp_path / "trace.csv"
    target.write_text("keep me\n")
    target.chmod(0o444)
    assert main([*BIG_RUN, "--csv", str(target)]) == 1
    one_line_error(capsys.readouterr().err, "cannot write the CSV", "read-only")
    assert target.read_text() == "keep me\n"


def test_a_csv_target_whose_folder_cannot_take_files_is_refused_before_the_run(tmp_path, capsys, no_run,
                                                                             monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic, "_open_temporary", refuse)  # as a folder of someone else's would
    assert main([*BIG_RUN, "--csv", str(tmp_path / "trace.csv")]) == 1
    one_line_error(capsys.readouterr().err, "cannot write the CSV", "Permission denied")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("flag, name", [("--export-python", "run.py"), ("--export-notebook", "run.ipynb")])
def test_a_read_only_export_target_is_refused_before_the_run(tmp_path, capsys, no_run, flag, name):
    target = tmp_path / name
    target.write_text("keep me\n")
    target.chmod(0o444)
    assert main([*BIG_RUN, flag, str(target)]) == 1
    one_line_error(capsys.readouterr().err, "cannot write", "read-only")
    assert target.read_text() == "keep me\n"


def test_checking_the_target_leaves_nothing(tmp_path, capsys):
    assert main(["--steps", "3", "--csv", str(tmp_path / "trace.csv")]) == 0
    assert os.listdir(tmp_path) == ["trace.csv"]


# -- input ------------------------------------------------------------------------------------
def test_a_named_pipe_as_setup_is_refused_at_once(tmp_path):
    pipe = tmp_path / "setup.json"
    os.mkfifo(pipe)
    done = subprocess.run([*MODULE, "--setup", str(pipe)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    one_line_error(done.stderr, "named pipe, not a regular file")


@pytest.mark.parametrize("argv, words", [
    (["--alpha", "-inf"], ["--alpha", "finite", "'-inf'"]),
    (["--goal", "-Infinity"], ["--goal", "finite"]),
    (["--inputs", "-nan"], ["--inputs", "finite"]),
    (["--steps", "\u0661\u0660"], ["--steps", "not a whole number"]),
    (["--steps", "1_0"], ["--steps", "not a whole number"]),
    (["--seed", "\uff11"], ["--seed", "not a whole number"]),
    (["--alpha", "1_0"], ["--alpha", "not a number"]),
    (["--alpha", "0.\u0661"], ["--alpha", "not a number"]),
    (["--steps", "9" * 5000], ["--steps", "5,000 digits"]),
    (["--steps", "1e300"], ["--steps", "10,000,000", "301 digits"]),
    (["--seed", "9" * 4000], ["--seed", "4,000 digits"]),
])
def test_flags_take_finite_numbers_in_ascii_digits(argv, words, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    one_line_error(err, *words)
    assert len(err) < 300


@pytest.mark.parametrize("argv", [
    ["--order", "x" * 100_000], ["--preset", "p" * 100_000], ["--alpha", "1" * 400 + "x"],
    ["--bogus", "b" * 1000], ["--setup", "s" * 3000], ["--csv", "/no/such/" + "c" * 1000],
    ["--order", "a b " * 1000],
])
def test_messages_quote_at_most_a_few_dozen_characters_of_an_argument(argv, capsys):
    assert main(argv) in (1, 2)
    err = capsys.readouterr().err
    one_line_error(err)
    assert len(err) < 400, err[:500]
    assert argv[1][: QUOTE_LIMIT + 1] not in err


# -- interrupted exports ----------------------------------------------------------------------
def export_has_begun(process: subprocess.Popen, folder: Path) -> bool:
    """True once the process holds a file in ``folder`` (named or unnamed) with bytes in it."""
    fds = Path(f"/proc/{process.pid}/fd")
    try:
        for fd in fds.iterdir():
            try:
                if os.readlink(fd).startswith(str(folder) + "/") and os.stat(fd).st_size > 0:
                    return True
            except OSError:
                continue
    except OSError:
        pass
    return False


def interrupt_an_export(command: list[str], folder: Path, signum: int) -> int:
    """Start a big export to ``folder/trace.csv``, send ``signum`` once writing has begun.

    The export takes under a second once it writes; on a loaded machine it can end before
    the signal arrives (exit status 0, the new file in place).  Then the old file is put
    back and it is tried again, three times at most: a signal that is really ignored still
    fails every time."""
    target = folder / "trace.csv"
    old = target.read_bytes() if target.exists() else None
    for _ in range(3):
        code = _interrupt_an_export_once(command, folder, signum)
        if code != 0:
            return code
        if old is not None:
            target.write_bytes(old)
    return code


def _interrupt_an_export_once(command: list[str], folder: Path, signum: int) -> int:
    process = subprocess.Popen([*command, *BIG_RUN, "--csv", str(folder / "trace.csv")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not export_has_begun(process, folder):
            assert process.poll() is None, "the export ended before it could be interrupted"
            assert time.monotonic() < deadline, "the export did not begin"
            time.sleep(0.005)
        process.send_signal(signum)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stderr.close()
    return process.returncode


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see the export begin")
@pytest.mark.parametrize("command", [MODULE, NAMED_TEMPORARY], ids=["unnamed", "named"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_an_export_stopped_by_a_signal_leaves_the_old_file_and_nothing_else(tmp_path, command, signum):
    old = tmp_path / "trace.csv"
    old.write_bytes(b"the old trace\n")
    code = interrupt_an_export(command, tmp_path, signum)
    assert code == (130 if signum == signal.SIGINT else 128 + signum)
    assert os.listdir(tmp_path) == ["trace.csv"]
    assert old.read_bytes() == b"the old trace\n"


@pytest.mark.skipif(not (Path("/proc/self/fd").is_dir() and atomic.use_unnamed_temporary),
                    reason="needs O_TMPFILE and /proc")
def test_an_export_killed_with_sigkill_leaves_nothing_on_linux(tmp_path):
    old = tmp_path / "trace.csv"
    old.write_bytes(b"the old trace\n")
    assert interrupt_an_export(MODULE, tmp_path, signal.SIGKILL) == -signal.SIGKILL
    assert os.listdir(tmp_path) == ["trace.csv"]
    assert old.read_bytes() == b"the old trace\n"


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to see the export begin")
def test_a_named_temporary_left_by_sigkill_goes_with_the_next_write(tmp_path):
    old = tmp_path / "trace.csv"
    old.write_bytes(b"the old trace\n")
    assert interrupt_an_export(NAMED_TEMPORARY, tmp_path, signal.SIGKILL) == -signal.SIGKILL
    left = [name for name in os.listdir(tmp_path) if name != "trace.csv"]
    assert len(left) == 1 and left[0].endswith(atomic.TEMPORARY_SUFFIX)  # what SIGKILL cannot avoid
    assert old.read_bytes() == b"the old trace\n"
    done = subprocess.run([*NAMED_TEMPORARY, "--steps", "3", "--csv", str(tmp_path / "other.csv")],
                          capture_output=True, timeout=120)
    assert done.returncode == 0
    assert sorted(os.listdir(tmp_path)) == ["other.csv", "trace.csv"]


def test_a_temporary_file_of_a_live_process_is_left_alone(tmp_path):
    mine = tmp_path / f".trace.csv.{os.getpid()}.0123abcd{atomic.TEMPORARY_SUFFIX}"
    alive = tmp_path / f".trace.csv.{os.getppid()}.0123abcd{atomic.TEMPORARY_SUFFIX}"
    other = tmp_path / ".trace.csv.1234.part"  # not our pattern
    for path in (mine, alive, other):
        path.write_bytes(b"x")
    atomic.write_atomically(tmp_path / "trace.csv", b"new\n")
    assert sorted(os.listdir(tmp_path)) == sorted([mine.name, alive.name, other.name, "trace.csv"])
