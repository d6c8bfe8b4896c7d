"""Tests for cyberhistory.site.student: student copies of the notebooks, for lab/ and the site's downloads."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from cyberhistory.site.student import (
    HIDDEN_FOR_STUDENTS,
    INSTRUCTOR_ZIP,
    MANIFEST,
    STUDENT_ZIP,
    NotebookError,
    dumps,
    student_bytes,
    student_copy,
    write_notebook_downloads,
    write_student_notebooks,
)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def _source(cell: dict) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def _hidden(cell: dict) -> bool:
    return bool(HIDDEN_FOR_STUDENTS & set(cell.get("metadata", {}).get("tags", [])))


def _lines(cells: list[dict]) -> set[str]:
    return {line.strip() for c in cells for line in _source(c).splitlines() if len(line.strip()) >= 30}


def _hidden_lines() -> set[str]:
    """Distinctive lines (30 characters or more) of every solution or instructor cell of the real notebooks."""
    cells = [c for p in NOTEBOOKS for c in json.loads(p.read_text(encoding="utf-8"))["cells"]]
    visible = "\n".join(_source(c) for c in cells if not _hidden(c))
    return {line for line in _lines([c for c in cells if _hidden(c)]) if line not in visible}


def _assert_no_hidden_text(name: str, data: bytes, hidden: set[str]) -> None:
    text = data.decode("utf-8")
    shown = "\n".join(_source(c) for c in json.loads(text)["cells"]) if name.endswith(".ipynb") else text
    for line in hidden:
        assert line not in shown and json.dumps(line, ensure_ascii=False)[1:-1] not in text, f"{name} holds {line!r}"


def _notebook() -> dict:
    """A small notebook with a solution, an instructor note, outputs and metadata."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title ünïcode", id="cell-00"),
        nbformat.v4.new_code_cell("x = 1\nx", id="cell-01", metadata={"tags": ["keep-me"], "custom": 1}),
        nbformat.v4.new_code_cell("answer = 42", id="cell-02", metadata={"tags": ["solution"]}),
        nbformat.v4.new_markdown_cell("Teacher only", id="cell-03", metadata={"tags": ["instructor"]}),
        nbformat.v4.new_code_cell("print('hi')", id="cell-04"),
    ]
    nb.cells[1].execution_count = 3
    nb.cells[1].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=3)]
    nb.cells[4].outputs = [nbformat.v4.new_output("stream", text="hi\n")]
    return json.loads(nbformat.writes(nb))


def _folder(tmp_path: Path, names=("00-a.ipynb", "01-b.ipynb")) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in names:
        (folder / name).write_text(json.dumps(_notebook()), encoding="utf-8")
    return folder


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cyberhistory", "student-notebooks", *args], capture_output=True, text=True, cwd=ROOT
    )


class TestStudentCopy:
    def test_drops_solution_and_instructor_cells(self):
        """Cells tagged solution or instructor are gone; every other cell stays, in order."""
        copy = student_copy(_notebook())
        assert [c["id"] for c in copy["cells"]] == ["cell-00", "cell-01", "cell-04"]

    def test_clears_outputs_and_keeps_ids_tags_and_metadata(self):
        """Outputs and execution counts are cleared; ids, tags, cell and notebook metadata are kept."""
        copy = student_copy(_notebook())
        code = [c for c in copy["cells"] if c["cell_type"] == "code"]
        assert all(c["outputs"] == [] and c["execution_count"] is None for c in code)
        assert copy["cells"][1]["metadata"] == {"tags": ["keep-me"], "custom": 1}
        assert copy["metadata"]["kernelspec"]["name"] == "python3"
        assert (copy["nbformat"], copy["nbformat_minor"]) == (4, 5)

    def test_is_pure(self):
        """The input notebook is left exactly as it was."""
        nb = _notebook()
        before = json.dumps(nb)
        student_copy(nb)
        assert json.dumps(nb) == before

    def test_bytes_are_deterministic_and_as_nbformat_writes_them(self):
        """The same notebook always gives the same bytes, the bytes nbformat writes, and a valid notebook."""
        copy = student_copy(_notebook())
        data = dumps(copy)
        assert data == dumps(student_copy(_notebook())) == dumps(json.loads(data))
        assert data == (nbformat.writes(nbformat.from_dict(copy)) + "\n").encode()
        nbformat.validate(nbformat.reads(data.decode(), as_version=4))
        assert "ünïcode".encode() in data

    def test_real_notebooks_lose_only_their_hidden_cells(self):
        """Each real notebook's student copy keeps every visible cell's id and source, and only those."""
        for path in NOTEBOOKS:
            original = json.loads(path.read_text(encoding="utf-8"))["cells"]
            copy = json.loads(student_bytes(path))["cells"]
            visible = [c for c in original if not _hidden(c)]
            assert len(visible) < len(original), path.name
            assert [(c["id"], _source(c)) for c in copy] == [(c["id"], _source(c)) for c in visible]

    def test_no_solution_text_in_real_student_notebooks(self, tmp_path):
        """No distinctive line of a solution or instructor cell appears in any student notebook."""
        hidden = _hidden_lines()
        assert len(hidden) > 20
        write_student_notebooks(ROOT / "notebooks", tmp_path / "lab")
        written = sorted((tmp_path / "lab").glob("*.ipynb"))
        assert [p.name for p in written] == [p.name for p in NOTEBOOKS]
        for path in written:
            _assert_no_hidden_text(path.name, path.read_bytes(), hidden)


