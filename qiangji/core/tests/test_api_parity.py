"""API parity (issue #12, build 10): every action the UI offers (a route whose view accepts POST) has an API
operation, or is listed here with the reason it has none. A new page with a POST and neither fails.

COUNTERPARTS maps a UI route's name to the API route name(s) doing the same through the same service;
WITHOUT_API gives the reason a UI route has no operation of its own; PENDING_APPS names apps whose helpers
are writing their API now (their routes are reported, not failed, until the app leaves the list).
"""

from django.urls import URLResolver, get_resolver

SKIPPED = ("django-admin/", "static/", "media/", "i18n/")

COUNTERPARTS = {
    "notifications-read-all": ["api-notification-read-all"],
    "notification-read": ["api-notification-read"],
    "orgs:create-child": ["organisation-list"],
    "orgs:edit": ["organisation-detail"],
    "orgs:move": ["organisation-move"],
    "orgs:merge": ["organisation-merge"],
    "orgs:dissolve": ["organisation-dissolve"],
    "orgs:elect": ["organisation-elect"],
    "orgs:grants": ["organisation-grants"],
    "orgs:grant-revoke": ["grant-detail"],
    "members:create": ["member-list"],
    "members:edit": ["member-detail"],
    "imports:new": ["api-imports"],
    "recruitment:case-create": ["recruitment-case-list"],
    "recruitment:step": ["recruitment-case-steps"],
    "recruitment:form-ranges": ["recruitment-form-range-list"],
    "life:plan-make": ["life-plan-list"],
    "life:meeting-new": ["life-meeting-list"],
    "life:yearplan-detail": ["life-plan-items"],
    "life:plan-item-drop": ["life-plan-item-drop"],
    "life:meeting-record": ["life-meeting-held"],
    "life:attendance": ["life-meeting-attendance"],
    "life:checkin-code": ["life-meeting-checkin-code"],
    "life:checklist": ["life-meeting-checklist"],
    "life:meeting-submit": ["life-meeting-submit"],
    "life:meeting-review": ["life-meeting-approve", "life-meeting-return"],
    "life:checkin": ["life-checkin"],
    "life:theme-push": ["life-theme-list"],
    "life:exemption-new": ["life-exemption-list"],
    "mobility:transfer-create": ["mobility-transfer-list"],
    "mobility:flow-create": ["mobility-flow-list"],
    "mobility:certificate-create": ["mobility-certificate-list"],
    "mobility:transfer-incoming": ["mobility-intake-incoming-letter"],
    "mobility:transfer-accept": ["mobility-transfer-accept"],
    "mobility:transfer-return": ["mobility-transfer-return-letter"],
    "mobility:transfer-receipt": ["mobility-transfer-receipt"],
    "mobility:flow-inflow": ["mobility-intake-inflow"],
    "mobility:flow-accept": ["mobility-flow-accept"],
    "mobility:flow-decline": ["mobility-flow-decline"],
    "mobility:flow-end": ["mobility-flow-end"],
    "mobility:arrive": ["mobility-intake-arrive"],
    "mobility:certificate-check": ["mobility-certificate-check"],
    "mobility:certificate-revoke": ["mobility-certificate-revoke"],
    "mobility:anchor-create": ["mobility-anchor-list"],
    "mobility:anchor-remove": ["mobility-anchor-detail"],
    "mobility:report-create": ["mobility-report-list"],
    "mobility:hours-create": ["mobility-report-hours"],
    "mobility:hours-decide": ["mobility-hours-decide"],
    "dues:reduction-agree": ["dues-reduction-agree"],
    "dues:reduction-decide": ["dues-reduction-decide"],
    "dues:suggestions-compute": ["dues-suggestion-compute"],
    "dues:suggestion-decide": ["dues-suggestion-accept", "dues-suggestion-dismiss"],
    "dues:base": ["dues-base-list"],
    "dues:pay": ["dues-payment-list"],
    "dues:quick-pay": ["dues-payment-list"],
    "dues:voluntary": ["dues-payment-voluntary"],
    "dues:reduction-new": ["dues-reduction-list"],
    "dues:pay-online": ["dues-online-start"],
    "dues:online-order": ["dues-online-confirm"],
}

