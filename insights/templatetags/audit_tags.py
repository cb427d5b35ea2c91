"""``{% history_link obj %}``: a "View history" link to an object's audit trail,
shown only to those who may see that history, with a back link to this page."""

from django import template
from django.core.exceptions import PermissionDenied

from insights.selectors.audit import can_view_history, history_url
from organisations.access import get_viewer

register = template.Library()


@register.inclusion_tag("insights/_history_link.html", takes_context=True)
def history_link(context, obj, what: str = ""):
    request = context.get("request")
    url = ""
    if request is not None and obj is not None and getattr(obj, "pk", None):
        try:
            viewer = get_viewer(request)
        except PermissionDenied:
            viewer = None
        if viewer is not None and can_view_history(viewer, obj):
            url = history_url(obj, back=request.get_full_path())
    return {"url": url, "what": what or (obj._meta.verbose_name if obj is not None else "")}