class TestWriteStudentNotebooks:
    def test_writes_one_copy_per_notebook_atomically(self, tmp_path):
        """Every source gets its copy; no temporary file is left behind."""
        done = write_student_notebooks(_folder(tmp_path), tmp_path / "lab")
        assert done.new == ["00-a.ipynb", "01-b.ipynb"]
        assert sorted(p.name for p in (tmp_path / "lab").iterdir()) == [MANIFEST, "00-a.ipynb", "01-b.ipynb"]
        assert (tmp_path / "lab" / "00-a.ipynb").read_bytes() == dumps(student_copy(_notebook()))

    def test_keeps_a_copy_a_student_changed(self, tmp_path):
        """A copy that differs from a fresh one and from what was written is kept, byte for byte."""
        source, lab = _folder(tmp_path), tmp_path / "lab"
        write_student_notebooks(source, lab)
        (lab / "00-a.ipynb").write_text('{"cells": [], "my": "answers"}', encoding="utf-8")
        (source / "00-a.ipynb").write_text(json.dumps({**_notebook(), "cells": []}), encoding="utf-8")
        done = write_student_notebooks(source, lab)
        assert done.kept == ["00-a.ipynb"] and done.unchanged == ["01-b.ipynb"]
        assert (lab / "00-a.ipynb").read_text(encoding="utf-8") == '{"cells": [], "my": "answers"}'

    def test_updates_a_copy_nobody_changed(self, tmp_path):
        """When a lesson changes, an untouched copy of it is replaced by the new student copy."""
        source, lab = _folder(tmp_path), tmp_path / "lab"
        write_student_notebooks(source, lab)
        changed = {**_notebook(), "cells": _notebook()["cells"][:1]}
        (source / "00-a.ipynb").write_text(json.dumps(changed), encoding="utf-8")
        assert write_student_notebooks(source, lab).updated == ["00-a.ipynb"]
        assert (lab / "00-a.ipynb").read_bytes() == dumps(student_copy(changed))

    def test_never_overwrites_a_file_it_did_not_write(self, tmp_path):
        """A file already in the folder under a lesson's name, not written by us, is kept."""
        source, lab = _folder(tmp_path), tmp_path / "lab"
        lab.mkdir()
        (lab / "01-b.ipynb").write_text("mine", encoding="utf-8")
        assert write_student_notebooks(source, lab).kept == ["01-b.ipynb"]
        assert (lab / "01-b.ipynb").read_text(encoding="utf-8") == "mine"

    def test_stale_copies_are_removed_but_never_student_work(self, tmp_path):
        """Untouched copies of deleted lessons go; changed ones and the student's own files stay."""
        source, lab = _folder(tmp_path, ("00-a.ipynb", "01-b.ipynb", "02-c.ipynb")), tmp_path / "lab"
        write_student_notebooks(source, lab)
        (lab / "my-notes.ipynb").write_text("{}", encoding="utf-8")
        (lab / "02-c.ipynb").write_text("{}", encoding="utf-8")  # the student worked in it
        (source / "01-b.ipynb").unlink()
        (source / "02-c.ipynb").unlink()
        done = write_student_notebooks(source, lab)
        assert done.removed == ["01-b.ipynb"] and done.orphaned == ["02-c.ipynb"]
        assert sorted(p.name for p in lab.glob("*.ipynb")) == ["00-a.ipynb", "02-c.ipynb", "my-notes.ipynb"]

    def test_missing_or_empty_folder_is_an_error(self, tmp_path):
        """A missing notebook folder, or one without notebooks, raises NotebookError and writes nothing."""
        with pytest.raises(NotebookError, match="no notebooks folder at"):
            write_student_notebooks(tmp_path / "nowhere", tmp_path / "lab")
        (tmp_path / "empty").mkdir()
        with pytest.raises(NotebookError, match="no notebooks"):
            write_student_notebooks(tmp_path / "empty", tmp_path / "lab")
        assert not (tmp_path / "lab").exists()

    def test_broken_notebook_is_an_error_naming_it(self, tmp_path):
        """A notebook that is not JSON is named in a one-line error, and nothing is written."""
        source = _folder(tmp_path)
        (source / "01-b.ipynb").write_text("{not json", encoding="utf-8")
        with pytest.raises(NotebookError, match=r"01-b\.ipynb: not a readable notebook") as caught:
            write_student_notebooks(source, tmp_path / "lab")
        assert "\n" not in str(caught.value) and not (tmp_path / "lab").exists()


