"""Member rows exactly as the member services would write them: encrypted ID numbers and phones
with their blind index, pinyin for search, the national items and their completeness.

Names are drawn from Faker's zh_CN person data (surnames with their frequencies, given names by
sex) with our own seeded generator, which is deterministic and about twenty times faster than
calling Faker for each of three million rows.
"""

import datetime
import random

from faker.providers.person.zh_CN import Provider as ZhPerson

from qiangji.core import crypto
from qiangji.core.dates import add_years
from qiangji.core.pinyin import name_pinyin
from qiangji.core.validators import gb11643_check_char
from qiangji.members.validation import completeness
from qiangji.tooling.generate.tree import OrgSpec

SURNAMES = list(ZhPerson.last_names)
SURNAME_WEIGHTS = list(ZhPerson.last_names.values())
GIVEN = {"1": list(ZhPerson.first_names_male), "2": list(ZhPerson.first_names_female)}
ETHNICITY_MIX = (("01", 95.5), ("03", 1.5), ("11", 1.0), ("08", 0.5), ("15", 0.5), ("06", 0.5), ("02", 0.5))
DESTINATIONS = (
    "北京市朝阳区",
    "上海市浦东新区",
    "天津市滨海新区",
    "江苏省苏州市昆山市",
    "浙江省杭州市余杭区",
    "广东省深圳市宝安区",
    "广东省东莞市",
    "山东省青岛市黄岛区",
    "河北省石家庄市长安区",
)
# Posts (national 4-digit codes) by the kind of organisation a member belongs to.
POSTS = {
    "village": (("0400", 70), ("0500", 8), ("0320", 7), ("0900", 15)),
    "community": (("0500", 20), ("0320", 20), ("0310", 10), ("0220", 15), ("0600", 10), ("0900", 25)),
    "retired": (("0900", 100),),
    "government": (("0110", 80), ("0210", 15), ("0220", 5)),
    "school": (("0220", 85), ("0210", 15)),
    "hospital": (("0220", 80), ("0210", 15), ("0320", 5)),
    "enterprise": (("0310", 40), ("0320", 50), ("0220", 10)),
    "state_enterprise": (("0310", 45), ("0320", 35), ("0220", 20)),
    "social": (("0600", 100),),
    "new_employment": (("0510", 100),),
}
NEW_EMPLOYMENT_TAGS = {"rider", "ride_hailing", "truck", "courier"}


def weighted(rng: random.Random, pairs) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


class IdNumbers:
    """Unique citizen ID numbers (GB 11643) for one county: region code + birth date + order + check."""

    def __init__(self, region: str):
        self.region = region
        self.used: dict[tuple[datetime.date, str], int] = {}

    def next(self, birth: datetime.date, sex: str) -> tuple[str, datetime.date]:
        while True:
            count = self.used.get((birth, sex), 0)
            if count < 499:
                self.used[(birth, sex)] = count + 1
                order = count * 2 + (1 if sex == "1" else 2)  # odd for men, even for women
                first17 = f"{self.region}{birth:%Y%m%d}{order:03d}"
                return first17 + gb11643_check_char(first17), birth
            birth += datetime.timedelta(days=1)


