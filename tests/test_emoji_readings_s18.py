"""Session 18: ↑ (U+2191 UPWARDS ARROW) is read 上 in the second reading, as ⬆ already was
(tables/emoji_readings.json), so the rebus ↑🚪 (上门, 🚪 门) and ↑门 reach the sex-service rules that 上门 reaches;
🉑 (可) and 🈷 (月, not 约) keep their readings and everyday chat with them stays allowed. Own sentences."""

from __future__ import annotations

import pytest

from filters.emoji_readings import read_symbols


def test_the_up_arrow_is_read_as_shang_and_keeps_the_length() -> None:
    text = "美女可↑🚪，成绩↑了"
    read = read_symbols(text)
    assert read == "美女可上门，成绩上了"
    assert len(read) == len(text)


def test_the_month_square_stays_the_month() -> None:
    assert read_symbols("本🈷底") == "本月底"


@pytest.mark.parametrize("text", ["美女可↑🚪，➕微信详聊", "学生妹可以↑🚪，价格私聊", "美女可↑门，加微信详聊",
                                  "同城小姐姐↑🚪服务，300一次"])
def test_up_arrow_door_adverts_reach_the_sex_service_rules(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "block"
    assert any(r.rule.startswith("combo:porn_service:") or r.view == "emoji_read" for r in v.reasons), [
        (r.rule, r.view) for r in v.reasons]


@pytest.mark.parametrize("text", ["数学成绩↑了二十分，妈妈好开心", "答案在↑面那条消息里", "温度↑到三十度了，记得多喝水",
                                  "价格↑涨了，妈妈不买了", "请把垃圾带↑", "↑🚪左边是我家", "↑↑↑顶一下",
                                  "🉑以呀，明天见", "这道题🉑以这样做", "你🉑真厉害", "本🈷️底我们去春游",
                                  "奶奶说周末可以↑🚪来看我们", "快递员明天↑🚪取件"])
def test_up_arrow_and_ok_square_in_ordinary_chat_are_allowed(shipped_filter, text: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == "allow", [(r.rule, r.view, r.matched) for r in v.reasons]