class TestCommandLine:
    def test_keeps_an_edited_student_file_and_says_so(self, tmp_path):
        """`student-notebooks` keeps a file the student changed, prints one line about it, exits 0."""
        lab = tmp_path / "lab"
        assert _cli("--out", str(lab)).returncode == 0
        (lab / "01-start-here.ipynb").write_text('{"cells": [], "answers": "mine"}', encoding="utf-8")
        result = _cli("--out", str(lab))
        assert result.returncode == 0, result.stderr
        kept = [line for line in result.stdout.splitlines() if line.startswith("Kept")]
        assert kept == [
            f"Kept {lab / '01-start-here.ipynb'}: it has your changes (delete or rename it to get a fresh copy)."
        ]
        assert (lab / "01-start-here.ipynb").read_text(encoding="utf-8") == '{"cells": [], "answers": "mine"}'
        assert f"{len(NOTEBOOKS) - 1} unchanged, 1 kept" in result.stdout

    def test_missing_notebooks_folder_is_one_line_and_exit_1(self, tmp_path):
        """A missing notebooks folder gives one line on stderr and exit 1 (the CLI's code for bad input)."""
        result = _cli("--notebooks", str(tmp_path / "nowhere"), "--out", str(tmp_path / "lab"))
        assert result.returncode == 1
        assert result.stderr.strip().splitlines() == [
            f"Cannot write the student notebooks: no notebooks folder at {tmp_path / 'nowhere'}"
        ]
        assert result.stdout == "" and not (tmp_path / "lab").exists()


