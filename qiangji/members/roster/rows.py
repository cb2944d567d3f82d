"""One roster row's cells -> the typed values `validate_member_fields` expects.

Users type labels (男, 汉族, 大学本科, 正式党员, 是) or the national codes; both are accepted.  A conversion
problem becomes a field error naming the column; the validator then checks the rules.
"""

import datetime

from qiangji.core.dates import parse_cn_date, parse_cn_year_month
from qiangji.core.exporting import FORMULA_TRIGGERS
from qiangji.members.choices import ETHNICITIES, Category, Education, MembershipStatus, Post, Sex
from qiangji.members.roster.exporting import HEADER_OF

YES = frozenset({"是", "Y", "YES", "1", "TRUE", "√"})
NO = frozenset({"否", "N", "NO", "0", "FALSE", "×", ""})
EDUCATION_ALIASES = {
    "本科": "20",
    "大学": "20",
    "大专": "30",
    "专科": "30",
    "硕士": "14",
    "博士": "11",
    "研究生": "10",
    "中专": "40",
    "技校": "50",
    "高中": "60",
    "初中": "70",
    "小学": "80",
}


def _table(choices, aliases=None) -> dict:
    """Label and code -> code."""
    table = {}
    for code, label in choices:
        table[str(code)] = str(code)
        table[str(label)] = str(code)
    table.update(aliases or {})
    return table


SEX = _table(Sex.choices)
ETHNICITY = _table(
    ETHNICITIES, {label.removesuffix("族"): code for code, label in ETHNICITIES if len(label) > 2}
)
EDUCATION = _table(Education.choices, EDUCATION_ALIASES)
CATEGORY = _table(Category.choices)
POST = _table(Post.choices, {"新就业群体": Post.NEW_EMPLOYMENT.value})
MEMBERSHIP = _table(MembershipStatus.choices, {"": MembershipStatus.NORMAL.value})


def cell_text(value) -> str:
    """A cell as text: integral floats lose their `.0` (Excel stores 13800138000 as a float)."""
    if type(value) is str:  # every CSV cell: the fast path
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return str(value).strip()


def _coded(table: dict, hint: str):
    def convert(value):
        text = cell_text(value)
        if not text:
            return ""
        code = table.get(text) or table.get(text.upper())
        if code is None:
            raise ValueError(f"无法识别“{text[:20]}”，{hint}")
        return code

    return convert


def _yes_no(value) -> bool:
    text = cell_text(value).upper()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"应填“是”或“否”，现为“{text[:20]}”")


def _text(value) -> str:
    text = cell_text(value)
    if text.startswith(FORMULA_TRIGGERS):
        raise ValueError("不能以 = + - @ 开头（疑似公式），请删除开头的符号")
    return text


def _id_number(value) -> str:
    if isinstance(value, float) and value >= 1e15:
        raise ValueError("被 Excel 存成了数字（末几位已丢失），请将该列设为“文本”格式后重新填写")
    return cell_text(value).upper().replace(" ", "")


def _date(value):
    if type(value) is str and len(value) == 10 and value[4] == "-":
        try:
            return datetime.date.fromisoformat(value)  # the common case, in C
        except ValueError:
            pass
    return parse_cn_date(value.strip() if isinstance(value, str) else value)


CONVERTERS = {
    "name": _text,
    "sex": _coded(SEX, "应为“男”或“女”"),
    "ethnicity": _coded(ETHNICITY, "应为民族全称，如“汉族”"),
    "id_number": _id_number,
    "birth_date": _date,
    "education": _coded(EDUCATION, "应为学历名称，如“大学本科”，或两位代码"),
    "category": _coded(CATEGORY, "应为“正式党员”或“预备党员”"),
    "joined_on": _date,
    "confirmed_on": _date,
    "post": _coded(POST, "应为工作岗位名称，如“专业技术人员”，或四位代码"),
    "phone": cell_text,
    "address": _text,
    "membership_status": _coded(MEMBERSHIP, "应为“正常”或“停止党籍”"),
    "lost_contact": _yes_no,
    "lost_contact_since": parse_cn_year_month,
    "is_mobile": _yes_no,
    "mobile_destination": _text,
}


class RowParser:
    """Converts cells by column index; `branches` maps a branch name or code to (pk, path, region)."""

    def __init__(self, columns: dict, *, branches: dict):
        self.plan = [(key, index, CONVERTERS[key]) for key, index in columns.items() if key in CONVERTERS]
        self.branch_index = columns["organisation"]
        self.branches = branches

    def parse(self, cells: list) -> tuple[dict, dict]:
        values, errors = {}, {}
        width = len(cells)
        for key, index, convert in self.plan:
            try:
                values[key] = convert(cells[index] if index < width else "")
            except ValueError as exc:
                errors[key] = f"{HEADER_OF[key]}：{exc}"
                values[key] = None
        values["organisation"] = self._branch(cells, width, errors)
        return values, errors

    def _branch(self, cells, width, errors):
        text = cell_text(cells[self.branch_index]) if self.branch_index < width else ""
        found = self.branches.get(text)
        if found:
            return found
        if not text:
            errors["organisation"] = "所在党支部：必填"
        elif text in self.branches:
            errors["organisation"] = f"所在党支部：有多个党支部名为“{text[:40]}”，请改填组织编码"
        else:
            errors["organisation"] = f"所在党支部：未找到“{text[:40]}”，或该党支部不在您的管辖范围内"
        return None
