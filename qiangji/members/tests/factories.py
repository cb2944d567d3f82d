"""Valid member values for the member tests (the shared world fixture builds the tree and users)."""

import datetime

from qiangji.testing import make_id_number

TODAY = datetime.date(2026, 6, 15)


def member_values(**overrides) -> dict:
    """A valid full member: born 1990-05-01, joined at 25, confirmed a year later."""
    birth = overrides.pop("birth", datetime.date(1990, 5, 1))
    sex = overrides.get("sex", "1")
    values = {
        "name": "曾小明",
        "sex": sex,
        "ethnicity": "01",
        "id_number": make_id_number(birth, sex),
        "birth_date": birth,
        "education": "20",
        "category": "full",
        "joined_on": datetime.date(2015, 7, 1),
        "confirmed_on": datetime.date(2016, 7, 1),
        "post": "0220",
        "phone": "13912345678",
        "address": "幸福路1号",
    }
    values.update(overrides)
    return values


def form_data(organisation, **overrides) -> dict:
    """The same values as HTML form / API input (dates as text, empty strings for blanks)."""
    values = member_values(**overrides)
    data = {
        key: (value.isoformat() if isinstance(value, datetime.date) else value)
        for key, value in values.items()
    }
    data["organisation"] = getattr(organisation, "pk", organisation)
    return data
