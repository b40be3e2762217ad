"""Static files as production serves them: hashed names, pre-compressed, cached for a year."""

import re

import pytest
from django.core.management import call_command
from django.test import Client


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", "--ignore", "admin", "--ignore", "django_prose_editor", verbosity=0)
    return settings.STATIC_ROOT


@pytest.mark.django_db
def test_pages_link_hashed_css_served_compressed_and_immutable(collected):
    client = Client()  # a new client, so whitenoise scans the freshly collected files
    html = client.get("/").content.decode()
    css_url = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
    assert (collected / (css_url.removeprefix("/static/") + ".br")).exists()
    assert (collected / (css_url.removeprefix("/static/") + ".gz")).exists()

    response = client.get(css_url, headers={"accept-encoding": "br, gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1)) >= 31536000
    assert "Accept-Encoding" in response["Vary"]
