"""Publishing: execute the notebooks, render them, and assemble the static site (student and instructor editions).

Modules: ``build`` (the command, its key check, lock and atomic swap), ``key``
(what a build depends on), ``execute`` and ``worker`` (notebooks in fresh
kernels, one long-lived worker per core), ``zygote`` (a pre-imported process
that forks each notebook a fresh kernel of its own), ``render`` (notebook to
HTML), ``pages`` (the pages around the lessons), ``glossary``, ``explore`` (the
timeline explorer), ``export`` (downloads for other tools), ``student`` (student
copies of the notebooks), ``assemble`` (writing one edition), ``html`` (templates).
"""
