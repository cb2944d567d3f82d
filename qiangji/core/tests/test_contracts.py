"""The project's shape, checked on every pytest run (issue #10): import contracts, the one app shape and
scoped reads in view and API modules.  Each test fails with the list of offenders.

* Import contracts live in pyproject.toml `[tool.importlinter]` (also run by `make lint`); here each
  contract is one test, so a plain `pytest` catches a broken one too.
* The app shape: every domain app has the agreed files (docs/architecture.md, "One shape for every
  app"), or the gap is listed in `EXEMPTIONS` with its reason.
* Scoped reads: view and API modules read no model except through `.visible_to(user, action)` (ADR 0001);
  anything else belongs in a selector or `core.scoping.get_in_scope_or_404`.  Genuine exceptions are
  listed in `SCOPE_READ_EXEMPTIONS` with their reason.
"""

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # …/qiangji
ROOT = PACKAGE.parent
NOT_DOMAIN = {"core", "tooling", "testing"}


def domain_apps() -> list[str]:
    """Directories under qiangji/ with an apps.py, except the kernel, the tooling floor and test helpers."""
    return sorted(p.parent.name for p in PACKAGE.glob("*/apps.py") if p.parent.name not in NOT_DOMAIN)


# ----- import contracts ---------------------------------------------------------------------------------


def importlinter_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


CONTRACT_IDS = [contract["id"] for contract in importlinter_config()["contracts"]]


@pytest.mark.parametrize("contract_id", CONTRACT_IDS)
def test_import_contract(contract_id):
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo", "--contract", contract_id],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = result.stdout.split("Broken contracts", 1)[-1].strip("-\n ")
    if result.returncode != 0:
        pytest.fail(f"import contract {contract_id!r} is broken:\n{report}\n{result.stderr}", pytrace=False)


def test_the_kernel_contract_names_every_domain_app():
    """A new app (education, service, governance, assessment …) joins the kernel's forbidden list and the
    layers: otherwise core could import it unnoticed."""
    contracts = {contract["id"]: contract for contract in importlinter_config()["contracts"]}
    forbidden = {name.removeprefix("qiangji.") for name in contracts["kernel"]["forbidden_modules"]}
    layered = {
        name.strip().removeprefix("qiangji.")
        for layer in contracts["layers"]["layers"]
        for name in re.split(r"[|:]", layer)
    }
    views_contracts = {cid.removeprefix("views-") for cid in contracts if cid.startswith("views-")}
    missing = {
        "kernel forbidden_modules": sorted(set(domain_apps()) - forbidden),
        "layers": sorted(set(domain_apps()) - layered),
        "views-<app> contracts": sorted(set(domain_apps()) - views_contracts),
    }
    assert not any(missing.values()), f"apps missing from [tool.importlinter]: {missing}"


# ----- the one app shape --------------------------------------------------------------------------------

# (agreed name, what counts): a module `<name>.py` or a package `<name>/` (directories for templates/tests).
SHAPE = [
    "models",
    "choices",
    "services/",
    "selectors",
    "filters",
    "tables",
    "forms",
    "views",
    "urls",
    "api/serializers",
    "api/views",
    "api/urls",
    "jobs",
    "demo",
    "bench",
    "templates/",
    "tests/",
]

# (app, file): why the app has no such file.  Trimmed by the lead at integration; a stale entry fails
# test_shape_exemptions_are_current.
EXEMPTIONS = {
    ("orgs", "jobs"): "no background work: every organisation write is synchronous",
    (
        "orgs",
        "demo",
    ): "the tree and the accounts are the generator's base (qiangji.tooling.generate), not a history",
    (
        "orgs",
        "bench",
    ): "no benchmark of its own: the tree's reads are measured by the dashboard and members benches",
    (
        "members",
        "jobs",
    ): "its one background job is the roster import, kept with the import in roster/jobs.py",
    ("members", "demo"): "members are the generator's base (qiangji.tooling.generate.people), not a history",
    (
        "recruitment",
        "tables",
    ): "case lists are rendered by hand (stage badges, due dates); no django-tables2 table",
    ("life", "jobs"): "no background work: the to-do and compliance are computed when a page is read",
    (
        "mobility",
        "jobs",
    ): "no background work: overdue letters and receipts are found by date when read (selectors.overdue_q)",
    ("mobility", "bench"): "no benchmark: transfers are low-volume writes",
    (
        "governance",
        "jobs",
    ): "no background work: coverage gaps, overdue findings and the pre-review queue are read set-wise when shown",
    ("dues", "bench"): "no benchmark of its own: dues figures are measured by the dashboard bench",
    ("dues", "tables"): "dues lists are rendered by hand (month grids); no django-tables2 table",
    ("dashboard", "choices"): "no choice fields: the figures are defined in dashboard/indicators.py",
    (
        "dashboard",
        "services/",
    ): "no writes of its own: the rollups are rebuilt by dashboard/rollups and jobs.py",
    ("dashboard", "filters"): "no filtered list: a screen is one organisation",
    ("dashboard", "tables"): "the screen's tables are rendered from dashboard/figures.py, not django-tables2",
    ("dashboard", "forms"): "no form: the screen only reads (the worst-N choice is a query parameter)",
    ("dashboard", "demo"): "no history of its own: the rollups are computed from the other apps' demo data",
}


def has_part(app: str, part: str) -> bool:
    base = PACKAGE / app / part.rstrip("/")
    if part.endswith("/"):
        return base.is_dir()
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def test_every_domain_app_has_the_agreed_shape():
    missing = [
        f"{app}/{part}"
        for app in domain_apps()
        for part in SHAPE
        if not has_part(app, part) and (app, part) not in EXEMPTIONS
    ]
    assert not missing, (
        "domain apps lack agreed files (add the file, or list it in EXEMPTIONS with a "
        "reason):\n  " + "\n  ".join(missing)
    )


