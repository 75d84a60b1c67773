"""The built-in presets, the icon and the desktop entry (resources/), and how they are found."""

from __future__ import annotations

import json
import math
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from configparser import ConfigParser
from pathlib import Path

import pytest

from gdnode_gui import resources
from gdnode_gui.core.run import run_to_end
from gdnode_gui.core.setup import Setup, SetupError, load_setup, seed_setup

REPO = Path(__file__).resolve().parent.parent
SETUP_KEYS = [
    "version", "name", "description", "examples", "input_names", "weights", "frozen",
    "alpha", "max_steps", "tolerance", "stop_on_stall", "order", "seed",
]

# What each preset's description promises: the outcome and the step it ends on.
PROMISED = {
    "seed": ("stalled", 318),
    "death-spiral": ("diverged", 1061),
    "oscillating": ("converged", 19),
    "one-step": ("converged", 2),
    "three-little-pigs": ("stalled", 174),
    "several-inputs": ("converged", 28),
    "small-data-set": ("converged", 148),
    "frozen-weight": ("converged", 45),
}


def _numbers(value):
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)


# -- the presets as files ---------------------------------------------------------------------
def test_preset_names_are_the_built_in_ones_with_seed_first():
    names = resources.preset_names()
    assert names[0] == "seed"
    assert names[1:] == sorted(names[1:])
    assert set(names) == set(PROMISED)


@pytest.mark.parametrize("name", sorted(PROMISED))
def test_preset_file_is_a_complete_valid_setup(name):
    path = resources.preset_path(name)
    assert path.name == f"{name}.json"
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    data = json.loads(raw.decode("utf-8"))
    assert list(data) == SETUP_KEYS, "every key of the setup format, in its order"

    setup = load_setup(path)
    assert setup.name.strip() and setup.description.strip()
    assert "\n" not in setup.description, "one paragraph"
    assert data == setup.to_dict(), "the file holds exactly what the setup holds"
    assert Setup.from_dict(setup.to_dict()) == setup
    assert Setup.from_dict(json.loads(setup.to_json())) == setup
    assert resources.load_preset(name) == setup

    assert all(math.isfinite(v) for v in _numbers(data))
    assert 1 <= setup.max_steps <= 100_000
    assert setup.input_names and all(setup.input_names)
    assert setup.order == "cyclic"


def test_seed_preset_is_the_article_exactly():
    setup = resources.load_preset("seed")
    assert [(e.inputs, e.goal) for e in setup.examples] == [((1.0,), 0.6)]
    assert setup.weights == (0.4,)
    assert setup.frozen == (False,)
    assert setup.alpha == 0.1
    assert (setup.max_steps, setup.tolerance, setup.stop_on_stall) == (325, 0.0, True)
    assert (setup.order, setup.seed, setup.input_names) == ("cyclic", 0, ("stick",))
    article = seed_setup()
    assert setup.replace(name="", description="") == article.replace(name="", description="")


def test_preset_path_refuses_unknown_names_and_lists_the_known_ones():
    for bad in ("nope", "../pyproject", "presets/seed", "", "seed.txt"):
        with pytest.raises(KeyError) as caught:
            resources.preset_path(bad)
        message = str(caught.value)
        assert "seed" in message and "death-spiral" in message
    assert resources.preset_path("seed.json") == resources.preset_path("seed")
    with pytest.raises(KeyError):
        resources.load_preset("nope")


def test_preset_summaries():
    summaries = resources.preset_summaries()
    assert [s[0] for s in summaries] == resources.preset_names()
    for name, display, description in summaries:
        setup = resources.load_preset(name)
        assert (display, description) == (setup.name, setup.description)


def test_a_damaged_preset_is_reported_not_hidden(tmp_path, monkeypatch):
    folder = tmp_path / "resources"
    shutil.copytree(resources.resources_dir(), folder)
    (folder / "presets" / "broken.json").write_text('{"examples": [], "weights": [1], "alpha": 0.1}')
    monkeypatch.setattr(resources, "resources_dir", lambda: folder)
    with pytest.raises(SetupError):
        resources.load_preset("broken")
    summaries = dict((s[0], s[2]) for s in resources.preset_summaries())
    assert "cannot be read" in summaries["broken"]
    assert summaries["seed"] == resources.load_preset("seed").description


# -- the presets do what their descriptions say ---------------------------------------------
@pytest.mark.parametrize("name", sorted(PROMISED))
def test_preset_ends_as_its_description_promises(name):
    outcome, steps = PROMISED[name]
    setup = resources.load_preset(name)
    run = run_to_end(setup)
    assert (run.outcome, run.trace.n_steps) == (outcome, steps)
    assert f"'{outcome}'" in setup.description
    assert f"{steps:,}" in setup.description
    assert steps < setup.max_steps, "ends by its own rule, not by running out of steps"


def test_seed_stalls_at_the_articles_weight():
    run = run_to_end(resources.load_preset("seed"))
    assert run.trace.new_weight(0)[:3].tolist() == [0.42000000000000004, 0.43800000000000006, 0.45420000000000005]
    assert run.weights == (0.5999999999999994,)


def test_death_spiral_grows_by_r_each_step_until_overflow():
    setup = resources.load_preset("death-spiral")
    x = setup.examples[0].inputs[0]
    assert 1 - setup.alpha * x * x == pytest.approx(-1.4)
    run = run_to_end(setup)
    delta = run.trace.delta[:50]
    assert all(b / a == pytest.approx(-1.4) for a, b in zip(delta, delta[1:]))
    assert not math.isfinite(run.trace.mse[-1])
    assert math.isfinite(run.trace.mse[-2])


