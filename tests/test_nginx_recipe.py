"""deploy/nginx.conf's microcache keeps a page's gzipped and plain copies apart, as the app's page cache does.

nginx is not needed: the recipe's map is read as text and its regular
expressions (PCRE, case-insensitive with ``~*``) tried in order, as nginx
tries them, with Python's ``re``, which reads these the same way.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory

from pagecache.middleware import accepts_gzip

RECIPE = (Path(settings.BASE_DIR) / "deploy" / "nginx.conf").read_text()


def gzip_variant(accept_encoding):
    """What the recipe's ``map $http_accept_encoding $newsroom_gzip`` gives for this header."""
    body = re.search(r"^map \$http_accept_encoding \$newsroom_gzip \{(.*?)^\}", RECIPE, re.M | re.S).group(1)
    default = ""
    for line in body.strip().splitlines():
        pattern, value = re.fullmatch(r'\s*"?(.*?)"?\s+"?([^"\s;]*)"?;', line).groups()
        if pattern == "default":
            default = value
        elif re.search(pattern.removeprefix("~*"), accept_encoding, re.I):
            return value
    return default


ACCEPT_ENCODINGS = [
    *("", "gzip", "gzip, deflate, br", "deflate, gzip", "GZIP;q=0.5", "gzip;q=0.01"),
    *("gzip;q=0", "gzip; q=0.0, br", "br, gzip;q=0", "x-gzip", "identity", "br"),
]


@pytest.mark.parametrize("accept_encoding", ACCEPT_ENCODINGS)
def test_nginx_asks_the_app_for_gzip_or_nothing_and_the_app_answers_in_kind(accept_encoding):
    """nginx honours ``q=0``; the app then sees only ``gzip`` or nothing, and compresses exactly for ``gzip``."""
    variant = gzip_variant(accept_encoding)
    refused = (
        re.search(r"gzip\s*;\s*q=0(\.0*)?\s*(,|$)", accept_encoding, re.I) or "gzip" not in accept_encoding.lower()
    )
    assert variant == ("" if refused or "x-gzip" in accept_encoding else "gzip")
    forwarded = RequestFactory().get("/", headers={"accept-encoding": variant})
    assert accepts_gzip(forwarded) == (variant == "gzip")


def test_the_encoding_leads_the_microcache_key_and_is_what_the_app_is_asked_for():
    """Appended, ``/`` gzipped and ``/gzip`` plain would share a key: a 404 could then stand in for a page."""
    assert "proxy_cache_key $newsroom_gzip:$scheme$host$request_uri;" in RECIPE
    assert "proxy_set_header Accept-Encoding $newsroom_gzip;" in RECIPE
