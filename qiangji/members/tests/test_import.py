"""The roster import engine: every bad input of the issue, all-or-nothing, audit and status events."""

import datetime
import os

import pytest
from freezegun import freeze_time

from qiangji.core.models import AuditEntry
from qiangji.members.models import Member, MemberStatusEvent
from qiangji.members.roster.exporting import HEADERS
from qiangji.members.roster.importing import import_roster
from qiangji.members.tests.import_helpers import csv_bytes, roster_row, xlsx_bytes
from qiangji.testing import make_id_number


@pytest.fixture
def run(world, tmp_path):
    def run_import(content: bytes, *, user="zhibu", name="roster.csv", **kwargs):
        path = tmp_path / name
        path.write_bytes(content)
        return import_roster(actor=world.users[user], path=path, file_name=name, **kwargs)

    return run_import


def errors_of(result) -> set[tuple[int, str]]:
    return {(error["row"], error["column"]) for error in result.errors}


def imported(prefix="陈"):
    return Member.objects.filter(name__startswith=prefix)


def test_clean_csv_imports_every_row_with_events_and_one_audit_entry(world, run):
    rows = [
        roster_row(name="陈一"),
        roster_row(name="陈二", sex="女", 人员类别="预备党员", 转为正式党员日期=""),
    ]
    result = run(csv_bytes(rows))
    assert result.ok and result.created == 2 and result.total == 2
    second = imported().get(name="陈二")
    assert (second.sex, second.category, second.status, second.political_status) == (
        "2",
        "probationary",
        "probationary",
        "02",
    )
    assert second.organisation == world.branch and second.org_path == world.branch.path
    assert second.id_number == rows[1]["公民身份证号"] and second.phone == "13900139000"
    assert MemberStatusEvent.objects.filter(member__name__startswith="陈").count() == 2
    entry = AuditEntry.objects.get(action="members.roster.imported")
    assert entry.after["count"] == 2 and entry.after["file_name"] == "roster.csv"
    assert entry.actor == world.users["zhibu"] and entry.org_path == world.branch.path
    assert rows[0]["公民身份证号"] not in str(entry.after)


def test_xlsx_imports_with_typed_cells(world, run):
    row = roster_row(
        name="陈三",
        出生日期=datetime.date(1990, 5, 1),
        联系电话=13900139001.0,
        加入党组织日期=datetime.datetime(2015, 7, 1),  # noqa: DTZ001  (an Excel cell has no zone)
    )
    result = run(xlsx_bytes([row]), name="roster.xlsx")
    assert result.ok, result.errors
    member = imported().get()
    assert member.joined_on == datetime.date(2015, 7, 1) and member.phone == "13900139001"


@pytest.mark.parametrize("text", ["2015-07-01", "2015/7/1", "2015年7月1日", "20150701", "2015.7.1"])
def test_common_chinese_date_forms(run, text):
    result = run(csv_bytes([roster_row(加入党组织日期=text)]))
    assert result.ok, result.errors
    assert imported().get().joined_on == datetime.date(2015, 7, 1)


def test_gbk_csv(run):
    result = run(csv_bytes([roster_row(name="陈国强", 家庭住址="某镇某村")], encoding="gbk"))
    assert result.ok, result.errors
    assert imported().get().address == "某镇某村"


def test_utf8_without_bom(run):
    assert run(csv_bytes([roster_row()], encoding="utf-8")).ok


def test_bad_checksum_is_reported_by_row_and_column(run):
    good = make_id_number(datetime.date(1990, 5, 1))
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    result = run(csv_bytes([roster_row(), roster_row(name="陈二", id_number=bad)]))
    assert not result.ok and result.created == 0
    assert errors_of(result) == {(3, "公民身份证号")}
    assert "校验位" in result.errors[0]["message"]
    assert not imported().exists()


def test_birth_date_disagreeing_with_id(run):
    result = run(csv_bytes([roster_row(出生日期="1990-05-02")]))
    assert errors_of(result) == {(2, "出生日期")}
    assert "不一致" in result.errors[0]["message"]


