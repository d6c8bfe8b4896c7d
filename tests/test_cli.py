"""Tests for the command line, run as a user would: `python -m cyberhistory ...` in a subprocess."""

import signal
import subprocess
import sys

from conftest import ROOT, write_dataset


def _run(*args):
    return subprocess.run([sys.executable, "-m", "cyberhistory", *args], capture_output=True, text=True, cwd=ROOT)


def test_validate_clean_prints_summary():
    """A clean data folder prints one summary line and exits 0."""
    result = _run("validate")
    assert result.returncode == 0
    assert result.stdout.startswith("Data is valid: ")


def test_validate_reports_problems_without_traceback(tmp_path, minimal_rows):
    """A broken folder prints file:line: column: message lines and a count, exits 1, no traceback."""
    minimal_rows["events"][0]["start_date"] = "2011-13-01"
    folder = write_dataset(tmp_path / "d", minimal_rows)
    (folder / "sources.csv").write_bytes(b"\xef\xbb\xbf" + (folder / "sources.csv").read_bytes())
    result = _run("validate", str(folder))
    assert result.returncode == 1
    assert "events.csv:2: start_date: '2011-13-01' is not a valid date" in result.stdout
    assert "sources.csv:1: file starts with a byte-order mark" in result.stdout
    assert "problem(s) found." in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_validate_missing_folder(tmp_path):
    """A folder with no data files reports each missing file, not a traceback."""
    result = _run("validate", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert "events.csv: file is missing" in result.stdout
    assert "Traceback" not in result.stderr


def test_stats_prints_figures():
    """`stats` prints the counts and the breakdowns."""
    result = _run("stats")
    assert result.returncode == 0
    assert "Events by era" in result.stdout and "Events by tactic" in result.stdout


def test_ci_runs_the_readme_test_command():
    """.ci/run runs `make test`, the command the README gives."""
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "\nmake test\n" in ci
    assert "make test" in readme
    assert "apt-get install" in ci and "chromium" in ci


def test_output_into_a_closed_pipe_ends_quietly():
    """`python -m cyberhistory stats | head -0`: the reader is gone, so the command stops without a traceback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "cyberhistory", "stats"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdout.close()  # the reader leaves before the first line is written
    with process.stderr:
        stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 128 + signal.SIGPIPE
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
