"""The trace CSV (DESIGN.md §3): columns, exact floats, round trips, atomic writing."""

from __future__ import annotations

import csv
import math
import io
import os
import stat

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gdnode_gui.core.csv_trace as csv_trace
from gdnode_gui.core import Example, Run, Setup, run_to_end, seed_setup
from gdnode_gui.core.csv_trace import csv_text, write_csv, write_csv_to

SEED_HEADER = ("step,example,input_1,goal,alpha,weight_1,prediction,delta,mse,"
               "weighted_delta_1,alpha_delta_1,new_weight_1")
PER_EXAMPLE = ("input_1", "input_2", "input_3", "goal", "prediction", "delta")


def random_setup(seed: int, n: int = 3, m: int = 4, order: str = "cyclic", steps: int = 200) -> Setup:
    rng = np.random.default_rng(seed)
    examples = tuple(Example(tuple(rng.normal(size=n).tolist()), float(rng.normal())) for _ in range(m))
    return Setup(examples=examples, weights=tuple(rng.normal(size=n).tolist()), alpha=0.05,
                 max_steps=steps, stop_on_stall=False, order=order, seed=seed)


def diverging_inf() -> Setup:
    """The death spiral: alpha above 2 / x**2, the mse overflows to inf."""
    return Setup(examples=(Example((2.0,), 0.6),), weights=(0.4,), alpha=0.6, max_steps=5000)


def diverging_nan() -> Setup:
    """inf + -inf in the first prediction: nan everywhere after it."""
    return Setup(examples=(Example((1e300, 1e300), 0.0),), weights=(1e10, -1e10), alpha=0.1)


