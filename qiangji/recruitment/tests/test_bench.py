"""`qiangji bench due-list` at a tiny scale: the three methods agree and the report has its figures."""

from qiangji.core.bench import discover
from qiangji.orgs.models import Organisation
from qiangji.recruitment.models import Case


def test_due_list_bench_runs_and_cleans_up(db):
    benchmark = discover()["due-list"]()
    options = {"scale": "small", "cases": 400, "counties": 2, "branches": 3, "repeat": 1, "keep": False}
    report = benchmark.run(options, log=lambda text: None)
    assert report.name == "due-list" and report.ratio > 0
    assert report.data["cases"] == 400
    labels = [label for label, _value in report.rows]
    assert any("手写 SQL" in label for label in labels) and any("逐条 Python 循环" in label for label in labels)
    assert not Case.objects.exists() and not Organisation.objects.exists()


def test_generated_histories_are_consistent(db):
    import datetime

    from qiangji.recruitment import generate
    from qiangji.recruitment.choices import REFERENCE_FIELDS

    today = datetime.date(2026, 11, 2)
    for row in generate.case_rows(200, [(1, "0001")], today):
        values = dict(zip(generate.COLUMNS, row, strict=True))
        done = [values[REFERENCE_FIELDS[s]] for s in sorted(REFERENCE_FIELDS) if s <= values["step"] and s != 21]
        assert all(day is not None and day <= today for day in done)
        assert done == sorted(done)