class TestDownloads:
    def test_student_zip_is_deterministic_and_complete(self, tmp_path):
        """Two writes give identical zips: sorted entries, fixed dates and modes, every lesson and README.md."""
        first = write_notebook_downloads(tmp_path / "a", "student", NOTEBOOKS, None)
        write_notebook_downloads(tmp_path / "b", "student", NOTEBOOKS, None)
        data = (tmp_path / "a" / "downloads" / "notebooks" / STUDENT_ZIP).read_bytes()
        assert data == (tmp_path / "b" / "downloads" / "notebooks" / STUDENT_ZIP).read_bytes()
        assert first == [(f"downloads/notebooks/{STUDENT_ZIP}", first[0][1])] and "without the answers" in first[0][1]
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            top = STUDENT_ZIP.removesuffix(".zip")
            assert names == sorted(names) == sorted([f"{top}/README.md"] + [f"{top}/{p.name}" for p in NOTEBOOKS])
            assert all(
                i.date_time == (1980, 1, 1, 0, 0, 0) and i.external_attr >> 16 == 0o100644 for i in archive.infolist()
            )
            for path in NOTEBOOKS:
                assert archive.read(f"{top}/{path.name}") == student_bytes(path)
            assert "instructor edition" in archive.read(f"{top}/README.md").decode()

    def test_student_downloads_hold_no_solution_text(self, tmp_path):
        """Neither the per-lesson notebooks nor anything in the zip holds a solution or instructor line."""
        hidden = _hidden_lines()
        write_notebook_downloads(tmp_path, "student", NOTEBOOKS, ROOT / "notebooks" / "instructor-guide.md")
        out = tmp_path / "downloads" / "notebooks"
        for path in NOTEBOOKS:
            _assert_no_hidden_text(path.name, (out / path.name).read_bytes(), hidden)
        with zipfile.ZipFile(out / STUDENT_ZIP) as archive:
            assert not any(n.endswith("instructor-guide.md") for n in archive.namelist())
            for name in archive.namelist():
                _assert_no_hidden_text(name, archive.read(name), hidden)

    def test_instructor_downloads_are_the_originals_clearly_labelled(self, tmp_path):
        """The instructor edition offers the original notebooks and the guide, labelled as holding the answers."""
        guide = ROOT / "notebooks" / "instructor-guide.md"
        listing = write_notebook_downloads(tmp_path, "instructor", NOTEBOOKS, guide)
        out = tmp_path / "downloads" / "notebooks"
        assert listing[0][0] == f"downloads/notebooks/{INSTRUCTOR_ZIP}" and "INSTRUCTOR" in listing[0][1]
        assert not (out / STUDENT_ZIP).exists()
        assert all((out / p.name).read_bytes() == p.read_bytes() for p in NOTEBOOKS)
        text = "".join(p.read_text(encoding="utf-8") for p in NOTEBOOKS)
        assert all(
            json.dumps(line, ensure_ascii=False)[1:-1] in text for line in _hidden_lines()
        )  # what the student tests look for
        with zipfile.ZipFile(out / INSTRUCTOR_ZIP) as archive:
            top = INSTRUCTOR_ZIP.removesuffix(".zip")
            assert archive.read(f"{top}/instructor-guide.md") == guide.read_bytes()
            assert "WITH the model answers" in archive.read(f"{top}/README.md").decode()


@pytest.mark.notebooks
class TestSite:
    def test_student_edition_offers_every_lesson_and_the_zip(self, site_build):
        """The student edition has each lesson's student notebook, the zip, and links to them."""
        student = site_build.out / "student"
        out = student / "downloads" / "notebooks"
        assert sorted(p.name for p in out.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]
        assert all((out / p.name).read_bytes() == student_bytes(p) for p in NOTEBOOKS)
        assert f'href="downloads/notebooks/{STUDENT_ZIP}"' in (student / "data.html").read_text(encoding="utf-8")
        with zipfile.ZipFile(out / STUDENT_ZIP) as archive:
            assert len(archive.namelist()) == len(NOTEBOOKS) + 1
        assert not (out / INSTRUCTOR_ZIP).exists()

    def test_each_lesson_page_links_its_own_notebook(self, site_build):
        """Every lesson page of both editions links its own .ipynb, labelled for its edition."""
        for edition, label in [("student", "(.ipynb)"), ("instructor", "with the model answers (.ipynb)")]:
            for path in NOTEBOOKS:
                html = (site_build.out / edition / f"{path.stem}.html").read_text(encoding="utf-8")
                assert f'<a href="downloads/notebooks/{path.name}" download>Download this lesson as a notebook' in html
                assert label in html, (edition, path.name)

    def test_instructor_edition_offers_the_originals(self, site_build):
        """The instructor edition's notebooks are the originals, with their solutions."""
        out = site_build.out / "instructor" / "downloads" / "notebooks"
        assert all((out / p.name).read_bytes() == p.read_bytes() for p in NOTEBOOKS)
        assert (out / INSTRUCTOR_ZIP).is_file() and not (out / STUDENT_ZIP).exists()

    def test_student_notebook_runs_from_another_folder(self, tmp_path, monkeypatch):
        """A student copy run in a fresh kernel from a temporary folder finds the data and raises nothing."""
        from cyberhistory.site.worker import run

        monkeypatch.delenv("CYBERHISTORY_DATA", raising=False)
        path = tmp_path / "01-start-here.ipynb"
        path.write_bytes(student_bytes(ROOT / "notebooks" / "01-start-here.ipynb"))
        notebook, error, _timings = run(path)
        assert error is None
        outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
        assert outputs and not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["01-start-here.ipynb"]
