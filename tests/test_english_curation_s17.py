"""Imported English terms whose ordinary sense is what a child reads (filters/data/sources/curation.json, session 17):
a nursery rhyme, foods, a number, tools, a dog, flowers, sports, school literature and history were blocked by
terms of the surge-ai, dsojevic, cuss and rustrict lists. Rejected terms are gone from the packs; terms kept for
their abusive sense have allow-contexts for the ordinary one. Own sentences, written from each word's dictionary
senses; the abusive uses still block."""

from __future__ import annotations

import pytest

ORDINARY = [
    "Hey diddle diddle, the cat and the fiddle, the cow jumped over the moon",
    "Pussy cat, pussy cat, where have you been? I've been to London to visit the queen",
    "Check the oil level with the dipstick",
    "The boys said the girls had cooties",
    "Hit the rivet with a ball peen hammer",
    "The rectum is the last part of the large intestine",
    "He stood ramrod straight",
    "He put on clean knickers after swimming",
    "I drank buttermilk with my pancakes",
    "Abbie and her brother went to the park",
    "The Jim Crow laws enforced segregation in the southern states",
    "Shylock is a moneylender in The Merchant of Venice",
    "The owl has big round eyes",
    "The girl on top of the slide waved at me",
    "She had her hair cut short and her bob looks lovely",
    "We did ball kicking practice at football club",
    "Almond butter is a nut butter made from almonds",
    "Sixty-nine plus one is seventy",
    "We saw a Buddha head statue in the museum",
    "The switch hitter can bat left or right handed",
    "Dad was tossing salad for dinner",
    "I ate a jelly donut after school",
    "The Alaskan pipeline carries oil across the state",
    "A mechanical cotton picker harvests the cotton",
    "The swastika is an ancient symbol in Hinduism and Buddhism",
    "Bolt the pipe flange tightly",
    "He wore a collared shirt to school",
    "We listened to honky tonk music",
    "She learned to ride bareback on the pony",
    "Pinus is the genus of pine trees",
    "He is too tight-fisted to buy anyone a present",
    "I had to grope in the dark for the light switch",
    "Mum was pegging the washing on the line",
    "Our dog is a friendly mongrel from the shelter",
    "We danced jigs and reels at the Irish festival",
    "Put the bung back in the barrel",
    "We flew to Negros Occidental for the holidays",
    "She is a spunky little girl who never gives up",
    "Combat sambo is a Russian martial art",
    "We planted pansies in the garden",
    "The river cooter is a freshwater turtle",
    "Add two kaffir lime leaves to the curry",
    "Wash the dirty pillows before the guests arrive",
    "Everybody was getting jiggy with it at the school disco",
    "We sat on the beanbags in the reading corner",
    "The honkers flew south for the winter",
    "Ponyboy Curtis is the narrator of The Outsiders",
    "The horse gave a soft nicker when it saw the apple",
    "Dad used the weed whacker on the long grass",
    "We went shrimping with a net at low tide",
    "Scissoring the paper carefully along the line",
    "The kids were snowballing each other in the park",
    "The market traders like to dicker over prices",
    "He is a Packers cheesehead from Wisconsin",
    "Tuckahoe is a village in New York",
    "Measure one jigger of lemon juice",
    "The dog was collaring the ball in the yard",
    "The pitcher threw a spitter and was ejected",
    "Fold your paper hot dog style and then cut along the line",
    "Strap on your helmet before you ride your bike",
    "I found a rusty trombone in the attic",
    "A wrinkled starfish washed up on the beach",
    "Grandma bought chocolate rosebuds for the party",
    "The baby juice aisle is next to the nappies",
    "What should I do if someone brings a gun to school?",
    "Double pen strokes make the letters bold",
    "Leave It to Beaver starred Beaver Cleaver",
    "The old lady sat on the Canadian porch swing",
    "Come inside, you'll catch a cold!",
    'Come inside you two, dinner is ready',
    'The truck will dump a load of sand in the yard',
    'The sound comes out of the bell end of the trumpet',
    'The knight had an axe wound on his leg',
    'Mum said come inside me and your sister are waiting',
]
ABUSE = ["you dirty kaffir", "he is a greasy sambo", "shut up you honky", "she likes bareback sex", "you negro",
         "she wore a strap on", "I will bring a gun to school tomorrow", "you are a bell end", "cum inside me"]


@pytest.mark.parametrize(("text", "action"), [(t, "allow") for t in ORDINARY] + [(t, "block") for t in ABUSE])
def test_ordinary_senses_pass_and_abuse_blocks(shipped_filter, text: str, action: str) -> None:  # noqa: ANN001
    v = shipped_filter.check(text)
    assert v.action == action, [r.rule for r in v.reasons]
