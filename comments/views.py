import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles.models import Article
from articles.views import render_article_page
from newsroom.clients import client_ip

from . import cookies
from .forms import CLOSED_MESSAGE, DUPLICATE_MESSAGE, FLOOD_MESSAGE, ReplyForm
from .models import replies_changed
from .moderation import can_moderate, comments_open, initial_status, notify_moderators
from .spam import Refused, check_form_token, check_honeypot, claim_posting_slot, is_duplicate

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def post_reply(request, article_id):
    """Take a reply: refuse attacks (400), re-show mistakes (400/403/409/429), store the rest and go back (303).

    CSRF: the anonymous form lives in cached, shared HTML, so it carries a
    signed form token instead of a CSRF token; a logged-in reader's page is
    never cached and their post is CSRF-checked here.
    """
    article = get_object_or_404(
        Article.objects.published().select_related("section").prefetch_related("authors", "tags"), pk=article_id
    )
    if refusal := _refusal(request, article):
        return refusal
    form = ReplyForm(request.POST, article=article)
    if not form.is_valid():
        return _article_page_with_status(request, article, form.error_status(), comment_form=form)
    comment = form.build_comment(
        ip_address=client_ip(request), user_agent=request.headers.get("user-agent", ""), user=request.user
    )
    if is_duplicate(comment):
        form.add_error(None, DUPLICATE_MESSAGE)
        return _article_page_with_status(request, article, 409, comment_form=form)
    if not can_moderate(request.user) and not claim_posting_slot(comment.ip_address, comment.email):
        form.add_error(None, FLOOD_MESSAGE)
        return _article_page_with_status(request, article, 429, comment_form=form)
    _store(comment, request.user, site_root=request.build_absolute_uri("/"))
    return _back_to_article(request, comment, form.cleaned_data["save_details"])


def _refusal(request, article):
    """The answer to a post refused as a whole (CSRF 403, closed 403, attack 400), or None."""
    if request.user.is_authenticated and (failure := _csrf_failure(request)):
        return failure
    if not comments_open(article):
        return _article_page_with_status(request, article, 403, comment_notice=CLOSED_MESSAGE)
    try:
        check_honeypot(request.POST)
        check_form_token(request.POST.get("token"), article)
    except Refused as refusal:
        logger.info("Reply refused on article %s: %s", article.pk, refusal.reason)
        context = {"article": article, "text": request.POST.get("comment", "") if refusal.keep_text else ""}
        return render(request, "comments/refused.html", context, status=400)
    return None


def _store(comment, user, site_root):
    with transaction.atomic():
        comment.status = initial_status(comment, user=user)
        comment.save()
        if comment.status == comment.Status.PENDING:
            transaction.on_commit(partial(notify_moderators, comment, site_root))
    if comment.is_approved:
        replies_changed(comment.article)


def _back_to_article(request, comment, save_details):
    response = HttpResponseRedirect(f"{comment.article.get_absolute_url()}#comment-{comment.pk}", status=303)
    if not comment.is_approved:
        cookies.remember_held_reply(request, response, comment)
    if save_details:
        cookies.remember_details(response, author=comment.author, email=comment.email, url=comment.url)
    else:
        cookies.forget_details(request, response)
    return response


def _article_page_with_status(request, article, status, **comment_context):
    response = render_article_page(request, article, **comment_context)
    response.status_code = status
    if status == 429:
        response["Retry-After"] = str(settings.COMMENTS_FLOOD_SECONDS)
    return response


def _csrf_failure(request):
    """The check CsrfViewMiddleware skips for this exempt view, made for logged-in readers only."""
    return CsrfViewMiddleware(lambda req: None).process_view(request, _csrf_checked, (), {})


def _csrf_checked(request):
    """Stands in for the view, without its ``csrf_exempt`` mark, so the middleware runs its check."""
