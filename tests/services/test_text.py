"""The Markdown sanitiser: an XSS corpus that must come out harmless, and what must survive."""

import re
from html.parser import HTMLParser

import pytest

from app.services.text import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    render_markdown,
    sanitise,
)

LINK_REL = "nofollow noopener ugc"

# Each payload goes through render_markdown (the normal path) and straight into sanitise
# (as if the Markdown renderer had passed raw HTML through): both must be harmless.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](jav\tascript:alert(1))",
    "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1))",
    "[x](%6A%61%76%61script:alert(1))",
    "[x](\\u006Aavascript:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](file:///etc/passwd)",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="https://ok.example" onclick="alert(1)" target="_blank">x</a>',
    "<iframe src=https://evil.example></iframe>",
    "<object data=https://evil.example/x.swf></object>",
    "<embed src=https://evil.example/x.swf>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="width:expression(alert(1))">x</p>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>x</details>",
    "<!-- <script>alert(1)</script> -->",
    "<!--><script>alert(1)</script>-->",
    "<base href=https://evil.example/>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<link rel=import href=https://evil.example/x.html>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "＜script＞alert(1)＜/script＞",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "![x](https://evil.example/x.png)",
    "![x](javascript:alert(1))",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "[x][ref]\n\n[ref]: <javascript:alert(1)> 'titel'",
    '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    "<a href=https://ok.example title='x' onmouseover=alert(1)>x</a>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<body onload=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<table background=javascript:alert(1)><tr><td>x</td></tr></table>",
    "<a href='data:text/html,<script>alert(1)</script>'>x</a>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
]

DANGEROUS_SUBSTRINGS = ("<script", "<img", "<svg", "<iframe", "<style", "<object", "<embed")
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")


class _TagCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        self.comments.append(data)

    def handle_decl(self, decl):
        self.other.append(decl)

    def handle_pi(self, data):
        self.other.append(data)


def _parse(html: str) -> _TagCollector:
    parser = _TagCollector()
    parser.feed(html)
    parser.close()
    return parser


def _url_scheme(url: str) -> str | None:
    # Browsers drop tabs and newlines anywhere and control characters at the ends of a URL.
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08 \x0b\x0c")
    match = SCHEME.match(cleaned.lower())
    return match.group(1) if match else None


def assert_harmless(html: str) -> None:
    lowered = html.lower()
    for needle in DANGEROUS_SUBSTRINGS:
        assert needle not in lowered, f"{needle} in {html!r}"
    parsed = _parse(html)
    assert parsed.comments == [], html
    assert parsed.other == [], html
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS, f"<{tag}> in {html!r}"
        for name, value in attrs:
            assert not name.startswith("on"), f"{name}= in {html!r}"
            assert name != "style", html
            if tag == "a" and name == "rel":
                assert value == LINK_REL
                continue
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()), f"{tag}[{name}] in {html!r}"
            if name == "href":
                scheme = _url_scheme(value or "")
                assert scheme is None or scheme in ALLOWED_URL_SCHEMES, f"{value!r} in {html!r}"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_rendered_payload_is_harmless(payload):
    assert_harmless(render_markdown(payload))


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitised_raw_html_is_harmless(payload):
    assert_harmless(sanitise(payload))


def test_the_checker_catches_what_it_should():
    # The corpus is worthless if the checks would pass anything; they must reject these.
    for html in (
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="https://ok" onclick="x">x</a>',
        '<p style="color:red">x</p>',
        "<span>x</span>",
        '<p class="x">x</p>',
        "<p><!-- x --></p>",
    ):
        with pytest.raises(AssertionError):
            assert_harmless(html)


def test_headings_start_at_h2_and_never_skip_a_level():
    assert render_markdown("# Titel") == "<h2>Titel</h2>\n"
    assert render_markdown("## Unter") == "<h2>Unter</h2>\n"
    assert render_markdown("# A\n\n### C\n\n###### F") == "<h2>A</h2>\n<h3>C</h3>\n<h4>F</h4>\n"
    assert render_markdown("## B\n\n# A") == "<h3>B</h3>\n<h2>A</h2>\n"
    # h6 is the deepest level there is.
    deep = "\n\n".join("#" * level + f" {level}" for level in range(1, 7))
    assert render_markdown(deep).count("<h6>") == 2


def test_emphasis_and_inline_code():
    html = render_markdown("*kursiv*, **fett** und `code`")
    assert html == "<p><em>kursiv</em>, <strong>fett</strong> und <code>code</code></p>\n"


def test_lists_keep_their_start_number():
    html = render_markdown("- eins\n- zwei\n\n3. drei\n4. vier")
    assert "<ul>\n<li>eins</li>\n<li>zwei</li>\n</ul>" in html
    assert '<ol start="3">\n<li>drei</li>\n<li>vier</li>\n</ol>' in html


def test_links_get_rel_nofollow_and_keep_title():
    html = render_markdown('[Stadt](https://www.guetersloh.de/ "Startseite")')
    assert html == (
        '<p><a href="https://www.guetersloh.de/" title="Startseite" '
        f'rel="{LINK_REL}">Stadt</a></p>\n'
    )


@pytest.mark.parametrize(
    "source, href",
    [
        ("<https://ideenwerk.example/ideas/1>", "https://ideenwerk.example/ideas/1"),
        ("[Mail](mailto:rathaus@example.org)", "mailto:rathaus@example.org"),
        ("[Idee](/ideas/7)", "/ideas/7"),
    ],
)
def test_safe_links_survive(source, href):
    html = render_markdown(source)
    assert f'href="{href}"' in html
    assert f'rel="{LINK_REL}"' in html


def test_image_syntax_becomes_a_link_not_an_image():
    html = render_markdown("![Plan](https://evil.example/x.png)")
    assert "<img" not in html
    assert 'href="https://evil.example/x.png"' in html


def test_code_blocks_escape_their_content():
    html = render_markdown("```python\n<b>x</b> & y\n```")
    assert html == "<pre><code>&lt;b&gt;x&lt;/b&gt; &amp; y\n</code></pre>\n"


def test_quotes_rules_and_line_breaks():
    assert render_markdown("> Zitat") == "<blockquote>\n<p>Zitat</p>\n</blockquote>\n"
    assert render_markdown("---") == "<hr>\n"
    assert render_markdown("eins  \nzwei") == "<p>eins<br>\nzwei</p>\n"


def test_raw_html_is_shown_as_text():
    assert render_markdown("<b>fett</b>") == "<p>&lt;b&gt;fett&lt;/b&gt;</p>\n"
    assert "&lt;script&gt;" in render_markdown("<script>alert(1)</script>")


def test_german_text_is_kept_as_is():
    text = "Größere Übersicht für Bürgerinnen und Bürger – „Straßenbäume“ ß"
    assert render_markdown(text) == f"<p>{text}</p>\n"


def test_empty_input():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
