"""Session-6 co-occurrence rules for harm phrased in ordinary words: self-harm statements without 自杀 /
"suicide", fake boss / acquaintance / customer-service / loan scripts, English phishing and "new number"
scams, and group hate phrased as a stereotype. Each fires on phrasings written for this test from the
public descriptions the rule files cite (never eval rows), and near-miss ordinary sentences stay quiet."""

from __future__ import annotations

from combo_phrasing_checks import missed, noisy, not_blocked

from filters.engine import TextFilter

FIRES = [
    # self-harm: life not worth living, never waking, a height, gone is better, not existing
    ("self_harm:life_not_worth_living_zh", "每天醒来都觉得活着真的没什么意思"),
    ("self_harm:life_not_worth_living_zh", "这辈子好像没有什么可留恋的了"),
    ("self_harm:never_wake_zh", "真希望今晚睡着以后再也不要醒来"),
    ("self_harm:jump_from_height_zh", "好想从天台跳下去，什么都不用管了"),
    ("self_harm:gone_is_better_zh", "是不是我消失了大家会更好"),
    ("self_harm:world_without_me_zh", "这个世界上少我一个又有什么关系"),
    ("self_harm:not_exist_zh", "我真的不想再存在了"),
    ("self_harm:not_be_here_en", "honestly I do not want to be alive anymore"),
    ("self_harm:not_be_here_en", "i'm so tired of existing"),
    ("self_harm:no_reason_to_live_en", "I don't see the point in living anymore"),
    ("self_harm:ending_it_en", "been thinking about ending my life lately"),
    ("self_harm:jump_off_en", "I'm going to jump off the bridge after school"),
    ("self_harm:method_and_intent_en", "i've been saving up my pills, i'll take them all at once"),
    ("self_harm:better_off_without_me_en", "the world would be better without me in it"),
    ("self_harm:if_i_were_gone_zh", "要是哪天我不在了，你们别难过，照顾好自己"),
    ("self_harm:nobody_would_miss_me_zh", "就算我不见了，也没有人会想念我的"),
    ("self_harm:not_exist_zh", "我觉得我不配活在这个世界上"),
    ("self_harm:method_and_intent_zh", "我把药都攒起来了，够吃一次的"),
    ("self_harm:burden_to_others_en", "I feel like I'm just a burden to my family"),
    ("self_harm:goodbye_letters_en", "I already wrote goodbye letters for everyone"),
    ("self_harm:done_with_life_en", "honestly I'm done with life"),
    # fraud, zh: fake boss / acquaintance, fake customer service, loans
    ("fraud:boss_office_new_number_zh", "我是你们张总，明早到我办公室来一趟，这是我的新号，存一下"),
    ("fraud:new_number_money_zh", "妈，我手机丢了，这是我新号，学校要交资料费，先转八百过来"),
    ("fraud:transfer_for_someone_zh", "我在开会不方便接电话，你先帮我转一笔货款到这个账户，回头给你"),
    ("fraud:refund_private_contact_zh", "您好，您购买的衣服有质量问题，我们将为您办理双倍赔偿，请添加客服qq"),
    ("fraud:credit_line_activation_zh", "尊敬的用户，您的借款额度已提升至三万元，点击链接即可领取"),
    # fraud, en
    ("fraud:account_phishing_text",
     "Your Apple ID has been locked after unusual activity, verify your account at the link"),
    ("fraud:account_phishing_text", "Your parcel could not be delivered. Pay the small redelivery fee here"),
    ("fraud:prize_text_scam", "Congrats you won a PS5! Just pay the shipping fee to receive it"),
    ("fraud:account_phishing_text", "Security alert: someone tried to sign in to your Instagram, verify it's you here"),
    ("fraud:free_game_currency_en", "I can give you 5000 robux, just tell me the code sent to your phone"),
    ("fraud:easy_money_job_text", "Earn money liking videos, 5 dollars per like, paid every day, DM for details"),
    ("fraud:threat_unusual_payment_en", "You owe back taxes. Pay with gift cards today or a warrant will be issued"),
    ("fraud:new_number_money_en", "Hi mum it's me, this is my new number. Can you transfer 300 to pay a bill today"),
    # group hate phrased as a stereotype
    ("hate:women_role_confinement_zh", "女人就该老老实实在家带孩子"),
    ("hate:group_stereotype_zh", "女司机开车都是马路杀手"),
    ("hate:group_stereotype_zh", "农村人就是没文化"),
    ("hate:group_go_back_zh", "外地人滚回你们老家去"),
    ("hate:group_go_back_zh", "这些外国人都滚开"),
    ("hate:group_stereotype_zh", "那边的农民工素质极差"),
    ("hate:group_disgust_zh", "看到基佬就觉得真恶心"),
    ("hate:group_disgust_zh", "同性恋太恶心了"),
    ("hate:group_all_degrading_zh", "那些外地人都是脑子有病"),
    ("hate:group_stereotype_zh", "女人嫁人都是图钱"),
    ("hate:group_go_back_zh", "外国人赶紧滚"),
    ("hate:group_is_degrading_en", "refugees are parasites"),
    ("fraud:gov_impersonation_en",
     "This is the sheriff's office, you owe a fine, buy gift cards today or you will be arrested"),
    ("hate:group_is_degrading_en", "those muslims are savages"),
    ("hate:group_wished_dead_en", "death to all immigrants"),
    ("hate:group_wished_dead_en", "gays should be shot"),
    ("hate:go_back_to_your_country_en", "nobody wants you here, go back where you came from"),
    ("hate:holocaust_denial_en", "the holocaust is a hoax"),
    ("hate:jews_control_en", "the jews run the media"),
    ("hate:group_stereotype_en", "women belong in the kitchen, not in charge"),
    ("hate:group_stereotype_en", "immigrants are ruining this country"),
]

