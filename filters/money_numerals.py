"""Money numerals written in disguise, read as the amount they stand for: 1OO and 6OOO (the letter o for 0),
七佰 and 拾万 (the financial capital numerals), 四五柏 and ④牵 (a character that only sounds like the unit).

Fraud adverts write their pay figures this way (一天1OO, 1个小时七佰, 一天仨到④牵) so that a filter's number
pattern misses them; the co-occurrence rules' {n} (filters/combo_scan.py) reads only digits and the common Chinese
numerals. The reading here is one step of a text's second reading (filters/readings.py), which the word lists, the
rules and the model see; evidence found there at a read numeral has the view `numeral_read`.

What is read is data (filters/data/tables/money_numerals.json): a digit run ending in two or more letters o of
one case (not inside a Latin word: "boo", "1ooking" stay), and, inside an amount (a digit then, somewhere after it, a
unit), the capital digits and units, 仨 / 俩 and the sound-alike units (never after 一 alone: 手一牵). A character
outside an amount stays as written (松柏, 牵手, 拾金不昧, 伍子胥). Every reading is one character for one, so the
reading keeps the text's length and positions.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from filters import regex_cache

TABLE = Path(__file__).resolve().parent / "data" / "tables" / "money_numerals.json"


class _Table(NamedTuple):
    hint: re.Pattern[str]  # a disguised character: one character-class search skips most Chinese texts
    zero_hint: re.Pattern[str]  # a digit before a letter o
    zeros: re.Pattern[str]  # a digit run ending in letters o
    amount: re.Pattern[str]  # digits then units, some of them disguised
    range: re.Pattern[str]  # two single digits joined by 到 / 至 before a unit (三到四千, 仨到④牵)
    names: dict[str, str]  # a single digit (4, ④, 仨, 叁) -> its Chinese numeral
    zero: frozenset[str]
    pairs: tuple[str, str]  # the zero letter doubled, lower and upper case ("oo", "OO")
    digits: frozenset[str]  # plain and disguised digits
    units: frozenset[str]  # plain and disguised units
    reads: dict[str, str]  # disguised character -> the numeral it stands for
    sound: frozenset[str]  # the sound-alike units
    colloquial: frozenset[str]  # 仨, 俩
    capital_units: frozenset[str]  # 拾佰仟: a capital digit is read only right before one (大陆一万, 伍佰 the singer)


def _chars(value: object, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{TABLE.name}: {what} must be a non-empty string of characters")
    return value


def _map(value: object, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) and len(k) == len(v) == 1
                                              for k, v in value.items()):
        raise ValueError(f"{TABLE.name}: {what} must map single characters to single characters")
    return value


@lru_cache(maxsize=1)
def _table() -> _Table:
    """The shipped table, validated, as patterns."""
    raw = json.loads(TABLE.read_text(encoding="utf-8"))
    zero = _chars(raw["zero_letters"], "zero_letters")
    if len(zero) != 2 or zero[0].upper() != zero[1] or not zero[0].islower():
        raise ValueError(f"{TABLE.name}: zero_letters must be one letter in lower and upper case (oO)")
    digits, units = _chars(raw["digits"], "digits"), _chars(raw["units"], "units")
    capital, colloquial = _map(raw["capital"], "capital"), _map(raw["colloquial"], "colloquial")
    sound = _map(raw["unit_sound_alikes"], "unit_sound_alikes")
    plain = set(digits) | set(units)
    connectors = _chars(raw["range_connectors"], "range_connectors")
    digit_names = _map(raw["digit_names"], "digit_names")
    if not set(digit_names.values()) <= plain or any(v not in digits for v in digit_names.values()):
        raise ValueError(f"{TABLE.name}: digit_names must name listed digits")
    for k, v in {**capital, **colloquial, **sound}.items():
        if v not in plain or k in plain:
            raise ValueError(f"{TABLE.name}: {k!r} -> {v!r} must read a disguised character as a listed numeral")
    all_units = set(units) | {k for k, v in {**capital, **sound}.items() if v in units}
    all_digits = set(digits) | {k for k, v in {**capital, **colloquial}.items() if v in digits}
    u, d, z = (re.escape("".join(sorted(s))) for s in (all_units, all_digits, zero))
    tens = re.escape("".join(k for k, v in {**capital, "十": "十"}.items() if v == "十"))
    names = {**{c: c for c in "一二两三四五六七八九"}, **digit_names,
             **{k: v for k, v in {**capital, **colloquial}.items() if v in digits}}
    single, conn = re.escape("".join(sorted(names))), re.escape(connectors)
    disguised = re.escape("".join(sorted({**capital, **colloquial, **sound})) + connectors)
    return _Table(
        hint=regex_cache.compile(f"[{disguised}]"), zero_hint=regex_cache.compile(f"[0-9][{z}]"),
        zeros=regex_cache.compile(f"(?<![A-Za-z0-9.])[0-9]+(?:\\.[0-9]+)?[{z}]{{2,}}(?![A-Za-z])"),
        amount=regex_cache.compile(f"(?:[{d}]|[{tens}](?=[{u}]))[{d}{u}]*"),
        range=regex_cache.compile(f"(?<![{d}])[{single}][{conn}][{single}](?=[{u}])"), names=names,
        zero=frozenset(zero), pairs=(zero[0] * 2, zero[1] * 2),
        digits=frozenset(all_digits), units=frozenset(all_units),
        reads={**capital, **colloquial, **sound}, sound=frozenset(sound), colloquial=frozenset(colloquial),
        capital_units=frozenset(k for k, v in capital.items() if v in units))


def _amount_reads(run: str, start: int, table: _Table) -> list[tuple[int, str]]:
    """(position, numeral) of each disguised character of one run of digits and units (`amount`) read."""
    out: list[tuple[int, str]] = []
    for i, ch in enumerate(run):
        read = table.reads.get(ch)
        if read is None:
            continue
        if ch in table.units:  # a unit after a digit (a sound-alike never after 一 alone), or 拾 leading a unit
            after_digit = i > 0 and run[i - 1] in table.digits
            if (ch in table.sound and not (after_digit and run[:i] != "一")) or not (after_digit or i == 0):
                continue
        elif i + 1 == len(run) or run[i + 1] not in (table.units if ch in table.colloquial else table.capital_units):
            continue  # a digit only right before a unit (仨千), a capital digit before a capital unit (叁仟)
        out.append((start + i, read))
    return out


def read(text: str) -> tuple[str, tuple[int, ...]]:
    """The text with its disguised money numerals read, and the positions read (the text itself and () when
    none)."""
    table = _table()
    # the cheap tests first (str's own search, then one character class): most texts have neither
    zeros = (table.pairs[0] in text or table.pairs[1] in text) and table.zero_hint.search(text) is not None
    amounts = not text.isascii() and table.hint.search(text) is not None
    if not (zeros or amounts):
        return text, ()
    found: list[tuple[int, str]] = []
    for m in table.zeros.finditer(text) if zeros else ():
        found += [(m.start() + i, "0") for i, ch in enumerate(m.group()) if ch in table.zero]
    for m in table.amount.finditer(text) if amounts else ():
        found += _amount_reads(m.group(), m.start(), table)
    for m in table.range.finditer(text) if amounts else ():  # 三到四千 read as 三四千, the connector as a space
        a, c, b = m.group()
        reads = (table.names[a], " ", table.names[b])
        found += [(m.start() + k, r) for k, (ch, r) in enumerate(zip((a, c, b), reads, strict=True)) if ch != r]
    if not found:
        return text, ()
    chars = list(text)
    for i, numeral in found:
        chars[i] = numeral
    return "".join(chars), tuple(sorted({i for i, _ in found}))
