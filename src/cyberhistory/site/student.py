"""Student copies of the notebooks: no solution or instructor cells, no outputs; for ``lab/`` and the site.

A student copy is made with ``json`` alone (no nbformat), written the way
nbformat writes (sorted keys, ``indent=1``, UTF-8, a final newline), so the
same notebook always gives the same bytes. ``lab/`` holds students' work:
:func:`write_student_notebooks` never overwrites or deletes a file a student
has changed, and never touches a file it did not write.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from cyberhistory.i18n import gettext as _

#: Cells the student edition and the student notebooks leave out.
HIDDEN_FOR_STUDENTS = frozenset({"solution", "instructor"})
#: In the output folder: the hash of every copy as written, to tell our untouched copies from a student's work.
MANIFEST = ".student-copies.json"
STUDENT_ZIP = "cyberhistory-student-notebooks.zip"
INSTRUCTOR_ZIP = "cyberhistory-instructor-notebooks.zip"
#: Fixed entry metadata, so two builds give byte-identical archives.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_ZIP_MODE = 0o100644 << 16  # a regular file, rw-r--r--

README = {
    "student": """\
# Hacktivism: a history in data (student notebooks)

These are the lesson notebooks of the unit, one per lesson, for Jupyter.
They are the student copies: the exercises are here, the model answers are
not (teachers find them in the instructor edition of the site).

To open them you need Python with the `cyberhistory` package, which carries
the dataset the notebooks read:

- in a copy of the project, run `make lab` (or `pip install -r requirements.txt`,
  then `jupyter lab` in this folder);
- or open this folder in any JupyterLab whose Python has the project installed.

Run the cells from top to bottom. Nothing needs the internet, and your answers
stay in your own files.
""",
    "instructor": """\
# Hacktivism: a history in data (instructor notebooks)

These are the original lesson notebooks, WITH the model answers (cells tagged
`solution`) and teacher notes (cells tagged `instructor`), and the instructor
guide. Do not give them to students: the student edition of the site offers
copies without the answers.

To open them you need Python with the `cyberhistory` package, which carries
the dataset the notebooks read: in a copy of the project, run
`make lab-instructor` (or `pip install -r requirements.txt`, then `jupyter lab`
in this folder).
""",
}


class NotebookError(Exception):
    """A notebook folder or file that cannot be copied; the message says why in one line."""


@dataclass
class Copied:
    """What :func:`write_student_notebooks` did, by file name."""

    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # a student changed it: left as it is
    removed: list[str] = field(default_factory=list)  # its lesson is gone and nobody changed it
    orphaned: list[str] = field(default_factory=list)  # its lesson is gone but a student changed it: left


def student_copy(nb: dict) -> dict:
    """A copy of ``nb`` without ``solution`` or ``instructor`` cells and without outputs.

    Cell ids, tags and all other metadata are kept; ``nb`` is not changed.
    """
    copy = json.loads(json.dumps(nb))  # a deep copy of plain JSON data
    cells = []
    for cell in copy.get("cells", []):
        if HIDDEN_FOR_STUDENTS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
        cells.append(cell)
    copy["cells"] = cells
    return copy


def dumps(nb: dict) -> bytes:
    """A notebook's bytes as nbformat writes them: sorted keys, ``indent=1``, UTF-8, a final newline."""
    return (json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def read_notebook(path: Path) -> dict:
    """A notebook file as plain JSON data."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise NotebookError(f"{path}: not a readable notebook ({err})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise NotebookError(f"{path}: not a notebook (no list of cells)")
    return nb


def student_bytes(path: Path) -> bytes:
    """The student copy of the notebook at ``path``, as bytes."""
    return dumps(student_copy(read_notebook(path)))


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: never a half-written file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # opened plainly, so the file gets the usual mode
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _sources(src_dir: Path) -> list[Path]:
    if not src_dir.is_dir():
        raise NotebookError(f"no notebooks folder at {src_dir}")
    paths = sorted(src_dir.glob("*.ipynb"))
    if not paths:
        raise NotebookError(f"no notebooks (*.ipynb) in {src_dir}")
    return paths


def _read_manifest(out_dir: Path) -> dict[str, str]:
    try:
        copies = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8")).get("copies", {})
    except (OSError, ValueError, AttributeError):
        return {}  # none yet, or damaged: then no file counts as ours, and nothing is overwritten
    return {k: v for k, v in copies.items() if isinstance(k, str) and isinstance(v, str)}


def write_student_notebooks(src_dir: Path, out_dir: Path) -> Copied:
    """Write a student copy of every ``src_dir/*.ipynb`` into ``out_dir``, keeping students' work.

    A copy that is missing is written; one that this function wrote and nobody changed since is
    updated; one that differs from both (a student's answers) is kept as it is. A copy whose source
    notebook is gone is removed only if nobody changed it. Other files in ``out_dir`` are never touched.

    Raises
    ------
    NotebookError
        When ``src_dir`` is missing or holds no notebooks, or a notebook is not valid JSON.
    """
    fresh = {path.name: student_bytes(path) for path in _sources(src_dir)}  # read all before writing any
    if out_dir.exists() and not out_dir.is_dir():
        raise NotebookError(f"{out_dir} is a file, not a folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    written, done = _read_manifest(out_dir), Copied()
    for name, data in fresh.items():
        target = out_dir / name
        current = target.read_bytes() if target.is_file() else None
        if current == data:
            done.unchanged.append(name)
        elif current is not None and _sha(current) != written.get(name):
            done.kept.append(name)
            continue
        else:
            write_atomic(target, data)
            (done.new if current is None else done.updated).append(name)
        written[name] = _sha(data)
    for name in sorted(set(written) - set(fresh)):
        target = out_dir / name
        if target.is_file() and _sha(target.read_bytes()) == written[name]:
            target.unlink()
            done.removed.append(name)
        elif target.is_file():
            done.orphaned.append(name)
        del written[name]
    manifest = {
        "about": "hashes of the student copies as written; do not edit",
        "copies": dict(sorted(written.items())),
    }
    write_atomic(out_dir / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode())
    return done


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A deterministic zip of ``files`` (name -> bytes): sorted entries, fixed dates and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type, info.external_attr, info.create_system = zipfile.ZIP_DEFLATED, _ZIP_MODE, 3
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def write_notebook_downloads(
    folder: Path, edition: str, paths: list[Path], guide: Path | None
) -> list[tuple[str, str]]:
    """Write an edition's ``downloads/notebooks/``: one notebook per lesson and a zip of them all.

    The student edition gets student copies; the instructor edition the originals, with their
    answers, and the instructor guide. Returns the ``(href, label)`` entries of the data page.
    """
    out = folder / "downloads" / "notebooks"
    out.mkdir(parents=True, exist_ok=True)
    student = edition == "student"
    files = {p.name: student_bytes(p) if student else p.read_bytes() for p in paths}
    for name, data in files.items():
        (out / name).write_bytes(data)
    if not student and guide is not None and guide.is_file():
        files[guide.name] = guide.read_bytes()
    files["README.md"] = README["student" if student else "instructor"].encode()
    zip_name = STUDENT_ZIP if student else INSTRUCTOR_ZIP
    top = zip_name.removesuffix(".zip")
    (out / zip_name).write_bytes(zip_bytes({f"{top}/{name}": data for name, data in files.items()}))
    if student:
        label = _("All lesson notebooks for Jupyter (.zip; student copies, without the answers)")
    else:
        label = _("INSTRUCTOR: all lesson notebooks WITH the model answers, and the instructor guide (.zip)")
    return [(f"downloads/notebooks/{zip_name}", label)]
