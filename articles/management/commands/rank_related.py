"""``manage.py rank_related [--days N]``: rank again the related stories of the stories published lately.

A story ranks its related stories when it is saved, and a first render
repairs that ranking with what changed since; a ranking over a week old is
not repaired but made from scratch (``querysets.RANKING_MAX_AGE``). Run
daily (cron or a systemd timer), this keeps the rankings of the stories
still being read fresh, so their first renders stay cheap. Optional: without
it, pages are the same, only their first renders cost more.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.models import Article


class Command(BaseCommand):
    help = "Rank again the related stories of the stories published in the last N days (default 30)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="stories published this many days back")

    def handle(self, *args, days, **options):
        published = Article.objects.published().filter(published_at__gte=timezone.now() - timedelta(days=days))
        ranked = 0
        for pk in published.order_by("-published_at").values_list("pk", flat=True).iterator():
            Article.objects.rank_related(pk, again=True)
            ranked += 1
        stories = "story" if ranked == 1 else "stories"
        self.stdout.write(f"Ranked the related stories of {ranked:,} {stories} published in the last {days} days.")
