"""Print, as JSON, the reader pages that ``make audit`` checks, picked from the database it serves.

Run with the audit's environment: ``python audit/pages.py``. The article is the
demo's Iran story when it exists (it has replies once the demo's are loaded),
otherwise the newest published story that carries a tag.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django

django.setup()

from django.urls import reverse  # noqa: E402

from articles.models import Article  # noqa: E402

IRAN_SLUG = "iran-leader-rejects-us-deal-trump-hints-at-military-action"


def pick_article():
    published = Article.objects.published().select_related("section")
    story = published.filter(slug=IRAN_SLUG).first()
    return story or published.filter(tags__isnull=False).order_by("-published_at").first()


def main():
    story = pick_article()
    if story is None:
        sys.exit("audit/pages.py: no published story with a tag to check; is the demo content loaded?")
    tag = story.tags.order_by("name").first()
    pages = {
        "home": reverse("articles:home"),
        "section": story.section.get_absolute_url(),
        "article": story.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "search": reverse("articles:search") + "?q=iran",
        "related": reverse("articles:related", args=[story.section.slug, story.slug]),
        "not-found": "/no-such-section/no-such-story/",
    }
    json.dump(pages, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
