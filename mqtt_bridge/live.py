"""The device side of a fleet update: the live text filter of a DeviceService.

`activate(set_dir)` swaps the co-occurrence rules (the set's `combos/`, else the shipped rules), the packs
(and the model when the set has one) into the filter the search and voice pipelines already hold;
`activate(None)` goes back to the shipped rules, packs and model. Rules that do not load raise
(filters.combo_rules.ComboError) before anything changed.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class LiveFilter:
    def __init__(self, service: Any) -> None:
        self.service = service
        self._model_path: Path | None = None
        self._labels_path: Path | None = None
        self._model_sha: str | None = None
        self._combos_dir: Path | None = None

    def filter(self) -> Any:
        return self.service.get_text_filter()

    def activate(self, set_dir: Path | None) -> None:
        from filters.engine import load_classifier
        from filters.lexicon import PACKS_DIR, load_packs
        from mqtt_bridge.combo_update import rules_dir_of

        tf = self.filter()
        combos_dir = rules_dir_of(set_dir)
        tf.reload_combos(combos_dir)  # compiled before the swap: a failure leaves the rules in force
        self._combos_dir = combos_dir
        packs_dir = set_dir / "packs" if set_dir is not None else PACKS_DIR
        tf.use_packs(load_packs(packs_dir))
        model = set_dir / "model.tflite" if set_dir is not None else None
        if model is None or not model.exists():
            model = Path(self.service.settings.classifier_path) if self.service.settings.classifier_path else None
        labels = set_dir / "labels.json" if set_dir is not None and (set_dir / "labels.json").exists() else None
        if model is not None and model.exists() and model != self._model_path:
            classifier, error = load_classifier(model, labels)
            tf.classifier, tf.model_error = classifier, error
        self._model_path, self._labels_path, self._model_sha = model, labels, None

    def model_files(self) -> tuple[Path | None, Path | None]:
        """The model in force and its labels (labels.json beside the model unless a set named one)."""
        model = self._model_path
        if model is None:
            cp = self.service.settings.classifier_path
            model = Path(cp) if cp else None
        labels = self._labels_path
        if labels is None and model is not None and (model.parent / "labels.json").exists():
            labels = model.parent / "labels.json"
        return model, labels

    def model_sha256(self) -> str | None:
        if self._model_sha is None:
            model, _ = self.model_files()
            if model is not None and model.exists():
                self._model_sha = hashlib.sha256(model.read_bytes()).hexdigest()
        return self._model_sha

    def packs(self) -> tuple[Any, ...]:
        return tuple(self.filter().packs)

    def pack_info(self) -> dict[str, dict[str, str]]:
        return {p.name: {"version": p.version, "sha256": p.sha256} for p in self.packs()}

    def combos_dir(self) -> Path:
        """The folder of the co-occurrence rules in force."""
        from mqtt_bridge.combo_update import rules_dir_of

        return self._combos_dir or rules_dir_of(None)

    def combo_files(self) -> tuple[Any, ...]:
        return tuple(self.filter().combos.files)

    def combo_info(self) -> dict[str, dict[str, str]]:
        return {f.name: {"version": f.version, "sha256": f.sha256} for f in self.combo_files()}

    def categories(self) -> set[str]:
        return {e.category for p in self.packs() for e in p.entries}

    def event(self, event: dict[str, Any]) -> None:
        self.service.events.record(event)
