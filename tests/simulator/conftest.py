from __future__ import annotations

import pytest

from tests.simulator.helpers import start_sim_env


@pytest.fixture
def sim_env(tmp_path):
    env = start_sim_env(tmp_path)
    yield env
    env.sim.stop()
