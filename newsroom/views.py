from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request):
    """Browsers and crawlers ask for /favicon.ico whatever the page's <link rel=icon> says.

    The hashed name is looked up per request, not at import, so management
    commands work before ``collectstatic`` has made the manifest.
    """
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
