"""The trace: lazy columns derived from the stored weights, against the plain-float loop;
storage (only the weights, the example only in shuffled order) and growth without copies."""

from __future__ import annotations

import numpy as np
import pytest
from test_run import reference_steps

import gdnode_gui.core.trace as trace_module
from gdnode_gui.core import Example, Run, Setup, run_to_end, seed_setup
from gdnode_gui.core.trace import Column, example_dtype


def cyclic_setup() -> Setup:
    rng = np.random.default_rng(11)
    examples = tuple(Example(tuple(rng.normal(size=3).tolist()), float(rng.normal())) for _ in range(5))
    return Setup(examples=examples, weights=(0.3, -0.2, 0.1), alpha=0.05, max_steps=400,
                 stop_on_stall=False)


SETUPS = {
    "seed": seed_setup(),
    "cyclic": cyclic_setup(),
    "shuffled": cyclic_setup().replace(order="shuffled", seed=5, max_steps=333),
    "batch": cyclic_setup().replace(order="batch", max_steps=250),
    "batch-one-example": seed_setup().replace(order="batch"),
    "frozen": Setup(examples=(Example((1.0, 2.0), 0.5), Example((0.5, -1.0), 0.25)),
                    weights=(0.1, 0.2), frozen=(True, False), alpha=0.1, max_steps=300),
    "all-frozen": seed_setup().replace(frozen=(True,), stop_on_stall=False, max_steps=20),
    "inf": Setup(examples=(Example((2.0,), 0.6),), weights=(0.4,), alpha=0.6, max_steps=5000),
    "nan": Setup(examples=(Example((1e300, 1e300), 0.0),), weights=(1e10, -1e10), alpha=0.1),
    "batch-inf": cyclic_setup().replace(order="batch", alpha=40.0, max_steps=5000),
    "batch-many": Setup(
        examples=tuple(Example((1.0 + e / 7, (-1.0) ** e * e / 13, 0.25), (e % 5) / 3) for e in range(120)),
        weights=(0.5, -0.25, 1.0), alpha=0.2, max_steps=300, order="batch", stop_on_stall=False),
}


def expected_columns(run: Run) -> dict[str, np.ndarray]:
    """Every derived column of the run from the article's loop, in plain Python floats."""
    order = None
    if run.setup.order == "shuffled":
        order = (np.asarray(run.trace.example) - 1).tolist()
    rows = reference_steps(run.setup, run.n_steps, order)
    names = ["example", "mse"] + [f"{stem}_{i}" for stem in ("weighted_delta", "alpha_delta")
                                  for i in range(1, run.setup.n_inputs + 1)]
    if run.setup.order != "batch":
        names += ["prediction", "delta"]
    return {name: np.array([row[name] for row in rows]) for name in names}


def columns_of(trace) -> dict[str, Column]:
    columns = {"example": trace.example, "mse": trace.mse,
               "prediction": trace.prediction, "delta": trace.delta}
    for i in range(trace.setup.n_inputs):
        columns[f"weighted_delta_{i + 1}"] = trace.weighted_delta(i)
        columns[f"alpha_delta_{i + 1}"] = trace.alpha_delta(i)
    return columns


def bits(values) -> np.ndarray:
    values = np.asarray(values)
    return values.astype(np.float64).view(np.int64) if values.dtype.kind == "f" else values


def assert_same(got, want) -> None:
    got, want = np.asarray(got), np.asarray(want)
    assert got.shape == want.shape
    if want.dtype.kind == "f":
        assert got.dtype == np.float64
    assert np.array_equal(bits(got), bits(want.astype(got.dtype)))


@pytest.mark.parametrize("name", list(SETUPS))
def test_columns_equal_the_plain_float_loop_bit_for_bit(name):
    run = run_to_end(SETUPS[name])
    trace = run.trace
    n = trace.n_steps
    expected = expected_columns(run)
    got = columns_of(trace)
    for column, want in expected.items():
        values = got[column]
        assert len(values) == n
        assert_same(np.asarray(values), want)
        assert_same(values[:], want)
        if column == "example":
            assert values.tolist() == want.tolist()
    if run.setup.order == "batch":
        assert np.isnan(np.asarray(trace.prediction)).all() and np.isnan(trace.delta[:]).all()
        assert (np.asarray(trace.example) == 0).all()