@freeze_time("2026-03-01")
def test_dates_in_the_future_boundary(run):
    today = run(csv_bytes([roster_row(转为正式党员日期="2026-03-01")]))
    assert today.ok, today.errors
    Member.objects.filter(name__startswith="陈").delete()
    tomorrow = run(csv_bytes([roster_row(转为正式党员日期="2026-03-02")]))
    assert errors_of(tomorrow) == {(2, "转为正式党员日期")}
    assert "不能晚于今天" in tomorrow.errors[0]["message"]


def test_unknown_branch_and_branch_outside_scope(world, run):
    rows = [
        roster_row(branch="不存在的支部"),
        roster_row(branch=world.foreign_branch.name),
        roster_row(branch=world.branch2.name),
    ]
    result = run(csv_bytes(rows))
    # zhibu's scope is the first branch only: the second branch of the community is outside it too.
    assert errors_of(result) == {(2, "所在党支部"), (3, "所在党支部"), (4, "所在党支部")}
    assert all("管辖范围" in error["message"] for error in result.errors)
    assert Member.objects.filter(organisation=world.foreign_branch).count() == 1


def test_branch_by_code_and_committee_scope(world, run):
    rows = [roster_row(branch=world.branch2.code), roster_row(name="陈二", branch=world.branch.name)]
    result = run(csv_bytes(rows), user="jiedao")
    assert result.ok, result.errors
    assert imported().filter(organisation=world.branch2).count() == 1


def test_duplicates_within_the_file_and_against_the_database(world, run):
    number = make_id_number(datetime.date(1990, 5, 1))
    existing = world.member.id_number
    rows = [
        roster_row(id_number=number),
        roster_row(name="陈二", id_number=number),
        roster_row(name="陈三", id_number=existing, 出生日期="1985-03-01"),
    ]
    result = run(csv_bytes(rows))
    assert errors_of(result) == {(3, "公民身份证号"), (4, "公民身份证号")}
    messages = {error["row"]: error["message"] for error in result.errors}
    assert "第 2 行重复" in messages[3] and "系统中已有" in messages[4]
    assert not imported().exists()


def test_duplicate_of_a_foreign_member_reveals_nothing_about_them(world, run):
    result = run(
        csv_bytes([roster_row(name="陈二", id_number=world.foreign_member.id_number, 出生日期="1985-03-01")])
    )
    assert errors_of(result) == {(2, "公民身份证号")}
    assert world.foreign_member.name not in result.errors[0]["message"]


def test_one_bad_row_among_many_imports_nothing_and_lists_all_errors(run):
    rows = [roster_row(name=f"陈{i}") for i in range(30)]
    rows[5]["性别"] = "未知"
    rows[20]["民族"] = "火星族"
    rows[29]["是否流动党员"] = "是"
    result = run(csv_bytes(rows))
    assert errors_of(result) == {(7, "性别"), (22, "民族"), (31, "外出流向")}
    assert result.created == 0 and not imported().exists()
    assert not AuditEntry.objects.filter(action="members.roster.imported").exists()


def test_batches_roll_back_when_a_late_row_fails(run, monkeypatch):
    monkeypatch.setattr("qiangji.members.roster.importing.BATCH_SIZE", 3)
    rows = [roster_row(name=f"陈{i}") for i in range(10)]
    rows[9]["公民身份证号"] = "123"
    result = run(csv_bytes(rows))
    assert errors_of(result) == {(11, "公民身份证号")}
    assert not imported().exists() and not MemberStatusEvent.objects.filter(reason="名册导入").exists()


def test_empty_file(run):
    result = run(b"")
    assert result.message == "文件为空" and not result.ok


def test_header_only_file(run):
    result = run(csv_bytes([]))
    assert "文件为空" in result.message


def test_ten_megabytes_of_garbage(run):
    result = run(os.urandom(10 * 1024 * 1024), name="garbage.csv")
    assert not result.ok and result.message
    assert "无法" in result.message


def test_garbage_text_fails_on_the_header(run):
    result = run(("abc,def\n" * 1000).encode())
    assert "表头不正确" in result.message


def test_garbage_with_xlsx_magic(run):
    result = run(b"PK\x03\x04" + os.urandom(5000), name="x.xlsx")
    assert "Excel" in result.message


