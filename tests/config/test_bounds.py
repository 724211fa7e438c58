"""Config files are read with bounds (issue 18): an alias bomb, deep nesting and a huge file each
fail `validate` in under 5 s and 200 MB, with a message naming the file and the limit."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from commandcenter.config.yamlfile import MAX_ALIASES, MAX_DEPTH, MAX_NODES, check_shape

ROOT = Path(__file__).resolve().parents[2]
# runs `commandcenter validate DIR` and reports its own peak memory (VmHWM, KiB; ru_maxrss would
# include the parent's peak from before the exec)
RUNNER = ("import sys\nfrom commandcenter.cli import main\ncode = main(['validate', sys.argv[1]])\n"
          "hwm = [ln.split()[1] for ln in open('/proc/self/status') if ln.startswith('VmHWM')][0]\n"
          "print('MAXRSS', hwm, file=sys.stderr)\nsys.exit(code)\n")


def billion_laughs(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


CASES = {
    "alias bomb": ("city.yaml", lambda: billion_laughs(), f"aliases expand to more than {MAX_NODES:,} nodes"),
    "many aliases": ("city.yaml", lambda: "a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n",
                     f"more than {MAX_ALIASES} aliases"),
    "flow nesting 50,000 deep": ("metrics.yaml", lambda: "x: " + "[" * 50_000 + "]" * 50_000 + "\n",
                                 f"nested more than {MAX_DEPTH} levels deep"),
    "block nesting 500 deep": ("scenes.yaml", lambda: "".join(f"{' ' * i}k{i}:\n" for i in range(500)) + " " * 500 + "v\n",
                               f"nested more than {MAX_DEPTH} levels deep"),
    "50 MB file": ("sources.yaml", lambda: "x: [" + ", ".join(["123456789"] * 5_000_000) + "]\n",
                   "over the 512 KB limit for a config file"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bounded_read_fails_fast_and_small(config_copy, case):
    name, make, message = CASES[case]
    path = config_copy / name
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n" + make() if case != "50 MB file" else make(), encoding="utf-8")
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-c", RUNNER, str(config_copy)], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    elapsed = time.monotonic() - started
    assert run.returncode == 2, run.stderr[-2000:]
    lines = [line for line in (run.stdout + run.stderr).splitlines() if message in line]
    assert lines, run.stdout[-1000:] + run.stderr[-2000:]
    assert f"{name}:" in lines[0]  # the file is named (with line:column where there is one)
    assert "Traceback" not in run.stderr
    rss_mb = int(run.stderr.split("MAXRSS")[1].split()[0]) / 1024
    assert elapsed < 5, (case, elapsed)
    assert rss_mb < 200, (case, rss_mb)
    print(f"\n{case}: {elapsed:.2f} s, {rss_mb:.0f} MB peak: {lines[0]}")


def test_ordinary_anchors_and_merge_keys_pass():
    text = "base: &b {unit: '%', direction: up}\nm1: {<<: *b, name: a}\nm2: {<<: *b, name: b}\n"
    assert check_shape(text, "metrics.yaml") is None


def test_demo_configs_are_well_inside_the_bounds():
    for path in [*(ROOT / "config").glob("*.yaml"), *(ROOT / "config").glob("examples/*/*.yaml")]:
        assert check_shape(path.read_text(encoding="utf-8"), path.name) is None, path
