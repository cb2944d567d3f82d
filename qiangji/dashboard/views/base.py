"""What every dashboard page shares: the screen's constants and the `?n=` choice.

The node, the user's own nodes and the breadcrumbs are read by `dashboard.selectors` (through the user's
scope); the screen reads only the rollup selectors: no aggregation over base tables happens in a view.
The exception lists (views/lists.py) read the base tables through `dashboard.exceptions`.
"""

NO_NODE = "您的账号没有管理的党组织，一屏掌控只对党组织和组织部门开放"
WORST_CHOICES = (5, 10, 20)


def worst_n(request) -> int:
    value = request.GET.get("n", "")
    return int(value) if value.isdigit() and int(value) in WORST_CHOICES else WORST_CHOICES[0]
