"""Chinese and English messages the device API returns to the child's page, and language negotiation."""

from __future__ import annotations

LANGS = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "time_up": {
        "zh": "今天的时间用完啦！休息一下，明天再来吧。",
        "en": "That's all the time for today! Have a rest and come back tomorrow.",
    },
    "night": {
        "zh": "现在是休息时间，好好睡觉吧，明天见！",
        "en": "It's sleep time now. Good night, see you tomorrow!",
    },
    "empty_query": {"zh": "请先输入想搜索的内容。", "en": "Please type something to search for."},
    "query_too_long": {"zh": "问题太长了，请说短一点。", "en": "That question is too long, please make it shorter."},
    "search_unavailable": {
        "zh": "搜索暂时不能用，请稍后再试。",
        "en": "Search is not available right now, please try again later.",
    },
    "voice_unavailable": {
        "zh": "语音功能暂时不能用，可以打字搜索哦。",
        "en": "Voice is not available right now, you can type instead.",
    },
    "bad_audio": {
        "zh": "没听清楚，请再说一遍。",
        "en": "Sorry, I couldn't hear that. Please try again.",
    },
    "audio_too_big": {"zh": "录音太长了，请说短一点。", "en": "That recording is too long, please keep it short."},
    "more_time_sent": {
        "zh": "已经告诉爸爸妈妈了，请等他们回复。",
        "en": "We've asked your parent. Please wait for their answer.",
    },
    "more_time_again": {
        "zh": "刚才已经问过了，请耐心等一下。",
        "en": "You already asked a moment ago. Please wait a little.",
    },
}


def message(key: str, lang: str) -> str:
    entry = MESSAGES[key]
    return entry.get(lang) or entry["zh"]


def pick_language(explicit: str | None, accept_language: str | None, default: str = "zh") -> str:
    """`explicit` (?lang=) wins; else the first zh/en in Accept-Language by q-value; else `default`."""
    if explicit in LANGS:
        return explicit  # type: ignore[return-value]
    best: tuple[float, int, str] | None = None
    for i, part in enumerate((accept_language or "").split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.split("-")[0]
        if primary in LANGS and q > 0 and (best is None or (q, -i) > (best[0], best[1])):
            best = (q, -i, primary)
    return best[2] if best else default
