"""Where figures and event cards link to: each event's entry on the site, when there is a site.

The site build sets ``$CYBERHISTORY_EVENT_URL`` for the kernels it runs, so timeline markers
and event cards link to the event's entry; in JupyterLab it is unset and nothing links away.
The build then points each link at the page that holds the entry.
"""

from __future__ import annotations

import os

LINK_ENV = "CYBERHISTORY_EVENT_URL"
#: Every event's stable address on the site (the data page's index row).
DATA_PAGE = "data.html#event-{event_id}"


def event_link(link: str | None = None) -> str | None:
    """``link`` if given, else the site's URL pattern with ``{event_id}``, else None (not on a site)."""
    return link if link is not None else (os.environ.get(LINK_ENV) or None)
