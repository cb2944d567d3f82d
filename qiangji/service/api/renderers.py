"""Open311 GeoReport v2 XML: `<service_requests><request>…</request></service_requests>` and the like.

A small renderer of our own (not djangorestframework-xml): Open311 names its root and item elements per
resource, which a generic XML renderer does not; the view sets `xml_root` and `xml_item`."""

from xml.sax.saxutils import escape

from rest_framework.renderers import BaseRenderer

SINGULAR = {"attributes": "attribute", "values": "value"}


def _element(name: str, value) -> str:
    if value is None:
        return f"<{name}/>"
    if isinstance(value, dict):
        return f"<{name}>" + "".join(_element(str(k), v) for k, v in value.items()) + f"</{name}>"
    if isinstance(value, list | tuple):
        item = SINGULAR.get(name, "item")
        return f"<{name}>" + "".join(_element(item, v) for v in value) + f"</{name}>"
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f"<{name}>{escape(str(value))}</{name}>"


class Open311XMLRenderer(BaseRenderer):
    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        root = getattr(view, "xml_root", "response")
        item = getattr(view, "xml_item", "item")
        if isinstance(data, dict) and not item:  # one document (discovery): its fields under the root
            body = "".join(_element(str(k), v) for k, v in data.items())
        else:
            rows = data if isinstance(data, list) else [data]
            body = "".join(_element(item or "item", row) for row in rows)
        return f'<?xml version="1.0" encoding="utf-8"?><{root}>{body}</{root}>'.encode()
