"""The classifier's windows, in one place both sides read: the featurizer that cuts them (filters/features.py)
and the decision that counts them (filters/fusion.py) without importing numpy (the start-up path defers it).

A text of more than WINDOW_CHARS normalised letters and digits is scored as windows of WINDOW_CHARS
overlapping by 2 (a step of WINDOW_STEP), at most MAX_WINDOWS of them over its first MAX_TEXT_CHARS
characters. The shipped model was trained on these windows: changing them needs a retrained model.
"""

from __future__ import annotations

WINDOW_CHARS = 72
MAX_WINDOWS = 8
WINDOW_STEP = WINDOW_CHARS - 2
MAX_TEXT_CHARS = WINDOW_CHARS * MAX_WINDOWS * 2
