"""Session-10 English sextortion rules (filters/data/combos/grooming.json): a threat to spread a child's
pictures to silence them (silence_threat_images_en: 'if you tell anyone, I'll share your photos') and the
'send more or I'll post these' demand (sextortion_threat's new cues). Each rule fires on threats written
for this test (never rows of a data set); family talk about photos, surprises and trips stays quiet."""

from __future__ import annotations

from combo_phrasing_checks import NO_PROBLEMS, phrasing_problems

from filters.engine import TextFilter

FIRES = [
    ("grooming:silence_threat_images_en", "if you tell anyone i'll share your photos with everyone"),
    ("grooming:silence_threat_images_en", "if you block me i will send your pics to your school"),
    ("grooming:silence_threat_images_en", "if you tell the teacher i'll show your video to everyone"),
    ("grooming:sextortion_threat", "send me more pics or i'll post these everywhere"),
    ("grooming:sextortion_threat", "i still have the photos you sent, send more or i will share these with your class"),
]

QUIET = [
    "if you tell me which photos you like i'll send them to grandma",
    "if you tell your teacher, she will send the photos to the class",
    "If you tell mum about the surprise I'll share the party photos early",
    "I'll post these photos of the trip everywhere, they're so good",
    "send me more pics of the puppy please!",
    "what to do if someone says they will share your photos: tell a trusted adult",
]


def test_sextortion_fires_and_blocks_while_family_talk_stays_quiet(shipped_filter: TextFilter) -> None:
    assert phrasing_problems(shipped_filter, FIRES, QUIET) == NO_PROBLEMS
