"""Reader text is never HTML: a corpus of attacks is posted, approved and must come back as plain, escaped text."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from comments.models import Comment
from tests.comments.posting import post_reply

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">click me</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">styled</div>',
    "<style>@import 'http://evil.example/x.css';</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    '<<SCRIPT>alert("XSS");//<</SCRIPT>',
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    'https://example.com/"onmouseover="alert(1)',
    "http://example.com/<script>alert(1)</script>",
    'www.example.com/?q="><svg/onload=alert(1)>',
    "{{ 7|add:7 }} {% now 'Y' %}",
    "]]><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    '<a href="https://example.com" onclick="alert(1)">x</a>',
    "</textarea><script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    'mailto:"><script>alert(1)</script>@example.com',
    "line one\n<b>line two</b>\r\nline three",
]
AUTHOR_PAYLOADS = ['"><script>alert(1)</script>', "<img src=x onerror=alert(1)>", "Ada' onmouseover='alert(1)"]
URL_PAYLOADS = [
    'https://example.com/"onmouseover="alert(1)',
    "https://example.com/'><script>alert(1)</script>",
    "https://example.com/#<img/src=x/onerror=alert(1)>",
]
ALLOWED_TAGS = {
    "section", "h2", "ol", "li", "article", "footer", "span", "b", "a", "time", "div", "p", "br",
    "form", "label", "textarea", "input", "ul",
}  # fmt: skip
SAFE_HREF_STARTS = ("http://", "https://", "mailto:", "/", "#", "?")


class CommentsSection(HTMLParser):
    """Collects the tags and the text of ``<section id="comments">``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.tags = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        if self.depth or (tag == "section" and ("id", "comments") in attrs):
            self.tags.append((tag, dict(attrs)))
            if tag == "section":
                self.depth += 1

    def handle_endtag(self, tag):
        if self.depth and tag == "section":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def parse_comments(html):
    parser = CommentsSection()
    parser.feed(html)
    return parser


def assert_only_our_markup(parser):
    assert parser.tags, "no comments section found"
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS, tag
        assert not [name for name in attrs if name.startswith("on") or name == "style"], (tag, attrs)
        if tag == "a":
            assert attrs["href"].startswith(SAFE_HREF_STARTS), attrs
            assert not attrs["href"].lower().startswith("javascript")


def test_xss_corpus_is_long_enough():
    assert len(PAYLOADS) + len(AUTHOR_PAYLOADS) + len(URL_PAYLOADS) >= 30


def test_xss_payloads_posted_approved_and_shown_as_text(client, story, moderator, settings):
    settings.COMMENTS_FLOOD_SECONDS = 0
    settings.COMMENTS_MAX_LINKS = 100
    for i, payload in enumerate(PAYLOADS):
        assert post_reply(client, story, comment=payload, email=f"x{i}@example.com").status_code == 303, payload
    for i, payload in enumerate(AUTHOR_PAYLOADS):
        response = post_reply(client, story, author=payload, comment=f"Author attack {i}", email=f"a{i}@example.com")
        assert response.status_code == 303, payload
    for i, payload in enumerate(URL_PAYLOADS):
        response = post_reply(client, story, url=payload, comment=f"Website attack {i}", email=f"u{i}@example.com")
        assert response.status_code == 303, payload
    for comment in Comment.objects.all():
        comment.approve(by=moderator)

    html = Client().get(story.get_absolute_url()).content.decode()
    parser = parse_comments(html)
    assert_only_our_markup(parser)
    shown = "".join(parser.text).replace("\n", "")
    for payload in PAYLOADS:
        if "://" not in payload and "www." not in payload and "@" not in payload:
            assert payload.replace("\r\n", "").replace("\n", "") in shown, payload
    for payload in AUTHOR_PAYLOADS:
        assert payload in shown
    assert f"{len(PAYLOADS) + len(AUTHOR_PAYLOADS) + len(URL_PAYLOADS)} Comments" in html


def test_xss_payload_links_get_nofollow_ugc(client, story, moderator, settings):
    settings.COMMENTS_MAX_LINKS = 100
    post_reply(client, story, comment="See https://example.com/page and www.example.org", url="https://ada.example")
    Comment.objects.get().approve(by=moderator)
    links = [attrs for tag, attrs in parse_comments(client.get(story.get_absolute_url()).content.decode()).tags]
    reader_links = [a for a in links if a.get("href", "").startswith("http")]
    assert len(reader_links) == 3
    assert all(a["rel"] == "nofollow ugc" for a in reader_links)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xss_payload_in_a_reshown_form_stays_text(client, story, payload):
    response = post_reply(client, story, comment=payload, author="")
    assert response.status_code == 400
    assert_only_our_markup(parse_comments(response.content.decode()))


def test_line_breaks_are_kept_and_markup_escaped(client, story, moderator):
    post_reply(client, story, comment="First line\n<b>second</b>\r\n\r\nthird")
    Comment.objects.get().approve(by=moderator)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "First line<br>&lt;b&gt;second&lt;/b&gt;<br><br>third" in html
