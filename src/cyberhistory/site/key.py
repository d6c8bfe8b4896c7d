"""What a build depends on, hashed with the standard library only.

A rebuild with nothing changed must answer at once, so this module imports
nothing heavy: the notebooks' cache keys and the site's key are computed from
file bytes and installed versions before pandas, matplotlib or nbformat load.
"""

from __future__ import annotations

import hashlib
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
SITE_DIR = PACKAGE_DIR / "site"
#: The site's own code runs after execution, so editing it never re-runs a notebook; the worker does run it.
_EXECUTION_CODE_IN_SITE = ("worker.py", "zygote.py")
#: Libraries whose versions change what a notebook prints or how a page is rendered.
RENDERING_LIBRARIES = (
    "pandas",
    "numpy",
    "matplotlib",
    "ipykernel",
    "ipython",
    "jupyter_client",
    "nbclient",
    "nbformat",
    "mistune",
    "pygments",
    "jinja2",
    "markupsafe",
)


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def _update(digest, paths: list[Path], base: Path) -> None:
    for path in paths:
        digest.update(path.relative_to(base).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


@cache
def versions() -> str:
    """Python's version and those of the libraries that shape the output, one per line."""
    lines = [sys.version]
    for name in RENDERING_LIBRARIES:
        try:
            lines.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            lines.append(f"{name} missing")
    return "\n".join(lines)


def execution_inputs(data_dir: Path, env: dict[str, str]) -> str:
    """A hash of what every notebook's outputs depend on besides the notebook: data, code, versions, environment."""
    digest = hashlib.sha256()
    _update(digest, _files(data_dir), data_dir)
    code = [p for p in _files(PACKAGE_DIR) if SITE_DIR not in p.parents or p.name in _EXECUTION_CODE_IN_SITE]
    _update(digest, code, PACKAGE_DIR)
    digest.update(versions().encode())
    digest.update(repr(sorted(env.items())).encode())
    return digest.hexdigest()


def notebook_key(notebook: Path, inputs: str) -> str:
    """The cache key of one notebook: its bytes and the shared execution inputs."""
    return hashlib.sha256(notebook.read_bytes() + inputs.encode()).hexdigest()[:32]


def site_key(notebook_keys: dict[str, str], extra_files: list[Path]) -> str:
    """A hash of every input of the site: each notebook's key, the site's own code, templates and static files."""
    digest = hashlib.sha256()
    for name, key in sorted(notebook_keys.items()):
        digest.update(f"{name}={key}\n".encode())
    _update(digest, _files(SITE_DIR), PACKAGE_DIR)
    for path in extra_files:
        digest.update(path.name.encode() + (path.read_bytes() if path.is_file() else b"(missing)"))
    return digest.hexdigest()
