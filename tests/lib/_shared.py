"""Where the shared evaluation data lives, for tests that need it."""

import os
from pathlib import Path

import pytest

# ../shared next to the repo, or where NEWSDESK_SHARED_DIR points (a worktree elsewhere).
SHARED = Path(
    os.environ.get("NEWSDESK_SHARED_DIR") or Path(__file__).resolve().parents[2].parent / "shared"
)
DATA = Path(__file__).resolve().parents[1] / "data"


def shared(*parts: str) -> Path:
    """A path under ../shared, or skip the test saying what is missing."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"shared evaluation data not found at {path} (clone ../shared next to the repo)"
        )
    return path
