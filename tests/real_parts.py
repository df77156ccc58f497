"""Test helper: a missing real part (espeak-ng, chromium, the Korean Vosk model, the shared dev set)
fails the test with a clear message instead of skipping it — `.ci/run` installs every one of them."""

from __future__ import annotations

import pytest


def require(ok: object, what: str) -> None:
    if not ok:
        pytest.fail(f"{what} is missing; .ci/run installs it (see the README's `make test` note)")