WITHOUT_API = {
    "login": "signing in to the web pages; the API signs in with a token (api-token)",
    "logout": "ends the web session; an API token is simply not sent any more",
    "password-change": "the web account's password; not an API resource",
    "otp-verify": "second factor of the web sign-in",
    "otp-setup": "enrolling the web sign-in's second factor",
    "orgs:detail": "a read page: POST answers 405 (ReadOnlyObjectMixin)",
    "orgs:children": "a read fragment: POST answers 405",
    "imports:template-xlsx": "a download (GET); the API has the same template through api-imports",
    "imports:template-csv": "a download (GET)",
    "imports:members-export": "a download (GET); the API lists members (member-list)",
    "dues:online-notify": "the payment provider's signed callback, not a user action",
    "mobility:post-create": "not yet in the API (community service posts): the page is the only way",
    "mobility:graduate-create": "not yet in the API (graduate hold)",
    "members:status": "not yet in the API (member status events)",
    "members:record-add": "not yet in the API (rewards and punishments)",
    "members:position-add": "not yet in the API (positions)",
    "recruitment:override": "not yet in the API (rule overrides with a reason)",
    "recruitment:case-transfer": "not yet in the API (moving a case to another branch)",
    "recruitment:plans": "not yet in the API (annual development plans)",
    "recruitment:file-audits": "not yet in the API (file audits)",
    "recruitment:file-audit": "not yet in the API (file audits)",
    "recruitment:file-audit-sample": "not yet in the API (file audits)",
    "recruitment:file-audit-finding": "not yet in the API (file audits)",
    "life:appraisal-open": "not yet in the API (democratic appraisal)",
    "life:appraisal-write": "not yet in the API (democratic appraisal)",
    "life:appraisal-grade": "not yet in the API (democratic appraisal)",
    "life:appraisal-stage": "not yet in the API (democratic appraisal)",
    "life:attachment-add": "not yet in the API (meeting attachments: multipart upload)",
    "life:monthlytheme-detail": "not yet in the API (theme day checklist of one theme)",
}

PENDING_APPS = {
    "service": "its helper is building the app and its API in this session",
    "education": "its helper is building the app and its API in this session",
    "governance": "its helper is building the app and its API in this session",
    "assessment": "its helper is building the app and its API in this session",
}


def _walk(patterns=None, prefix="", namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.lstrip("^").startswith(SKIPPED):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, route, inner)
        else:
            yield route, (namespace + pattern.name) if pattern.name else None, pattern.callback


def _accepts_post(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post")
    # a function view: it accepts POST unless decorated to refuse it
    return "POST" in (getattr(callback, "http_method_names", None) or ["POST"])


def ui_post_routes() -> dict[str, str]:
    return {
        name: route
        for route, name, callback in _walk()
        if name and not route.startswith("api/") and _accepts_post(callback)
    }


def api_names() -> set[str]:
    return {name for route, name, _ in _walk() if name and route.startswith("api/")}


def test_every_ui_post_route_has_an_api_operation_or_a_reason():
    missing = [
        name
        for name in sorted(ui_post_routes())
        if name not in COUNTERPARTS and name not in WITHOUT_API and name.split(":")[0] not in PENDING_APPS
    ]
    assert not missing, (
        f"UI actions without an API operation: {missing}. Add the operation (through the same service, scoped, "
        "in the OpenAPI) and list it in COUNTERPARTS, or give the reason in WITHOUT_API."
    )


def test_counterparts_name_existing_api_routes_and_reasons_are_given():
    known = api_names()
    stale = {ui: api for ui, apis in COUNTERPARTS.items() for api in apis if api not in known}
    assert not stale, f"API counterparts that do not exist: {stale}"
    routes = ui_post_routes()
    listed = set(COUNTERPARTS) | set(WITHOUT_API)
    assert not (listed - set(routes)), (
        f"listed UI routes that no longer exist: {sorted(listed - set(routes))}"
    )
    assert not set(COUNTERPARTS) & set(WITHOUT_API)
    assert all(reason.strip() for reason in (*WITHOUT_API.values(), *PENDING_APPS.values()))


def test_the_walk_sees_post_routes():
    routes = ui_post_routes()
    assert "orgs:move" in routes and "mobility:transfer-accept" in routes and "home" not in routes
