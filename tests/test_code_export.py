"""The run as code (issue 15): the exported script and notebook give the CLI's CSV, byte for byte.

Every script is run as a real program (``python -I``: no gdnode_gui on the path) and its
output compared with ``gdnode-trace --csv -`` for the same flags; every notebook is
validated with nbformat and its code cells run in order in a fresh interpreter.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdnode_gui.cli import main
from gdnode_gui.core import Example, Setup, run_to_end, save_setup
from gdnode_gui.core.analysis import analyse
from gdnode_gui.core.code_export import (
    notebook_json, python_script, write_notebook, write_python_script,
)
from gdnode_gui.core.code_export.notebook import markdown_text
from gdnode_gui.core.csv_trace import csv_text
from gdnode_gui.core.outcome import summary
from gdnode_gui.resources import load_preset

nbformat = pytest.importorskip("nbformat")

#: Setups of every kind, as gdnode-trace flags.  The comment says what each one covers.
CASES = {
    "seed": ["--preset", "seed"],  # stalled after 318
    "seed-no-stall": ["--preset", "seed", "--no-stop-on-stall"],  # max_steps 325
    "death-spiral": ["--preset", "death-spiral"],  # diverged: mse = delta ** 2 overflows
    "three-little-pigs": ["--preset", "three-little-pigs"],  # several examples, cyclic, stalled
    "several-inputs-tolerance": ["--preset", "several-inputs", "--tolerance", "1e-6"],
    "oscillating": ["--preset", "oscillating"],  # converged below a tolerance
    "shuffled": ["--preset", "small-data-set", "--order", "shuffled", "--seed", "3"],
    "shuffled-pigs": ["--preset", "three-little-pigs", "--order", "shuffled", "--seed", "11"],
    "batch-frozen": ["--preset", "frozen-weight", "--order", "batch"],
    "batch-data-set": ["--preset", "small-data-set", "--order", "batch"],
    "batch-one-example": ["--preset", "death-spiral", "--order", "batch"],
    "frozen": ["--preset", "frozen-weight"],
    "one-frozen-weight": ["--setup", "ONE_FROZEN"],
    "max-steps": ["--preset", "small-data-set", "--steps", "37"],
    # inf + (-inf) in the prediction: nan at step 1.
    "nan": ["--inputs", "1e200", "1e200", "--weights", "1e200", "-1e200", "--goal", "0"],
    # alpha_delta overflows while the mse is still finite.
    "weight-inf": ["--inputs", "1e10", "--weights", "1", "--goal", "0", "--alpha", "1e300"],
}

ONE_FROZEN = {"examples": [{"inputs": [2.0], "goal": 0.6}, {"inputs": [1.0], "goal": 0.1}],
              "weights": [0.4], "frozen": [True], "alpha": 0.1, "max_steps": 20,
              "order": "shuffled", "seed": 5}


def flags(case: str, tmp_path: Path) -> list[str]:
    argv = list(CASES[case])
    if "ONE_FROZEN" in argv:
        path = tmp_path / "one-frozen.json"
        path.write_text(json.dumps(ONE_FROZEN))
        argv[argv.index("ONE_FROZEN")] = str(path)
    return argv


def cli_bytes(capsysbinary, *argv: str) -> bytes:
    assert main(list(argv)) == 0
    out, err = capsysbinary.readouterr()
    assert err.strip(), "the summary goes to stderr"
    return out


def run_script(path: Path, cwd: Path) -> subprocess.CompletedProcess:
    """``python -I SCRIPT``: isolated, so gdnode_gui cannot be imported even by accident."""
    return subprocess.run([sys.executable, "-I", str(path)], capture_output=True, cwd=cwd, timeout=120)


# A fresh interpreter that runs a notebook's code cells in order, in one namespace, as a
# kernel would (no Jupyter needed), in the notebook's folder.
RUN_CELLS = textwrap.dedent("""\
    import json, sys
    cells = json.load(open(sys.argv[1], encoding="utf-8"))["cells"]
    namespace = {"__name__": "__main__"}
    for cell in cells:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), "<cell>", "exec"), namespace)