class People:
    """Draws members for the leaves of one county."""

    def __init__(self, rng: random.Random, region: str, as_of: datetime.date, address_prefix: str):
        self.rng, self.as_of, self.address_prefix = rng, as_of, address_prefix
        self.ids = IdNumbers(region)
        self.region = region

    def name(self, sex: str) -> str:
        rng = self.rng
        given = rng.choice(GIVEN[sex])
        if len(given) == 1 and rng.random() < 0.55:
            given += rng.choice(GIVEN[sex])[0]
        return rng.choices(SURNAMES, SURNAME_WEIGHTS)[0] + given

    def phone(self) -> str:
        rng = self.rng
        return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"

    def dates(
        self, post: str, probationary: bool
    ) -> tuple[datetime.date, datetime.date, datetime.date | None]:
        """(birth, joined, confirmed): joined at 18 or later, confirmed one year after (《中国共产党发展党员工作细则》第三十二条)."""
        rng, as_of = self.rng, self.as_of
        low, high = (60, 92) if post == "0900" else ((20, 45) if post in {"0510", "0700"} else (22, 64))
        if probationary:
            low, high = 19, 40
        birth = as_of - datetime.timedelta(days=rng.randint(low * 365, high * 365))
        adult = add_years(birth, 18)
        if probationary:
            joined = as_of - datetime.timedelta(days=rng.randint(20, 360))
            return birth, max(joined, adult), None
        latest = as_of - datetime.timedelta(days=400)
        span = max(0, (latest - adult).days)
        joined = adult + datetime.timedelta(days=int(span * rng.random() ** 1.3))
        return birth, joined, add_years(joined, 1)

    def education(self, post: str, birth: datetime.date) -> str:
        rng = self.rng
        if post in {"0110", "0210", "0220"}:
            return weighted(rng, (("14", 20), ("20", 60), ("30", 18), ("11", 2)))
        if post == "0400" or (self.as_of.year - birth.year) > 65:
            return weighted(rng, (("70", 45), ("80", 25), ("60", 20), ("40", 5), ("30", 5)))
        return weighted(rng, (("20", 25), ("30", 30), ("60", 25), ("70", 15), ("40", 5)))

    def member(self, org: OrgSpec, *, force_full: bool = False) -> dict:
        rng = self.rng
        tag = "new_employment" if org.tag in NEW_EMPLOYMENT_TAGS else org.tag
        sex = "1" if rng.random() < 0.7 else "2"
        post = weighted(rng, POSTS.get(tag, POSTS["community"]))
        probationary = not force_full and rng.random() < 0.03
        birth, joined, confirmed = self.dates(post, probationary)
        number, birth = self.ids.next(birth, sex)
        name = self.name(sex)
        pinyin, initials = name_pinyin(name)
        phone = self.phone() if rng.random() < 0.95 else ""
        row = {
            "organisation_id": org.id,
            "org_path": org.path,
            "region_code": self.region,
            "name": name,
            "name_pinyin": pinyin,
            "name_initials": initials,
            "sex": sex,
            "ethnicity": weighted(rng, ETHNICITY_MIX),
            "id_number_encrypted": crypto.encrypt(number),
            "id_number_hash": crypto.blind_index(number),
            "id_suffix": number[-4:],
            "birth_date": birth,
            "education": self.education(post, birth) if rng.random() < 0.97 else "",
            "category": "probationary" if probationary else "full",
            "joined_on": joined,
            "confirmed_on": confirmed,
            "post": post if rng.random() < 0.96 else "",
            "position": "",
            "employer": org.unit_name,
            "phone_encrypted": crypto.encrypt(phone),
            "phone_hash": crypto.blind_index(phone),
            "phone_suffix": phone[-4:],
            "address": f"{self.address_prefix}{org.locality}{rng.randint(1, 199)}号"
            if rng.random() < 0.9
            else "",
            "status": "probationary" if probationary else "full",
            "status_since": confirmed or joined,
            "political_status": "02" if probationary else "01",
            "membership_status": "normal",
            "lost_contact_since": None,
            "is_mobile": False,
            "mobile_destination": "",
            "family_contact_name": "",
            "family_contact_phone_encrypted": "",
            "national_id": "",
            "user_id": None,
        }
        self._flags(row, tag, force_full)
        row["completeness"] = completeness(row)
        return row

    def _flags(self, row: dict, tag: str, force_full: bool) -> None:
        """A few lost-contact and mobile members (docs/rules.md §5) so that those lists have rows."""
        rng = self.rng
        if force_full or row["status"] != "full":
            return
        roll = rng.random()
        if roll < 0.004:
            since = self.as_of - datetime.timedelta(days=rng.randint(60, 900))
            row.update(status="lost_contact", status_since=since, lost_contact_since=since)
        elif roll < 0.03 or (tag == "new_employment" and roll < 0.3):
            row.update(is_mobile=True, mobile_destination=rng.choice(DESTINATIONS))

    def status_events(self, row: dict, member_id: int) -> list[dict]:
        """The dated status history the member service keeps beside `Member.status`."""
        events = [
            {
                "member_id": member_id,
                "org_path": row["org_path"],
                "status": "probationary",
                "effective_on": row["joined_on"],
                "reason": "支部大会通过接收为预备党员",
            }
        ]
        if row["confirmed_on"]:
            events.append(
                {
                    "member_id": member_id,
                    "org_path": row["org_path"],
                    "status": "full",
                    "effective_on": row["confirmed_on"],
                    "reason": "按期转为正式党员",
                }
            )
        if row["lost_contact_since"]:
            events.append(
                {
                    "member_id": member_id,
                    "org_path": row["org_path"],
                    "status": "lost_contact",
                    "effective_on": row["lost_contact_since"],
                    "reason": "经多方查找仍无法取得联系",
                }
            )
        return events


BRANCH_SIZES = {  # mean members by tag; scaled so that the county total matches the target
    "village": 38,
    "community": 30,
    "retired": 45,
    "government": 16,
    "school": 22,
    "hospital": 28,
    "enterprise": 9,
    "state_enterprise": 22,
    "social": 8,
    "rider": 14,
    "ride_hailing": 12,
    "truck": 12,
    "courier": 16,
}


def branch_sizes(rng: random.Random, leaves: list[OrgSpec], total: int) -> list[int]:
    """Members per leaf adding up to `total`; about one enterprise branch in six has fewer than
    three full members, as happens in real small firms (docs/rules.md §2: it should be a joint branch)."""
    if not leaves or total <= 0:
        return [0] * len(leaves)
    small = {i for i, leaf in enumerate(leaves) if leaf.tag == "enterprise" and rng.random() < 0.17}
    raw = [BRANCH_SIZES.get(leaf.tag, 10) * rng.uniform(0.5, 1.5) for leaf in leaves]
    fixed = sum(2 for i in small)
    scale = max(total - fixed, 0) / (sum(w for i, w in enumerate(raw) if i not in small) or 1)
    sizes = [2 if i in small else max(1, round(w * scale)) for i, w in enumerate(raw)]
    _adjust(sizes, total, small)
    return sizes


def _adjust(sizes: list[int], total: int, small: set[int]) -> None:
    diff = total - sum(sizes)
    order = sorted((i for i in range(len(sizes)) if i not in small), key=lambda i: -sizes[i]) or list(
        range(len(sizes))
    )
    step = 0
    while diff and order and step < 10 * len(sizes) + abs(diff):
        i = order[step % len(order)]
        if diff > 0:
            sizes[i] += 1
            diff -= 1
        elif sizes[i] > 0:
            sizes[i] -= 1
            diff += 1
        step += 1