def naive_csv(trace) -> str:
    """An obviously right writer: every cell from trace.columns(), one at a time."""
    columns = list(trace.columns())
    batch = trace.setup.order == "batch"
    lines = [",".join(name for name, _ in columns)]
    for j in range(trace.n_steps):
        cells = []
        for name, values in columns:
            if name in ("step", "example"):
                cells.append(str(int(values[j])))
            elif batch and (name.startswith("input_") or name in ("goal", "prediction", "delta")):
                cells.append("")
            else:
                cells.append(repr(float(values[j])))
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def same_floats(a, b) -> bool:
    """Equal as floats bit for bit, except that every nan counts as the same nan."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape or not np.array_equal(np.isnan(a), np.isnan(b)):
        return False
    keep = ~np.isnan(a)
    return np.array_equal(a[keep].view(np.int64), b[keep].view(np.int64))


def read_back_csv_module(text: str) -> dict[str, list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    return {name: [row[c] for row in body] for c, name in enumerate(header)}


# -- columns ---------------------------------------------------------------------------------------
def test_header_one_input():
    text = csv_text(run_to_end(seed_setup()).trace)
    assert text.splitlines()[0] == SEED_HEADER


def test_header_three_inputs():
    trace = run_to_end(random_setup(1, n=3, steps=5)).trace
    header = csv_text(trace).splitlines()[0].split(",")
    assert header == [
        "step", "example", "input_1", "input_2", "input_3", "goal", "alpha",
        "weight_1", "weight_2", "weight_3", "prediction", "delta", "mse",
        "weighted_delta_1", "weighted_delta_2", "weighted_delta_3",
        "alpha_delta_1", "alpha_delta_2", "alpha_delta_3",
        "new_weight_1", "new_weight_2", "new_weight_3",
    ]
    assert header == trace.column_names()
    for line in csv_text(trace).splitlines()[1:]:
        assert len(line.split(",")) == len(header)


def test_seed_first_rows_are_the_articles_numbers():
    lines = csv_text(run_to_end(seed_setup()).trace).splitlines()
    assert lines[1] == ("1,1,1.0,0.6,0.1,0.4,0.4,-0.19999999999999996,0.03999999999999998,"
                        "-0.19999999999999996,-0.019999999999999997,0.42000000000000004")
    assert lines[2].endswith(",0.43800000000000006")
    assert lines[3].endswith(",0.45420000000000005")
    assert len(lines) == 1 + 318
    last = dict(zip(SEED_HEADER.split(","), lines[-1].split(",")))
    assert last["step"] == "318"
    assert last["weight_1"] == last["new_weight_1"] == "0.5999999999999994"


def test_floats_are_python_repr_and_ints_are_ints():
    trace = run_to_end(random_setup(2, n=2, m=3, steps=50)).trace
    columns = read_back_csv_module(csv_text(trace))
    for name, values in trace.columns():
        cells = columns[name]
        if name in ("step", "example"):
            assert cells == [str(int(v)) for v in values]
        else:
            assert cells == [repr(float(v)) for v in values]


def test_lines_end_with_newline_only_and_ascii():
    text = csv_text(run_to_end(seed_setup()).trace)
    assert "\r" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert text.isascii()


def test_non_finite_values_are_inf_and_nan():
    text = csv_text(run_to_end(diverging_inf()).trace)
    assert text.splitlines()[-1].split(",")[8] == "inf"
    cells = csv_text(run_to_end(diverging_nan()).trace).splitlines()[1].split(",")
    row = dict(zip(run_to_end(diverging_nan()).trace.column_names(), cells))
    assert row["prediction"] == "nan" and row["mse"] == "nan"


def test_negative_zero_stays_negative():
    # delta is exactly 0 and the input is negative: weighted_delta = 0.0 * -2.0 = -0.0
    setup = Setup(examples=(Example((-2.0,), -0.8),), weights=(0.4,), alpha=0.1)
    run = run_to_end(setup)
    row = dict(zip(run.trace.column_names(), csv_text(run.trace).splitlines()[1].split(",")))
    assert row["delta"] == "0.0"
    assert row["weighted_delta_1"] == "-0.0"
    assert row["alpha_delta_1"] == "-0.0"


# -- the fast writer against the obvious one ------------------------------------------------------------
@pytest.mark.parametrize("setup", [
    seed_setup(),
    seed_setup().replace(stop_on_stall=False, max_steps=700),   # a long constant tail
    random_setup(3, n=3, m=4),
    random_setup(4, n=2, m=5, order="shuffled"),
    random_setup(5, n=3, m=4, order="batch"),
    random_setup(6, n=1, m=1),
    diverging_inf(),
    diverging_nan(),
    Setup(examples=(Example((1.0, 2.0), 0.5), Example((0.5, -1.0), 0.25)), weights=(0.1, 0.2),
          frozen=(True, False), alpha=0.1, max_steps=300),
], ids=["seed", "seed-tail", "cyclic", "shuffled", "batch", "single", "inf", "nan", "frozen"])
@pytest.mark.parametrize("block", [csv_trace.BLOCK_ROWS, 7, 1])
def test_same_text_as_the_obvious_writer(setup, block, monkeypatch):
    monkeypatch.setattr(csv_trace, "BLOCK_ROWS", block)
    trace = run_to_end(setup).trace
    assert csv_text(trace) == naive_csv(trace)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(1, 4),
    m=st.integers(1, 4),
    order=st.sampled_from(["cyclic", "shuffled", "batch"]),
    seed=st.integers(0, 2**32),
    steps=st.integers(1, 60),
    block=st.integers(1, 9),
)
def test_same_text_as_the_obvious_writer_property(n, m, order, seed, steps, block):
    saved = csv_trace.BLOCK_ROWS
    csv_trace.BLOCK_ROWS = block
    try:
        trace = run_to_end(random_setup(seed, n=n, m=m, order=order, steps=steps)).trace
        assert csv_text(trace) == naive_csv(trace)
    finally:
        csv_trace.BLOCK_ROWS = saved


def test_first_n_steps():
    trace = run_to_end(seed_setup()).trace
    full = csv_text(trace).splitlines(keepends=True)
    assert csv_text(trace, 5) == "".join(full[:6])
    assert csv_text(trace, 0) == full[0]
    with pytest.raises(ValueError):
        csv_text(trace, 319)


# -- reading back: csv module and pandas give the very same floats ----------------------------------------
@pytest.mark.parametrize("setup", [seed_setup(), diverging_inf(), diverging_nan(), random_setup(7, n=3, m=5)],
                         ids=["seed", "inf", "nan", "random"])
def test_round_trip_exact(setup):
    trace = run_to_end(setup).trace
    text = csv_text(trace)
    by_csv = read_back_csv_module(text)
    by_pandas = pd.read_csv(io.StringIO(text))
    assert list(by_pandas.columns) == trace.column_names()
    for name, values in trace.columns():
        if name in ("step", "example"):
            assert [int(cell) for cell in by_csv[name]] == values.tolist()
            assert by_pandas[name].tolist() == values.tolist()
            continue
        from_csv = np.array([float(cell) for cell in by_csv[name]])
        assert same_floats(from_csv, values), name
        assert same_floats(by_pandas[name].to_numpy(dtype=np.float64), values), name


def test_pandas_reads_awkward_floats_exactly():
    # Subnormals, the largest float, 17-digit values, tiny and huge exponents.
    rng = np.random.default_rng(11)
    values = np.concatenate([
        rng.integers(0, 2**63, size=3000, dtype=np.int64).view(np.float64),
        [5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1, 1e-7, 0.1119,
         0.5999999999999994, -0.0, 1e16, 1e22, 123456789012345680.0],
    ])
    values = values[np.isfinite(values)]
    text = "value\n" + "\n".join(map(repr, values.tolist())) + "\n"
    assert same_floats(pd.read_csv(io.StringIO(text))["value"].to_numpy(), values)


def test_batch_rows_have_empty_per_example_cells():
    trace = run_to_end(random_setup(8, n=3, m=4, order="batch", steps=20)).trace
    text = csv_text(trace)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 20
    for row in rows:
        assert row["example"] == "0"
        for name in PER_EXAMPLE:
            assert row[name] == "", name
        for name in ("alpha", "weight_1", "mse", "weighted_delta_3", "alpha_delta_2", "new_weight_1"):
            assert row[name] != ""
    frame = pd.read_csv(io.StringIO(text))
    assert frame["goal"].isna().all() and frame["prediction"].isna().all()
    assert same_floats(frame["mse"].to_numpy(), trace.mse)


# -- the article's loop, written out by hand with csv.writer ---------------------------------------------
def articles_csv(steps: int, lineterminator: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow(SEED_HEADER.split(","))
    weight, input, goal, alpha = .4, 1.0, .60, .10
    for step in range(1, steps + 1):
        prediction = weight * input
        delta = prediction - goal
        mse = delta ** 2
        weighted_delta = delta * input
        alpha_delta = alpha * weighted_delta
        new_weight = weight - alpha_delta
        writer.writerow([step, 1, input, goal, alpha, weight, prediction, delta, mse,
                         weighted_delta, alpha_delta, new_weight])
        weight = new_weight
    return out.getvalue()


def test_same_as_the_articles_loop_with_csv_writer():
    text = csv_text(run_to_end(seed_setup()).trace)
    assert text == articles_csv(318, "\n")
    # The csv module's default line ending is "\r\n"; ours is "\n", otherwise the same bytes.
    assert text == articles_csv(318, "\r\n").replace("\r\n", "\n")
    long = run_to_end(seed_setup().replace(stop_on_stall=False, max_steps=2000)).trace
    assert csv_text(long) == articles_csv(2000, "\n")


# -- writing files and streams -------------------------------------------------------------------------
def test_write_csv_file_bytes(tmp_path):
    trace = run_to_end(seed_setup()).trace
    path = tmp_path / "trace.csv"
    write_csv(trace, path)
    data = path.read_bytes()
    assert data == csv_text(trace).encode("ascii")
    assert not data.startswith(b"\xef\xbb\xbf")
    assert os.listdir(tmp_path) == ["trace.csv"]
    umask = os.umask(0o022)
    os.umask(umask)
    # The mode of a new file under the umask, not the private 0600 of a temporary file.
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_write_csv_replaces_an_existing_file(tmp_path):
    path = tmp_path / "trace.csv"
    path.write_text("old\n")
    write_csv(run_to_end(seed_setup()).trace, path, n=3)
    assert path.read_text().count("\n") == 4


def test_write_csv_to_streams():
    trace = run_to_end(seed_setup()).trace
    text_stream, byte_stream = io.StringIO(), io.BytesIO()
    write_csv_to(trace, text_stream)
    write_csv_to(trace, byte_stream)
    assert text_stream.getvalue() == csv_text(trace)
    assert byte_stream.getvalue() == csv_text(trace).encode("ascii")


def _failing_after_first_block(monkeypatch):
    monkeypatch.setattr(csv_trace, "BLOCK_ROWS", 10)
    real = csv_trace._Plan.block
    calls = []

    def block(self, a, b):
        calls.append(a)
        if len(calls) > 2:
            raise OSError(28, "No space left on device")
        return real(self, a, b)

    monkeypatch.setattr(csv_trace._Plan, "block", block)


def test_failed_write_leaves_no_file(tmp_path, monkeypatch):
    _failing_after_first_block(monkeypatch)
    with pytest.raises(OSError):
        write_csv(run_to_end(seed_setup()).trace, tmp_path / "trace.csv")
    assert os.listdir(tmp_path) == []


def test_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "trace.csv"
    path.write_bytes(b"the old file\n")
    _failing_after_first_block(monkeypatch)
    with pytest.raises(OSError):
        write_csv(run_to_end(seed_setup()).trace, path)
    assert path.read_bytes() == b"the old file\n"
    assert os.listdir(tmp_path) == ["trace.csv"]


def test_failed_fsync_leaves_no_file(tmp_path, monkeypatch):
    def fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError):
        write_csv(run_to_end(seed_setup()).trace, tmp_path / "trace.csv")
    assert os.listdir(tmp_path) == []


def test_missing_folder_raises_oserror(tmp_path):
    with pytest.raises(OSError):
        write_csv(run_to_end(seed_setup()).trace, tmp_path / "no" / "such" / "trace.csv")
    assert os.listdir(tmp_path) == []


def test_read_only_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "trace.csv"
    path.write_bytes(b"keep me\n")
    path.chmod(0o444)
    with pytest.raises(PermissionError):
        write_csv(run_to_end(seed_setup()).trace, path)
    assert path.read_bytes() == b"keep me\n"
    assert os.listdir(tmp_path) == ["trace.csv"]


def test_folder_is_refused(tmp_path):
    with pytest.raises(IsADirectoryError):
        write_csv(run_to_end(seed_setup()).trace, tmp_path)


def test_symlink_writes_through_to_its_target(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    trace = run_to_end(seed_setup()).trace
    write_csv(trace, link)
    assert link.is_symlink()
    assert target.read_text() == csv_text(trace)


def test_a_device_is_written_not_replaced():
    write_csv(run_to_end(seed_setup()).trace, os.devnull)
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_empty_trace_is_just_the_header():
    assert csv_text(Run(seed_setup()).trace) == SEED_HEADER + "\n"


# -- progress and cancel --------------------------------------------------------------------------------
def test_progress_counts_the_rows_written(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_trace, "BLOCK_ROWS", 100)
    trace = run_to_end(seed_setup().replace(stop_on_stall=False, max_steps=1000)).trace
    calls = []
    path = tmp_path / "trace.csv"
    assert write_csv(trace, path, n=950, progress=lambda done, total: calls.append((done, total)) or True)
    assert calls == [(0, 950)] + [(min(950, k), 950) for k in range(100, 1001, 100)]
    assert path.read_text() == csv_text(trace, 950)


@pytest.mark.parametrize("stop_after", [1, 4])
def test_cancel_keeps_the_old_file_whole(tmp_path, monkeypatch, stop_after):
    monkeypatch.setattr(csv_trace, "BLOCK_ROWS", 100)
    trace = run_to_end(seed_setup().replace(stop_on_stall=False, max_steps=1000)).trace
    path = tmp_path / "trace.csv"
    path.write_bytes(b"the old file\n")
    calls = []

    def progress(done, total):
        calls.append(done)
        return len(calls) < stop_after

    assert write_csv(trace, path, progress=progress) is False
    assert len(calls) == stop_after
    assert path.read_bytes() == b"the old file\n"
    assert os.listdir(tmp_path) == ["trace.csv"]


def test_cancel_of_a_new_file_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_trace, "BLOCK_ROWS", 10)
    trace = run_to_end(seed_setup()).trace
    assert write_csv(trace, tmp_path / "trace.csv", progress=lambda done, total: done < 50) is False
    assert os.listdir(tmp_path) == []


def test_cancel_of_a_stream_stops_between_blocks(monkeypatch):
    monkeypatch.setattr(csv_trace, "BLOCK_ROWS", 10)
    trace = run_to_end(seed_setup()).trace
    stream = io.StringIO()
    assert write_csv_to(trace, stream, progress=lambda done, total: done < 30) is False
    assert stream.getvalue() == csv_text(trace, 30)
    assert write_csv_to(trace, io.StringIO(), progress=lambda done, total: True) is True


# -- the fast float formatter -------------------------------------------------------------------------
SPECIAL_FLOATS = [0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, -5e-324, 1e16, -1e16,
                  9999999999999998.0, 1e-4, 1e-9, 9.999999999999999e-05, 1e-05, 1e-07,
                  1.0000000000000001e-09, 9.999999999999999e-10, 1e22, 1.7976931348623157e308,
                  2.2250738585072014e-308, 0.1, 1 / 3, 123.0, 1e15, 1.5e-300]


def test_reprs_is_repr_for_special_values():
    values = np.array(SPECIAL_FLOATS * 2)  # long enough for the fast path
    assert csv_trace.reprs(values) == [repr(float(v)) for v in values.tolist()]
    negated = -values
    assert csv_trace.reprs(negated) == [repr(float(v)) for v in negated.tolist()]


def test_reprs_is_repr_on_ten_million_random_bit_patterns():
    """Every 64-bit pattern is as likely (so all exponents, subnormals, inf and nan), then
    values spread over the exponents of ordinary numbers, where the fast path is taken."""
    rng = np.random.default_rng(20261129)
    chunk = 1_000_000
    for part in range(12):
        if part < 10:
            values = rng.integers(0, 2**64, size=chunk, dtype=np.uint64).view(np.float64)
        else:
            values = rng.uniform(-1, 1, chunk) * 10.0 ** rng.integers(-323, 309, chunk).astype(np.float64)
        texts = csv_trace.reprs(values)
        want = list(map(float.__repr__, values.tolist()))
        if texts != want:
            wrong = next(j for j in range(chunk) if texts[j] != want[j])
            pytest.fail(f"{values[wrong]!r}: {texts[wrong]!r} != {want[wrong]!r}")
