"""Session 18, English (issue 7): profanity spellings, kind words about self-harm, hate without a slur.

Own phrasings only, written from the kinds the issue names (profanity test suites of other filters: fk, a$$,
Unicode-styled letters) and from HateCheck's published functionality list (Röttger et al. 2021: negated hateful
statements, counter-speech quoting or referring to hate, threats, calls to harm); no row of any data set.
"""

from __future__ import annotations

import pytest

from filters.engine import TextFilter
from models import MODEL_PATH

# spellings a child's chat or a profanity test suite uses (issue 7): each must be blocked by the word lists alone
PROFANITY = [
    "𝒇𝒖𝒄𝒌", "🅵🆄🅲🅺", "f.u.c.k", "phuck", "sh1t", "b!tch", "fvck", "fk off", "such an a$$", "𝓯𝓾𝓬𝓴", "ⓕⓤⓒⓚ",
    "kiss my azz", "you dumbazz", "shut yo azz up", "a55hole", "f-u-c-k you",
    # insults and slurs other filters' lists hold that ours lacked (packs/bullying.json 2026.12.01.8)
    "you gaywad", "you homo", "such a spaz", "you're such a sped", "you cripple", "you slag", "what a minger",
    "you pillock", "trailer trash", "you cracker", "you nonce",
]
# telling someone not to hurt themselves is care, not bullying (pack allow-contexts, urge_to_die_en's unless)
KIND_ABOUT_SELF_HARM = [
    "Don't ever kill yourself, you matter to us.",
    "Please don't kill yourself, talk to someone tonight.",
    "You should never kill yourself over a bad test mark.",
]
STILL_BULLYING = [
    "Why don't you kill yourself",
    "go kill yourself loser",
    "kill yourself, nobody wants you here",
]
ORDINARY_WORDS = [
    "I love jazz music", "The razzle dazzle show was fun", "pizza with extra mozzarella",
    "I totally spaz out at parties", "the car sped up", "the strike will cripple the economy",
    "Can you cripple their base before they attack?", "slag heap from the old mine", "tie a munter hitch",
    "crackers and cheese for lunch", "you homo sapiens are strange", "a cryptographic nonce",
    "Take the A22 bus to the station.", "乘A22去尖沙咀，只要二十分钟",  # leet would read A22 as 'azz'
]


@pytest.fixture(scope="module")
def with_model() -> TextFilter:
    return TextFilter.load(model_path=MODEL_PATH)


@pytest.mark.parametrize("text", PROFANITY + STILL_BULLYING)
def test_profanity_spellings_and_urges_are_blocked_by_the_lists(shipped_filter: TextFilter, text: str) -> None:
    v = shipped_filter.check(text)
    assert v.action == "block" and "bullying" in v.categories, [r.rule for r in v.reasons]


@pytest.mark.parametrize("text", KIND_ABOUT_SELF_HARM + ORDINARY_WORDS)
def test_kind_words_and_ordinary_words_pass(with_model: TextFilter, text: str) -> None:
    v = with_model.check(text)
    assert v.action == "allow", [(r.rule, r.score) for r in v.reasons]


# --- hate without a slur (hate_claims.json 2026.12.01.5, shared_cues.json 2026.12.01.4, abuse_en.json) ----------
HATE_WITHOUT_A_SLUR = [
    "Most immigrants are lazy and useless, not all, but most.",  # 'not all, but most' is a disclaimer, no negation
    "We should shoot the immigrants and not the tourists.",  # the bare 'not' no longer stands the wish down
    "Destroy islam.",  # group_harm_call_en: a call in the imperative, no wish word
    "Sterilize these women.",
    "Burn every mosque in town.",
    "Get rid of your disabled brother.",
    "Go back to Africa, monkey.",  # go_back_place_insult_en
    "Islam should be banned.",  # group_banned_en
    "Homosexuality should be outlawed.",
    "We don't want refugees in our town.",  # group_unwanted_here_en
    "Jews remind me of rodents.",  # group_likened_to_animals_en
    "I was wishing a slow death for every disabled kid.",  # the wish said as 'wishing', a singular target
    "I dare you to choke every one of them.",
    "Look at that fat slob.",  # abuse_en insult_vocative_en: a demonstrative + an insulting adjective
]
# negations, counter-speech, reports, history and ordinary talk: quiet under the whole filter
QUIET = [
    "We do not want refugees here to feel unwelcome.",
    "I don't want gay people here to be bullied.",
    "Homosexuality was illegal in England until 1967.",
    "Conversion therapy for trans people should be illegal.",
    "The muslim family at the farm loves their goats.",
    "Hindus treat cows as sacred.",
    "Refugees were treated like animals at the border.",
    "That fat cat sleeps all day.",
    "Drugs destroy black communities.",
    "The storm will destroy many mosques.",
    "They tried to destroy the jews in the war.",
    "The vet had to sterilize our dog.",
    "No gay kid deserves to die.",
    'If you write "muslims should die", you will be reported.',
    "Why would anyone say disabled people are a burden? It's cruel.",
    "He said immigrants are rats and I told him that was wrong.",
    "Women are not inferior to men.",
    "I don't think women are stupid at all.",
    "I hate black and white films.",
    "Bullying gay people should be banned.",
]
# the model still blocks these (its features cannot tell quoted hate from hate); the rules must not add to it
RULES_QUIET = [
    "Your comments about gay people are disgusting.",
    'Saying "trans people are disgusting" is just wrong.',
    "Muslims here don't want trouble, they want peace.",
    "I'm sick and tired of this black versus white fighting, let's all be friends.",
]


