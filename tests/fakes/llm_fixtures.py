"""The scripted model server as pytest fixtures, shared by the tests that talk to a model.

Import them into a test module (``from fakes.llm_fixtures import fake, server, wire``); a module
that needs a scripted server of its own defines ``server`` itself and ``fake`` resets that one.
"""

from __future__ import annotations

import pytest

from citebrief.llm import GENERATORS

from .llm_server import FakeLLMServer


@pytest.fixture(scope="module")
def server():
    fake = FakeLLMServer().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake(server):
    server.reset()
    return server


@pytest.fixture(params=sorted(GENERATORS))
def wire(request) -> str:
    return request.param
