"""Tests for filters.pii: every PII kind (zh/en, separator and numeral variants), the non-PII traps,
checksum and Luhn failures, redaction, placeholders, robustness and linear-time behaviour."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from filters.pii import KINDS, PiiDetector, PiiMatch, is_resident_id, luhn_ok, placeholder


@pytest.fixture(scope="module")
def det() -> PiiDetector:
    return PiiDetector()


def found(det: PiiDetector, text: str) -> list[tuple[str, str]]:
    return [(m.kind, m.text) for m in det.find(text)]


POSITIVES: list[tuple[str, str, str]] = [
    # --- resident ID numbers (GB 11643 checksum, incl. X)
    ("我身份证号码是 330106198010103211", "id_card", "330106198010103211"),
    ("身份证 330106 19801010 3211", "id_card", "330106 19801010 3211"),
    ("证件号：330106-19801010-3211", "id_card", "330106-19801010-3211"),
    ("身份证号 11010519491231002X", "id_card", "11010519491231002X"),
    ("身份证：110105 1949 1231 002x", "id_card", "110105 1949 1231 002x"),
    ("my ID number is 11010519491231002X.", "id_card", "11010519491231002X"),
    ("３３０１０６１９８０１０１０３２１１", "id_card", "３３０１０６１９８０１０１０３２１１"),
    ("老身份证号 330106801010321", "id_card", "330106801010321"),
    # --- mobile numbers
    ("我的手机号是13812345678", "phone", "13812345678"),
    ("手机：186 1234 5678", "phone", "186 1234 5678"),
    ("手机号：138-1234-5678", "phone", "138-1234-5678"),
    ("电话138.1234.5678", "phone", "138.1234.5678"),
    ("我的手机 １３８１２３４５６７８", "phone", "１３８１２３４５６７８"),
    ("我的电话是一八六一二三四五六七八", "phone", "一八六一二三四五六七八"),
    ("我的电话 一三八 一二三四 五六七八", "phone", "一三八 一二三四 五六七八"),
    ("打给我 幺三八洞洞一二三四五六", "phone", "幺三八洞洞一二三四五六"),
    ("号码是1三8一2三4五6七8", "phone", "1三8一2三4五6七8"),
    ("+86 138-1234-5678", "phone", "+86 138-1234-5678"),
    ("0086 13812345678", "phone", "0086 13812345678"),
    ("（+86）13812345678", "phone", "（+86）13812345678"),
    ("my number is 13812345678", "phone", "13812345678"),
    ("手机138\u200b1234\u200b5678", "phone", "138\u200b1234\u200b5678"),
    ("微信同号 13912345678", "phone", "13912345678"),
    ("有事打 1 3 8 1 2 3 4 5 6 7 8", "phone", "1 3 8 1 2 3 4 5 6 7 8"),
    ("手机号是壹叁捌零零壹叁捌零零零", "phone", "壹叁捌零零壹叁捌零零零"),
    ("手机 138－1234－5678", "phone", "138－1234－5678"),
    ("手机138💋1234💋5678", "phone", "138💋1234💋5678"),
    ("电话 138*1234*5678", "phone", "138*1234*5678"),
    ("我的电话是 1\ufe0f\u20e33\ufe0f\u20e38\ufe0f\u20e31\ufe0f\u20e32\ufe0f\u20e33\ufe0f\u20e34\ufe0f\u20e3"
     "5\ufe0f\u20e36\ufe0f\u20e37\ufe0f\u20e38\ufe0f\u20e3", "phone",
     "1\ufe0f\u20e33\ufe0f\u20e38\ufe0f\u20e31\ufe0f\u20e32\ufe0f\u20e33\ufe0f\u20e34\ufe0f\u20e3"
     "5\ufe0f\u20e36\ufe0f\u20e37\ufe0f\u20e38\ufe0f\u20e3"),
    ("我的手機號碼是0912-345-678", "phone", "0912-345-678"),
    ("my number is one three eight one two three four five six seven eight", "phone",
     "one three eight one two three four five six seven eight"),
    ("手机 138\u30001234\u30005678", "phone", "138\u30001234\u30005678"),
    # --- landlines
    ("电话：021-61234567", "landline", "021-61234567"),
    ("座机 0571 8888 8888", "landline", "0571 8888 8888"),
    ("电话(010)62345678", "landline", "(010)62345678"),
    ("家里电话 010-12345678", "landline", "010-12345678"),
    ("办公室电话 62345678", "landline", "62345678"),
    ("tel: +86-10-62345678", "landline", "+86-10-62345678"),
    # --- IM accounts near a cue
    ("我的QQ号 987654321", "im_account", "987654321"),
    ("QQ：12345678", "im_account", "12345678"),
    ("qq 1234567890", "im_account", "1234567890"),
    ("扣扣 98765 4321", "im_account", "98765 4321"),
    ("我的企鹅号是 7654321", "im_account", "7654321"),
    ("加我 2233445566", "im_account", "2233445566"),
    ("QQ九八七六五四三二一", "im_account", "九八七六五四三二一"),
    ("987654321是我的QQ", "im_account", "987654321"),
    ("加我vx: abc_12345", "im_account", "abc_12345"),
    ("vx：kidcool_2015", "im_account", "kidcool_2015"),
    ("v信 abc123456", "im_account", "abc123456"),
    ("威信号 xiaoming2010", "im_account", "xiaoming2010"),
    ("薇信 Lily_2012", "im_account", "Lily_2012"),
    ("wx: zhangsan88", "im_account", "zhangsan88"),
    ("我的微信号是wxid_abcd1234", "im_account", "wxid_abcd1234"),
    ("我的微信是 helloworld", "im_account", "helloworld"),
    ("my wechat is coolkid", "im_account", "coolkid"),
    ("my QQ number is 246813579", "im_account", "246813579"),
    # --- e-mail
    ("我的邮箱是 xiaoming2010@163.com", "email", "xiaoming2010@163.com"),
    ("email me at john.doe@gmail.com", "email", "john.doe@gmail.com"),
    ("mail: Lily.Wang+kid@Outlook.COM", "email", "Lily.Wang+kid@Outlook.COM"),
    ("contact: kid_01@mail.school.edu.cn", "email", "kid_01@mail.school.edu.cn"),
    ("邮箱767514612@qq.com", "email", "767514612@qq.com"),
    ("邮箱 abc＠qq.com", "email", "abc＠qq.com"),
    ("my email is lily at gmail dot com", "email", "lily at gmail dot com"),
    ("write to xyz(at)gmail.com", "email", "xyz(at)gmail.com"),
    # --- bank cards (Luhn)
    ("我的银行卡号是6222021234567890128", "bank_card", "6222021234567890128"),
    ("银行卡 6217 0000 1234 5670", "bank_card", "6217 0000 1234 5670"),
    ("card number 4111-1111-1111-1111", "bank_card", "4111-1111-1111-1111"),
    ("4111 1111 1111 1111", "bank_card", "4111 1111 1111 1111"),
    ("Amex 3782 822463 10005", "bank_card", "3782 822463 10005"),
    ("6222021234567890128", "bank_card", "6222021234567890128"),
    ("4111111111111111", "bank_card", "4111111111111111"),
    # --- Chinese home addresses
    ("我住在上海市浦东新区世纪大道100号5号楼", "address", "上海市浦东新区世纪大道100号5号楼"),
    ("我家住在阳光花园3栋2单元501", "address", "阳光花园3栋2单元501"),
    ("我家在北京市朝阳区建国路88号", "address", "北京市朝阳区建国路88号"),
    ("地址：杭州市西湖区文三路90号东方大厦5楼", "address", "杭州市西湖区文三路90号东方大厦5楼"),
    ("我住在幸福小区5号楼3单元402室", "address", "幸福小区5号楼3单元402室"),
    ("家住红星村3组12号", "address", "红星村3组12号"),
    ("我家在南京路步行街100弄2号", "address", "南京路步行街100弄2号"),
    ("住在三号楼二单元五零一", "address", "三号楼二单元五零一"),
    ("快来找我玩，阳光小区7栋1单元302", "address", "阳光小区7栋1单元302"),
    ("我家在北京朝阳区建国路88号", "address", "北京朝阳区建国路88号"),
    ("我家住在幸福小区", "address", "幸福小区"),
    ("我家住在杭州市西湖区", "address", "杭州市西湖区"),
    ("世纪大道一百号", "address", "世纪大道一百号"),
    ("人民路一百二十三号", "address", "人民路一百二十三号"),
    ("我家在李家村5组8号", "address", "李家村5组8号"),
    ("我家阳光小区3栋2单元", "address", "阳光小区3栋2单元"),
    ("张家口市桥东区胜利路8号", "address", "张家口市桥东区胜利路8号"),
    ("成都市武侯区人民南路四段12号", "address", "成都市武侯区人民南路四段12号"),
    ("我家住在3号楼402", "address", "3号楼402"),
    ("我家地址是北京市海淀区中关村南大街5号", "address", "北京市海淀区中关村南大街5号"),
    ("我家住在台北市信義區信義路五段7號", "address", "台北市信義區信義路五段7號"),
    ("我住在幸福社區3棟2單元501", "address", "幸福社區3棟2單元501"),
    # --- school + class
    ("我在育才小学三年级二班", "school", "育才小学三年级二班"),
    ("我是第一中学初二(3)班的", "school", "第一中学初二(3)班"),
    ("我在北京市第二实验小学五年级三班", "school", "北京市第二实验小学五年级三班"),
    ("我是人大附中高一(2)班的", "school", "人大附中高一(2)班"),
    ("我在杭州二中初三3班", "school", "杭州二中初三3班"),
    ("我在实验小学上学", "school", "实验小学"),
    ("我在实验中学读初一", "school", "实验中学读初一"),
    ("我在上海外国语大学附属中学读初二", "school", "上海外国语大学附属中学读初二"),
    ("我们班是育才小学四(2)班", "school", "育才小学四(2)班"),
    ("我是阳光小学三年级的", "school", "阳光小学三年级"),
    ("我在育才小學三年級二班", "school", "育才小學三年級二班"),
    ("I am in Class 5 at Sunshine Primary School", "school", "Class 5 at Sunshine Primary School"),
    ("I go to Lincoln Elementary School, grade 3", "school", "Lincoln Elementary School, grade 3"),
    # --- passwords
    ("密码是123456", "password", "123456"),
    ("支付密码 8888", "password", "8888"),
    ("password: hunter2", "password", "hunter2"),
    ("my password is hunter2", "password", "hunter2"),
    ("密码：abc123", "password", "abc123"),
    ("我的QQ密码是qwerty123", "password", "qwerty123"),
    ("银行卡密码是 6 6 6 6 6 6", "password", "6 6 6 6 6 6"),
    ("支付密码是八八八八八八", "password", "八八八八八八"),
    ("验证码是 482913", "password", "482913"),
    ("The password is sunshine2", "password", "sunshine2"),
    ("PIN: 4321", "password", "4321"),
    ("wifi password: ilovecats", "password", "ilovecats"),
    ("my password is 'sunshine'", "password", "sunshine"),
    ("手机验证码：123456", "password", "123456"),
    # --- US phones
    ("call me on 212 555 0147", "us_phone", "212 555 0147"),
    ("(212) 555-0147", "us_phone", "(212) 555-0147"),
    ("+1 212-555-0147", "us_phone", "+1 212-555-0147"),
    ("call 415.555.2671", "us_phone", "415.555.2671"),
    ("text me at 415-555-2671", "us_phone", "415-555-2671"),
    ("1-415-555-2671", "us_phone", "1-415-555-2671"),
    ("my phone is 4155552671", "us_phone", "4155552671"),
    ("my number is 555-123-4567", "us_phone", "555-123-4567"),
    ("call me at two one two, five five five, zero one four seven", "us_phone",
     "two one two, five five five, zero one four seven"),
    # --- US street addresses
    ("1600 Pennsylvania Ave NW", "us_address", "1600 Pennsylvania Ave NW"),
    ("42 Elm Street, Springfield", "us_address", "42 Elm Street, Springfield"),
    ("1600 Pennsylvania Avenue NW, Washington, DC 20500", "us_address",
     "1600 Pennsylvania Avenue NW, Washington, DC 20500"),
    ("I live at 221B Baker Street", "us_address", "221B Baker Street"),
    ("We live on 742 Evergreen Terrace", "us_address", "742 Evergreen Terrace"),
    ("123 Main St Apt 4B", "us_address", "123 Main St Apt 4B"),
    ("my address is 350 5th Avenue, New York, NY 10118", "us_address", "350 5th Avenue, New York, NY 10118"),
    ("i live at 42 elm street", "us_address", "42 elm street"),
]


@pytest.mark.parametrize(("text", "kind", "value"), POSITIVES)
def test_detects(det: PiiDetector, text: str, kind: str, value: str) -> None:
    assert (kind, value) in found(det, text)


TRAPS = [
    # dates, times, years
    "今天是2024年10月1日", "2024-10-01的天气", "日期 20241001", "2024/10/01", "现在是 13:45:20",
    "10:30-11:30 上课", "中华人民共和国成立于1949年", "公元前221年秦统一六国", "1999-2024",
    "十月一号是国庆节", "The year 2000 problem", "Apollo 11 landed in 1969",
    # pi and decimals, math, versions
    "圆周率是3.1415926535897932", "π≈3.14159265358979", "Pi is 3.14159265358979",
    "123456789 x 2 = 246913578", "12345 + 67890 = 80235", "版本 10.0.19041.1234", "Python 3.11.7",
    "IP 192.168.1.100", "珠穆朗玛峰高8848.86米",
    # postcodes, student numbers, order numbers, ISBN
    "邮编100080", "我的邮编是100000", "邮政编码 310012", "学号 2021123456", "我的学号是20210101",
    "订单号 20241001123456789", "订单号：13812345678", "快递单号 SF1234567890123",
    "ISBN 978-7-111-12345-6", "ISBN 9787111123456", "zip code 94103",
    # prices, counts, measures
    "这件衣服 299 元", "价格是¥13800000000", "全国人口约1400000000人", "我有12345个积木",
    "身高 138 厘米 体重 35 公斤", "长江全长6300公里", "投票 1234567 票", "My score is 1234567",
    "1 2 3 4 5 6 7 8 9 10", "一二三四五六七八九十", "13 14 15 16 17 18", "12345678", "1234567890123456",
    # service numbers
    "拨打110报警", "请拨打12345市民热线", "电话 95588", "call 911", "400-800-8888",
    # checksum / Luhn failures
    "身份证 330106198010103212", "考号 330106198010103211", "卡号 6222021234567890123",
    "4111 1111 1111 1112", "4111111111111112", "1234567890123456", "2024100112345678", "330106801010321",
    # cue words without a value
    "密码学是什么", "忘记密码怎么办", "密码错误", "设置一个8位以上的密码", "密码至少6位",
    "the password is incorrect", "Your password must be 8 characters", "forgot my password",
    "QQ音乐 10000首歌", "QQ飞车 123456",
    "微信怎么下载", "微信 download", "下载微信app", "wechat is popular", "加我好友", "QQ音乐", "qq空间怎么设置",
    # places and schools that are not a home address / a child's class
    "我住在北京", "我家在农村", "我住在小区里", "去公园玩", "动物园3号门集合", "坐10号线地铁", "他是3号选手",
    "我家住5楼", "一座桥", "这栋楼有30层", "第3单元的课文", "三楼的教室", "北京市海淀区", "我们学校在人民路",
    "实验小学的老师很好", "小学三年级数学题", "三年级二班的同学", "老家在吉林长春", "家在豫东小村庄",
    "我在黑龙江省上高中", "我们学校是公立高中", "人大附中高一数学期末考试卷", "清华附中高一新生",
    "Lincoln Elementary School grade 3 math worksheet",
    # English look-alikes
    "Top 10 Best Ways to Learn", "5 Tips To Drive Safely", "I have 3 dogs on the road",
    "Chapter 12 The Road Home", "class photo", "shell fish allergy", "Call of Duty 2",
    # English number words that are not a phone
    "I have two or three friends and five cats", "one two three four five six seven eight nine ten", "1#2#3 测试",
    # format examples and other rooms
    "邮箱格式 xxx@xxx.com", "example@example.com 是示例邮箱", "明天下午3点在1号楼201教室开会", "他住在301房间",
    "手机号码格式是11位数字", "请输入6位数字密码", "QQ号是5到11位数字", "银行卡号一般是16到19位",
    "我家有3口人", "我在三年级二班", "清华附中怎么样", "Room 101", "Route 66", "Boeing 747", "iPhone 15 Pro",
    "my phone is broken", "my student ID is 20231234", "order #123456789", "ISBN 978-3-16-148410-0",
    "2024.10.01", "10.01.2024", "1,234,567", "我的生日是20100315", "一一一一一一一一一一一",
    "1111 2222 3333 4444", "Top 100 Songs Of All Time",
    # from the dev set
    "我们去看电影好不好", "路口交通事故怎么报警", "cockpit of an airplane",
]


@pytest.mark.parametrize("text", TRAPS)
def test_traps_are_not_pii(det: PiiDetector, text: str) -> None:
    assert found(det, text) == []
    assert det.scan(text) == []  # the recognisers themselves, even where the pre-check skips them


def test_id_checksum_failures_are_not_id_cards(det: PiiDetector) -> None:
    good = "330106198010103211"
    assert is_resident_id(good)
    assert [m.kind for m in det.find("身份证号 " + good)] == ["id_card"]
    for d in "0123456789X":
        bad = good[:17] + d
        if d == good[17]:
            continue
        assert not is_resident_id(bad)
        assert all(m.kind != "id_card" for m in det.find("身份证号 " + bad))
    assert not is_resident_id("330106198013103211")  # month 13, even if someone fixes the checksum


def test_luhn_failures_are_not_bank_cards(det: PiiDetector) -> None:
    good = "6222021234567890128"
    assert luhn_ok(good)
    assert [m.kind for m in det.find("我的银行卡号是" + good)] == ["bank_card"]
    for d in "0123456789":
        if d == good[-1]:
            continue
        bad = good[:-1] + d
        assert not luhn_ok(bad)
        assert all(m.kind != "bank_card" for m in det.find("我的银行卡号是" + bad))
        spaced = " ".join(bad[i:i + 4] for i in range(0, len(bad), 4))
        assert all(m.kind != "bank_card" for m in det.find(spaced))


def test_span_excludes_cue_words(det: PiiDetector) -> None:
    text = "我的手机号是13812345678"
    (m,) = det.find(text)
    assert (m.start, m.end) == (6, 17) and text[m.start:m.end] == m.text


def test_several_values_in_one_text(det: PiiDetector) -> None:
    text = "手机13812345678，QQ 987654321，邮箱 a.b@qq.com，密码是abc123"
    assert [m.kind for m in det.find(text)] == ["phone", "im_account", "email", "password"]
    assert found(det, "13812345678 13912345678") == [("phone", "13812345678"), ("phone", "13912345678")]


def test_redaction_keeps_text_readable(det: PiiDetector) -> None:
    t = "我的手机号是13812345678"
    assert det.redact(t, det.find(t)) == "我的手机号是[手机号]"
    t = "我住在上海市浦东新区世纪大道100号5号楼，QQ 987654321"
    assert det.redact(t, det.find(t)) == "我住在[地址]，QQ [账号]"
    t = "call me on 212 555 0147, password: hunter2"
    assert det.redact(t, det.find(t)) == "call me on [phone], password: [password]"
    t = "no personal data here"
    assert det.redact(t, det.find(t)) == t


def test_redact_rejects_bad_spans(det: PiiDetector) -> None:
    with pytest.raises(ValueError, match="out of range"):
        det.redact("abc", [PiiMatch("phone", 2, 9, "c")])
    with pytest.raises(ValueError, match="overlaps"):
        det.redact("abcdef", [PiiMatch("phone", 0, 3, "abc"), PiiMatch("email", 2, 4, "cd")])


def test_placeholders_cover_every_kind() -> None:
    for kind in KINDS:
        zh, en = placeholder(kind, "zh"), placeholder(kind, "en")
        assert zh.startswith("[") and en.startswith("[") and zh != en
    assert placeholder("phone", "zh-CN") == "[手机号]"
    with pytest.raises(ValueError, match="unknown PII kind"):
        placeholder("shoe_size", "en")


def test_every_detected_kind_is_known(det: PiiDetector) -> None:
    kinds = {k for _, k, _ in POSITIVES}
    assert kinds == set(KINDS)


@pytest.mark.parametrize(
    "text",
    ["", "\x00\x01\x02", "\ud800\udfff 13812345678 \ud83d", "\u200b" * 100, "@" * 1000, "(at)" * 500,
     "密码" * 1000, "住在" * 1000, "小学" * 1000, "号" * 1000, "1号" * 1000, "一" * 5000, "+(" * 1000],
)
def test_never_raises_on_odd_input(det: PiiDetector, text: str) -> None:
    _check_spans(text, det.scan(text))  # scan, not find: a recogniser crash must fail this test


def test_non_string_input_is_no_pii(det: PiiDetector) -> None:
    assert det.find(None) == []  # type: ignore[arg-type]
    assert det.find(b"13812345678") == []  # type: ignore[arg-type]
    assert [m.kind for m in det.find("13812345678")] == ["phone"]


def _big_inputs() -> list[str]:
    rng = random.Random(7)
    mb = 1_000_000
    return [
        "1" * mb,
        "1 " * (mb // 2),
        "".join(rng.choice("0123456789     -.") for _ in range(mb)),
        "a" * mb,
        "a@" * (mb // 2),
        "一二" * (mb // 2),
        "1号楼" * (mb // 3),
        "小区" * (mb // 2),
        "1 Main " * (mb // 7),
    ]


def test_one_megabyte_inputs_finish(det: PiiDetector) -> None:
    for text in _big_inputs():
        _check_spans(text, det.scan(text))


def test_list_of_phones_in_long_text(det: PiiDetector) -> None:
    text = "，".join(["我的手机13812345678"] * 2000)
    assert [m.kind for m in det.find(text)] == ["phone"] * 2000


FRAGMENTS = [
    "1", "13812345678", "330106198010103211", " ", "-", ".", "+86", "(", ")", "@", "qq.com", "QQ", "微信",
    "vx", "密码", "是", ":", "password", "一", "八", "幺", "洞", "号", "栋", "单元", "小区", "路", "市", "区",
    "住在", "小学", "三年级", "二班", "X", "\u200b", "\x00", "\ud800", "abc_123", "Street", "42 ", "Elm ",
    "4111 1111 1111 1111", "at", " dot ", "com",
]


def _check_spans(text: str, ms: list[PiiMatch]) -> None:
    last = 0
    for m in ms:
        assert m.kind in KINDS
        assert 0 <= last <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        last = m.end


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join))
def test_property_spans_valid_on_fragments(text: str) -> None:
    _check_spans(text, _DET.scan(text))
    assert _DET.find(text) == (_DET.scan(text) if _DET.has_trigger(text) else [])


def test_precheck_passes_every_positive(det: PiiDetector) -> None:
    assert [t for t, _, _ in POSITIVES if not det.has_trigger(t)] == []


_NO_DIGIT_POOL = ["".join(c for c in t if not c.isdigit()) for t, _, _ in POSITIVES] + FRAGMENTS


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_NO_DIGIT_POOL), min_size=1, max_size=4).map(" ".join))
def test_property_precheck_is_sound(text: str) -> None:
    """Whatever the detailed scan would find, the cheap pre-check must let through."""
    if not _DET.has_trigger(text):
        assert _DET.scan(text) == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_property_spans_valid_on_any_text(text: str) -> None:
    _check_spans(text, _DET.scan(text))


_DET = PiiDetector()
