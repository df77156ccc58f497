"""What the child is told, in Chinese or English. Kind, short, and never repeating harmful words."""

from __future__ import annotations

import re

LANGS = ("zh", "en")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")

MESSAGES: dict[str, dict[str, str]] = {
    "results": {"zh": "找到{n}条结果。", "en": "Here are {n} results."},
    "result_1": {"zh": "找到1条结果。", "en": "Here is 1 result."},
    "hidden": {
        "zh": "有{h}条不适合小朋友的内容已经隐藏。",
        "en": "{h} results that are not right for kids were hidden.",
    },
    "hidden_1": {"zh": "有1条不适合小朋友的内容已经隐藏。", "en": "1 result that is not right for kids was hidden."},
    "no_results": {"zh": "没有找到相关内容，换个词试试吧。", "en": "Nothing found. Try other words!"},
    "refused": {
        "zh": "这个我们不搜啦。去问问爸爸妈妈，或者搜搜动物、太空和好玩的科学吧！",
        "en": "Let's not search for that. Ask a grown-up, or search for animals, space or fun science!",
    },
    "redacted": {
        "zh": "为了保护你，问题里的个人信息（比如电话、地址）没有发出去。",
        "en": "To keep you safe, personal details (like phone numbers or addresses) were left out.",
    },
    "offline": {"zh": "搜索暂时不可用，请稍后再试。", "en": "Search is offline right now. Please try again later."},
    "empty": {"zh": "请先输入想搜索的内容。", "en": "Please type something to search for."},
    "too_long": {"zh": "问题太长了，请说短一点。", "en": "That question is too long, please make it shorter."},
    "not_heard": {"zh": "没听清楚，请再说一遍。", "en": "Sorry, I didn't catch that. Please say it again."},
}


def detect_lang(text: str, default: str = "zh") -> str:
    """zh if the text has Chinese characters, en if it has Latin letters, else default."""
    if _CJK.search(text):
        return "zh"
    if _LATIN.search(text):
        return "en"
    return default


def say(key: str, lang: str, **values: object) -> str:
    entry = MESSAGES[key]
    return (entry.get(lang) or entry["zh"]).format(**values)
