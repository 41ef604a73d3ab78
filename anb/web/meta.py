"""The head tags of a page: title, description, canonical address, Open Graph and Twitter card.

Rendered by the server, because the crawlers that build a link's preview in a chat run no script.
Every value is HTML-escaped: titles and names are the players' own text.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from fastapi import Request

from anb.deps import app_state

SITE_NAME = "ANB Rising Stars Showcase"
SITE_DESCRIPTION = (
    "ANB Rising Stars Showcase: videos de jugadores aficionados de baloncesto, votaciones y ranking por ciudad."
)
# Shown for the site itself and for a video without a poster (the demo data has no media files).
CARD_IMAGE = "og-card.png"


def site_url(request: Request) -> str:
    """The public origin: ANB_PUBLIC_BASE_URL behind a proxy, else the address the request came to."""
    configured = app_state(request).settings.http.public_base_url
    return (configured or str(request.base_url)).rstrip("/")


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    url: str
    image: str
    kind: str = "website"  # og:type
    video: str | None = None
    indexable: bool = True

    @classmethod
    def site(cls, url: str, image: str) -> PageMeta:
        return cls(SITE_NAME, SITE_DESCRIPTION, f"{url}/", image)

    def tags(self) -> str:
        properties = [
            ("og:site_name", SITE_NAME),
            ("og:type", self.kind),
            ("og:title", self.title),
            ("og:description", self.description),
            ("og:url", self.url),
            ("og:image", self.image),
            ("og:locale", "es_CO"),
        ]
        if self.video:
            properties += [("og:video", self.video), ("og:video:type", "video/mp4")]
        names = [
            # A "player" card needs a page that may be framed; the CSP forbids framing (frame-ancestors 'none').
            ("twitter:card", "summary_large_image"),
            ("twitter:title", self.title),
            ("twitter:description", self.description),
            ("twitter:image", self.image),
            ("description", self.description),
        ]
        if not self.indexable:
            names.append(("robots", "noindex"))
        lines = [
            f"<title>{escape(self.title)}</title>",
            f'<link rel="canonical" href="{escape(self.url)}">',
            *(f'<meta property="{key}" content="{escape(value)}">' for key, value in properties),
            *(f'<meta name="{key}" content="{escape(value)}">' for key, value in names),
        ]
        return "\n".join(f"    {line}" for line in lines)
