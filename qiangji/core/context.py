"""Context variables that attribute a write to a request or a background job."""

import contextvars
import uuid

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("qiangji_request_id", default="")


def current_request_id() -> str:
    value = request_id.get()
    return value or f"cli-{uuid.uuid4().hex[:12]}"
