"""Care, not a wall: a child whose search or question is about self-harm or suicide gets a short warm message
and help lines for the device's region (device/data/help_lines.json), no results and no echo of the words;
the parent's event log gets "support_needed" with the category and time only. An ordinary block keeps the
old refusal. Help-line files that do not validate stop the device at start with a message naming the file.
Real filter (shipped packs and model), real device service."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from device.care import HELP_LINES_PATH, CareDesk, HelpLineError, needs_care
from device.config import DeviceSettings
from device.events import SAFETY, priority_of
from device.i18n import say
from device.search.pipeline import SearchPipeline
from device.service import DeviceService
from device.voice.listen import VoiceSearch
from device.voice.recognizer import Transcript
from filters.engine import TextFilter
from mqtt_bridge.outbox import Outbox
from mqtt_bridge.payloads import EventMessage, parse
from mqtt_bridge.telemetry import Telemetry, is_safety, redact

AT_RISK = [("我不想活了", "zh"), ("怎么自杀", "zh"), ("I want to kill myself", "en")]


@pytest.fixture(scope="module")
def tf() -> TextFilter:
    return TextFilter.load()


def make_service(home: Path, tf: TextFilter, **settings: object) -> DeviceService:
    svc = DeviceService(DeviceSettings(home=home, timezone=settings.pop("timezone", "Asia/Shanghai"), **settings))
    svc.text_filter = tf  # one shipped filter for the module (loading it is the slow part)
    return svc


@pytest.fixture
def svc(tmp_path, tf):
    service = make_service(tmp_path / "home", tf)
    yield service
    service.stop()


def numbers(answer: dict) -> list[str]:
    return [line["number"] for line in answer["care"]["lines"]]


@pytest.mark.parametrize(("query", "lang"), AT_RISK)
def test_self_harm_gets_care_with_a_help_line_and_never_the_words(svc, query, lang):
    out = svc.search(query, lang)
    assert out["action"] == "block" and out["results"] == [] and out["hidden"] == 0
    assert out["message"] == svc.care.message(lang) and say("care_title", lang) in out["message"]
    care = out["care"]
    assert care["kind"] == "self_harm" and care["region"] == "CN" and care["lang"] == lang
    assert "12356" in numbers(out) and care["lines"][0]["tel"] == "tel:12356"
    assert care["emergency"]["number"] == "120" and "120" in care["emergency"]["text"][lang]
    assert care["title"]["zh"] and care["title"]["en"] and care["message"]["en"] != care["message"]["zh"]
    assert out["query"] == "" and query not in json.dumps(out, ensure_ascii=False)
    assert all(r["category"] == "self_harm" for r in out["reasons"] if r.get("where") == "query")
    assert all("matched" not in r for r in out["reasons"])


def test_an_ordinary_block_keeps_the_old_refusal(svc):
    out = svc.search("色情视频", "zh")
    assert out["action"] == "block" and out["message"] == say("refused", "zh") and "care" not in out
    assert out["query"] == "****"  # the old answer: the masked query
    assert not svc.events.recent(kind="support_needed")
    allowed = svc.search("大熊猫吃什么", "zh")
    assert allowed["action"] == "allow" and "care" not in allowed and allowed["results"]


def test_care_holds_where_the_parent_unblocked_self_harm(svc):
    from filters.policy import FilterPolicy

    pipeline = svc.search_pipeline()
    policy = FilterPolicy.from_dict({"blocked_categories": ["sexual"]})
    assert svc.get_text_filter().check("怎么自杀", policy).action == "allow"  # the filter alone lets it through
    out = pipeline.search("怎么自杀", policy=policy, lang="zh").to_json()
    assert out["action"] == "block" and "12356" in numbers(out) and out["results"] == []
    assert svc.events.recent(kind="support_needed")
    ordinary = pipeline.search("大熊猫吃什么", policy=policy, lang="zh").to_json()
    assert ordinary["action"] == "allow" and "care" not in ordinary
    unblocked = pipeline.search("赌博网站", policy=policy, lang="zh").to_json()
    assert "care" not in unblocked  # only self-harm is checked again, never the parent's other choices


def test_the_parent_is_told_the_category_and_time_never_the_words(svc):
    svc.search("我不想活了", "zh")
    rows = svc.events.recent(kind="support_needed")
    assert len(rows) == 1 and rows[0]["safety"] and rows[0]["ts"] > 0
    event = rows[0]["event"]
    assert event == {"kind": "support_needed", "category": "self_harm", "source": "text", "lang": "zh"}
    assert priority_of("support_needed") == SAFETY and is_safety("support_needed")  # never trimmed or dropped
    assert redact(event, "counts") == event  # nothing in it is held back by the parent's reporting level
    blocked = svc.events.recent(kind="search_blocked")[0]["event"]
    assert "不想活" not in json.dumps(redact(blocked, "counts"), ensure_ascii=False)  # the words stay here


def support_messages(svc, outbox: Outbox) -> list[EventMessage]:
    Telemetry("watch-1", svc, outbox, reporting=lambda: "counts").drain_events()
    msgs = [parse(EventMessage, row.payload) for row in outbox.pending(limit=1000)]
    return [m for m in msgs if m.kind == "support_needed"]


def test_two_searches_within_a_minute_reach_the_parent_as_two(svc, tmp_path):
    """The device coalesces the repeat into one row with count 2; the bridge carries the count in data."""
    svc.search("我不想活了", "zh")
    svc.search("怎么自杀", "zh")  # other words, the same event (category and time only): coalesced
    [row] = svc.events.recent(kind="support_needed")
    assert row["count"] == 2
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    try:
        [msg] = support_messages(svc, outbox)
        assert msg.data == {"kind": "support_needed", "category": "self_harm", "source": "text", "lang": "zh",
                            "count": 2}
        assert msg.seq == row["id"] and msg.safety
        svc.search("我不想活了", "zh")  # after the drain: a row of its own, sent without a count (absent = 1)
        first, again = support_messages(svc, outbox)
        assert first == msg and again.seq > msg.seq and "count" not in again.data
    finally:
        outbox.close()


def test_a_spoken_question_gets_the_same_care_and_no_transcript(svc):
    pipeline = svc.search_pipeline()
    voice = VoiceSearch.__new__(VoiceSearch)  # the decoder is tested elsewhere: here only what follows it
    voice.pipeline, voice.model_load_s = pipeline, 0.0
    out = voice.answer(Transcript("我不想活了"), None, "zh").to_json()
    assert out["transcript"] == "" and out["query"] == "" and "12356" in numbers(out)
    assert svc.events.recent(kind="support_needed")[0]["event"]["source"] == "voice"


def test_a_speaker_says_the_help_lines_too(svc, tf):
    from device.voice.speak import spoken_text

    out = svc.search("我不想活了", "zh")
    said = spoken_text({**out, "lang": "zh"}, tf)
    assert said.startswith("你并不孤单") and "12356" in said and "120" in said and "不想活" not in said


def test_needs_care_reads_only_a_blocked_self_harm_verdict(tf):
    assert needs_care(tf.check("怎么自杀")) and not needs_care(tf.check("色情视频"))
    assert not needs_care(tf.check("大熊猫吃什么"))


@pytest.mark.parametrize(("settings", "zone", "want"), [
    ({}, "Asia/Shanghai", "12356"),
    ({}, "Europe/London", "0800 1111"),
    ({}, "America/Chicago", "988"),
    ({}, "Antarctica/Troll", "12356"),  # a zone without lines: the file's default region
    ({"region": "GB"}, "Asia/Shanghai", "0800 1111"),  # the operator's region wins
])
def test_region_follows_the_operator_then_the_time_zone_then_the_default(tmp_path, tf, settings, zone, want):
    service = make_service(tmp_path / "home", tf, timezone=zone, **settings)
    try:
        assert want in numbers(service.search("I want to kill myself", "en"))
    finally:
        service.stop()


def test_an_operator_file_adds_a_region_and_the_page_answer_uses_it(tmp_path, tf):
    extra = {"schema_version": 1, "default_region": "HK", "regions": {"HK": {
        "name": {"zh": "测试地区", "en": "Test region"},
        "lines": [{"id": "hk-test", "number": "2345 6789", "name": {"zh": "测试热线", "en": "Test line"},
                   "hours": {"zh": "全天", "en": "all day"}, "source_url": "https://example.org/lines",
                   "source": "an operator's own checked list", "checked": "2026-11-30"}],
        "emergency": {"number": "999", "source_url": "https://example.org/999", "source": "operator's list",
                      "checked": "2026-11-30"}}}}
    path = tmp_path / "lines.json"
    path.write_text(json.dumps(extra), encoding="utf-8")
    service = make_service(tmp_path / "home", tf, timezone="Antarctica/Troll", help_lines_path=path)
    try:
        out = service.search("怎么自杀", "zh")
        assert numbers(out) == ["2345 6789"] and out["care"]["lines"][0]["tel"] == "tel:23456789"
    finally:
        service.stop()


def _line(**change: object) -> dict:
    line = {"id": "x-1", "number": "12356", "name": {"zh": "热线", "en": "Line"},
            "hours": {"zh": "全天", "en": "all day"}, "source_url": "https://example.org/",
            "source": "checked on the official page", "checked": "2026-11-30"}
    return {k: v for k, v in {**line, **change}.items() if v is not None}


def _file(lines: list, **change: object) -> dict:
    region = {"name": {"zh": "甲", "en": "A"}, "lines": lines,
              "emergency": {"number": "120", "source_url": "https://example.org/", "source": "the official page",
                            "checked": "2026-11-30"}}
    doc = {"schema_version": 1, "default_region": "CN", "regions": {"CN": region}}
    return {k: v for k, v in {**doc, **change}.items() if v is not None}


BAD_FILES = {
    "not JSON": b"{\"schema_version\": 1,",
    "NaN": b"{\"schema_version\": NaN}",
    "no number": _file([_line(number=None)]),
    "letters in the number": _file([_line(number="12a56")]),
    "no help line": _file([]),
    "no source": _file([_line(source_url=None)]),
    "source not a web page": _file([_line(source_url="file:///etc/passwd")]),
    "date not checked": _file([_line(checked=None)]),
    "not a calendar date": _file([_line(checked="2026-02-30")]),
    "checked before 2000": _file([_line(checked="1999-12-31")]),
    "no English name": _file([_line(name={"zh": "热线"})]),
    "unknown key": _file([_line(url="https://example.org")]),
    "default region without lines": _file([_line()], default_region="ZZ"),
    "zone to a region without lines": _file([_line()], zones={"Asia/Tokyo": "JP"}),
    "a list, not an object": [],
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_malformed_help_lines_are_a_clear_error_at_start(tmp_path, name):
    bad = BAD_FILES[name]
    path = tmp_path / "lines.json"
    path.write_bytes(bad if isinstance(bad, bytes) else json.dumps(bad).encode())
    with pytest.raises(HelpLineError) as err:
        DeviceService(DeviceSettings(home=tmp_path / "home", help_lines_path=path))
    assert "help lines" in err.value.en and "求助热线" in err.value.zh
    with pytest.raises(HelpLineError):
        CareDesk.load(shipped=path)  # the same checks hold for the shipped file


def test_a_missing_or_special_file_and_an_unknown_region_are_refused(tmp_path):
    with pytest.raises(HelpLineError, match="cannot read"):
        CareDesk.load(tmp_path / "missing.json")
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(HelpLineError, match="not a regular file"):
        CareDesk.load(fifo)  # refused at once, never blocks
    with pytest.raises(HelpLineError, match="KIDSAFE_REGION='ZZ'"):
        CareDesk.load(region="ZZ")


def test_a_device_clock_set_back_never_stops_the_device(tmp_path, tf, monkeypatch):
    import datetime as dt

    class Past(dt.date):
        @classmethod
        def today(cls) -> dt.date:
            return dt.date(2020, 1, 1)

    monkeypatch.setattr("device.care.date", Past)  # the shipped lines were checked "in the future"
    service = make_service(tmp_path / "home", tf)
    try:
        assert "12356" in numbers(service.search("怎么自杀", "zh"))
    finally:
        service.stop()


def test_kidsafe_device_run_stops_with_one_message_on_a_bad_file(tmp_path):
    path = tmp_path / "lines.json"
    path.write_text(json.dumps(_file([_line(number="call us")])), encoding="utf-8")
    env = {**os.environ, "KIDSAFE_HELP_LINES": str(path), "KIDSAFE_PAIRING_FILE": str(tmp_path / "p.json")}
    proc = subprocess.run([sys.executable, "-m", "kidsafe", "device", "run", "--home", str(tmp_path / "home"),
                           "--port", "0"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "cannot start" in proc.stderr and str(path) in proc.stderr and "regions.CN.lines.0.number" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_shipped_help_lines_carry_their_source_and_date():
    desk = CareDesk.load()
    doc = json.loads(HELP_LINES_PATH.read_text(encoding="utf-8"))
    assert {"CN", "GB", "US"} <= set(desk.data.regions) and desk.data.default_region == "CN"
    wanted = {"CN": "12356", "GB": "0800 1111", "US": "988"}
    for code, region in doc["regions"].items():
        for entry in [*region["lines"], region["emergency"]]:
            assert entry["source_url"].startswith(("http://", "https://")) and entry["source"]
            assert "2026-11-01" <= entry["checked"] <= date.today().isoformat()  # checked, and recently
        assert wanted[code] in [ln["number"] for ln in region["lines"]]


def test_a_pipeline_without_a_device_uses_the_shipped_lines(tf):
    from device.search.local import LocalIndexProvider

    events: list[dict] = []
    pipeline = SearchPipeline(tf, LocalIndexProvider(), event_sink=events.append, warm_in_background=False)
    out = pipeline.search("怎么自杀", lang="zh").to_json()
    assert "12356" in numbers(out) and [e["kind"] for e in events] == ["search_blocked", "support_needed"]


def test_help_lines_that_fail_at_answer_time_still_refuse_and_tell_the_parent(tf):
    from device.search.local import LocalIndexProvider

    class Broken:
        def answer(self, *a: object, **k: object) -> dict:
            raise RuntimeError("help lines gone")

        def message(self, lang: str) -> str:
            raise RuntimeError("help lines gone")

    events: list[dict] = []
    pipeline = SearchPipeline(tf, LocalIndexProvider(), event_sink=events.append, warm_in_background=False,
                              care=Broken())  # type: ignore[arg-type]
    out = pipeline.search("我不想活了", lang="zh").to_json()
    assert out["action"] == "block" and out["message"] == say("refused", "zh") and out["results"] == []
    assert "care" not in out and out["query"] == "" and "support_needed" in [e["kind"] for e in events]
