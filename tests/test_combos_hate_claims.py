"""Session-10 and -11 English hate stated as a claim of fact (filters/data/combos/hate_claims.json): racial
supremacy and purity, a group violent or stupid 'by nature' or 'by science', a group called a drain,
invaders or disease carriers or said to breed to replace others, a group told to go home. Claims written
for this test (never rows of a data set); lessons about racism and history, sport, pets, pests and
refugees' own journeys stay quiet. Session 11: a group called a disease, wished exterminated, women declared
property or barred from voting; urges to die. Session 12: a group said to lie, steal or whine as a habit.
Session 15 (abuse_en.json): a person called stupid, ugly or a loser, 'hoe' as a slur, a group denied the
qualities of people or called a burden or objects, threats to hunt a group down; counter-speech and
negations stand the hate rules down. Session 18: 'X are Y' contempt for the religion, gender-identity and
disability groups the group list lacked; hardship ('the worst off') and praise stay quiet."""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

FIRES = [
    ("hate_claims:race_purity_supremacy_en", "whites are the superior race"),
    ("hate_claims:race_purity_supremacy_en", "we need to keep our race pure"),
    ("hate_claims:group_trait_by_nature_en", "africans have lower iq, it's science"),
    ("hate_claims:group_trait_by_nature_en", "arabs are all the same, backwards and violent"),
    ("hate_claims:group_drain_invaders_en", "disabled people are a drain on society"),
    ("hate_claims:group_drain_invaders_en", "refugees are invaders, not victims"),
    ("hate_claims:group_drain_invaders_en", "muslims are breeding to take over europe"),
    ("hate_claims:group_go_home_en", "foreigners should go home where they came from"),
    # session 11
    ("hate_claims:group_called_disease_en", "feminists are a cancer on society"),
    ("hate_claims:group_called_disease_en", "gay people are an abomination"),
    ("hate_claims:group_extermination_wish_en", "every muslim should be hanged"),
    ("hate_claims:group_extermination_wish_en", "disabled people should be euthanized at birth"),
    ("hate_claims:group_extermination_wish_en", "the only good muslim is a dead muslim"),
    ("hate_claims:women_subordinate_en", "a woman's place is in the kitchen, not in parliament"),
    ("hate_claims:women_subordinate_en", "females are too stupid to vote"),
    ("bullying:urge_to_die_en", "go cut your wrists you loser"),
    ("hate_claims:speaker_hates_group_en", "honestly i despise immigrants"),
    ("hate_claims:speaker_hates_group_en", "gay people make me sick"),
    ("hate_claims:group_lives_worthless_en", "disabled people have no right to live"),
    ("hate_claims:group_extermination_wish_en", "someone should shoot those refugees"),
    ("hate:group_is_degrading_en", "muslims are so repulsive"),
    ("bullying:urge_to_die_en", "do the world a favor and die in a fire"),
    # session 12
    ("hate_claims:group_habitual_vice_en", "why do gypsies always steal from everyone"),
    ("hate_claims:group_habitual_vice_en", "typical refugee, lying again to get money"),
    ("hate_claims:group_habitual_vice_en", "feminists? all they ever do is whine"),
    # session 15 (filters/data/combos/abuse_en.json and the widened English hate rules)
    ("abuse_en:insult_to_person_en", "honestly you are so pathetic"),
    ("abuse_en:insult_to_person_en", "she's a waste of space"),
    ("abuse_en:insult_to_person_en", "ur so ugly nobody wants to sit with you"),
    ("abuse_en:insult_to_person_en", "he is brainless and everyone knows it"),
    ("abuse_en:insult_vocative_en", "what a lowlife"),
    ("abuse_en:insult_vocative_en", "get lost you ugly freak"),
    ("abuse_en:insult_vocative_en", "you absolute clown, sit down"),
    ("abuse_en:hoe_slur_en", "stop texting my man you thirsty hoe"),
    ("abuse_en:hoe_slur_en", "she is such a hoe"),
    ("abuse_en:group_denied_good_en", "immigrants will never be decent people"),
    ("abuse_en:group_denied_good_en", "gay people are not even human"),
    ("abuse_en:group_denied_good_en", "trans women are not real women"),
    ("hate:group_is_degrading_en", "disabled people are a burden on all of us"),
    ("hate:group_is_degrading_en", "women are nothing more than objects"),
    ("hate_claims:group_extermination_wish_en", "i will hunt down every muslim in this town"),
    ("hate_claims:group_extermination_wish_en", "refugees should be locked away for good"),
    # session 18: religion, gender-identity and disability groups in the plain 'X are Y' rule
    ("hate:group_is_degrading_en", "disabled kids are disgusting"),
    ("hate:group_is_degrading_en", "christians are evil"),
    ("hate:group_is_degrading_en", "atheists are scum"),
    ("hate:group_is_degrading_en", "hindus are filthy"),
    ("hate:group_is_degrading_en", "deaf people are worthless"),
    ("hate:group_is_degrading_en", "autistic kids are so stupid"),
]

