from django.core import checks

LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/0"}}


def deploy_warnings():
    return [message.id for message in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.caches])]


def test_deploy_check_warns_when_each_process_has_its_own_page_cache(settings):
    settings.CACHES = LOCAL
    settings.PAGE_CACHE_SECONDS = 600
    assert "newsroom.W001" in deploy_warnings()


def test_deploy_check_accepts_a_shared_cache(settings):
    settings.CACHES = REDIS
    assert "newsroom.W001" not in deploy_warnings()


def test_deploy_check_accepts_a_local_cache_with_the_page_cache_off(settings):
    settings.CACHES = LOCAL
    settings.PAGE_CACHE_SECONDS = 0
    assert "newsroom.W001" not in deploy_warnings()


def test_plain_check_does_not_warn_on_a_development_machine(settings):
    settings.CACHES = LOCAL
    assert "newsroom.W001" not in [message.id for message in checks.run_checks(tags=[checks.Tags.caches])]
