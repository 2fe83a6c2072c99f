"""Shared fixtures: the repository root as working directory (decisions cite the paths they were
given, so Python and the CLI must be given the same ones), and the CLI to compare against."""

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs the `interdict` command line from the repository (built by `cargo test`)."""
    command = os.environ.get("INTERDICT_CLI")
    prefix = [command] if command else ["cargo", "run", "-q", "--bin", "interdict", "--"]
    return subprocess.run(
        prefix + list(args), cwd=ROOT, capture_output=True, text=True, check=check
    )
