"""Small roster files for the import tests (csv in UTF-8/GBK, xlsx with openpyxl)."""

import csv
import datetime
import io

from qiangji.members.roster.exporting import HEADERS
from qiangji.testing import make_id_number


def roster_row(
    branch: str = "幸福社区第一党支部",
    *,
    name: str = "陈一",
    birth=datetime.date(1990, 5, 1),
    sex: str = "男",
    **overrides,
) -> dict:
    number = overrides.pop("id_number", None) or make_id_number(birth, "1" if sex == "男" else "2")
    row = {
        "姓名": name,
        "性别": sex,
        "民族": "汉族",
        "公民身份证号": number,
        "出生日期": birth.isoformat(),
        "学历": "大学本科",
        "人员类别": "正式党员",
        "所在党支部": branch,
        "加入党组织日期": "2015/7/1",
        "转为正式党员日期": "2016年7月1日",
        "工作岗位": "专业技术人员",
        "联系电话": "13900139000",
        "家庭住址": "某街道1号",
        "党籍状态": "正常",
        "是否失联党员": "否",
        "失去联系日期": "",
        "是否流动党员": "否",
        "外出流向": "",
    }
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict], *, encoding: str = "utf-8-sig", headers=None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    headers = headers or HEADERS
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict], *, headers=None) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    headers = headers or HEADERS
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
