"""`qiangji bench due-list` at a tiny scale: the three methods agree and the report has its figures."""

from qiangji.orgs.models import Organisation
from qiangji.recruitment.models import Case
from qiangji.tooling.bench import discover


def test_due_list_bench_runs_and_cleans_up(db):
    benchmark = discover()["due-list"]()
    options = {"scale": "small", "cases": 400, "counties": 2, "branches": 3, "repeat": 1, "keep": False}
    report = benchmark.run(options, log=lambda text: None)
    assert report.name == "due-list" and report.ratio > 0
    assert report.data["cases"] == 400
    labels = [label for label, _value in report.rows]
    assert any("手写 SQL" in label for label in labels) and any(
        "逐条 Python 循环" in label for label in labels
    )
    assert not Case.objects.exists() and not Organisation.objects.exists()


def test_generated_histories_are_consistent(db):
    import datetime

    from qiangji.recruitment import bench
    from qiangji.recruitment.choices import REFERENCE_FIELDS

    today = datetime.date(2026, 11, 2)
    for row in bench.case_rows(200, [(1, "0001")], today):
        values = dict(zip(bench.COLUMNS, row, strict=True))
        done = [
            values[REFERENCE_FIELDS[s]] for s in sorted(REFERENCE_FIELDS) if s <= values["step"] and s != 21
        ]
        assert all(day is not None and day <= today for day in done)
        assert done == sorted(done)


def test_scratch_tree_is_a_valid_treebeard_tree(db):
    from qiangji.orgs.models import Organisation
    from qiangji.recruitment import bench

    tree = bench.scratch_tree(3, 4)
    root = Organisation.objects.get(pk=tree.root_id)
    assert root.get_children_count() == 3 and root.get_descendant_count() == 15
    county = Organisation.objects.get(path=tree.county_paths[1])
    assert county.get_parent() == root and county.get_children_count() == 4
    added = Organisation.objects.add_child(
        county, create_kwargs={"name": "新支部", "kind": "branch", "code": "X1"}
    )
    assert added.path.startswith(county.path) and added.depth == 3
    tree.cleanup()
    assert not Organisation.objects.filter(path__startswith=tree.root_path).exists()
