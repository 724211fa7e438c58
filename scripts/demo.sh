#!/usr/bin/env bash
# README command 1: set everything up and start the demo wall on the bundled demo city
# (simulated department sources + collector + wall + operator console).
# With no display (a server, CI, SSH), a virtual 2x2 wall runs under Xvfb and a screenshot of
# the whole wall is written to screenshots/demo-wall.png.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh" runtime
cd "$CC_ROOT"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec commandcenter demo "$@"
fi

command -v Xvfb >/dev/null || { echo "demo: no display and no Xvfb (apt-get install xvfb x11-xserver-utils)" >&2; exit 1; }
mkdir -p screenshots
display=":$(( 90 + RANDOM % 100 ))"
Xvfb "$display" -screen 0 3840x3240x24 -nolisten tcp -noreset >/dev/null 2>&1 &
xvfb_pid=$!
demo_pid=""
trap 'kill $xvfb_pid 2>/dev/null || true' EXIT
# SIGINT/SIGTERM to this script stop the demo, then Xvfb (the EXIT trap). The demo runs in the
# background so this shell can take the signal: a shell waiting on a foreground child would
# only act after the child ends, and background children of a script ignore SIGINT themselves.
stop_demo() { [ -n "$demo_pid" ] && kill -TERM "$demo_pid" 2>/dev/null || true; }
trap stop_demo INT TERM
export DISPLAY="$display"
for _ in $(seq 50); do xrandr --query >/dev/null 2>&1 && break; sleep 0.1; done
# 2x2 wall of 1920x1080 monitors, plus the operator's desk monitor below it
xrandr --setmonitor wall-1 1920/508x1080/286+0+0 screen >/dev/null
xrandr --setmonitor wall-2 1920/508x1080/286+1920+0 none >/dev/null
xrandr --setmonitor wall-3 1920/508x1080/286+0+1080 none >/dev/null
xrandr --setmonitor wall-4 1920/508x1080/286+1920+1080 none >/dev/null
xrandr --setmonitor console 1920/508x1080/286+0+2160 none >/dev/null
echo "demo: no display found; running the wall on a virtual 2x2 wall ($DISPLAY)."
echo "demo: a screenshot of the whole wall will be written to screenshots/demo-wall.png; Ctrl+C to stop."
commandcenter demo --screenshot screenshots/demo-wall.png "$@" &
demo_pid=$!
status=0
while kill -0 "$demo_pid" 2>/dev/null; do
  wait "$demo_pid" || status=$?   # returns early (>128) when a trapped signal arrives
done
exit "$status"
