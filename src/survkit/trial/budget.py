"""The search budget of a reconstruction: every tuning knob in one frozen object."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Budget:
    """How much work :func:`~survkit.trial.exact.reconstruct` may spend before it gives up.

    Attributes
    ----------
    max_proposals : int
        Candidate tables allowed in all (default 400,000).
    batch : int
        Candidates per vectorized step of the prior (rejection) path.
    pilot_size : int
        Candidates per stratum in the pilot run of the prior path; a stratum with no accepted
        candidate in its pilot is reported as not found (evidence, not proof).
    construct_pilot : int
        Pilot candidates per stratum of the constructive path.
    cbatch : int
        Candidates per step of the constructive path.
    """

    max_proposals: int = 400_000
    batch: int = 50_000
    pilot_size: int = 50_000
    construct_pilot: int = 40_000
    cbatch: int = 2_000

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ValueError(f"Budget.{f.name} must be a positive integer, got {v!r}")
