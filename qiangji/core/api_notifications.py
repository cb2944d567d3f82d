"""/api/v1/notifications/: my own inbox, and marking messages read (the notification centre's actions)."""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from qiangji.core import services
from qiangji.core.api import ERROR_RESPONSES, ScopedViewSetMixin
from qiangji.core.choices import Action
from qiangji.core.models import Notification
from qiangji.core.scoping import NOT_FOUND

ERRORS = {code: ERROR_RESPONSES[code] for code in (401, 404)}


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ("id", "kind", "title", "body", "url", "created_at", "read_at")
        read_only_fields = fields


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="本次标为已读的条数")


@extend_schema_view(
    list=extend_schema(
        summary="我的通知", responses={200: NotificationSerializer(many=True), 401: ERRORS[401]}
    ),
)
class NotificationViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Only the recipient sees a notification (Notification.objects.visible_to); another's id is a 404."""

    model = Notification
    serializer_class = NotificationSerializer
    write_action = Action.VIEW  # marking read is the recipient's own act, whatever their grants

    @extend_schema(
        summary="将一条通知标为已读", request=None, responses={200: NotificationSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], url_path="read")
    def read(self, request, pk=None):
        notification = self.get_queryset().filter(pk=pk).first() if str(pk).isdigit() else None
        if notification is None:
            raise Http404(NOT_FOUND)
        services.mark_notifications_read(actor=request.user, notification_ids=[notification.pk])
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)

    @extend_schema(summary="全部标为已读", request=None, responses={200: ReadAllSerializer, 401: ERRORS[401]})
    @action(detail=False, methods=["post"], url_path="read-all", pagination_class=None)
    def read_all(self, request):
        return Response({"marked": services.mark_notifications_read(actor=request.user)})
