"""English catalogue (issue #12, build 11): every catalogue under qiangji/ (the existing apps' shared one and
the new apps' own) has a translation for every message, none fuzzy, and compiles."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("**/locale/en/LC_MESSAGES/django.po"))


def entries(text: str):
    """(msgid, [msgstr...], fuzzy) of every entry but the header."""
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not msgid:
            continue
        ident = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', msgid.group(1)))
        if not ident:
            continue  # the header
        strs = re.findall(r'^msgstr(?:\[\d+\])? ((?:".*"\n?)+)', block, re.M)
        values = ["".join(re.findall(r'"((?:[^"\\]|\\.)*)"', s)) for s in strs]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        yield ident, values, fuzzy


def test_there_are_catalogues():
    assert ROOT / "locale/en/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_every_message_is_translated_and_none_is_fuzzy(po):
    found = list(entries(po.read_text(encoding="utf-8")))
    empty = [ident for ident, values, _ in found if not values or not all(values)]
    fuzzy = [ident for ident, _, is_fuzzy in found if is_fuzzy]
    assert not fuzzy, f"{po.relative_to(ROOT)}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    assert not empty, f"{po.relative_to(ROOT)}: {len(empty)} of {len(found)} untranslated, e.g. {empty[:5]}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs gettext's msgfmt")
@pytest.mark.parametrize("po", CATALOGUES, ids=[str(p.relative_to(ROOT)) for p in CATALOGUES])
def test_catalogue_compiles(po, tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", str(tmp_path / "django.mo"), str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_the_checker_catches_an_empty_and_a_fuzzy_entry():
    text = 'msgid ""\nmsgstr ""\n\nmsgid "党员"\nmsgstr ""\n\n#, fuzzy\nmsgid "党费"\nmsgstr "Dues"\n'
    found = list(entries(text))
    assert found == [("党员", [""], False), ("党费", ["Dues"], True)]
