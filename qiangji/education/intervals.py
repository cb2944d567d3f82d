"""Watched intervals: sorted, disjoint [start, end] pairs in seconds (pure functions, no database)."""


def merge(intervals: list, start: float, end: float) -> list:
    """Intervals with [start, end] added; touching or overlapping ones join."""
    result: list = []
    placed = False
    for a, b in intervals:
        if b < start:
            result.append([a, b])
        elif end < a:
            if not placed:
                result.append([start, end])
                placed = True
            result.append([a, b])
        else:
            start, end = min(a, start), max(b, end)
    if not placed:
        result.append([start, end])
    return sorted(result)


def union(*lists: list) -> list:
    result: list = []
    for intervals in lists:
        for a, b in intervals:
            result = merge(result, a, b)
    return result


def covered(intervals: list) -> float:
    return round(sum(b - a for a, b in intervals), 3)