# --- later: supremacy, breeding like insects, 'annoying', the bare 'not' of group_is_degrading_en ----------------
HATE_LATER = [
    "Whites are superior in every way.",  # hate_claims group_supremacy_en
    "Refugees will multiply like ants.",  # hate.json group_breeds_like_vermin_en: insects too
    "Gay people are annoying and not normal.",  # group_is_degrading_en: 'annoying'; a bare 'not' no longer vetoes
    "Islam is a religion of hate, don't believe the propaganda.",  # 'propaganda' alone is no talk about prejudice
    "People with disabilities should be euthanized.",
    "Equality should not apply to jews.",
    "You muslims will all pay for this.",  # group_threat_en: a direct threat's own phrases
    "Watch out, immigrants, I am coming for you.",
    "I want every single one of them gone, those refugees.",
    "Isn't it time we got rid of trans people?",  # the wish as a question
    "If it were up to me, gay people would be wiped off the map.",
    "Why are disabled people still allowed to exist?",
    "Why do immigrants always ruin everything?",
    "Why do refugees smell so bad?",  # group_contempt_phrase_en: contempt with no 'are'
    "Gypsies belong in a zoo.",
    "Wouldn't the world be better without lesbians?",
    "I'd rather die than live next to asians.",
]
QUIET_LATER = [
    "The nazi propaganda said jews were a disease.",
    "Whites are superior to reds with fish.",
    "Gay people are not annoying.",
    "I will not let you say immigrants are filthy.",
    "You should not say muslims are worthless.",
    "Ants multiply like crazy in summer.",
    "White supremacists claim whites are superior.",
    '"Muslims are parasites"? Not cool.',
    "Women will suffer most from the new cuts.",  # a prediction, no threat
    "Watch out, girls, the boys team is coming for you in the final!",
    "You immigrants will pay less tax next year under the new rules.",
    "Isn't it time we got rid of this old sofa?",
    "If it were up to me, women would be paid more.",
    "Muslims are allowed to live in peace here.",
    "Immigrants always ruin the surprise at parties, they are so bad at secrets lol",
    "Trans people end up in hospital after attacks more than others, says a study.",
    "Why do my socks smell so bad after gym, I'm a gay teen lol",
    "We visited the zoo with the immigrants' kids from school.",
    "The world would be better without racism against black people.",
    "Muslims don't smell bad, that's a myth.",
    "Women would be better off without bad husbands.",
]


@pytest.mark.parametrize("text", HATE_WITHOUT_A_SLUR + HATE_LATER)
def test_hate_without_a_slur_fires_a_rule(shipped_filter: TextFilter, text: str) -> None:
    v = shipped_filter.check(text)  # word lists and rules alone
    assert v.action == "block" and any(r.rule.startswith("combo:") for r in v.reasons), [r.rule for r in v.reasons]


@pytest.mark.parametrize("text", QUIET + QUIET_LATER)
def test_negations_counter_speech_and_reports_pass(with_model: TextFilter, text: str) -> None:
    v = with_model.check(text)
    assert v.action == "allow", [(r.rule, r.score) for r in v.reasons]


@pytest.mark.parametrize("text", RULES_QUIET)
def test_no_rule_fires_on_counter_speech(shipped_filter: TextFilter, text: str) -> None:
    v = shipped_filter.check(text)
    assert not [r.rule for r in v.reasons if r.rule.startswith("combo:")]
