"""User text: Markdown rendered and sanitised once, when written. The allowlist lives here."""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# html=False: raw HTML in the source is shown as text, never passed through.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")


def sanitise(html: str) -> str:
    """Strip every tag, attribute and URL scheme that the allowlist does not name."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener ugc",
        strip_comments=True,
    )


def _level_headings(tokens) -> None:
    # The page's h1 is the title around the text, so the text's headings start at h2 and
    # never skip a level: the distinct levels used become h2, h3, … in their order.
    levels = sorted({int(token.tag[1]) for token in tokens if token.type == "heading_open"})
    mapping = {level: f"h{min(2 + index, 6)}" for index, level in enumerate(levels)}
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = mapping[int(token.tag[1])]


def render_markdown(source: str) -> str:
    """User Markdown as safe HTML: rendered by markdown-it, then sanitised by nh3."""
    env: dict = {}
    tokens = _markdown.parse(source or "", env)
    _level_headings(tokens)
    return sanitise(_markdown.renderer.render(tokens, _markdown.options, env))


def plain(text: str | None) -> str:
    """Text as stored: each line break one LF (browsers send CRLF), no blanks around it."""
    return (text or "").replace("\r\n", "\n").strip()


# Filters for WTForms fields; a value that is not a string (a field not sent) passes.


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


def newline_filter(value):
    # Browsers send textarea line breaks as CRLF; count and store them as one character.
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def plain_filter(value):
    return plain(value) if isinstance(value, str) else value
