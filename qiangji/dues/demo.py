"""Demo history of the dues app (registered with the generator, `qiangji generate`): dues bases, monthly
payment ledgers and accounts (《关于中国共产党党费收缴、使用和管理的规定》, dfgd-2008; docs/rules.md §4),
as the dues services keep them.

Each member on the roll gets a base from the first ledger month (or the month they were admitted,
when later: dues start that month, docs/rules.md §1), priced with the seeded bracket table (`DuesRule`,
`RegionDuesSetting` for farmers), like `qiangji dues_demo` does through the services.  Payments are
one row per month (the unique regular-month rule), paid monthly or by quarter, online, by transfer
or in cash.  About 93 % are paid up to last month, 4.5 % are 1–5 months behind, 2.5 % are in
arrears for 6 months or more (the exception list), and lost-contact members stopped paying when
contact was lost.  `DuesAccount` holds the same start / paid-through / last-paid months that
`dues.services.base.refresh_account` computes from these rows.

Ledger length: 24 months at county scale; at province scale `LEDGER_MONTHS["province"]` months
(3 million members × 6 = 18 million rows; two years would be 72 million, more than the disk and the
two cores take in the time available — `--dues-months N` asks for more; see docs/performance.md).
"""

import datetime
import uuid
from decimal import ROUND_HALF_UP, Decimal

from qiangji.core.dates import add_months
from qiangji.dues.models import DuesAccount, DuesBase, DuesRule, Payment, RegionDuesSetting
from qiangji.tooling.generate.history import Context, County, register

LEDGER_MONTHS = {"county": 24, "province": 6}
PAYMENT_COLUMNS = [
    "member_id",
    "organisation_id",
    "org_path",
    "month",
    "kind",
    "amount",
    "expected_amount",
    "method",
    "paid_on",
    "reference",
    "batch",
    "is_makeup",
    "old_arrears",
    "override_reason",
    "to_centre",
    "recorded_by_id",
]
FEN = Decimal("0.01")


def _brackets() -> dict:
    rules: dict[str, list] = {}
    for rule in DuesRule.objects.filter(rule_set="dfgd-2008").order_by("bracket", "upper"):
        rules.setdefault(rule.bracket, []).append(rule)
    for bracket in rules.values():  # bounded brackets first, the open one last
        bracket.sort(key=lambda r: (r.upper is None, r.upper or 0))
    return rules


def _category(post: str, org_category: str) -> str:
    if post == "0900":
        return "retired"
    if post == "0400" or (not post and org_category == "rural"):
        return "farmer"
    if post in ("0510", "0600", "0320") and org_category in ("non_public_enterprise", "community", "other"):
        return "self_employed"
    return "employed"


def _price(rules: dict, farmer: Decimal, category: str, income: Decimal | None):
    """(monthly amount, rule id) by the table: the lowest bracket whose upper bound the base does not exceed."""
    if category == "farmer":
        return farmer, None
    bracket = {"employed": "salary", "self_employed": "salary", "retired": "pension"}.get(category, "fixed")
    for rule in rules.get(bracket, []):
        if rule.upper is None or income is None or income <= rule.upper:
            if rule.fixed_amount is not None:
                return rule.fixed_amount, rule.pk
            return (income * rule.rate_percent / Decimal(100)).quantize(FEN, rounding=ROUND_HALF_UP), rule.pk
    raise LookupError(f"没有适用的党费交纳标准：{category}")