def test_oscillating_overshoots_every_step():
    setup = resources.load_preset("oscillating")
    x = setup.examples[0].inputs[0]
    assert -1 < 1 - setup.alpha * x * x < 0
    delta = run_to_end(setup).trace.delta
    assert all(a * b < 0 for a, b in zip(delta, delta[1:]))
    assert all(abs(b) < abs(a) for a, b in zip(delta, delta[1:]))


def test_one_step_lands_on_the_goal_exactly():
    setup = resources.load_preset("one-step")
    x = setup.examples[0].inputs[0]
    assert setup.alpha * x * x == 1.0
    run = run_to_end(setup)
    assert run.trace.new_weight(0)[0] == 0.3
    assert run.trace.delta[1] == 0.0
    assert run.trace.prediction[1] == setup.examples[0].goal


def test_three_little_pigs_straw_never_moves_the_weight():
    setup = resources.load_preset("three-little-pigs")
    assert [e.inputs for e in setup.examples] == [(0.0,), (1.0,), (2.0,)]
    trace = run_to_end(setup).trace
    straw = trace.example == 1
    assert straw.sum() == 58
    assert (trace.weight(0)[straw] == trace.new_weight(0)[straw]).all()
    assert (trace.weighted_delta(0)[straw] == 0.0).all()
    assert (trace.mse[straw] == (0.0 - 0.2) ** 2).all()
    assert trace.current_weights == (0.49999999999999994,)


def test_several_inputs_moves_the_big_input_weight_most():
    setup = resources.load_preset("several-inputs")
    assert setup.examples[0].inputs == (8.5, 0.65, 1.2)
    assert setup.alpha < 2 / sum(x * x for x in setup.examples[0].inputs)
    trace = run_to_end(setup).trace
    moved = [abs(trace.weight_path(i)[-1] - trace.weight_path(i)[0]) for i in range(3)]
    assert moved[0] > moved[2] > moved[1] > 0
    assert trace.delta[-1] == 0.0


def test_frozen_weight_never_changes_and_the_others_do_the_work():
    setup = resources.load_preset("frozen-weight")
    assert setup.frozen == (True, False, False)
    trace = run_to_end(setup).trace
    assert (trace.weight_path(0) == setup.weights[0]).all()
    assert trace.weight_path(1)[-1] > setup.weights[1]
    assert trace.weight_path(2)[-1] > setup.weights[2]
    assert trace.delta[-1] == 0.0
    # The description's warning: without the freeze this alpha is a death spiral.
    unfrozen = run_to_end(setup.replace(frozen=(False, False, False)))
    assert unfrozen.outcome == "diverged"


def test_small_data_set_finds_the_hidden_rule():
    setup = resources.load_preset("small-data-set")
    assert 4 <= setup.n_examples <= 6 and 2 <= setup.n_inputs <= 3
    for example in setup.examples:  # the goals follow the rule 0.3 * sunshine + 0.5 * water
        assert example.goal == pytest.approx(0.3 * example.inputs[0] + 0.5 * example.inputs[1])
    run = run_to_end(setup)
    assert run.weights == pytest.approx((0.3, 0.5), abs=1e-5)


# -- icon and desktop entry ----------------------------------------------------------------
def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_icon_files():
    icons = resources.icon_paths()
    assert set(icons) == {48, 128, 256, "svg"}
    for size in (48, 128, 256):
        assert _png_size(icons[size]) == (size, size)
    root = ElementTree.parse(icons["svg"]).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"
    assert resources.resource_path("icon.svg") == icons["svg"]
    with pytest.raises(FileNotFoundError):
        resources.resource_path("no-such-file.png")


def test_icon_svg_renders_with_qt():
    QtSvg = pytest.importorskip("PySide6.QtSvg")
    assert QtSvg.QSvgRenderer(str(resources.resource_path("icon.svg"))).isValid()


def _desktop_entry() -> dict[str, str]:
    parser = ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(resources.resource_path("gdnode-gui.desktop"), encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_desktop_entry_fields():
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Gradient Descent Node"
    assert entry["Exec"] == "gdnode-gui"
    assert entry["Icon"] == "gdnode-gui"
    assert entry["Terminal"] == "false"
    assert entry["StartupWMClass"] == "gdnode-gui"
    assert {"Education", "Science"} <= set(entry["Categories"].split(";"))
    assert entry["GenericName"] and entry["Comment"] and entry["Keywords"].endswith(";")


def test_desktop_entry_exec_is_the_gui_script():
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert _desktop_entry()["Exec"] in project["gui-scripts"]


def test_desktop_entry_validates():
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed")
    result = subprocess.run(
        [validator, str(resources.resource_path("gdnode-gui.desktop"))],
        capture_output=True, text=True, timeout=60,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "error:" not in output and "warning:" not in output, output


# -- finding the folder ----------------------------------------------------------------------
def test_resources_dir_in_a_checkout_is_the_top_level_folder():
    # In a source checkout or an editable install the package holds no resources/ folder.
    if (Path(resources.__file__).parent / "resources").is_dir():
        pytest.skip("running from an installed wheel")
    assert resources.resources_dir() == REPO / "resources"


def test_resources_dir_prefers_the_packaged_folder(tmp_path, monkeypatch):
    package = tmp_path / "gdnode_gui"
    shutil.copytree(REPO / "resources", package / "resources")
    monkeypatch.setattr(resources, "_PACKAGE", package)
    assert resources.resources_dir() == package / "resources"
    assert resources.preset_path("seed") == package / "resources" / "presets" / "seed.json"


def test_resources_module_imports_no_qt():
    code = (
        "import sys, gdnode_gui.resources as r; r.preset_summaries(); r.icon_paths(); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')]; "
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=60)
