"""Jinja2 templates with autoescaping: every value is escaped unless a template or caller marks it safe on purpose."""

from __future__ import annotations

from functools import cache

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from cyberhistory import i18n
from cyberhistory.labels import display_name

__all__ = ["Markup", "environment", "render"]


@cache
def environment(*packages: str) -> Environment:
    """An environment over the ``templates`` folders of ``packages`` (first wins), plus the shared fragments."""
    loaders = [PackageLoader(p, "templates") for p in (*packages, "cyberhistory")]
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Looked up at each call, so one cached environment writes every language (cyberhistory.i18n).
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
    env.policies["ext.i18n.trimmed"] = True  # a {% trans %} block's line breaks are layout, as the catalog has it
    env.filters["display_name"] = display_name
    return env


def render(name: str, /, **context) -> Markup:
    """Render a shared template (``cyberhistory/templates/<name>``) as safe HTML."""
    return Markup(environment().get_template(name).render(**context))