def test_missing_and_unknown_headers(run):
    headers = [h for h in HEADERS if h != "民族"] + ["备注"]
    result = run(csv_bytes([roster_row()], headers=headers))
    assert "缺少表头：民族" in result.message and "备注" in result.message


def test_file_over_the_size_limit(run, settings):
    settings.QIANGJI_IMPORT_MAX_BYTES = 100
    result = run(csv_bytes([roster_row()]))
    assert "文件过大" in result.message


def test_formula_in_a_cell_is_refused(run):
    result = run(csv_bytes([roster_row(name='=HYPERLINK("http://x")'), roster_row(家庭住址="@SUM(A1)")]))
    assert errors_of(result) == {(2, "姓名"), (3, "家庭住址")}
    assert "公式" in result.errors[0]["message"]


def test_id_number_stored_as_an_excel_number(run):
    row = roster_row(公民身份证号=110101199005010011.0)
    result = run(xlsx_bytes([row]), name="r.xlsx")
    assert errors_of(result) == {(2, "公民身份证号")} and "文本" in result.errors[0]["message"]


def test_member_role_cannot_import(run):
    result = run(csv_bytes([roster_row()]), user="dangyuan")
    assert "权限" in result.message and not imported().exists()


def test_lost_contact_and_mobile_members(run):
    rows = [
        roster_row(是否失联党员="是", 失去联系日期="2023年5月"),
        roster_row(name="陈二", 是否流动党员="是", 外出流向="广东省深圳市南山区"),
    ]
    result = run(csv_bytes(rows))
    assert result.ok, result.errors
    lost = imported().get(name="陈一")
    assert lost.status == "lost_contact" and lost.lost_contact_since == datetime.date(2023, 5, 1)
    assert imported().get(name="陈二").is_mobile


def test_errors_are_capped_but_counted(run, monkeypatch):
    monkeypatch.setattr("qiangji.members.roster.importing.MAX_STORED_ERRORS", 5)
    rows = [roster_row(name=f"陈{i}", 性别="?") for i in range(12)]
    result = run(csv_bytes(rows))
    assert result.error_count == 12 and len(result.errors) == 5


def test_progress_callback(run):
    calls = []
    run(csv_bytes([roster_row(name=f"陈{i}") for i in range(3)]), progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (3, 3)


def test_text_with_copy_control_characters_round_trips(run):
    address = "某路\\1号\t2栋\\N"
    result = run(csv_bytes([roster_row(家庭住址=address, name="陈\\一")]))
    assert result.ok, result.errors
    member = Member.objects.get(name="陈\\一")
    assert member.address == address and member.name_pinyin
    assert member.status_events.get().status == "full"


@pytest.fixture
def worker_processes(monkeypatch, settings):
    monkeypatch.setattr("qiangji.members.roster.prepare.POOL_MIN_ROWS", 0)
    monkeypatch.setattr("qiangji.members.roster.importing.BATCH_SIZE", 7)
    settings.QIANGJI_IMPORT_PROCESSES = 2


def test_worker_processes_import_a_clean_file_in_order(run, worker_processes):
    result = run(csv_bytes([roster_row(name=f"陈{i:02d}") for i in range(30)]))
    assert result.ok and result.created == 30, result.errors
    assert imported().count() == 30


def test_worker_processes_find_duplicates_across_chunks_and_roll_back(run, worker_processes):
    rows = [roster_row(name=f"陈{i:02d}") for i in range(30)]
    rows[25]["公民身份证号"] = rows[2]["公民身份证号"]
    rows[26]["性别"] = "?"
    result = run(csv_bytes(rows))
    assert errors_of(result) == {(27, "公民身份证号"), (28, "性别")}
    assert "与第 4 行重复" in result.errors[0]["message"]
    assert not imported().exists()


def test_a_concurrent_duplicate_at_write_time_imports_nothing(world, run, monkeypatch):
    monkeypatch.setattr(
        "qiangji.members.roster.importing._ImportRun._check_database", lambda self, pending: None
    )
    rows = [roster_row(), roster_row(name="陈二", id_number=world.member.id_number, 出生日期="1985-03-01")]
    result = run(csv_bytes(rows))
    assert "重复" in result.message and result.created == 0
    assert not imported().exists()