def test_shape_exemptions_are_current():
    stale = [
        f"{app}/{part}"
        for app, part in EXEMPTIONS
        if app not in domain_apps() or part not in SHAPE or has_part(app, part)
    ]
    assert not stale, "EXEMPTIONS lists files that exist now (or unknown apps/parts):\n  " + "\n  ".join(
        stale
    )


def test_an_api_package_is_only_a_docstring():
    """`<app>/api/__init__.py` holds a docstring only: the routes, views and serializers live beside it."""
    offenders = []
    for init in sorted(PACKAGE.glob("*/api/__init__.py")):
        code = [
            line
            for line in _strip_docstring(init.read_text(encoding="utf-8")).splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
        if code:
            offenders.append(f"{init.relative_to(PACKAGE)}: {code[0].strip()}")
    assert not offenders, "api/__init__.py with code:\n  " + "\n  ".join(offenders)


def _strip_docstring(text: str) -> str:
    return re.sub(r'^\s*(?:"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\')', "", text, count=1)


# ----- scoped reads in view and API modules -------------------------------------------------------------


def scope_read_modules() -> list[Path]:
    files: set[Path] = set()
    for app_dir in sorted(p.parent for p in PACKAGE.glob("*/apps.py")):
        files.update(p for p in [app_dir / "views.py"] if p.is_file())
        files.update((app_dir / "views").rglob("*.py"))
        files.update((app_dir / "api").rglob("*.py"))
    core = PACKAGE / "core"
    files.update(core.glob("api*.py"))
    files.update(p for p in [core / "views.py", core / "notification_views.py"] if p.is_file())
    return sorted(files)


# `Model.objects.<anything but visible_to>`, and the managers that bypass a model's scoped default.
DIRECT_READ = re.compile(r"\b(\w+)\.objects\s*\.\s*(?!visible_to\b)(\w+)|\b\w+\._(?:base|default)_manager\b")

# (file relative to qiangji/, the read as matched): why it may read directly.
SCOPE_READ_EXEMPTIONS: dict[tuple[str, str], str] = {
    (
        "core/api.py",
        "self.model.objects.all",
    ): "ScopedViewSetMixin.get_queryset: the base it then narrows with visible_to (refuses an unscoped model)",
}


def scoped_viewset_querysets(text: str) -> set[int]:
    """Lines of `queryset = …` class attributes of classes built on ScopedViewSetMixin: DRF's base queryset,
    which the mixin's get_queryset narrows with `visible_to(user, action)` before any row is read."""
    lines: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.ClassDef):
            continue
        if not any("ScopedViewSetMixin" in ast.unparse(base) for base in node.bases):
            continue
        for item in node.body:
            if isinstance(item, ast.Assign) and any(getattr(t, "id", "") == "queryset" for t in item.targets):
                lines.update(range(item.lineno, (item.end_lineno or item.lineno) + 1))
    return lines


def _docstring_lines(text: str) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def direct_reads() -> list[tuple[str, int, str]]:
    found = []
    for path in scope_read_modules():
        text = path.read_text(encoding="utf-8")
        allowed = scoped_viewset_querysets(text) | _docstring_lines(text)
        for match in DIRECT_READ.finditer(text):
            line_no = text.count("\n", 0, match.start()) + 1
            if line_no in allowed or text[
                text.rfind("\n", 0, match.start()) + 1 : match.start()
            ].lstrip().startswith("#"):
                continue
            expression = _expression(text, text.rfind("\n", 0, match.start()) + 1, match)
            found.append((str(path.relative_to(PACKAGE)), line_no, expression))
    return found


def _expression(text: str, line_start: int, match: re.Match) -> str:
    """The read as written, with the object it is called on (`self.model.objects.all`)."""
    head = re.search(r"[\w.]*$", text[line_start : match.start()])
    prefix = head.group(0) if head else ""
    return re.sub(r"\s+", "", prefix + match.group(0))


def test_view_and_api_modules_read_only_through_the_scope():
    offenders = [
        f"{path}:{line}: {expression}"
        for path, line, expression in direct_reads()
        if (path, expression) not in SCOPE_READ_EXEMPTIONS
    ]
    assert not offenders, (
        "view/API modules read models without .visible_to(user, action) — move the read into a selector "
        "or use core.scoping.get_in_scope_or_404 (or list a genuine case in SCOPE_READ_EXEMPTIONS):\n  "
        + "\n  ".join(offenders)
    )


def test_scope_read_exemptions_are_current():
    seen = {(path, expression) for path, _line, expression in direct_reads()}
    stale = [
        f"{path}: {expression}"
        for path, expression in SCOPE_READ_EXEMPTIONS
        if (path, expression) not in seen
    ]
    assert not stale, "SCOPE_READ_EXEMPTIONS lists reads that are gone:\n  " + "\n  ".join(stale)


def test_the_direct_read_pattern():
    """The grep itself: what counts as a direct read and what does not."""

    def reads(source: str) -> list[str]:
        return [m.group(0) for m in DIRECT_READ.finditer(source)]

    assert reads("Member.objects.filter(pk=1)") == ["Member.objects.filter"]
    assert reads("Member.objects\n    .get(pk=1)") == ["Member.objects\n    .get"]
    assert reads("Member.objects.visible_to(user, Action.VIEW).filter(pk=1)") == []
    assert reads("Member.objects .visible_to(user)") == []
    assert reads("Member._base_manager.all()") == ["Member._base_manager"]
    assert reads("model._default_manager") == ["model._default_manager"]
