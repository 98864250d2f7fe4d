"""Test doubles, kept out of the shipped packages."""

from __future__ import annotations

from collections.abc import Iterable

from probes.sampler import Sample


class FakeSampler:
    """Replays scripted samples: each call to :meth:`read` returns the next one (the last one
    again once they run out), like a sampler whose counters stopped moving."""

    ticks_per_second = 100.0

    def __init__(self, samples: Iterable[Sample]) -> None:
        self.samples = list(samples)
        self.index = 0

    def read(self, io: bool = True) -> Sample:
        sample = self.samples[min(self.index, len(self.samples) - 1)]
        self.index += 1
        return sample
