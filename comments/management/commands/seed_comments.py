from django.core.management.base import BaseCommand

from comments.demo import seed_comments


class Command(BaseCommand):
    help = "Give the demo stories readers' replies (idempotent); seed_demo calls it."

    def handle(self, *args, **options):
        seed_comments(self.stdout)
