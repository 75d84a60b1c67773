"""The worker thread that drives a run: pace, batches, pause, step, shutdown."""

from __future__ import annotations

import numpy as np
import pytest

from gdnode_gui.core import Run, run_to_end, seed_setup
from gdnode_gui.ui.session.trainer import Trainer


@pytest.fixture
def trainer(qtbot):
    t = Trainer()
    yield t
    assert t.shutdown(3000)


def test_run_to_end_reports_batches_and_the_outcome(qtbot, trainer):
    setup = seed_setup().replace(max_steps=400_000, stop_on_stall=False)
    run = Run(setup)
    generation = trainer.load(run)
    reports = []
    trainer.stepped.connect(lambda g, n: reports.append((g, n)))
    with qtbot.waitSignal(trainer.finished, timeout=30_000) as finished:
        trainer.run_to_end()
    assert finished.args == [generation, "max_steps"]
    qtbot.waitUntil(lambda: reports and reports[-1][1] == 400_000)
    counts = [n for _g, n in reports]
    assert counts == sorted(counts)
    # batched: far fewer reports than steps, every step in the trace
    assert len(counts) < 10_000
    reference = run_to_end(setup)
    assert np.array_equal(run.trace.weight_path(0), reference.trace.weight_path(0))


def test_step_adds_exactly_one_and_holds(qtbot, trainer):
    run = Run(seed_setup())
    trainer.load(run)
    for expected in (1, 2, 3):
        with qtbot.waitSignal(trainer.paused, timeout=5000):
            trainer.step()
        assert run.n_steps == expected
    assert not trainer.running


def test_play_at_slow_pace_reports_each_step(qtbot, trainer):
    run = Run(seed_setup())
    trainer.load(run)
    trainer.set_pace(30)
    reports = []
    trainer.stepped.connect(lambda g, n: reports.append(n))
    trainer.play()
    qtbot.waitUntil(lambda: len(reports) >= 5, timeout=5000)
    trainer.pause()
    qtbot.waitUntil(lambda: not trainer.isRunning() or not trainer.running, timeout=2000)
    assert reports[:5] == [1, 2, 3, 4, 5]


def test_pause_holds_until_step(qtbot, trainer):
    run = Run(seed_setup().replace(max_steps=10_000_000, stop_on_stall=False))
    trainer.load(run)
    trainer.run_to_end()
    qtbot.waitUntil(lambda: run.n_steps > 1000, timeout=5000)
    trainer.pause()
    qtbot.wait(100)
    held = run.n_steps
    qtbot.wait(150)
    assert run.n_steps == held
    with qtbot.waitSignal(trainer.paused, timeout=5000):
        trainer.step()
    assert run.n_steps == held + 1


def test_load_switches_generation_and_ignores_the_old_run(qtbot, trainer):
    old = Run(seed_setup().replace(max_steps=10_000_000, stop_on_stall=False))
    first = trainer.load(old)
    trainer.run_to_end()
    qtbot.waitUntil(lambda: old.n_steps > 0, timeout=5000)
    new = Run(seed_setup())
    second = trainer.load(new)
    assert second == first + 1
    qtbot.wait(100)  # the worker finishes the ~1/30 s slice it was in
    frozen_at = old.n_steps
    qtbot.wait(150)
    assert old.n_steps == frozen_at
    assert new.n_steps == 0 and not trainer.running


def test_shutdown_during_a_run_is_quick(qtbot):
    trainer = Trainer()
    run = Run(seed_setup().replace(max_steps=10_000_000, stop_on_stall=False))
    trainer.load(run)
    trainer.run_to_end()
    qtbot.waitUntil(lambda: run.n_steps > 0, timeout=5000)
    assert trainer.shutdown(1000)
    assert not trainer.isRunning()
