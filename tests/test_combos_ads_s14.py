"""Session-14 co-occurrence rules and cues for porn, gambling and black-market adverts (porn_service.json,
gambling.json, black_market.json; the lexicon engineer's files this session): prostitution adverts in the tea code
(喝茶 / 品茶 / 新茶 next to 懂的, 空降, 上门, 可约 ...), sex-video packs sold by count and price, a 'puppy',
'slave' or 'master' sought for BDSM, sexual propositions ('can I go to bed with you'), lottery tips sold as sure
(精准资料, 十中九), gambling games offered with 'anyone playing?' or 'waiting for you', and paid posting written in
sound-alike spellings (发蚊, 一丹一节, 斗因). Every phrasing was written for this test from the public descriptions the
rule files cite (never a measured row); real tea, tea houses, family visits, children's cartoons, editing material,
lost pets, lottery news and kids' games stay quiet. Session 15: the tea code needs the trade's own words, or a girl
described together with a contact (a tea seller also writes 新茶到了 私我 and 可上门); a work or game task is no kink
word (找个主人带我做任务); online 'training' (语音调教) and the roles' words (m属性, 女sub) recruit for BDSM."""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

FIRES = [
    # porn_service: tea code, video packs
    ("porn_service:tea_code_service_zh", "深圳喝茶的来，懂的私我"),
    ("porn_service:tea_code_service_zh", "上新茶了 可上门 学生妹"),
    ("porn_service:tea_code_service_zh", "杭州品茶 空降 随时安排"),
    ("porn_service:tea_code_girl_contact_zh", "有新茶 颜值高 丝我"),
    ("porn_service:porn_bundle_price_zh", "15元300个视频 要的私"),
    ("porn_service:porn_bundle_price_zh", "二十元一百部视频，懂的来"),
    ("porn_service:porn_bundle_price_zh", "几千部 10r 打包"),
    # porn_service: kink partners sought, propositions
    ("porn_service:kink_partner_seek_zh", "收一只听话的小狗，本人s，私我"),
    ("porn_service:kink_partner_seek_zh", "女m求收，会听话，dd"),
    ("porn_service:kink_partner_seek_zh", "找小狗 网调 反差的来"),
    ("porn_service:sex_proposition_zh", "可以和你上床吗"),
    ("porn_service:sex_proposition_zh", "今晚陪我开房吧"),
    ("porn_service:sex_proposition_zh", "想跟你滚床单"),
    # gambling: games with an invitation
    ("gambling:gambling_invite_zh", "红蓝在线 靠谱平台 等你来"),
    ("gambling:gambling_invite_zh", "牛牛金花有人玩吗"),
    ("gambling:gambling_platform_slang_zh", "新台上分 有没有人来"),
    ("gambling:lottery_sure_tip_zh", "新奥今晚精准资料，跟的话私我"),
    ("gambling:lottery_sure_tip_zh", "六合内幕消息，十中九"),
    ("gambling:lottery_sure_tip_zh", "体彩每期都中，来"),
    # black market: sound-alike spellings of paid posting
    ("black_market:posting_piece_rate_zh", "快手发蚊，一丹一节，想做的来"),
    ("black_market:posting_piece_rate_zh", "小红薯发笔记 一单一节"),
    ("black_market:online_task_invite_zh", "斗因发纹 五块一条 滴我"),
    # session 15: the tea code with the trade's words or a girl + a contact; kink partners without 任务
    ("porn_service:tea_code_service_zh", "厦门喝茶 空降 可约"),
    ("porn_service:tea_code_girl_contact_zh", "品茶吗 学生妹子 私我"),
    ("porn_service:tea_code_girl_contact_zh", "上新茶了，妹妹身材好，可上门"),
    ("porn_service:kink_partner_seek_zh", "找个主人 本人m 很听话"),
    ("porn_service:kink_partner_seek_zh", "求主人调教 dd"),
    ("porn_service:bdsm_recruit_zh", "找个m属性的 私我"),
    ("porn_service:bdsm_recruit_zh", "蹲一个女sub"),
    ("porn_service:bdsm_recruit_zh", "收个奴，语音调教，dd"),
]

QUIET = [
    # real tea and tea houses
    "今年的明前新茶到了，龙井一斤三百，需要的私我",
    "周末来我家喝茶吧，随时安排",
    "爷爷每天早上去茶馆喝茶",
    "下午学生们在茶园体验采茶，老师说可以品茶",
    "这家店上新茶饮了，学生半价",
    "新茶上市，懂的都懂，口感一流",
    # pets and owners, bedtime, hotels, applause
    "帮小狗找主人，捡到的，私我",
    "我家小狗走丢了，找小狗，请联系我",
    "找一只听话的金毛当宠物",
    "收养一只小狗，它很听话",
    "小兔子会认主人吗",
    "找个主任医师看看，私我",
    "妈妈，我想和你上床睡觉",
    "晚上九点要上床睡觉，不然妈妈会生气",
    "我和妹妹住上下床",
    "这家酒店前台说要押金才能开房",
    "大家跟我一起啪啪鼓掌",
    # videos and prices
    "英语启蒙动画200个视频15元",
    "剪辑素材100个视频打包10元",
    "我拍了3个视频，花了50元买道具",
    "这部电影上映三天票房两千万元",
    # lottery news, weather forecasts, a gas company
    "福彩中心精准扶贫，筹集公益金",
    "新奥燃气为居民提供精准服务",
    "今晚双色球开奖结果出来了",
    "双色球中奖概率很低，不要买彩票",
    "期期都有精彩内容，准确率高的天气预报",
    # games and posting
    "周末有人玩狼人杀吗",
    "我家猫叫牛牛，有人想看吗",
    "红蓝对抗有人玩吗，我们班组队",
    "抖音上发视频一个月了才三个粉丝",
    "我在快手发了一个视频，八元买的滤镜",
    # a child asking, warnings
    "有人说喝茶的来懂的私我，这是什么意思？是骗子吗",
    # session 15: a tea seller who names no kind of tea; a work or game task
    "今年新茶到货了，需要的私我",
    "新茶上市，可上门，欢迎品尝",
    "上新茶啦，有货，私我",
    "喝茶的朋友私我，刚到的货",
    "店里上新茶了，妹子们快来尝尝",
    "游戏里要找个主人带我做任务",
    "这个任务太难了，找个主人带带我吧",
    "新手任务：给你的小精灵找个主人",
    "机器人想找个主人，听话又能干",
    # session 15: a tea seller's contact (约茶 / 品茶 are the tea rules' now); surveys, tuning, colour grading
    "品茶请私我，价格美丽",
    "周末约茶，加我微信",
    "求线上调查问卷，私我",
    "语音调查，找我",
    "视频调色教程私我",
    "求一个文调好的作者",
]


def test_session14_ad_phrasings_fire_and_block_while_near_misses_stay_quiet(shipped_filter: TextFilter) -> None:
    """Each rule fires on its phrasings and blocks (default band, model off); no rule fires on the near misses."""
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS
