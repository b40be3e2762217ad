from django.core.management.base import BaseCommand, CommandError

from comments.demo import seed_comments


class Command(BaseCommand):
    help = "Give the demo stories readers' replies (idempotent); seed_demo calls it."

    def add_arguments(self, parser):
        parser.add_argument(
            "--total",
            type=int,
            default=0,
            metavar="M",
            help="Top the replies on published stories up to M in all (bulk inserts, for load tests).",
        )

    def handle(self, *args, total=0, **options):
        if total < 0:
            raise CommandError("--total takes a number of zero or more.")
        seed_comments(self.stdout, total=total or None)
