from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from newsroom.health import healthz
from newsroom.views import favicon

handler404 = "newsroom.errors.page_not_found"
handler500 = "newsroom.errors.server_error"

urlpatterns = [
    path("healthz/", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("comments/", include("comments.urls")),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [path("", include("articles.urls"))]