QUIET = [
    "暑假生活好没意思，想出去玩",
    "这部电影真没意思",
    "周末想睡到自然醒，不要闹钟",
    "早上真不想醒来去上学",
    "猫从楼上跳下来了，一点事都没有",
    "跳楼价大甩卖，全场五折",
    "好想去买跳楼价的衣服",
    "我的金鱼死了就好了？不，我会很难过",
    "没有我的帮忙，你也能做得更好",
    "人生来平等，每个人都值得尊重",
    "如果我明天不在家，请帮我喂猫",
    "我把零花钱都攒起来了",
    "没有人会记得我的生日吧",
    "I feel like a burden when I ask for help with homework",
    "I wrote a goodbye letter to my teacher who is retiring",
    "I'm so done with this level lol",
    "I don't want to wake up early tomorrow",
    "I'm tired of existing code being so messy",
    "what's going on here? no point arguing",
    "she's thinking about ending it with her boyfriend",
    "I bought a skipping rope and I'm ready for gym class",
    "I'm going to jump off the diving board at the pool",
    "明天上午九点到我办公室来一趟，把作业带上",
    "我换了个新手机，拍照特别好看",
    "我手机坏了，借我充电宝用一下",
    "您购买的商品已发货，请注意查收",
    "花呗额度提升了吗？我想买个键盘",
    "Please update your billing address in the school lunch app.",
    "Mom, my phone died, can you pick me up at 5?",
    "I won the school raffle and got a free book!",
    "Don't share your Roblox password with anyone, even friends",
    "We liked the TikTok video our teacher showed in class",
    "The police made an arrest after the robbery, the news said",
    "I bought my cousin a Steam gift card for his birthday",
    "女人也能当科学家，居里夫人就是例子",
    "女生不应该只能在家做饭，谁规定的",
    "女司机和男司机一样安全",
    "农村人的生活越来越好了",
    "Women belong in every field of science",
    "immigrants built much of this country",
    "我晕车，坐在外地人旁边有点恶心",
    "我对同性恋不恶心，大家都是人",
    "为什么有人觉得同性恋恶心",
    "提高农民工素质的培训班",
    "黑人运动员在雪地里滚雪球",
    "When are you going to go back to your country to visit grandma?",
    "北京人就是热情",
    "The news said a man who faked calls from the IRS asking for gift cards has been arrested",
    "四川人就爱吃辣",
    "女人结婚就是为了幸福",
    "这个房间真脏，外地人来住都嫌弃",
    "Are refugees criminals? The research says they are not",
    "Immigrants are not criminals",
    "Holocaust deniers claim it never happened, and they are wrong",
    "Many Jewish people work in banks and the media",
    "Rats and pigs are animals",
    "turn off the lights and kill the music",
]


def test_each_phrasing_fires_its_rule_and_blocks(shipped_filter: TextFilter) -> None:
    """Each rule fires on its phrasings and blocks as a word-pack term would (default band, model off)."""
    assert missed(shipped_filter, FIRES) == []
    assert not_blocked(shipped_filter, FIRES) == []


def test_near_misses_stay_quiet(shipped_filter: TextFilter) -> None:
    assert noisy(shipped_filter, QUIET) == []
