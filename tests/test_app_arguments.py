"""``gdnode-gui``'s own command line (issue 12): a named pipe is not "no such file", and what
it prints survives a reader that goes away or a full standard output."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gdnode_gui.app import main

MODULE = [sys.executable, "-c", "import sys; from gdnode_gui.app import main; sys.exit(main())"]


def test_a_named_pipe_is_refused_as_not_a_regular_file(tmp_path, capsys):
    pipe = tmp_path / "setup.gdnode"
    os.mkfifo(pipe)
    assert main([str(pipe)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"gdnode-gui: cannot open {pipe}: it is a named pipe, not a regular file"


def test_a_folder_is_refused_as_not_a_regular_file(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert "it is a folder, not a regular file" in capsys.readouterr().err


def test_a_missing_file_is_still_no_such_file(tmp_path, capsys):
    assert main([str(tmp_path / "missing.gdnode")]) == 2
    assert "no such setup file" in capsys.readouterr().err


def test_install_desktop_into_a_reader_that_stops_after_one_line(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    # The reader takes one line and goes away, as "| head -1" does.
    process = subprocess.Popen([*MODULE, "--install-desktop"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    process.stdout.close()  # gone before anything was printed: the write itself fails
    err = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err
    assert (tmp_path / "data" / "applications" / "gdnode-gui.desktop").exists()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("flag", ["--help", "--version", "--install-desktop"])
def test_a_full_standard_output_is_one_line_and_exit_1(tmp_path, flag):
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    with open("/dev/full", "wb") as full:
        done = subprocess.run([*MODULE, flag], stdout=full, stderr=subprocess.PIPE, text=True,
                              env=env, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip() == "gdnode-gui: cannot write to standard output: No space left on device"
