"""Pinyin mnemonics (助记码): `杭州科技` -> `hzkj`, so a search box finds Chinese names by initials."""

from pypinyin import Style, lazy_pinyin


def mnemonic(text: str) -> str:
    """Initials and full spelling, space separated, lower case; empty for empty text."""
    text = (text or "").strip()
    if not text:
        return ""
    initials = "".join(p[0] for p in lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default") if p)
    full = "".join(lazy_pinyin(text, errors="default"))
    return f"{initials} {full}".lower()[:255]