@pytest.mark.parametrize("name", ["cyclic", "shuffled", "batch", "inf", "nan"])
def test_indexing_and_slices_like_numpy(name):
    run = run_to_end(SETUPS[name])
    n = run.n_steps
    expected = expected_columns(run)
    got = columns_of(run.trace)
    slices = [slice(None), slice(3, 9), slice(-5, None), slice(-7, -2), slice(None, -3),
              slice(None, None, 3), slice(None, None, -2), slice(-1, -8, -3), slice(5, 2),
              slice(n, n + 5), slice(-n - 4, 2), slice(1, None, 7)]
    for column, want in expected.items():
        values = got[column]
        for key in slices:
            assert_same(values[key], want[key])
        for k in {k for k in (0, 1, n // 2, n - 1, -1, -n, -2) if -n <= k < n}:
            one = values[k]
            assert bits(np.array([one])).tolist() == bits(want[[k]]).tolist(), (column, k)
        with pytest.raises(IndexError):
            values[n]
        with pytest.raises(IndexError):
            values[-n - 1]
        assert_same(values[np.array([0, n - 1])], want[[0, n - 1]])
        assert_same(values[np.array([-1, 0, -n])], want[[-1, 0, -n]])
        assert_same(values[np.arange(n) % 2 == 0], want[::2])
        with pytest.raises(IndexError):
            values[np.array([0, n])]


def test_columns_work_with_numpy_functions_and_arithmetic():
    trace = run_to_end(SETUPS["cyclic"]).trace
    mse = np.asarray(trace.mse)
    assert_same(np.log10(trace.mse), np.log10(mse))
    assert_same(trace.mse * 2, mse * 2)
    assert_same(1 - trace.mse, 1 - mse)
    assert (trace.example - 1).tolist() == (np.asarray(trace.example) - 1).tolist()
    assert list(trace.mse) == mse.tolist()
    assert trace.mse.shape == (trace.n_steps,) and trace.mse.dtype == np.float64
    copy = trace.mse.copy()
    assert isinstance(copy, np.ndarray) and copy.tolist() == mse.tolist()
    assert trace.mse.min() == mse.min() and trace.delta.sum() == np.asarray(trace.delta).sum()
    with pytest.raises(AttributeError):
        trace.mse.no_such_thing


def test_long_columns_are_derived_in_chunks_with_the_same_bits(monkeypatch):
    trace = run_to_end(SETUPS["shuffled"]).trace
    whole = {name: np.asarray(column) for name, column in columns_of(trace).items()}
    monkeypatch.setattr(trace_module, "DERIVE_CHUNK", 7)
    for name, column in columns_of(trace).items():
        assert_same(np.asarray(column), whole[name])
        assert_same(column[-100:], whole[name][-100:])


@pytest.mark.parametrize("name", ["batch", "batch-many", "batch-inf"])
def test_batch_columns_in_small_pieces_have_the_same_bits(name, monkeypatch):
    run = run_to_end(SETUPS[name])
    whole = {column: np.asarray(values) for column, values in columns_of(run.trace).items()}
    rows = [run.trace.row(k) for k in range(1, run.n_steps + 1)]
    monkeypatch.setattr(trace_module, "BATCH_CELLS", 7)  # a few steps per (m, k) piece
    setup = run.setup
    in_python = setup.n_examples * setup.n_inputs <= trace_module.ROW_IN_PYTHON
    monkeypatch.setattr(trace_module, "ROW_IN_PYTHON", 0 if in_python else 10**9)  # the other way
    for column, values in columns_of(run.trace).items():
        assert_same(np.asarray(values), whole[column])
    for k, row in enumerate(rows, start=1):
        other = run.trace.row(k)
        assert bits(np.array(list(other.values()), dtype=float)).tolist() == \
            bits(np.array(list(row.values()), dtype=float)).tolist()
    again = run_to_end(SETUPS[name])  # the run's own chunks in pieces too
    assert again.n_steps == run.n_steps and again.outcome == run.outcome
    assert np.array_equal(again.trace.weight_path(0), run.trace.weight_path(0))


def test_a_slice_derives_only_its_rows(monkeypatch):
    run = run_to_end(seed_setup().replace(stop_on_stall=False, max_steps=20_000))
    derived = []
    real = trace_module.derive

    def counting(setup, inputs, goals, example, weight, want="all", index=-1):
        derived.append(weight.shape[1])
        return real(setup, inputs, goals, example, weight, want, index)

    monkeypatch.setattr(trace_module, "derive", counting)
    trace = run.trace
    trace.mse[-10:]
    trace.delta[500:520]
    trace.weighted_delta(0)[19_990]
    trace.mse[100:160:20]
    trace.alpha_delta(0)[::-5000]
    trace.mse[np.array([7, -1, 3])]
    assert derived == [10, 20, 1, 3, 4, 3]


def test_a_column_keeps_its_length_while_the_run_goes_on():
    run = Run(seed_setup().replace(stop_on_stall=False, max_steps=1000))
    run.advance(10)
    mse = run.trace.mse
    before = np.asarray(mse)
    run.advance(100)
    assert len(mse) == 10 and np.array_equal(np.asarray(mse), before)
    assert len(run.trace.mse) == 110


@pytest.mark.parametrize("name", list(SETUPS))
def test_row_equals_the_columns(name):
    trace = run_to_end(SETUPS[name]).trace
    n = trace.n_steps
    columns = dict(trace.columns())
    for k in sorted({1, min(2, n), n // 2 + 1, n}):
        row = trace.row(k)
        for column, values in columns.items():
            want = values[k - 1]
            got = row[column]
            assert type(got) is (int if column in ("step", "example") else float), column
            assert bits(np.array([got])).tolist() == bits(np.array([want])).tolist(), (k, column)


def test_only_the_weights_are_stored_and_the_example_only_when_shuffled():
    cyclic = run_to_end(SETUPS["cyclic"]).trace
    assert cyclic._example is None
    assert cyclic.nbytes == 8 * 3 * (cyclic.n_steps + 1)
    shuffled = run_to_end(SETUPS["shuffled"]).trace
    assert shuffled._example.dtype == np.uint8
    assert shuffled.nbytes == 8 * 3 * (shuffled.n_steps + 1) + shuffled.n_steps
    assert example_dtype(255) == np.uint8 and example_dtype(256) == np.uint16
    assert example_dtype(10_000) == np.uint16 and example_dtype(70_000) == np.uint32


def test_the_weight_buffer_is_reserved_once_and_never_copied():
    setup = cyclic_setup().replace(max_steps=50_000)
    run = Run(setup)
    buffer = run.trace._weight
    assert buffer.shape == (3, 50_001)
    early = run.trace.weight_path(0)
    run.advance(5)
    view = run.trace.weight_path(1)
    while not run.finished:
        run.advance(777)
    assert run.n_steps == 50_000
    assert run.trace._weight is buffer
    assert np.shares_memory(view, run.trace._weight) and view.shape == (6,)
    assert early.tolist() == [0.3]
    assert view.tolist() == run.trace.weight_path(1)[:6].tolist()


def test_when_the_reservation_is_refused_the_trace_grows_with_the_same_values(monkeypatch):
    real = trace_module._allocate
    refused = []

    def small_only(shape, dtype):
        if not refused and shape[-1] == 3001:  # the reservation at the start, once
            refused.append(shape)
            raise MemoryError
        return real(shape, dtype)

    setup = SETUPS["shuffled"].replace(max_steps=3000)
    whole = run_to_end(setup)
    monkeypatch.setattr(trace_module, "_allocate", small_only)
    grown = Run(setup)
    assert grown.trace.capacity == trace_module.INITIAL_CAPACITY
    earlier = grown.trace
    while not grown.finished:
        grown.advance(500)
    assert grown.trace is earlier and grown.trace.capacity >= 3000
    assert refused == [(3, 3001)]
    for (name, a), (_, b) in zip(whole.trace.columns(), grown.trace.columns()):
        assert_same(np.asarray(b), np.asarray(a)), name
