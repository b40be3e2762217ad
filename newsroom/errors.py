"""The site's own error pages, rendered without touching the database."""

from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request):
    return render(request, "500.html", {"nav_sections": []}, status=500)
