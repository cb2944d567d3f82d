"""Pinyin for name search, with surname readings that pypinyin's general dictionary gets wrong.

单 is Shan as a surname (not dan), 曾 Zeng (not ceng), 解 Xie (not jie), 仇 Qiu (not chou),
区 Ou (not qu), 覃 Qin (not tan) ... Compound surnames are matched before single ones.
"""

import functools

from pypinyin import Style, lazy_pinyin

COMPOUND_SURNAMES = {
    "万俟": "moqi",
    "尉迟": "yuchi",
    "单于": "chanyu",
    "澹台": "tantai",
    "长孙": "zhangsun",
    "令狐": "linghu",
    "欧阳": "ouyang",
    "司马": "sima",
    "上官": "shangguan",
    "诸葛": "zhuge",
    "皇甫": "huangfu",
    "东方": "dongfang",
    "公孙": "gongsun",
    "慕容": "murong",
    "宇文": "yuwen",
    "夏侯": "xiahou",
    "司徒": "situ",
    "轩辕": "xuanyuan",
    "呼延": "huyan",
    "端木": "duanmu",
    "独孤": "dugu",
    "南宫": "nangong",
    "闻人": "wenren",
    "西门": "ximen",
    "百里": "baili",
    "东郭": "dongguo",
    "公羊": "gongyang",
    "赫连": "helian",
    "钟离": "zhongli",
    "宗政": "zongzheng",
}

SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "覃": "qin",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "繁": "po",
    "员": "yun",
    "乐": "yue",
    "缪": "miao",
    "翟": "zhai",
    "种": "chong",
    "秘": "bi",
    "隗": "wei",
    "能": "nai",
    "阚": "kan",
    "过": "guo",
    "句": "gou",
    "召": "shao",
    "都": "du",
    "柏": "bai",
    "冼": "xian",
    "洗": "xian",
    "祭": "zhai",
    "褚": "chu",
    "恽": "yun",
    "郇": "huan",
    "啜": "chuai",
    "眭": "sui",
    "谌": "chen",
    "尉": "yu",
    "折": "she",
    "沈": "shen",
    "宁": "ning",
    "纪": "ji",
    "华": "hua",
    "任": "ren",
    "薄": "bo",
    "长": "zhang",
    "重": "chong",
    "燕": "yan",
    "相": "xiang",
    "藏": "zang",
    "南": "nan",
    "卜": "bu",
    "贲": "ben",
    "蕃": "pi",
    "曲": "qu",
    "莘": "shen",
    "殷": "yin",
    "鲜": "xian",
    "车": "che",
    "石": "shi",
    "强": "qiang",
    "和": "he",
    "占": "zhan",
    "阿": "a",
    "叶": "ye",
    "龟": "qiu",
    "大": "da",
}


def split_surname(name: str) -> tuple[str, str]:
    name = (name or "").strip()
    if name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def _syllables(text: str) -> list[str]:
    return [s.lower() for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s.strip()]


@functools.lru_cache(maxsize=65536)
def name_pinyin(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a person's name, lower case, without spaces or tones."""
    surname, given = split_surname(name)
    if surname in COMPOUND_SURNAMES:
        head_full, head_initials = COMPOUND_SURNAMES[surname], _compound_initials(surname)
    elif surname in SURNAME_READINGS:
        head_full = SURNAME_READINGS[surname]
        head_initials = head_full[0]
    else:
        syllables = _syllables(surname)
        head_full = "".join(syllables)
        head_initials = "".join(s[0] for s in syllables)
    tail = _syllables(given)
    return head_full + "".join(tail), head_initials + "".join(s[0] for s in tail)


_COMPOUND_SYLLABLES = {
    "万俟": ("mo", "qi"),
    "尉迟": ("yu", "chi"),
    "单于": ("chan", "yu"),
    "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"),
}


def _compound_initials(surname: str) -> str:
    if surname in _COMPOUND_SYLLABLES:
        return "".join(s[0] for s in _COMPOUND_SYLLABLES[surname])
    return "".join(s[0] for s in _syllables(surname))
