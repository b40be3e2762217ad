from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles"

    def ready(self):
        from django.utils.autoreload import file_changed

        from . import checks  # noqa: F401 (registers the deployment checks)
        from .pagecache import forget_release

        file_changed.connect(forget_release)
