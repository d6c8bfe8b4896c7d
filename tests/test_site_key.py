"""Tests for cyberhistory.site.key: the up-to-date check covers every input and needs no heavy import."""

from __future__ import annotations

import shutil
import subprocess
import sys

from cyberhistory.site import key


def test_execution_inputs_cover_every_data_file(tmp_path, minimal_dir):
    """Editing any file of the data folder (a CSV or the hand-written notes) changes the execution key."""
    before = key.execution_inputs(minimal_dir, {})
    (minimal_dir / "codebook_notes.md").write_text("notes")
    after = key.execution_inputs(minimal_dir, {})
    assert before != after


def test_library_versions_are_in_the_key(monkeypatch, minimal_dir):
    """Upgrading a library that renders output (pandas, matplotlib ...) changes the key."""
    before = key.execution_inputs(minimal_dir, {})
    monkeypatch.setattr(key, "versions", lambda: "Python 3.11\npandas 9.9")
    assert key.execution_inputs(minimal_dir, {}) != before
    assert "matplotlib" in key.RENDERING_LIBRARIES and "pandas" in key.RENDERING_LIBRARIES


def test_site_files_change_the_site_key_but_not_execution(monkeypatch, tmp_path, minimal_dir):
    """Editing the stylesheet or a page template rebuilds the site without re-running any notebook."""
    package = tmp_path / "cyberhistory"
    shutil.copytree(key.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(key, "PACKAGE_DIR", package)
    monkeypatch.setattr(key, "SITE_DIR", package / "site")
    inputs = key.execution_inputs(minimal_dir, {})
    site = key.site_key({"a": "1"}, [])
    for edited in (package / "site" / "static" / "style.css", package / "site" / "templates" / "page.html"):
        edited.write_text(edited.read_text() + "\n/* edited */")
        assert key.execution_inputs(minimal_dir, {}) == inputs
        assert key.site_key({"a": "1"}, []) != site
        site = key.site_key({"a": "1"}, [])
    (package / "timeline.py").write_text("# edited\n")
    assert key.execution_inputs(minimal_dir, {}) != inputs


def test_guide_changes_the_site_key(tmp_path):
    """The instructor guide is an input of the site."""
    guide = tmp_path / "instructor-guide.md"
    guide.write_text("one")
    first = key.site_key({}, [guide])
    guide.write_text("two")
    assert key.site_key({}, [guide]) != first


def test_no_change_check_imports_nothing_heavy():
    """Computing the keys imports neither pandas, matplotlib, nbformat nor jinja2."""
    code = (
        "import sys\nfrom pathlib import Path\nfrom cyberhistory.site import build, key\n"
        "inputs = key.execution_inputs(Path(build.ROOT / 'data'), {})\n"
        "key.site_key({'x': key.notebook_key(next(build.NOTEBOOK_DIR.glob('*.ipynb')), inputs)}, [])\n"
        "print(sorted(m for m in ('pandas', 'matplotlib', 'nbformat', 'jinja2', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
