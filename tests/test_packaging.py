"""Tests for the packaging: a wheel installed non-editable into a fresh virtual environment carries and loads the data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_in_fresh_venv_loads_the_bundled_data(tmp_path):
    """`pip install <wheel>` into a new venv gives a package that validates and loads its data from any folder."""
    source, dist = tmp_path / "source", tmp_path / "dist"
    # Build from a copy, so the build never writes build/ or egg-info into the checkout.
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    for name in ("src", "data"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("cyberhistory-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "CYBERHISTORY_DATA"}
    checked = subprocess.run(
        [python, "-m", "cyberhistory", "validate"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert checked.returncode == 0 and checked.stdout.startswith("Data is valid"), checked.stderr
    code = "from cyberhistory.data import load; d = load(); print(len(d.events), d.directory)"
    loaded = subprocess.run([python, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    count, directory = loaded.stdout.split()
    assert int(count) > 200 and Path(directory).is_relative_to(env_dir)
