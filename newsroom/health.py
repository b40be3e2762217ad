"""``/healthz/``: the cheapest answer the stack can give, for load balancers and as the benchmark's floor.

It touches neither the database nor the cache, so it says only that a worker
is up and answering; ``bench/run.py`` measures it to know what the framework
itself costs on a machine.
"""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
