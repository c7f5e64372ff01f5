"""Shared fixtures and paths for the test-suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
SPECS = Path(__file__).parent / "specs"

try:
    from hypothesis import settings

    # the default run (CI) draws the same examples every time, so that it passes or fails
    # on the code alone; the slow profile explores (HYPOTHESIS_PROFILE=slow, README)
    settings.register_profile("default", max_examples=200, deadline=None, derandomize=True)
    settings.register_profile("slow", max_examples=10_000, deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
except ImportError:  # hypothesis is a dev extra
    pass


@pytest.fixture(scope="session")
def sample_paths() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt"))


def needs_shared(sub: str) -> Path:
    """Path into ../shared, or skip the test when it is absent."""
    p = SHARED / sub
    if not p.exists():
        pytest.skip(f"{p} is not present (shared/ lies beside the checkout)")
    return p
