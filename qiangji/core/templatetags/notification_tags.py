"""The unread-notification badge of the top bar.

The count is cached per user (cleared by `notify()` and by marking read), so that the badge adds no
database query to pages whose query counts other apps' tests pin.
"""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    from qiangji.core.notifications import unread_count

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)