""")


def run_cells(notebook: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-I", "-c", RUN_CELLS, str(notebook)],
                          capture_output=True, cwd=notebook.parent, timeout=120)


# -- the script ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", sorted(CASES))
def test_script_prints_the_clis_csv(case, tmp_path, capsysbinary):
    argv = flags(case, tmp_path)
    expected = cli_bytes(capsysbinary, *argv, "--csv", "-")
    script = tmp_path / "node.py"
    assert main([*argv, "--export-python", str(script)]) == 0
    capsysbinary.readouterr()
    done = run_script(script, tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == expected
    assert len(expected.splitlines()) > 1


@pytest.mark.parametrize("case, word", [("seed", "stalled"), ("death-spiral", "diverged"),
                                        ("nan", "diverged"), ("oscillating", "converged"),
                                        ("max-steps", "max_steps")])
def test_script_tells_the_outcome_on_stderr(case, word, tmp_path, capsys):
    argv = flags(case, tmp_path)
    main([*argv, "--export-python", str(tmp_path / "node.py")])
    capsys.readouterr()
    done = run_script(tmp_path / "node.py", tmp_path)
    assert done.stderr.decode().startswith(word + " after step ")


def imported_modules(text: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module.split(".")[0])
    return modules


@pytest.mark.parametrize("preset", ["seed", "small-data-set", "several-inputs"])
@pytest.mark.parametrize("order", ["cyclic", "shuffled", "batch"])
def test_script_imports_the_standard_library_and_numpy_only_when_shuffled(preset, order):
    setup = load_preset(preset).replace(order=order)
    modules = imported_modules(python_script(setup))
    shuffled = order == "shuffled" and setup.n_examples > 1
    assert modules <= {"math", "sys", "collections", "numpy"}
    assert ("numpy" in modules) == shuffled
    assert "gdnode_gui" not in python_script(setup)


def test_script_shows_the_articles_six_lines_in_order():
    text = python_script(load_preset("seed"))
    lines = [line.strip() for line in text.splitlines()]
    six = ["prediction = weight * input", "delta = prediction - goal", "mse = square(delta)",
           "weighted_delta = delta * input", "alpha_delta = alpha * weighted_delta",
           "weight = weight - alpha_delta"]
    start = next(i for i, line in enumerate(lines) if line == six[0])
    assert [line.split("  #")[0] for line in lines[start:start + 6]] == six
    for assignment in ("weight = 0.4", "input = 1.0", "goal = 0.6", "alpha = 0.1"):
        assert any(line.startswith(assignment + " ") for line in lines), assignment


def test_several_inputs_add_up_left_to_right_not_with_sum():
    text = python_script(load_preset("several-inputs"))
    assert "prediction = weight[0] * input[0] + weight[1] * input[1] + weight[2] * input[2]" in text
    assert "sum(" not in text.replace("fsum(", "")


def test_sixteen_inputs_and_a_long_data_set_stay_readable_and_exact(tmp_path):
    examples = tuple(Example(tuple(((e * 7 + i) % 5 - 2) / 4 for i in range(16)), (e % 3) / 2)
                     for e in range(40))
    setup = Setup(examples=examples, weights=tuple(i / 100 for i in range(16)), alpha=0.01,
                  max_steps=300, tolerance=1e-9)
    for order in ("cyclic", "batch"):
        case = setup.replace(order=order)
        text = python_script(case)
        assert max(len(line) for line in text.splitlines()) <= 100
        path = tmp_path / f"{order}.py"
        write_python_script(case, path)
        done = run_script(path, tmp_path)
        assert done.stdout == csv_text(run_to_end(case).trace).encode("ascii"), done.stderr


def test_user_text_stays_in_comments(tmp_path):
    name = 'x"""\nimport os; os.remove("precious")\n#'
    setup = load_preset("seed").replace(
        name=name, description="\x00\r\nprint('pwned')\u2028'''", input_names=("a\nb",), max_steps=3)
    (tmp_path / "precious").write_text("keep")
    text = python_script(setup)
    assert "os" not in imported_modules(text)
    path = tmp_path / "node.py"
    path.write_text(text, encoding="utf-8")
    done = run_script(path, tmp_path)
    assert done.returncode == 0 and b"pwned" not in done.stdout + done.stderr
    assert (tmp_path / "precious").exists()
    cells = json.loads(notebook_json(setup))["cells"]
    markdown = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    escaped = notebook_json(setup.replace(name="<script>alert(1)</script>"))
    assert "<script>" not in escaped and "\\\\<script\\\\>" in escaped  # \\< in the JSON text
    assert "import os" in markdown  # shown as text, not run


# -- the notebook -------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["seed", "death-spiral", "three-little-pigs", "shuffled",
                                  "batch-frozen", "several-inputs-tolerance", "nan", "max-steps"])
