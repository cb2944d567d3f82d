"""Demo history of the education app (registered with the generator, `qiangji generate --history`):
a year of learning for every member on the roll, in bulk (COPY on PostgreSQL), at county and province
scale alike (the generator's scale decides how many members there are).

Per county: a party school (teaching site) and one published online course; per member, this year's hour
entries drawn from the ledger's sources — 党校班次 (concentrated, 上级调训/党校专题), 网络课程, 直播课堂 and
outside training — so that about two thirds reach the 32-hour rule together with the branch study that the
life part writes (meetings' study hours); committee members (书记、委员) get a concentrated class on top.
Deterministic for a seed and `as_of`.
"""

import datetime

from qiangji.education.models import Chapter, Course, HourEntry, TeachingSite
from qiangji.tooling.generate.history import Context, County, register

ON_ROLL = {"full", "probationary"}
# (source, channel, provider, half-hours, concentrated, title)
KINDS = (
    ("class", "offline", "school_topic", 16, True, "县委党校党员轮训班"),
    ("class", "offline", "upper", 32, True, "上级调训：基层党组织书记示范培训班"),
    ("online", "online", "own", 4, False, "党员教育云课堂：学习党的创新理论"),
    ("online", "online", "school_daily", 2, False, "指尖上的党校：党史专题"),
    ("broadcast", "online", "upper", 4, False, "全省党员冬春训直播课堂"),
    ("outside", "offline", "own", 8, False, "外出参观学习（红色教育基地）"),
)


def county(ctx: Context, county: County) -> None:
    rng = ctx.rng(county.code, "education")
    year = ctx.as_of.year
    org = county.org
    TeachingSite.objects.create(
        organisation_id=org.id,
        org_path=org.path,
        region_code=org.region_code,
        name=f"{county.name}委党校",
        kind="party_school",
        capacity=rng.choice((120, 200, 300)),
    )
    course = Course.objects.create(
        organisation_id=org.id,
        org_path=org.path,
        region_code=org.region_code,
        title="学习贯彻党的二十大精神",
        provider="school_daily",
        published=True,
        description="县委党校网络课程（演示数据）",
    )
    Chapter.objects.create(
        course=course,
        org_path=org.path,
        region_code=org.region_code,
        title="第一讲：新时代新征程",
        kind="text",
        body="（演示）党的二十大报告学习要点。",
        duration_seconds=600,
        half_hours=2,
        checks=1,
    )
    leaders = {member_id for seats in county.seats.values() for member_id, _name, _post in seats if member_id}
    rows = []
    days = max(1, (ctx.as_of - datetime.date(year, 1, 1)).days)
    for member in county.members:
        if member["status"] not in ON_ROLL:
            continue
        leader = member["id"] in leaders
        # About two thirds reach their requirement (32 h; 56 h for 书记、委员); the rest fall short.
        need = 112 if leader else 64
        goal = need + rng.randrange(0, 24) if rng.random() < 0.66 else rng.randrange(4, need - 8)
        chosen = [KINDS[1]] if leader else ([KINDS[0]] if rng.random() < 0.35 else [])
        total = sum(kind[3] for kind in chosen)
        while total < goal:
            kind = rng.choice(KINDS[2:] + (KINDS[0],))
            chosen.append(kind)
            total += kind[3]
        for source, channel, provider, half_hours, concentrated, title in chosen:
            rows.append(
                {
                    "member_id": member["id"],
                    "org_path": member["org_path"],
                    "region_code": member["region_code"],
                    "year": year,
                    "source": source,
                    "channel": channel,
                    "provider": provider,
                    "half_hours": half_hours,
                    "concentrated": concentrated,
                    "induction": False,
                    "title": title,
                    "held_on": datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(days)),
                    "origin": "",
                    "evidence": "",
                }
            )
    ctx.write(HourEntry, rows, "education_hourentry")


register(
    "education",
    order=60,
    county=county,
    tables={"学时记录": (HourEntry, "org_path")},
)
