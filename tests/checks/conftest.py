import shutil

import pytest

from tests.checks.servers import Server, make_ca


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed (scripts/bootstrap.sh installs it)")
    return make_ca(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def web():
    with Server() as s:
        yield s


@pytest.fixture(scope="module")
def tls(pki):
    with Server(pki["good"], pki["good_key"]) as s:
        yield s


@pytest.fixture(scope="module")
def tls_other(pki):
    with Server(pki["other"], pki["other_key"]) as s:
        yield s
