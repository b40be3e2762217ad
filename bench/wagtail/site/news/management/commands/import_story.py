"""``manage.py import_story story.json``: Newsroom's sections and one story, as Wagtail pages.

The JSON comes from ``bench/wagtail/compare.py`` (exported from Newsroom's
demo): the sections in navigation order, and the story's headline, slug,
standfirst, body HTML, tags, authors, publication time and featured image
file. The home page replaces Wagtail's welcome page as the default site's
root; sections are shown in menus; the image's three WebP renditions (the
widths of Newsroom's) are made here, so no measured request makes one.
"""

import json
from datetime import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.images.models import Filter, Image
from wagtail.models import Page, Site

from news.models import HomePage, NewsPage, SectionPage

RENDITION_SPECS = ["width-{400,800,1200}", "format-webp"]  # as in templates/news/news_page.html


class Command(BaseCommand):
    help = "Import Newsroom's sections and one story (JSON from bench/wagtail/compare.py)."

    def add_arguments(self, parser):
        parser.add_argument("story_json")

    @transaction.atomic
    def handle(self, story_json, **options):
        data = json.loads(Path(story_json).read_text())
        home = self.home_page()
        sections = {}
        for section in data["sections"]:
            sections[section["slug"]] = home.add_child(
                instance=SectionPage(
                    title=section["name"],
                    slug=section["slug"],
                    description=section["description"],
                    show_in_menus=True,
                )
            )
        story = data["story"]
        users = get_user_model()
        authors = [
            users.objects.create(
                username=person["username"], first_name=person["first_name"], last_name=person["last_name"]
            )
            for person in story["authors"]
        ]
        image = None
        if story["image_path"]:
            path = Path(story["image_path"])
            with path.open("rb") as file:
                image = Image(title=story["headline"], description=story["image_alt"])
                image.file = ImageFile(file, name=path.name)
                image.save()
            filters = [Filter(spec=spec) for spec in Filter.expand_spec(RENDITION_SPECS)]
            image.get_renditions(*filters)
        page = NewsPage(
            title=story["headline"],
            slug=story["slug"],
            search_description=story["excerpt"],
            standfirst=story["standfirst"],
            body=story["body"],
            image=image,
            image_alt=story["image_alt"],
            image_caption=story["image_caption"],
            image_credit=story["image_credit"],
        )
        sections[story["section"]].add_child(instance=page)
        page.authors.set(authors)
        page.tags.add(*story["tags"])
        page.save()
        page.save_revision().publish()
        published_at = datetime.fromisoformat(story["published_at"])
        NewsPage.objects.filter(pk=page.pk).update(first_published_at=published_at, last_published_at=published_at)
        self.stdout.write(f"Imported {page.url_path} with {len(story['tags'])} tags and {len(authors)} authors.")

    def home_page(self):
        """A HomePage as the default site's root, in place of the welcome page ``migrate`` made."""
        root = Page.get_first_root_node()
        for child in root.get_children():
            child.delete()
        home = root.add_child(instance=HomePage(title="The Newsroom", slug="home"))
        Site.objects.all().delete()
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Newsroom")
        return home
