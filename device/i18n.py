"""Chinese and English messages the device shows the child (API, search, voice), and language negotiation."""

from __future__ import annotations

LANGS = ("zh", "en")

# every message the device shows: API states and errors, then the search and voice answers
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
    "bad_json": {"zh": "请求不是有效的 JSON。", "en": "The request is not valid JSON."},
    "invalid_request": {"zh": "请求的内容不对，请看 problems。", "en": "The request has wrong fields; see problems."},
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
    "voice_off": {
        "zh": "爸爸妈妈关掉了语音，请打字搜索吧。",
        "en": "Voice is turned off by your parents; please type instead.",
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
    # a search or question about self-harm or suicide (device/care.py): care, not a refusal. Short, warm, no
    # method, no echo of the child's words; help lines come from device/data/help_lines.json
    "care_title": {"zh": "你并不孤单。", "en": "You are not alone."},
    "care_message": {
        "zh": "听起来你现在很难受，你的感受很重要。请现在就去找一个你信任的大人，比如爸爸妈妈、老师，"
              "告诉他们你的感受。也可以打这些电话，那里有人愿意听你说。",
        "en": "It sounds like things feel really hard right now, and how you feel matters. Please talk to an "
              "adult you trust now, like a parent or a teacher, and tell them how you feel. You can also call "
              "one of these numbers: someone there wants to listen.",
    },
    "care_emergency": {
        "zh": "如果你现在有危险，请马上打 {number}。",
        "en": "If you are in danger right now, call {number} now.",
    },
    "redacted": {
        "zh": "为了保护你，问题里的个人信息（比如电话、地址）没有发出去。",
        "en": "To keep you safe, personal details (like phone numbers or addresses) were left out.",
    },
    "offline": {"zh": "搜索暂时不可用，请稍后再试。", "en": "Search is offline right now. Please try again later."},
    "not_heard": {"zh": "没听清楚，请再说一遍。", "en": "Sorry, I didn't catch that. Please say it again."},
    # pairing with the parent app (device/pairing.py): shown on the page for the parent
    "pairing_waiting": {
        "zh": "请爸爸妈妈在家长端输入这个配对码，或者扫描二维码。",
        "en": "Parents: enter this pairing code in the parent app, or scan the QR code.",
    },
    "pairing_expired": {
        "zh": "配对码过期了，新的配对码马上就会出现。",
        "en": "The pairing code has expired. A new one will appear shortly.",
    },
    "pairing_unpaired": {
        "zh": "还没有和家长端配对。设备连上网络后，这里会显示配对码。",
        "en": "Not paired with the parent app yet. A pairing code will show here once the device is online.",
    },
    "pairing_paired": {"zh": "已经和家长端配对。", "en": "Paired with the parent app."},
    "pairing_missing": {
        "zh": "这台设备还没有配对信息（第一次开机还没完成，或者这不是小卫士设备系统）。",
        "en": "This device has no pairing information yet (first boot has not finished, or this is not a kidsafe "
              "device image).",
    },
    "pairing_unreadable": {
        "zh": "读取不了配对信息，请重启设备；如果还不行，请联系客服。",
        "en": "The pairing information cannot be read. Please restart the device; if that does not help, "
              "contact support.",
    },
    "pairing_invalid": {
        "zh": "配对信息已损坏，请重启设备重新配对；如果还不行，请联系客服。",
        "en": "The pairing information is damaged. Please restart the device to pair again; if that does not "
              "help, contact support.",
    },
}


def say(key: str, lang: str, **values: object) -> str:
    """The message in `lang` (Chinese if it has none), with {placeholders} filled in."""
    entry = MESSAGES[key]
    return (entry.get(lang) or entry["zh"]).format(**values)


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
