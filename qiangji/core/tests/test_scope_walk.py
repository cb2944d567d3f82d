"""Every URL, as every role, against the foreign subtree (DESIGN "Data flow" 2; STYLE "Tests").

Cases come from each app's `tests/scope_cases*.py`: `CASES = {"ns:name": lambda world: {kwargs}}` with
kwargs pointing at an object in the FOREIGN county (`{}` for a list, whose body must then not show
the foreign markers), and `EXEMPT = {"ns:name": "reason"}`. A case may add `"_query": "a=b"` for a
query string. The meta-tests fail for a URL with neither, so a new URL cannot skip the walk.
"""

import importlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import URLResolver, get_resolver, reverse

SKIPPED_PREFIXES = ("django-admin/", "i18n/", "static/", "media/")
FOREIGN_MARKERS = ("外县党员", "另一县委", "另一县某村党支部")
ROLES = ["xian", "jiedao", "zhibu", "dangyuan", "nobody", "anonymous"]  # sheng covers the foreign county


def iter_named_urls(patterns=None, prefix="", namespace=""):
    """(route, full name) for every pattern, recursively; name is None for an unnamed pattern."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.lstrip("^").startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from iter_named_urls(pattern.url_patterns, route, inner)
        else:
            yield route, (namespace + pattern.name) if pattern.name else None


def load_cases():
    """CASES and EXEMPT from every qiangji app's tests/scope_cases*.py, with names claimed twice."""
    cases, exempt, claims = {}, {}, {}
    for config in apps.get_app_configs():
        if not config.name.startswith("qiangji."):
            continue
        for file in sorted((Path(config.path) / "tests").glob("scope_cases*.py")):
            module = importlib.import_module(f"{config.name}.tests.{file.stem}")
            for table, target in (
                (getattr(module, "CASES", {}), cases),
                (getattr(module, "EXEMPT", {}), exempt),
            ):
                for name, value in table.items():
                    claims.setdefault(name, []).append(module.__name__)
                    target[name] = value
    twice = {name: modules for name, modules in claims.items() if len(modules) > 1}
    return cases, exempt, twice


CASES, EXEMPT, CLAIMED_TWICE = load_cases()
URLS = list(iter_named_urls())
NAMES = sorted({name for _, name in URLS if name})


# ----- meta-tests: the walk covers everything -------------------------------------------------


def test_every_named_url_has_a_scope_case_or_an_exemption():
    missing = [name for name in NAMES if name not in CASES and name not in EXEMPT]
    assert not missing, (
        f"URLs without a scope-walk case: {missing}. Add them to <app>/tests/scope_cases.py CASES "
        "(kwargs pointing at a FOREIGN object, or {} for a list) or EXEMPT with a reason."
    )


def test_every_url_pattern_is_named():
    unnamed = [route for route, name in URLS if name is None]
    assert not unnamed, f"unnamed URL patterns cannot be walked; name them: {unnamed}"


def test_cases_and_exemptions_name_existing_urls():
    stale = [name for name in sorted(set(CASES) | set(EXEMPT)) if name not in NAMES]
    assert not stale, f"scope cases or exemptions for URLs that do not exist: {stale}"


def test_no_url_is_claimed_twice_and_exemptions_give_reasons():
    assert not CLAIMED_TWICE, f"URLs with more than one scope case/exemption: {CLAIMED_TWICE}"
    assert all(str(reason).strip() for reason in EXEMPT.values())


# ----- the walk ---------------------------------------------------------------------------------


def body_text(response) -> str:
    """The response as text: JSON un-escaped, xlsx unzipped, so a leaked marker is always visible."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(
                archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")
            )
    text = content.decode("utf-8", "replace")
    if "json" in response.get("Content-Type", ""):
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def snapshot(world) -> dict:
    """Row counts of every qiangji model, plus every foreign-subtree row in full."""
    state = {}
    foreign = world.foreign_county.path
    for model in apps.get_models():
        if not model.__module__.startswith("qiangji."):
            continue
        manager = model._base_manager
        state[model._meta.label] = manager.count()
        field_names = {f.name for f in model._meta.concrete_fields}
        path_field = "path" if model._meta.label_lower == "orgs.organisation" else "org_path"
        if path_field in field_names:
            rows = manager.filter(**{f"{path_field}__startswith": foreign}).order_by("pk").values()
            state[f"{model._meta.label} rows"] = [dict(row) for row in rows]
    return state


def _login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def assert_refused(response, *, anonymous: bool, is_api: bool, what: str):
    if anonymous and not is_api:
        ok = _login_redirect(response) or response.status_code in (403, 404, 405)
    elif anonymous:
        ok = response.status_code in (401, 403, 405)
    else:
        ok = response.status_code in (404, 405)
    assert ok, f"{what}: answered {response.status_code}, expected a refusal (404/405; anonymous: login/401)"


def check_object(client, world, url, *, anonymous, is_api):
    before = snapshot(world)
    response = client.get(url)
    assert_refused(response, anonymous=anonymous, is_api=is_api, what=f"GET {url}")
    leaked = [marker for marker in FOREIGN_MARKERS if marker in body_text(response)]
    assert not leaked, f"the refusal of GET {url} names the foreign object: {leaked}"
    methods = ("post", "put", "patch", "delete") if is_api else ("post",)
    for method in methods:
        response = (
            getattr(client, method)(url, {}, content_type="application/json")
            if is_api
            else client.post(url, {})
        )
        assert_refused(response, anonymous=anonymous, is_api=is_api, what=f"{method.upper()} {url}")
    assert snapshot(world) == before, f"a refused request to {url} changed data or wrote an audit entry"


def check_list(client, url):
    response = client.get(url)
    assert response.status_code < 500
    text = body_text(response)
    leaked = [marker for marker in FOREIGN_MARKERS if marker in text]
    assert not leaked, f"GET {url} shows the foreign subtree: {leaked}"


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(CASES))
def test_foreign_subtree_is_invisible(url_name, client, world):
    """One world per URL, every role in turn (building the world dominates the walk's time)."""
    kwargs = dict(CASES[url_name](world))
    query = kwargs.pop("_query", "")
    url = reverse(url_name, kwargs=kwargs) + (f"?{query}" if query else "")
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        try:
            if kwargs:
                check_object(
                    client, world, url, anonymous=role == "anonymous", is_api=url.startswith("/api/")
                )
            else:
                check_list(client, url)
        except AssertionError as exc:
            raise AssertionError(f"as {role}: {exc}") from exc


# ----- the walker's own checks catch leaks ------------------------------------------------------


def test_body_text_sees_markers_in_escaped_json_and_xlsx():
    from django.http import FileResponse, JsonResponse

    assert "外县党员" in body_text(JsonResponse({"name": "外县党员"}))  # \\u-escaped on the wire
    from qiangji.core.exporting import write_xlsx

    handle = write_xlsx(["姓名"], [["另一县委"]])
    assert "另一县委" in body_text(FileResponse(handle))


@pytest.mark.django_db
def test_walk_fails_on_an_answer_that_is_not_a_refusal():
    from django.http import HttpResponse

    with pytest.raises(AssertionError):
        assert_refused(HttpResponse("ok"), anonymous=False, is_api=False, what="GET /x/")
    with pytest.raises(AssertionError):
        assert_refused(
            HttpResponse(status=302, headers={"Location": "/"}), anonymous=True, is_api=True, what="x"
        )
