#!/usr/bin/env bash
# Build the standalone Linux bundle and pack it:
#
#     bash packaging/build-linux.sh   ->   dist/gdnode-gui-<version>-linux-<machine>.tar.gz
#
# Makes its own virtual environment (build/bundle-venv), installs the app with its `bundle`
# extra (PyInstaller) there, runs packaging/gdnode-gui.spec and packs the folder gdnode-gui/
# (the programs gdnode-gui and gdnode-trace, and everything they need). Run it again any time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="build/bundle-venv"
WORKPATH="build/bundle-work"
DISTPATH="build/bundle-dist"

python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check '.[bundle]'
"$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --workpath "$WORKPATH" --distpath "$DISTPATH" packaging/gdnode-gui.spec

version="$("$VENV/bin/python" packaging/bundle_layout.py version)"
archive="dist/gdnode-gui-${version}-linux-$(uname -m).tar.gz"
mkdir -p dist
rm -f "$archive"
tar -C "$DISTPATH" -czf "$archive" gdnode-gui
echo "built $archive ($(du -sh "$DISTPATH/gdnode-gui" | cut -f1) unpacked)"
