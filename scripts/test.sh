#!/usr/bin/env bash
# README command 2: set everything up (system packages when root, venv, test extras) and run the
# whole test suite. Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh" test
cd "$CC_ROOT"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
exec python -m pytest -p no:cacheprovider "$@"
