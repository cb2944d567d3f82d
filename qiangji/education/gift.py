"""A GIFT parser (Moodle's plain-text question format) for the question bank: pure functions, no database.

Supported: `// comments`, `::title::`, multiple choice `{=right ~wrong}` (several `=`, or `~%50%` weights
→ a multiple-answer question), true/false `{T}` `{F}` `{TRUE}` `{FALSE}`, short answer `{=a =b}` (only `=`),
feedback `#…` (dropped), escapes `\\: \\= \\~ \\# \\{ \\}`. Questions are separated by a blank line.
Every bad question is reported with its number; the caller saves all or nothing.
"""

import re
from dataclasses import dataclass, field

ESCAPES = {"\\:": "\x01", "\\=": "\x02", "\\~": "\x03", "\\#": "\x04", "\\{": "\x05", "\\}": "\x06"}
RESTORE = {v: k[1] for k, v in ESCAPES.items()}


def _hide(text: str) -> str:
    for k, v in ESCAPES.items():
        text = text.replace(k, v)
    return text


def _show(text: str) -> str:
    for k, v in RESTORE.items():
        text = text.replace(k, v)
    return text.strip()


@dataclass
class Parsed:
    kind: str
    title: str
    text: str
    options: list = field(default_factory=list)
    answers: list = field(default_factory=list)


def parse(source: str) -> tuple[list[Parsed], list[str]]:
    """(questions, errors): errors name the question's number and what is wrong."""
    lines = [line for line in source.replace("\r\n", "\n").split("\n") if not line.strip().startswith("//")]
    blocks = [b.strip() for b in re.split(r"\n\s*\n", "\n".join(lines)) if b.strip()]
    questions, errors = [], []
    for number, raw in enumerate(blocks, 1):
        block = _hide(raw)
        title = ""
        match = re.match(r"^::(.*?)::(.*)$", block, re.S)
        if match:
            title, block = _show(match.group(1)), match.group(2)
        if block.count("{") != 1 or block.count("}") != 1 or block.index("{") > block.index("}"):
            errors.append(f"第{number}题：须有且只有一组 {{…}} 答案")
            continue
        before, rest = block.split("{", 1)
        body, after = rest.split("}", 1)
        text = _show((before + " ___ " + after) if after.strip() else before)
        body = re.sub(r"#[^=~]*", "", body).strip()  # feedback
        if not text:
            errors.append(f"第{number}题：缺少题干")
            continue
        if body.upper() in ("T", "TRUE", "F", "FALSE"):
            questions.append(
                Parsed("true_false", title, text, answers=["T" if body.upper()[0] == "T" else "F"])
            )
            continue
        parts = re.findall(r"([=~])([^=~]*)", body)
        if not parts:
            errors.append(f"第{number}题：无法识别答案（应为 =正确 ~错误、T/F 或 =填空答案）")
            continue
        if all(sign == "=" for sign, _ in parts):
            answers = [_show(t) for _, t in parts if _show(t)]
            if any("->" in a for a in answers):
                errors.append(f"第{number}题：暂不支持匹配题（->）")
                continue
            if answers:
                questions.append(Parsed("short", title, text, answers=answers))
                continue
        options = []
        for sign, option in parts:
            weight = re.match(r"^%(-?\d+(?:\.\d+)?)%(.*)$", option.strip(), re.S)
            label = _show(weight.group(2) if weight else option)
            correct = sign == "=" or (weight is not None and float(weight.group(1)) > 0)
            if label:
                options.append({"text": label, "correct": correct})
        right = sum(1 for o in options if o["correct"])
        if len(options) < 2 or right == 0:
            errors.append(f"第{number}题：选择题至少要有两个选项，且至少一个正确答案")
            continue
        kind = "multiple" if right > 1 else "single"
        questions.append(Parsed(kind, title, text, options=options))
    if not blocks:
        errors.append("没有找到任何题目")
    return questions, errors
