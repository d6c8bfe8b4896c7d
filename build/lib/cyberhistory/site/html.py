"""The site's Jinja2 environment: its own page templates, plus the shared fragments (event entries, tables)."""

from __future__ import annotations

from cyberhistory.templating import Markup, environment

__all__ = ["Markup", "render"]


def render(name: str, /, **context) -> Markup:
    """Render ``cyberhistory/site/templates/<name>`` (or a shared fragment) as safe HTML."""
    return Markup(environment("cyberhistory.site").get_template(name).render(**context))
