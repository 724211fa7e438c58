#!/usr/bin/env bash
# README command 2: set everything up (system packages when root, venv, test extras) and run the
# whole test suite. Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh" test
cd "$CC_ROOT"
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
# the whole suite includes the PyInstaller build test (2-4 min); CC_SLOW=0 skips it while iterating
export CC_SLOW="${CC_SLOW:-1}"
# two workers, a test file each at a time (module fixtures set up once): most tests wait on
# processes, servers and X, so two workers halve the time even on two cores; CC_TEST_WORKERS=0 runs
# everything in this process
exec python -m pytest -p no:cacheprovider -n "${CC_TEST_WORKERS:-2}" --dist loadfile "$@"
