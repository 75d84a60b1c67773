"""``gdnode-trace`` (DESIGN.md §3): in-process through main() and as the installed command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gdnode_gui.cli import build_parser, main
from gdnode_gui.core import Example, run_to_end, save_setup, seed_setup
from gdnode_gui.core.csv_trace import csv_text
from gdnode_gui.core.outcome import OUTCOME_SENTENCES
from gdnode_gui.resources import load_preset, preset_names

FLAGS = ("--preset", "--setup", "--inputs", "--weights", "--goal", "--alpha", "--steps",
         "--tolerance", "--no-stop-on-stall", "--order", "--seed", "--csv", "--list-presets",
         "--version", "--help")


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def command() -> list[str]:
    """The installed console script, or the module when it is not on the PATH."""
    beside = Path(sys.executable).with_name("gdnode-trace")
    found = str(beside) if beside.exists() else shutil.which("gdnode-trace")
    return [found] if found else [sys.executable, "-m", "gdnode_gui.cli"]


def run_command(*argv: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([*command(), *argv], capture_output=True, timeout=120, **kwargs)


def assert_one_line_error(err: str, *words: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("gdnode-trace: error: "), err
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0], (word, err)


def write_setup(tmp_path: Path, data, name: str = "setup.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


GOOD = {"examples": [{"inputs": [1.0], "goal": 0.6}], "weights": [0.4], "alpha": 0.1}


# -- the seed and the table ------------------------------------------------------------------------
def test_no_arguments_runs_the_seed(capsys):
    code, out, err = run_main(capsys)
    assert code == 0
    assert err.count("\n") == 1
    assert err.startswith("stalled after step 318")
    assert "0.5999999999999994" in err
    lines = out.splitlines()
    assert lines[0].split() == ["step", "weight_1", "prediction", "delta", "mse", "new_weight_1"]
    assert lines[1].split() == ["1", "0.4", "0.4", "-0.19999999999999996", "0.03999999999999998",
                                "0.42000000000000004"]
    assert "... 288 steps not shown ..." in out
    assert lines[-1].split()[0] == "318"
    assert lines[-1].split()[-1] == "0.5999999999999994"
    assert len(lines) == 1 + 20 + 1 + 10


def test_preset_seed_stalls_after_318(capsys):
    code, out, err = run_main(capsys, "--preset", "seed")
    assert code == 0
    assert err.startswith("stalled after step 318:")


def test_short_runs_show_every_step(capsys):
    code, out, err = run_main(capsys, "--steps", "5")
    assert code == 0
    assert "not shown" not in out
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["1", "2", "3", "4", "5"]
    assert err.startswith("max_steps after step 5")


def test_table_shows_the_example_with_several(capsys):
    code, out, _ = run_main(capsys, "--preset", "small-data-set")
    assert code == 0
    assert out.splitlines()[0].split()[:2] == ["step", "example"]


def test_table_in_batch_order_has_no_per_example_columns(capsys):
    code, out, _ = run_main(capsys, "--preset", "small-data-set", "--order", "batch", "--steps", "3")
    assert code == 0
    header = out.splitlines()[0].split()
    assert "example" not in header and "prediction" not in header and "delta" not in header
    assert "mse" in header


# -- the CSV ---------------------------------------------------------------------------------------
def test_csv_to_stdout_is_exactly_csv_text(capsysbinary):
    assert main(["--csv", "-"]) == 0
    out, err = capsysbinary.readouterr()
    assert out == csv_text(run_to_end(seed_setup()).trace).encode("ascii")
    assert err.decode().startswith("stalled after step 318")


@pytest.mark.parametrize("preset", preset_names())
def test_csv_of_every_preset_matches_the_core(preset, capsysbinary):
    assert main(["--preset", preset, "--csv", "-"]) == 0
    out, _ = capsysbinary.readouterr()
    assert out == csv_text(run_to_end(load_preset(preset)).trace).encode("ascii")


def test_csv_to_a_file(tmp_path, capsys):
    path = tmp_path / "trace.csv"
    code, out, err = run_main(capsys, "--csv", str(path))
    assert code == 0
    assert out == ""
    assert path.read_bytes() == csv_text(run_to_end(seed_setup()).trace).encode("ascii")
    assert err.startswith("stalled")


def test_unwritable_csv_paths_exit_1(tmp_path, capsys):
    code, out, err = run_main(capsys, "--csv", "/nonexistent/dir/x.csv")
    assert code == 1
    assert_one_line_error(err, "/nonexistent/dir/x.csv")
    read_only = tmp_path / "locked.csv"
    read_only.write_text("keep\n")
    read_only.chmod(0o444)
    code, out, err = run_main(capsys, "--csv", str(read_only))
    assert code == 1
    assert_one_line_error(err, "locked.csv")
    assert read_only.read_text() == "keep\n"
    code, out, err = run_main(capsys, "--csv", str(tmp_path))
    assert code == 1
    assert_one_line_error(err)
    assert sorted(os.listdir(tmp_path)) == ["locked.csv"]


# -- each outcome's summary starts with the outcome word -----------------------------------------------
@pytest.mark.parametrize("argv, word", [
    ([], "stalled"),
    (["--no-stop-on-stall"], "max_steps"),
    (["--preset", "death-spiral"], "diverged"),
    (["--alpha", "3", "--steps", "5000"], "diverged"),
    (["--preset", "one-step"], "converged"),
    (["--tolerance", "1e-12"], "converged"),
])
def test_summary_starts_with_the_outcome_word(argv, word, capsys):
    code, out, err = run_main(capsys, *argv, "--csv", "-")
    assert code == 0  # diverged is a result, not an error
    assert err.count("\n") == 1
    assert err.split()[0] == word


def test_diverged_summary_names_the_stable_alpha(capsys):
    _, _, err = run_main(capsys, "--preset", "death-spiral")
    assert "inf" in err
    assert "0.5" in err and "alpha 0.6" in err


# -- flags -----------------------------------------------------------------------------------------
def test_flags_override_a_setup_file(tmp_path, capsysbinary):
    path = write_setup(tmp_path, {**GOOD, "max_steps": 7})
    assert main(["--setup", path, "--alpha", "0.25", "--goal", "0.5", "--csv", "-"]) == 0
    out, _ = capsysbinary.readouterr()
    expected = seed_setup().replace(examples=(Example((1.0,), 0.5),), alpha=0.25, max_steps=7,
                                    name="", description="", input_names=())
    assert out == csv_text(run_to_end(expected).trace).encode("ascii")


def test_every_override(capsysbinary):
    argv = ["--inputs", "1", "-2.5", "--weights", "0.1", "-1e-3", "--goal", "0.7", "--alpha", "0.01",
            "--steps", "40", "--tolerance", "1e-30", "--no-stop-on-stall", "--order", "batch",
            "--seed", "9", "--csv", "-"]
    assert main(argv) == 0
    out, _ = capsysbinary.readouterr()
    setup = seed_setup().replace(
        examples=(Example((1.0, -2.5), 0.7),), weights=(0.1, -1e-3), input_names=(), frozen=(),
        alpha=0.01, max_steps=40, tolerance=1e-30, stop_on_stall=False, order="batch", seed=9)
    assert out == csv_text(run_to_end(setup).trace).encode("ascii")


def test_inputs_replace_only_the_first_example(capsysbinary):
    assert main(["--preset", "small-data-set", "--inputs", "1", "1", "--steps", "10", "--csv", "-"]) == 0
    out, _ = capsysbinary.readouterr()
    base = load_preset("small-data-set")
    changed = base.replace(examples=(Example((1.0, 1.0), base.examples[0].goal),) + base.examples[1:],
                           max_steps=10)
    assert out == csv_text(run_to_end(changed).trace).encode("ascii")


def test_shuffled_with_a_seed_is_reproducible(capsysbinary):
    argv = ["--preset", "small-data-set", "--order", "shuffled", "--seed", "42", "--csv", "-"]
    assert main(argv) == 0
    first, _ = capsysbinary.readouterr()
    assert main(argv) == 0
    second, _ = capsysbinary.readouterr()
    assert first == second
    assert main([*argv[:-3], "43", "--csv", "-"]) == 0
    other, _ = capsysbinary.readouterr()
    assert other != first


def test_list_presets(capsys):
    code, out, err = run_main(capsys, "--list-presets")
    assert code == 0 and err == ""
    for name in preset_names():
        assert f"\n{name} " in out
    assert load_preset("death-spiral").name in out


def test_help_mentions_every_flag_and_outcome(capsys):
    code, out, _ = run_main(capsys, "--help")
    assert code == 0
    for flag in FLAGS:
        assert flag in out, flag
    for word in OUTCOME_SENTENCES:
        if word != "stopped":  # the user stops runs in the window only
            assert word in out, word
    for action in build_parser()._actions:
        assert action.help, action.option_strings


def test_version(capsys):
    code, out, _ = run_main(capsys, "--version")
    assert code == 0
    assert out.startswith("gdnode-trace ")


# -- invalid input: exit 2, one line, no traceback ------------------------------------------------------
@pytest.mark.parametrize("argv, words", [
    (["--preset", "nope"], ["--preset", "nope", "seed"]),
    (["--alpha", "-0.1"], ["--alpha", "negative"]),
    (["--alpha", "nan"], ["--alpha", "finite"]),
    (["--alpha", "inf"], ["--alpha", "finite"]),
    (["--alpha", "1e999"], ["--alpha"]),
    (["--alpha", "abc"], ["--alpha"]),
    (["--goal", "-inf"], ["--goal"]),
    (["--inputs", "1", "nan"], ["--inputs"]),
    (["--weights", "0.4", "inf"], ["--weights"]),
    (["--steps", "0"], ["--steps", "10,000,000"]),
    (["--steps", "10000001"], ["--steps", "10,000,000"]),
    (["--steps", "1.5"], ["--steps"]),
    (["--tolerance", "-1"], ["--tolerance"]),
    (["--seed", "-1"], ["--seed"]),
    (["--order", "random"], ["--order"]),
    (["--inputs", "1", "2"], ["--inputs", "--weights"]),
    (["--weights", "1", "2"], ["--weights", "--inputs"]),
    (["--inputs", "1", "2", "--weights", "1", "2", "3"], ["--inputs", "--weights"]),
    (["--preset", "small-data-set", "--inputs", "1", "2", "3", "--weights", "1", "2", "3"], ["--inputs"]),
    (["--inputs", *["1"] * 17, "--weights", *["0"] * 17], ["--weights", "16"]),
    (["--preset", "seed", "--setup", "x.json"], ["--setup", "--preset"]),
    (["--csv", ""], ["--csv"]),
    (["--bogus"], ["--bogus"]),
])
def test_invalid_flags_exit_2(argv, words, capsys):
    code, out, err = run_main(capsys, *argv)
    assert code == 2
    assert out == ""
    assert_one_line_error(err, *words)


@pytest.mark.parametrize("content, words", [
    (None, ["--setup", "missing.json"]),
    ("{not json", ["--setup", "JSON"]),
    ({**GOOD, "colour": "red"}, ["colour"]),
    ({**GOOD, "alpha": -1}, ["alpha"]),
    ({"examples": GOOD["examples"], "weights": [0.4]}, ["alpha"]),
    ({**GOOD, "weights": [0.4, 0.5]}, ["examples[1].inputs"]),
    ({**GOOD, "max_steps": 0}, ["max_steps"]),
    ('{"examples": [{"inputs": [1], "goal": 0.6}], "weights": [0.4], "alpha": NaN}', ["NaN"]),
    ([1, 2], ["object"]),
])
def test_bad_setup_files_exit_2(tmp_path, content, words, capsys):
    path = str(tmp_path / "missing.json") if content is None else write_setup(tmp_path, content)
    code, out, err = run_main(capsys, "--setup", path)
    assert code == 2
    assert out == ""
    assert_one_line_error(err, *words)


def test_a_saved_setup_runs(tmp_path, capsysbinary):
    path = tmp_path / "saved.json"
    save_setup(load_preset("oscillating"), path)
    assert main(["--setup", str(path), "--csv", "-"]) == 0
    out, _ = capsysbinary.readouterr()
    assert out == csv_text(run_to_end(load_preset("oscillating")).trace).encode("ascii")


# -- the installed command, in a real process ----------------------------------------------------------
def test_console_script_csv_and_summary():
    done = run_command("--preset", "seed", "--csv", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout == csv_text(run_to_end(load_preset("seed")).trace).encode("ascii")
    assert done.stderr.decode().startswith("stalled after step 318")


def test_console_script_errors():
    done = run_command("--alpha", "nan")
    assert done.returncode == 2
    assert_one_line_error(done.stderr.decode(), "--alpha")
    done = run_command("--csv", "/nonexistent/dir/x.csv")
    assert done.returncode == 1
    assert_one_line_error(done.stderr.decode(), "/nonexistent/dir/x.csv")


def test_console_script_quiet_on_a_closed_pipe():
    # The reader stops after one line (like "| head -1"): no BrokenPipeError traceback.
    process = subprocess.Popen([*command(), "--no-stop-on-stall", "--steps", "200000", "--csv", "-"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = process.stdout.readline()
    process.stdout.close()
    err = process.stderr.read().decode()
    process.stderr.close()
    code = process.wait(timeout=120)
    assert first.startswith(b"step,example,")
    assert "Traceback" not in err and "BrokenPipe" not in err
    assert code == 0
    assert err.startswith("max_steps")


def test_module_runs_as_a_script():
    done = subprocess.run([sys.executable, "-m", "gdnode_gui.cli", "--steps", "3"],
                          capture_output=True, timeout=120, text=True)
    assert done.returncode == 0
    assert done.stderr.startswith("max_steps after step 3")


# -- the summary and the status-bar sentence (gdnode_gui.core.outcome) -----------------------------------
def test_summary_explains_the_seeds_stall_with_its_numbers():
    from gdnode_gui.core.outcome import summary

    text = summary(run_to_end(seed_setup()))
    assert text.startswith("stalled after step 318: weight_1 stays at 0.5999999999999994")
    assert "exactly half the gap between neighbouring floats near 0.6 (1.11e-16)" in text
    assert text.isascii()  # a terminal gets '-', not the real minus sign
    assert "\n" not in text


def test_summary_of_a_stopped_and_an_unfinished_run():
    from gdnode_gui.core import Run
    from gdnode_gui.core.outcome import summary

    run = Run(seed_setup())
    assert summary(run).startswith("running")
    run.advance(5)
    run.stop()
    assert summary(run).startswith("stopped after step 5")
    assert "0.017218688399999987" in summary(run)  # the mse of step 5


def test_describe_uses_the_same_sentences():
    from gdnode_gui.core.outcome import describe
    from gdnode_gui.core.outcome import summary as summary_of

    run = run_to_end(seed_setup())
    for word, sentence in OUTCOME_SENTENCES.items():
        if word != "max_steps":
            assert describe(word) == f"{word}: {sentence}"
    assert describe("stalled", run) == f"stalled after step 318: {OUTCOME_SENTENCES['stalled']}"
    # issue 13: plain words, no code word, and a stall that left an error says so
    assert describe("max_steps") == "stopped at the step limit"
    longer = run_to_end(seed_setup().replace(stop_on_stall=False))
    assert describe("max_steps", longer) == ("stopped at the step limit (325 steps): "
                                             "the mse of the last step is 3.08e-31")
    pigs = run_to_end(load_preset("three-little-pigs"))
    assert describe("stalled", pigs) == ("stalled after step 174: the weight no longer changes, but "
                                         "example 1 (house 0) still has mse 0.04, which no step can change")
    assert summary_of(pigs).endswith("example 1 (house 0) still has mse 0.04, which no step can change")
    with pytest.raises(ValueError):
        describe("exploded")


def test_summary_of_a_converged_pass_over_several_examples():
    from gdnode_gui.core.outcome import summary

    text = summary(run_to_end(load_preset("small-data-set")))
    assert text.startswith("converged after step")
    assert "below the tolerance" in text and "one pass over the examples" in text


def test_batch_divergence_names_the_values_that_overflowed(capsys):
    code, _, err = run_main(capsys, "--preset", "small-data-set", "--order", "batch", "--alpha", "5",
                            "--steps", "100000", "--csv", "-")
    assert code == 0
    assert err.startswith("diverged at step")
    assert "mse overflowed to inf" in err
    assert "input_1" not in err and "goal" not in err  # empty in batch rows, not overflowed
    assert "eigenvalue" in err
