"""Session-16 co-occurrence rules for porn adverts that address the reader in role play (porn_service.json, the
lexicon engineer's file): a lover's, master's or parent figure's form of address (哥哥, 老公, 主人, 爸爸, 妈妈, 干爹,
daddy) next to the trade's own ways of asking for contact or play (dd, 私我, 调教我, 'I'll call you mummy'), a
lover's or master's address asking to be added, and a parent figure's address asking to be added with a plea or a chat
emoticon. Every phrasing was written for this test from the kinds the CAC 清朗 notices on disguised solicitation
name (never a measured row); a child talking to or about their own family, a married couple, taxis, pets, shops,
games and school stay quiet."""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

FIRES = [
    ("porn_service:role_address_contact_zh", "主人，调教我吧"),
    ("porn_service:role_address_contact_zh", "亲爱的，私我看福利"),
    ("porn_service:role_address_contact_zh", "爸爸dd我，带你看好东西"),
    ("porn_service:role_address_contact_zh", "好哥哥滴我，今晚有空"),
    ("porn_service:role_address_contact_zh", "宝贝加我，会叫你妈妈哦"),
    ("porn_service:role_address_contact_zh", "哥哥丝我，视频互看"),
    ("porn_service:lover_address_add_zh", "主人快加我"),
    ("porn_service:lover_address_add_zh", "小哥哥加个好友吗"),
    ("porn_service:lover_address_add_zh", "干爹直接加我，一晚上都陪你"),
    ("porn_service:role_address_add_plea_zh", "妈妈加我嘛，会很乖的"),
    ("porn_service:role_address_add_plea_zh", "求爸爸加我好友[爱心]"),
]

QUIET = [
    # a child and their own family
    "妈妈加我微信吧",
    "妈妈你看看我画的画",
    "爸爸快来看看我",
    "妈妈快来找我玩",
    "哥哥给你看我新买的玩具",
    "宝宝乖，妈妈加一下班就回来",
    "我妈妈说要加我的老师微信",
    "爷爷说爸爸加我进了家庭群",
    "妈妈，我想你了，快回来抱抱",
    # a married couple, taxis, pets, shops, games
    "老公加班到很晚",
    "老公加我微信吧，我换号了",
    "亲爱的，我新建了家庭群，快加我",
    "爸爸给我叫个滴滴",
    "哥哥和dd都在家",
    "今天笑si我了，妈妈说我傻",
    "小狗看到主人来找我玩了",
    "主人，你的快递到了",
    "哥哥加我好友一起打王者",
    "宝贝收到了，质量很好，卖家说加好友返现",
    # a child asking
    "有人私信叫我妈妈还让我加他，是骗子吗",
]


def test_session16_role_address_phrasings_fire_and_block_while_family_stays_quiet(shipped_filter: TextFilter) -> None:
    """Each rule fires on its phrasings and blocks (default band, model off); no rule fires on the near misses."""
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS
