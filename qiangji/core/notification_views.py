"""The notification centre: a user's own inbox (digests, reminders), and marking messages read.

A notification belongs to its recipient alone (`Notification.objects.visible_to` filters on the
recipient, whatever the reader's grants), so another user's id answers 404 like a foreign record.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from qiangji.core import services
from qiangji.core.models import Notification

PER_PAGE = 30


class NotificationListView(LoginRequiredMixin, TemplateView):
    template_name = "core/notifications.html"

    def get_context_data(self, **kwargs):
        inbox = Notification.objects.visible_to(self.request.user)
        only_unread = self.request.GET.get("unread") == "1"
        shown = inbox.unread() if only_unread else inbox
        page = Paginator(
            shown.only("id", "kind", "title", "body", "url", "created_at", "read_at"), PER_PAGE
        ).get_page(self.request.GET.get("page"))
        return {
            **super().get_context_data(**kwargs),
            "page": page,
            "only_unread": only_unread,
            "unread_count": inbox.unread().count(),
        }


class NotificationReadView(LoginRequiredMixin, View):
    """POST: mark one of my notifications read; with `open=1`, go on to the page it links to."""

    def post(self, request, pk):
        notification = Notification.objects.visible_to(request.user).filter(pk=pk).first()
        if notification is None:
            raise Http404("未找到该记录，或您无权查看")
        services.mark_notifications_read(actor=request.user, notification_ids=[notification.pk])
        target = notification.url
        if (
            request.POST.get("open") == "1"
            and target
            and url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
        ):
            return redirect(target)
        return redirect("notifications")


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        count = services.mark_notifications_read(actor=request.user)
        messages.success(request, _("已将 %(count)d 条通知标为已读。") % {"count": count})
        return redirect("notifications")
