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


def _heading_down(renderer, tokens, idx, options, env):
    # Headings in user text start at h2: the page's h1 is the title around it.
    token = tokens[idx]
    level = min(int(token.tag[1]) + 1, 6)
    token.tag = f"h{level}"
    return renderer.renderToken(tokens, idx, options, env)


_markdown.add_render_rule("heading_open", _heading_down)
_markdown.add_render_rule("heading_close", _heading_down)


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


def render_markdown(source: str) -> str:
    """User Markdown as safe HTML: rendered by markdown-it, then sanitised by nh3."""
    return sanitise(_markdown.render(source or ""))