QUIET = [
    "Black people are not naturally more violent, that is a racist myth",
    "Our teacher said the idea of a superior race is racist nonsense",
    "The Nazis believed in a master race, which led to the Holocaust",
    "The horse race was won by a pure white mare",
    "Mixed race families are common in London",
    "Rats spread diseases so keep the bins closed",
    "Immigrants are not a drain on society, studies show they pay taxes",
    "Migrants who are ill are helped by doctors so they don't spread diseases",
    "Refugees went back to their own country after the war ended",
    "Many migrants want to go home to their own country when it is safe",
    "Women are naturally good at many things, said grandma",
    # session 11
    "My grandma is a christian and she had breast cancer",
    "Doctors once called homosexuality a mental illness; it was removed from the list in 1973",
    "The Nazis wanted to exterminate the jews, and six million died in the Holocaust",
    "We learned about the genocide of the Tutsi in history class",
    "Some people say women belong in the kitchen, which is sexist nonsense",
    "Women should be allowed to vote, and in 1920 they were",
    "These shoes are made for women who run",
    "My vet had to put down our old dog",
    # session 12
    "After the long walk the refugees always lie down in the shade",
    "It is a stereotype that immigrants always steal, and it is false",
    "My aunt always says gay people are not liars, just private",
    "Grandpa always cheats at cards when he plays with the women next door",
    "Kill all the zombies to finish the level",
    "I hate how disabled people get treated at school",
    "My aunt said she has no contempt for immigrants at all",
    "If someone writes that gay people make them sick, report it",
    "Nobody should say that women are so stupid, that is sexist",
    "No refugee deserves to be shot at the border",
    "Black lives matter was a protest movement",
    # session 15: a person (negation, self-talk, reported name-calling, banter, stories, things), the hoe tool,
    # groups (negation, fairness, counter-speech)
    "you are not stupid, you just need more practice",
    "I feel so stupid after that maths test",
    "I'm such a loser, I left my lunch at home",
    "what a stupid question, said nobody ever",
    "he called me a loser at school today and I told my teacher",
    "calling someone a loser is name-calling and it is bullying",
    "the pig in the story is so fat and happy",
    "you look like a clown in that wig for the party",
    "what a rat race the morning traffic is",
    "he is a clown at the circus on Saturdays",
    "you are a genius, thank you",
    "she's a liar in the school play, it is her best role",
    "Grandpa showed me how to use a hoe in the garden",
    "this hoe has a long wooden handle",
    "Gay people are not disgusting at all",
    "Black people are not treated as equals in many places",
    "Women are not paid the same as men for the same work",
    "Immigrants are not less intelligent than anyone else",
    "Refugees are welcome here",
    "When you say women are worthless you only show your own ignorance",
    "You keep saying immigrants are rats, and it is cruel",
    "People who call refugees parasites are the real problem",
    "I can't believe my uncle said black people are animals at dinner",
    "We will help every refugee family in this town",
    # session 16: counter-speech in more words (spreading hate, reported, conspiracy theory, antisemitic) and
    # counter-speech standing down the claims rules too (go home, by nature, invaders, purity)
    "When people call Muslims terrorists they are spreading hate, please stop",
    "People who write that gay people should all die should be reported to the police",
    "People who say refugees should go back where they came from forget what refugees go through",
    "Saying Jews are invaders of Europe is an antisemitic conspiracy theory",
    # session 18
    "disabled people are not a burden",
    "studies show autistic people are not violent",
    "christians are kind to strangers",
    "autistic kids are so creative",
    "the deaf people in the story are brave",
    "Calling disabled kids disgusting is bullying",
    "Saying christians are evil is hateful",
    "disabled people are the worst hit by the cuts in benefits",
]


def test_hate_claims_fire_and_block_while_lessons_stay_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS
