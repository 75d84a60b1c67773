#!/usr/bin/env bash
# Retake the screenshots in docs/: every preset's end at 1024x768, 100% and 2x, in the light and
# high-contrast themes; a comparison with a kept run; the error surface; the alpha sweep.
# Needs the shot tool of the shared folder (a virtual screen, a real window):
#     bash docs/screenshots.sh [../shared/tools/shot]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SHOT="${1:-../shared/tools/shot}"
PY=.venv/bin/python
mkdir -p docs/presets
take() {  # take NAME ARGS...: one screenshot of docs/screenshot.py ARGS
    local name=$1; shift
    "$SHOT" "docs/$name.png" --size 1024x768 --wait 9 -- "$PY" docs/screenshot.py "$@" | grep -v "^wrote" || true
    echo "docs/$name.png"
}
for preset in seed death-spiral frozen-weight one-step oscillating several-inputs small-data-set three-little-pigs; do
    for theme in light high-contrast; do
        take "presets/$preset-$theme-100" --preset "$preset" --steps -1 --zoom 1 --theme "$theme"
        take "presets/$preset-$theme-200" --preset "$preset" --steps -1 --zoom 2 --theme "$theme"
    done
done
take window --preset seed --steps 40 --zoom 1
take window-zoom --preset seed --steps -1 --zoom 2
take window-high-contrast --preset death-spiral --steps -1 --zoom 1 --theme high-contrast
take window-high-contrast-zoom --preset death-spiral --steps -1 --zoom 2 --theme high-contrast
take compare-alpha --preset seed --steps -1 --zoom 1 --compare-alpha 0.5
take error-surface --preset small-data-set --steps 30 --zoom 1 --tab 1 --back 5
take error-surface-zoom --preset seed --steps 12 --zoom 2 --tab 1 --back 3
take alpha-sweep --preset seed --steps 0 --zoom 1 --tab 2
