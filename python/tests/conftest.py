"""Shared data for the tests: the repository's vectors and real captures, and `amt-hello decode`.

The tests run against the installed wheel (python/ci.sh installs it into a fresh virtualenv),
never against the source tree: python/python/ is not on sys.path here.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
from typing import Any

import pytest

DATA = pathlib.Path(__file__).resolve().parents[2] / "tests" / "data"


def _captures() -> list[dict[str, Any]]:
    expected = json.loads((DATA / "real" / "expected.json").read_text())
    return [
        {
            "name": path.name,
            "bytes": bytes.fromhex("".join(path.read_text().split())),
            "expect": expected[path.name],
        }
        for path in sorted((DATA / "real").glob("*.hex"))
    ]


VECTORS: dict[str, Any] = json.loads((DATA / "hello-vectors.json").read_text())
CAPTURES = _captures()
# Every valid message: the shared vectors', then the real captures.
VALID = [
    {"name": v["name"], "bytes": bytes.fromhex(v["hex"]), "expect": v["expect"]}
    for v in VECTORS["valid"]
] + CAPTURES
INVALID: list[dict[str, Any]] = VECTORS["invalid"]


@pytest.fixture(scope="session")
def rust_decoder() -> str:
    """The Rust `amt-hello` command: $AMT_HELLO (ci.sh sets it), else the workspace's debug
    build, else `amt-hello` on PATH; skipped where there is none."""
    candidates = [
        os.environ.get("AMT_HELLO"),
        str(DATA.parents[1] / "target" / "debug" / "amt-hello"),
        shutil.which("amt-hello"),
    ]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    if os.environ.get("AMT_HELLO"):
        pytest.fail(f"AMT_HELLO={os.environ['AMT_HELLO']} is not an executable")
    pytest.skip("no amt-hello command (cargo build -p amt-hello-cli)")