def test_notebook_is_valid_and_writes_the_clis_csv(case, tmp_path, capsysbinary):
    argv = flags(case, tmp_path)
    expected = cli_bytes(capsysbinary, *argv, "--csv", "-")
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook = folder / "node.ipynb"
    assert main([*argv, "--export-notebook", str(notebook)]) == 0
    capsysbinary.readouterr()
    nbformat.validate(nbformat.read(str(notebook), as_version=4))
    done = run_cells(notebook)
    assert done.returncode == 0, done.stderr.decode()
    assert (folder / "trace.csv").read_bytes() == expected
    shown = done.stdout.decode().splitlines()
    rows = expected.decode().splitlines()
    last_step = rows[-1].split(",")[0]
    assert any(line.split() and line.split()[0] == last_step for line in shown)
    assert any(line.split()[:1] == ["step"] for line in shown)


def test_notebook_shows_ten_rows_and_the_last(tmp_path):
    notebook = tmp_path / "seed.ipynb"
    write_notebook(load_preset("seed"), notebook)
    out = run_cells(notebook).stdout.decode().splitlines()
    table = out[out.index(next(line for line in out if line.lstrip().startswith("step "))):]
    steps = [line.split()[0] for line in table[1:] if line.strip()]
    assert steps[:12] == [str(k) for k in range(1, 11)] + ["...", "318"]


def test_notebook_code_has_no_magics_and_explains_each_line():
    cells = json.loads(notebook_json(load_preset("several-inputs")))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    for cell in code:
        for line in cell["source"]:
            assert not line.lstrip().startswith(("%", "!")), line
        ast.parse("".join(cell["source"]))
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    for name in ("prediction", "delta =", "mse", "weighted_delta", "alpha_delta",
                 "weight = weight - alpha_delta"):
        assert name in markdown, name


