"""Posting replies under load (``post.lua``): the form's hidden fields, read from the article page first."""

import html.parser
import time
import urllib.parse

from bench.environment import BENCH_EMAIL_DOMAIN, say
from bench.servers import get


class ReplyFormParser(html.parser.HTMLParser):
    """The action and the hidden and honeypot inputs of ``<form id="commentform">``."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.action = None
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "commentform":
            self.inside = True
            self.action = attrs.get("action", "").split("#")[0]
        elif (
            tag == "input"
            and self.inside
            and attrs.get("name")
            and (attrs.get("type") == "hidden" or attrs["name"] == "honeypot")
        ):
            self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def prepare_posting(base, article_path, min_seconds):
    """The form's action and hidden fields, read from the article page, once its token is old enough.

    Also posts one reply by hand, to read its SQL query count and check the
    status before wrk sends thousands.
    """
    fetched = time.monotonic()
    status, _, body = get(base + article_path)
    parser = ReplyFormParser()
    parser.feed(body.decode("utf-8", "replace"))
    if status != 200 or not parser.action or "token" not in parser.fields:
        return None, f"no reply form on {article_path} (status {status})"
    wait = min_seconds + 0.5 - (time.monotonic() - fetched)
    if wait > 0:
        say(f"Waiting {wait:.1f}s for the form token to come of age (COMMENTS_MIN_SECONDS={min_seconds})…")
        time.sleep(wait)
    fields = urllib.parse.urlencode(parser.fields)
    sample = (
        fields
        + "&"
        + urllib.parse.urlencode(
            {
                "comment": "A first reply from the benchmark, to check the form before the load.",
                "author": "Bench Reader",
                "email": f"first@{BENCH_EMAIL_DOMAIN}",
                "url": "",
            }
        )
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "10.255.255.254"}
    status, response_headers, _ = get(base + parser.action, data=sample.encode(), headers=headers)
    check = {"status": status, "sql_queries": response_headers.get("X-SQL-Queries", "?")}
    return {"path": parser.action, "fields": fields, "check": check}, None
