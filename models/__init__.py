"""kidsafe models: the shipped on-device text classifier and its training recipe.

`MODEL_PATH` and `LABELS_PATH` locate the committed int8 .tflite and its labels; the
recipe that reproduces them is `make model` (models/train.py).
"""

from __future__ import annotations

from pathlib import Path

MODEL_DIR = Path(__file__).resolve().parent
MODEL_PATH = MODEL_DIR / "kidsafe_text_int8.tflite"
LABELS_PATH = MODEL_DIR / "labels.json"
