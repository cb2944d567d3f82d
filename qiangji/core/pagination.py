"""The API's one pagination: `?limit=&offset=` with documented bounds.

DRF's LimitOffsetPagination passes any integer to the database, so `?limit=9223372036854775808`
overflowed SQLite's and PostgreSQL's 64-bit LIMIT and answered 500, and silently replaced a malformed
value with the default. Here a value outside its documented range, or not an integer, answers 400
with the parameter named in `fields`, as the OpenAPI schema says (minimum and maximum are published).
"""

from rest_framework import exceptions
from rest_framework.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
# Far beyond any list the platform holds (a province has a few million members), and far inside the
# databases' 64-bit OFFSET even with MAX_LIMIT added.
MAX_OFFSET = 1_000_000_000


def bounded_int(params, name: str, *, minimum: int, maximum: int, default: int | None) -> int | None:
    """The query parameter `name` as an integer in [minimum, maximum]; absent or empty: `default`.

    Anything else raises a ValidationError naming the parameter (400 in the one error shape).
    """
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    text = str(raw).strip()
    digits = text[1:] if text[:1] in "+-" else text
    # Not int(): it accepts "1_000" and full-width digits, and a thousand-digit string costs time.
    if not digits.isascii() or not digits.isdigit() or len(digits) > 20:
        raise exceptions.ValidationError({name: [f"{name}：须为 {minimum} 到 {maximum} 之间的整数"]})
    value = int(text)
    if not minimum <= value <= maximum:
        raise exceptions.ValidationError({name: [f"{name}：须为 {minimum} 到 {maximum} 之间的整数"]})
    return value


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """`limit` 1..max_limit (default PAGE_SIZE), `offset` 0..max_offset; out of range or malformed: 400."""

    max_limit = MAX_LIMIT
    max_offset = MAX_OFFSET

    def get_limit(self, request):
        if not self.limit_query_param:
            return self.default_limit
        return bounded_int(
            request.query_params,
            self.limit_query_param,
            minimum=1,
            maximum=self.max_limit,
            default=self.default_limit,
        )

    def get_offset(self, request):
        return bounded_int(
            request.query_params, self.offset_query_param, minimum=0, maximum=self.max_offset, default=0
        )

    def paginate_queryset(self, queryset, request, view=None):
        # Both parameters are checked before the count query: a bad offset costs no database work.
        self.get_offset(request)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["description"] = (
                    f"每页返回的结果数量，默认 {self.default_limit}，"
                    f"1 到 {self.max_limit}；超出范围时返回 400"
                )
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_limit}
            elif parameter["name"] == self.offset_query_param:
                parameter["description"] = (
                    f"从第几条开始返回（0 起），0 到 {self.max_offset}；超出范围时返回 400"
                )
                parameter["schema"] = {"type": "integer", "minimum": 0, "maximum": self.max_offset}
        return parameters
