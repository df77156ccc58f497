"""The harm categories kidsafe filters, with their Chinese and English names."""

from __future__ import annotations

CATEGORIES: tuple[str, ...] = (
    "sexual",
    "violence",
    "gambling",
    "drugs",
    "self_harm",
    "bullying",
    "grooming",
    "fraud",
    "addiction_bypass",
    "deepfake",
    "bad_habits",
    "pii",
)

NAMES: dict[str, tuple[str, str]] = {
    "sexual": ("色情低俗", "sexual content"),
    "violence": ("暴力血腥", "violence"),
    "gambling": ("赌博", "gambling"),
    "drugs": ("毒品", "drugs"),
    "self_harm": ("自残自杀", "self-harm"),
    "bullying": ("网络欺凌", "bullying and insults"),
    "grooming": ("诱骗未成年人", "grooming"),
    "fraud": ("诈骗", "fraud"),
    "addiction_bypass": ("绕过防沉迷", "anti-addiction bypass"),
    "deepfake": ("AI换脸/去衣", "deepfakes"),
    "bad_habits": ("不良嗜好", "bad habits"),
    "pii": ("个人信息", "personal information"),
}

SEVERITIES = (1, 2, 3)
"""1 = mild (blocked for younger bands), 2 = harmful, 3 = always blocked for minors."""


def is_category(name: str) -> bool:
    return name in NAMES