def county(ctx: Context, county: County) -> None:
    rng = ctx.rng(county.code, "dues")
    if "dues_rules" not in ctx.extra:
        ctx.extra["dues_rules"] = _brackets()
        settings = {s.province_code: s.farmer_amount for s in RegionDuesSetting.objects.all()}
        ctx.extra["farmer"] = settings.get(
            f"{ctx.root.division_code[:2]}0000", settings.get("", Decimal("0.20"))
        )
    rules, farmer = ctx.extra["dues_rules"], ctx.extra["farmer"]
    as_of = ctx.as_of
    this_month = as_of.replace(day=1)
    ledger = ctx.extra.get("dues_months") or LEDGER_MONTHS.get(ctx.scale, 24)
    first_month = add_months(this_month, -ledger)
    categories = {org.id: org.category for org in county.orgs}
    # Batch ids: increasing (an index on random UUIDs would take a random page per row at 36 million
    # rows); the prefix keeps them apart from the services' uuid4 batches (version nibble 0, not 4).
    # The county code is part of them, so loaders running side by side (--part) never repeat one.
    batch_prefix = (
        (0x51414E474A49 << 80) | ((ctx.seed & 0xFFFF) << 64) | ((int(county.code or 0) & 0xFFFFFF) << 40)
    )
    batches = 0
    bases, accounts, payments = [], [], []
    for member in county.members:
        if member["status"] not in ("full", "probationary", "lost_contact"):
            continue
        start = max(first_month, member["joined_on"].replace(day=1))
        if start > this_month:
            continue
        category = _category(member["post"], categories.get(member["organisation_id"], ""))
        income = None
        if category == "employed":
            income = Decimal(round(rng.lognormvariate(8.5, 0.45) / 10) * 10)
        elif category == "retired":
            income = Decimal(rng.randint(180, 700) * 10)
        elif category == "self_employed":
            income = Decimal(rng.randint(150, 900) * 10)
        amount, rule_id = _price(rules, farmer, category, income)
        bases.append(
            {
                "member_id": member["id"],
                "category": category,
                "income": income,
                "effective_month": start,
                "monthly_amount": amount,
                "rule_id": rule_id,
                "note": "",
            }
        )
        # Up to which month the member has paid without a gap.
        roll = rng.random()
        if member["status"] == "lost_contact" and member["lost_contact_since"]:
            through = add_months(member["lost_contact_since"].replace(day=1), -1)
        elif roll < 0.025:  # arrears of 6 months or more (nothing paid in a short ledger)
            through = add_months(this_month, -rng.randint(7, max(7, min(ledger, 14))))
        elif roll < 0.07:
            through = add_months(this_month, -rng.randint(2, 6))
        elif as_of.day > 15 and roll < 0.55:
            through = this_month
        else:
            through = add_months(this_month, -1)
        quarterly = rng.random() < 0.25
        method = rng.choices(("online", "transfer", "cash"), (50, 20, 30))[0]
        month, paid = start, []
        while month <= through:
            paid.append(month)
            month = add_months(month, 1)
        batch, batch_key = None, None
        for month in paid:
            key = (month.year, (month.month - 1) // 3) if quarterly else month
            if key != batch_key:
                batches += 1
                batch_key, batch = key, uuid.UUID(int=batch_prefix | batches)
                if quarterly:
                    quarter_end = datetime.date(month.year, (month.month - 1) // 3 * 3 + 3, 1)
                    paid_on = min(quarter_end.replace(day=rng.randint(5, 25)), as_of)
                else:
                    paid_on = min(month.replace(day=rng.randint(3, 25)), as_of)
                paid_on = max(paid_on, month)
            payments.append(
                (
                    member["id"],
                    member["organisation_id"],
                    member["org_path"],
                    month,
                    "regular",
                    amount,
                    amount,
                    method,
                    paid_on,
                    "",
                    batch,
                    False,
                    False,
                    "",
                    False,
                    None,
                )
            )
        accounts.append(
            {
                "member_id": member["id"],
                "start_month": start,
                "paid_through": paid[-1] if paid else None,
                "last_paid_month": paid[-1] if paid else None,
            }
        )
    ctx.write(DuesBase, bases, "dues_bases")
    ctx.write(DuesAccount, accounts, "dues_accounts")
    ctx.writer.write_tuples(Payment, PAYMENT_COLUMNS, payments)
    ctx.result.add("payments", len(payments))


register(
    "dues",
    order=40,
    county=county,
    tables={"党费交纳记录": (Payment, "org_path"), "党费基数": (DuesBase, "member__org_path")},
)
