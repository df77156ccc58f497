"""Progress of the image build: one line per step with its time, a tqdm line with the elapsed time."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator


class Stages:
    def __init__(self, names: list[str]) -> None:
        self.times: dict[str, float] = {}
        try:
            from tqdm import tqdm

            self.bar = tqdm(total=len(names), unit="step", file=sys.stderr, leave=False,
                            bar_format="{desc}: {n_fmt} steps done [{elapsed}]")
        except ImportError:  # plain lines are enough
            self.bar = None

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.monotonic()
        if self.bar is not None:
            self.bar.set_description(name)
        print(f"-> {name} ...", file=sys.stderr, flush=True)
        yield
        took = time.monotonic() - start
        self.times[name] = took
        if self.bar is not None:
            self.bar.update(1)
        print(f"   {name}: {took:.0f} s", file=sys.stderr, flush=True)

    def report(self) -> str:
        return ", ".join(f"{name.split(' (')[0]} {took:.0f} s" for name, took in self.times.items())
