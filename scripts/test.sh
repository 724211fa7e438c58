#!/usr/bin/env bash
# README command 2: set everything up (system packages when root, venv, test extras) and run the
# whole test suite. Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh" test
cd "$CC_ROOT"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
# the whole suite includes the PyInstaller build test (2-4 min); CC_SLOW=0 skips it while iterating
export CC_SLOW="${CC_SLOW:-1}"
exec python -m pytest -p no:cacheprovider "$@"
