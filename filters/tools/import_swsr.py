"""Importer: SexHateLex, the sexism / abuse lexicon of the SWSR data set (aggiejiang/SWSR, MIT).

3,016 Chinese abusive terms collected for sexist hate speech on Weibo: sexual insults, profanity
(many Taiwanese spellings: 干你娘, 机掰, 洨), slurs against women, LGBT people, regions and races
(韩棒子, 阿三, 洋鬼子), and some ordinary words (坐井观天, 处男) that curation rejects. A term naming a
sexual act or anatomy is sexual; any other is bullying, severity 2 when it carries strong profanity or
a slur morpheme, else 1 (mild insults are blocked for the younger age bands only).
"""

from __future__ import annotations

import re

from filters.tools.keyword_rules import categorise_strict
from filters.tools.sources import Candidate, Source

FILE = "SexHateLex.txt"
STRONG_INSULT = re.compile(r"干|操|你|他|她|我|死")  # 干你娘... is profanity aimed at a person: bullying
STRONG = re.compile(r"操|肏|干你|干妳|干林|屄|屌|鸡巴|机掰|鸡掰|懒趴|懒叫|览趴|妈的|娘的|婊|贱|洨|靠北|他妈|"
                    r"你妈|你娘|狗日|杂种|"
                    r"畜生|去死|死全家|棒子|鬼子|阿三|黑鬼|尼哥|基佬|死gay|人妖|娘炮|蛙|支那|猪|狗")


# sexual anatomy and acts in SexHateLex's own spellings (Taiwanese 懒趴/懒叫, abbreviations y道, j国)
SEXUAL = re.compile(r"阳具|穴|精|乳|奸|撸|鲁管|橹管|捋管|阴|隂|茎|蒂|鸡鸡|屁眼|肛|菊花|3p|4p|爱爱|炮友|飞机|颜骑|"
                    r"颜面骑|深喉|毒龙|指交|臀交|后进|性奴|性接触|性乐趣|敏感带|乳头|阿v|av|sis001|r级|不雅照|"
                    r"y道|y茎|y蒂|jīng|罩杯|[fgn]奶|大奶|逼图|三圾片|三陪|小姐|禸棒|大肉棍|sm视频|www|bbs|incest")


def categorise_swsr(term: str) -> tuple[str, int]:
    strict = categorise_strict(term)
    if strict is not None and strict[0] == "sexual" and not re.search(r"操|干|肏", term):
        return strict
    if SEXUAL.search(term) and not STRONG_INSULT.search(term):
        return "sexual", 2
    return "bullying", 2 if STRONG.search(term) or strict is not None else 1


def read(source: Source) -> tuple[list[Candidate], list[tuple[str, str]]]:
    out: list[Candidate] = []
    for lineno, line in enumerate(source.file(FILE).read_text(encoding="utf-8").splitlines(), 1):
        term = line.strip()
        if term:
            category, severity = categorise_swsr(term.lower())
            out.append(Candidate(term, category, severity, source.id, f"{FILE}:{lineno}"))
    return out, []
