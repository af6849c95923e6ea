"""Every string of the interface has its Simplified Chinese, and the compiled catalogues match.

`.ci/run` also runs `make messages` and fails when it finds strings no catalogue has yet.
"""

import ast
import gettext
from pathlib import Path

import pytest

CATALOGUES = sorted(
    Path(__file__).resolve().parent.parent.glob("heyi/*/locale/zh_Hans/LC_MESSAGES/django.po")
)


def po_entries(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgstr (or msgstr[0]) and whether it is fuzzy."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("#~"):
                current = None
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
            else:
                key, _, literal = line.partition(" ")
                current = key
                fields[key] = ast.literal_eval(literal)
        if "msgid" in fields:
            msgstr = fields.get("msgstr", fields.get("msgstr[0]", ""))
            entries.append(
                {
                    "msgid": fields["msgid"],
                    "plural": fields.get("msgid_plural", ""),
                    "msgstr": msgstr,
                    "fuzzy": fuzzy,
                    "context": fields.get("msgctxt", ""),
                }
            )
    return entries


def test_every_app_with_an_interface_has_a_catalogue():
    apps = {path.parts[-5] for path in CATALOGUES}
    assert {"platform", "web", "partners", "catalog", "inventory"} <= apps


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-5])
def test_every_string_is_translated(catalogue):
    entries = po_entries(catalogue)
    empty = [e["msgid"] for e in entries if e["msgid"] and not e["msgstr"]]
    fuzzy = [e["msgid"] for e in entries if e["msgid"] and e["fuzzy"]]
    assert not empty, f"untranslated in {catalogue}: {empty}"
    assert not fuzzy, f"fuzzy in {catalogue}: {fuzzy}"


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: p.parts[-5])
def test_the_compiled_catalogue_matches_its_source(catalogue):
    with catalogue.with_suffix(".mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    stale = []
    for entry in po_entries(catalogue):
        if not entry["msgid"]:
            continue
        if entry["plural"]:
            got = translations.ngettext(entry["msgid"], entry["plural"], 1)
        elif entry["context"]:
            got = translations.pgettext(entry["context"], entry["msgid"])
        else:
            got = translations.gettext(entry["msgid"])
        if got != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert not stale, f"run `make messages`; {catalogue.with_suffix('.mo')} is stale for {stale}"


def test_a_string_in_two_catalogues_means_the_same_in_both():
    """Django merges the apps' catalogues, the first app winning: one English string must not
    carry two Chinese meanings (use different words or a context)."""
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for catalogue in CATALOGUES:
        for entry in po_entries(catalogue):
            if entry["msgid"]:
                seen.setdefault((entry["context"], entry["msgid"]), {})[catalogue.parts[-5]] = entry["msgstr"]
    clashes = {key[1]: apps for key, apps in seen.items() if len(set(apps.values())) > 1}
    assert not clashes, clashes