@pytest.mark.parametrize("preset", ["seed", "death-spiral", "three-little-pigs", "frozen-weight"])
def test_notebook_states_the_lesson_in_the_apps_own_words(preset):
    setup = load_preset(preset)
    run = run_to_end(setup)
    cells = json.loads(notebook_json(setup))["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    head, rest = summary(run).split(" ", 1)
    assert markdown_text(rest) in markdown
    assert f"**{head}**" in markdown
    assert markdown_text(analyse(setup).regime_sentence) in markdown


def test_notebook_reuses_a_finished_run_but_not_a_stopped_one():
    setup = load_preset("seed")
    assert notebook_json(setup, run_to_end(setup)) == notebook_json(setup)
    other = run_to_end(setup.replace(max_steps=1))  # another setup's run: not used
    assert notebook_json(setup, other) == notebook_json(setup)
    from gdnode_gui.core.run import Run

    unfinished = Run(setup)
    unfinished.step()
    unfinished.stop()
    assert notebook_json(setup, unfinished) == notebook_json(setup)


def test_notebook_plot_cell_runs_with_matplotlib(tmp_path, monkeypatch):
    """The optional plot: with a stand-in matplotlib that records every call."""
    from unittest import mock

    pyplot = mock.MagicMock()
    pyplot.subplots.return_value = (mock.MagicMock(), (mock.MagicMock(), mock.MagicMock()))
    package = mock.MagicMock(pyplot=pyplot)
    monkeypatch.setitem(sys.modules, "matplotlib", package)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", pyplot)
    monkeypatch.chdir(tmp_path)
    cells = json.loads(notebook_json(load_preset("several-inputs")))["cells"]
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in cells:
            if cell["cell_type"] == "code":
                exec("".join(cell["source"]), namespace)
    top, bottom = pyplot.subplots.return_value[1]
    assert top.plot.call_count == 3  # new_weight_1..3
    pyplot.show.assert_called_once()


# -- the command line ------------------------------------------------------------------------------
def test_export_python_to_stdout(capsysbinary):
    assert main(["--preset", "three-little-pigs", "--export-python", "-"]) == 0
    out, err = capsysbinary.readouterr()
    assert out == python_script(load_preset("three-little-pigs")).encode("utf-8")
    assert err.decode().startswith("stalled")


@pytest.mark.parametrize("flag, name", [("--export-python", "node.py"),
                                        ("--export-notebook", "node.ipynb")])
def test_unwritable_targets_exit_1_and_leave_nothing(flag, name, tmp_path, capsys):
    missing = tmp_path / "missing" / name
    assert main([flag, str(missing)]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "does not exist" in err and "Traceback" not in err
    assert main([flag, str(tmp_path)]) == 1
    assert "folder" in capsys.readouterr().err
    read_only = tmp_path / name
    read_only.write_text("old")
    read_only.chmod(0o444)
    assert main([flag, str(read_only)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("gdnode-trace: error: cannot write") and len(err.strip().splitlines()) == 1
    assert read_only.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary file left


def test_a_failure_while_writing_leaves_the_old_file(tmp_path, capsys, monkeypatch):
    target = tmp_path / "node.py"
    target.write_text("old")

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    assert main(["--export-python", str(target)]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["node.py"]


@pytest.mark.parametrize("argv, words", [
    (["--export-notebook", "node.txt"], [".ipynb"]),
    (["--export-python", ""], ["--export-python"]),
    (["--csv", "-", "--export-python", "-"], ["--csv", "--export-python", "standard output"]),
])
def test_bad_export_flags_exit_2(argv, words, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    for word in words:
        assert word in err
    assert list(tmp_path.iterdir()) == []


def test_exports_replace_the_table_and_keep_the_csv(tmp_path, capsysbinary):
    script = tmp_path / "node.py"
    notebook = tmp_path / "node.ipynb"
    assert main(["--preset", "one-step", "--csv", "-", "--export-python", str(script),
                 "--export-notebook", str(notebook)]) == 0
    out, _ = capsysbinary.readouterr()
    assert out == csv_text(run_to_end(load_preset("one-step")).trace).encode("ascii")
    assert script.read_text(encoding="utf-8") == python_script(load_preset("one-step"))
    assert notebook.read_text(encoding="utf-8") == notebook_json(load_preset("one-step"))
    assert main(["--preset", "one-step", "--export-python", str(script)]) == 0
    assert capsysbinary.readouterr().out == b""  # no table: the export is the output


def test_a_saved_setup_exports_the_same_as_its_flags(tmp_path):
    setup = load_preset("small-data-set").replace(order="shuffled", seed=9, max_steps=50)
    save_setup(setup, tmp_path / "s.gdnode")
    assert main(["--setup", str(tmp_path / "s.gdnode"), "--export-python",
                 str(tmp_path / "a.py")]) == 0
    assert (tmp_path / "a.py").read_text(encoding="utf-8") == python_script(setup)


def test_a_pass_with_a_tiny_mse_is_not_converged(tmp_path):
    """The mean of 5e-324 and 0 rounds to 0, yet the app does not call that 'exactly 0':
    the script checks every mse of the pass, as the app does."""
    setup = Setup(examples=(Example((1.0,), -2.5e-162), Example((0.0,), 0.0)), weights=(0.0,),
                  alpha=0.0, max_steps=4, stop_on_stall=False)
    run = run_to_end(setup)
    assert run.trace.mse[0] == 5e-324 and run.outcome == "max_steps"
    assert script_output(python_script(setup)) == csv_text(run.trace).encode("ascii")


# -- any small setup --------------------------------------------------------------------------------
def script_output(text: str) -> bytes:
    """Run a script's text in this process (quicker than a subprocess, for hypothesis)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        exec(compile(text, "<script>", "exec"), {"__name__": "__main__"})
    return out.buffer.getvalue()


values = st.one_of(
    st.sampled_from([0.0, 1.0, -1.0, 0.5, 2.0, 0.1, -0.0]),
    st.floats(-3, 3, allow_nan=False),
    st.floats(-1e200, 1e200, allow_nan=False),  # overflow: diverged
)


@st.composite
def small_setups(draw) -> Setup:
    n = draw(st.integers(1, 3))
    m = draw(st.integers(1, 3))
    examples = tuple(Example(tuple(draw(values) for _ in range(n)), draw(values)) for _ in range(m))
    return Setup(
        examples=examples,
        weights=tuple(draw(values) for _ in range(n)),
        frozen=tuple(draw(st.booleans()) for _ in range(n)),
        alpha=draw(st.one_of(st.sampled_from([0.0, 0.1, 0.25, 0.5, 1.0, 3.0]), st.floats(0, 4))),
        max_steps=draw(st.integers(1, 40)),
        tolerance=draw(st.sampled_from([0.0, 1e-12, 1e-3, 0.5])),
        stop_on_stall=draw(st.booleans()),
        order=draw(st.sampled_from(["cyclic", "shuffled", "batch"])),
        seed=draw(st.integers(0, 2**32)),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_setups())
def test_any_small_setups_script_prints_the_cores_csv(setup):
    assert script_output(python_script(setup)) == csv_text(run_to_end(setup).trace).encode("ascii")
