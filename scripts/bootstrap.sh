#!/usr/bin/env bash
# Shared setup for the two README commands: system packages (when root with apt), the venv, the
# package. Idempotent: a second run reuses the venv and skips what is already installed.
# Usage: source scripts/bootstrap.sh [runtime|test]
set -euo pipefail

CC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CC_VENV="${CC_VENV:-$CC_ROOT/.venv}"
CC_PY="${CC_PYTHON:-$(command -v python3.11 || command -v python3)}"
CC_PROFILE="${1:-runtime}"

# Qt's xcb platform plugin, a font, and Xvfb/xrandr for a virtual wall when there is no display.
RUNTIME_DEBS=(libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxcb-xinerama0
  libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core xvfb x11-xserver-utils
  openssl)  # openssl: the simulator's and the tests' own CA for the HTTPS application checks
# Tests add a real PostgreSQL server (started per test session on a temp dir) and ImageMagick.
TEST_DEBS=(postgresql imagemagick poppler-utils)

cc_missing_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

cc_system_packages() {
  local want=("${RUNTIME_DEBS[@]}")
  [ "$CC_PROFILE" = test ] && want+=("${TEST_DEBS[@]}")
  command -v dpkg-query >/dev/null || { echo "setup: not a Debian system; install Qt xcb libraries, Xvfb and PostgreSQL yourself" >&2; return 0; }
  local missing
  missing="$(cc_missing_debs "${want[@]}")"
  [ -z "${missing// /}" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing system packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "setup: missing system packages (install them as root): apt-get install -y $missing" >&2
    echo "setup: tests that need them are skipped with that reason" >&2
  fi
}

cc_venv() {
  if [ ! -x "$CC_VENV/bin/python" ]; then
    echo "setup: creating $CC_VENV with $CC_PY"
    "$CC_PY" -m venv "$CC_VENV" || { echo "setup: python3 -m venv failed (apt-get install python3-venv)" >&2; exit 1; }
  fi
  # both profiles take the `web` extra (Qt WebEngine for web panels); a bare `pip install .` does not
  local extras="[web]" stamp
  [ "$CC_PROFILE" = test ] && extras="[test,web]"
  stamp="$CC_VENV/.cc-installed-$(cat "$CC_ROOT/pyproject.toml" | sha1sum | cut -c1-12)$extras"
  if [ ! -f "$stamp" ]; then
    echo "setup: installing commandcenter$extras into $CC_VENV"
    "$CC_VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
    "$CC_VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$CC_ROOT$extras"
    touch "$stamp"
  fi
}

cc_system_packages
cc_venv
export PATH="$CC_VENV/bin:$PATH"
