r"""The times of one ordering: a system of difference constraints on whole days.

Given an *ordering* of a trial (which patient's event or censoring comes before which, where
each landmark time falls among the events, which events are the medians and their CI
limits, which observed times are the follow-up order statistics; see
:mod:`survkit.trial.history`), every printed fact that is left is a bound on one time or an
inequality between two times. With the times :math:`x_1, \dots, x_V` in whole days and a
zero node :math:`x_0 = 0`, each is a *difference constraint*

.. math::  x_j - x_i \le w_{ij}, \qquad w_{ij} \in \mathbb{Z},

written as an edge :math:`i \to j` of weight :math:`w_{ij}`:

* order: :math:`x_{p+1} - x_p \ge 1` for consecutive observed times of one endpoint (strict,
  so no ties), :math:`x_b - x_a \ge 0` for an ordered pair that may tie;
* windows: :math:`a \le x_j \le b` (edges :math:`0 \to j` of weight :math:`b`, :math:`j \to 0`
  of weight :math:`-a`) for a printed time (its rounding interval in days), a landmark
  (:math:`x \le \lfloor t \rfloor` for the events before it, :math:`x \ge \lfloor t \rfloor + 1`
  for the first event after it), the accrual window (an administrative censoring lies in
  ``[cutoff - accrual end, cutoff - accrual start]``), an early censoring (below the
  shortest potential follow-up).

The system is feasible iff the constraint graph has no negative cycle (CLRS, section 24.4,
"Difference constraints and shortest paths"); then the shortest-path distances
:math:`d(0, j)` and :math:`-d(j, 0)` are the largest and smallest value of :math:`x_j` over the
whole solution set (interval propagation made exact), and :math:`x_j = d(0, j)` is an integer
solution (integer weights). When it is infeasible, the edges of a negative cycle are a
certificate: the facts that label them cannot hold together (their weights sum below 0).

:func:`closure` computes all-pair distances for a batch of systems at once (Floyd-Warshall,
numpy); :func:`negative_cycle` returns a certificate; :func:`sample` draws integer solutions
by a Gibbs sampler (each coordinate in turn uniform on the whole days its neighbours allow,
an interval because every constraint is a difference), whose stationary law is uniform over
the integer points of the polytope.

References
----------
Cormen T.H., Leiserson C.E., Rivest R.L., Stein C. (2009). Introduction to Algorithms, 3rd
ed., section 24.4. Smith R.L. (1984). Efficient Monte Carlo procedures for generating points
uniformly distributed over bounded regions. Operations Research 32:1296-1308.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

__all__ = ["DifferenceSystem", "chain_bounds", "closure", "negative_cycle", "sample"]


@dataclass
class DifferenceSystem:
    """Variables ``1..size-1`` (node 0 is the zero time) and constraints ``x_j - x_i <= w``.

    Each constraint carries a label (the printed fact it comes from), so that a negative
    cycle names the facts that conflict.
    """

    size: int
    edges: list[tuple[int, int, float, str]] = field(default_factory=list)

    def add_var(self) -> int:
        """A new variable; returns its node."""
        self.size += 1
        return self.size - 1

    def at_most(self, j: int, i: int, w: float, label: str) -> None:
        """``x_j - x_i <= w``."""
        self.edges.append((i, j, float(w), label))

    def before(self, a: int, b: int, gap: int, label: str) -> None:
        """``x_b - x_a >= gap`` (``b`` at least ``gap`` days after ``a``)."""
        self.at_most(a, b, -gap, label)

    def window(self, j: int, lo: float, hi: float, label: str) -> None:
        """``lo <= x_j <= hi`` (``inf`` for no bound)."""
        if math.isfinite(hi):
            self.at_most(j, 0, hi, label)
        if math.isfinite(lo):
            self.at_most(0, j, -lo, label)

    def matrix(self) -> FloatArray:
        """``W[i, j]``: the tightest weight of an edge ``i -> j`` (``inf``: none; diagonal 0)."""
        w = np.full((self.size, self.size), np.inf)
        np.fill_diagonal(w, 0.0)
        for i, j, c, _ in self.edges:
            if c < w[i, j]:
                w[i, j] = c
        return w


def closure(w: FloatArray) -> FloatArray:
    """All-pair shortest paths of a batch of constraint graphs (Floyd-Warshall).

    ``w`` has shape ``(B, V, V)`` (or ``(V, V)``); returns ``d`` of the same shape. System ``b``
    is feasible iff ``d[b]`` has no negative diagonal entry; then ``d[b, 0, j]`` and
    ``-d[b, j, 0]`` are the largest and smallest feasible values of ``x_j``.
    """
    d = np.array(w, dtype=float, copy=True)
    single = d.ndim == 2
    if single:
        d = d[None]
    for k in range(d.shape[1]):
        np.minimum(d, d[:, :, k : k + 1] + d[:, k : k + 1, :], out=d)
    return d[0] if single else d


def feasible(d: FloatArray) -> NDArray[np.bool_]:
    """Whether each closed system of a batch (from :func:`closure`) has a solution."""
    diag = np.diagonal(d, axis1=-2, axis2=-1)
    return np.asarray((diag >= 0).all(axis=-1))


def negative_cycle(system: DifferenceSystem) -> list[str] | None:
    """The labels of the edges of one negative cycle (``None`` when the system is feasible).

    Bellman-Ford from a virtual source joined to every node by a 0 edge; a node still
    relaxed in round ``V`` leads back, through the predecessors, to a negative cycle.
    """
    v = system.size
    dist = np.zeros(v)
    pred: list[int] = [-1] * v
    pred_edge: list[int] = [-1] * v
    last = -1
    for _ in range(v + 1):
        last = -1
        for k, (i, j, c, _) in enumerate(system.edges):
            if dist[i] + c < dist[j] - 1e-9:
                dist[j] = dist[i] + c
                pred[j] = i
                pred_edge[j] = k
                last = j
        if last < 0:
            return None
    x = last
    for _ in range(v):  # walk back into the cycle
        x = pred[x]
    labels: list[str] = []
    y = x
    while True:
        lab = system.edges[pred_edge[y]][3]
        if lab not in labels:
            labels.append(lab)
        y = pred[y]
        if y == x:
            break
    return labels


def sample(
    w: FloatArray,
    start: FloatArray,
    rng: np.random.Generator,
    sweeps: int,
) -> FloatArray:
    """Gibbs sampling of integer solutions, a batch of systems at once.

    ``w`` is ``(B, V, V)`` (the weights of :meth:`DifferenceSystem.matrix`, unclosed), ``start``
    a ``(B, V)`` integer solution with ``start[:, 0] == 0``. Each sweep visits the variables
    ``1..V-1`` in turn and redraws ``x_j`` uniformly on the integers of
    ``[max_k (x_k - w[j, k]), min_i (x_i + w[i, j])]`` (the others fixed). The chain stays
    in the solution set and its stationary law is uniform over the integer points of each
    polytope (the update is symmetric); returns the state after ``sweeps`` sweeps. The
    update ``lo + floor(u (hi - lo + 1))`` is monotone in the other coordinates, so two chains
    driven by the same numbers keep their order: chains started at the largest and the
    smallest solution sandwich every other, and once they meet the state no longer depends
    on the start (the coupling bound on the distance to the uniform law).
    """
    x = np.array(start, dtype=float, copy=True)
    b, v = x.shape
    w_in = np.array(w, dtype=float, copy=True)
    idx = np.arange(v)
    w_in[:, idx, idx] = np.inf  # a variable does not bound itself
    for _ in range(sweeps):
        for j in range(1, v):
            hi = np.min(x + w_in[:, :, j], axis=1)  # x_j <= x_i + w[i, j]
            lo = np.max(x - w_in[:, j, :], axis=1)  # x_j >= x_k - w[j, k]
            if not np.isfinite(hi - lo).all():
                raise ValueError(f"variable {j} of a difference system is unbounded")
            span = hi - lo + 1
            x[:, j] = lo + np.floor(rng.random(b) * span)
    return x


def chain_bounds(
    lo: FloatArray, hi: FloatArray, gap: int | FloatArray = 1
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    r"""Exact bounds of an ordered chain with boxes, for a batch of chains at once.

    The system :math:`x_{p+1} - x_p \ge g_p`, :math:`lo_p \le x_p \le hi_p` (``lo``, ``hi`` of
    shape ``(B, m)``; ``gap`` a number or ``(B, m - 1)`` whole days, 0 where the two may tie) is
    a difference system whose shortest paths have a closed form: with
    :math:`G_p = \sum_{q < p} g_q`,

    .. math::  \underline{x}_p = \max_{q \le p} (lo_q + G_p - G_q), \qquad
               \overline{x}_p = \min_{q \ge p} (hi_q - (G_q - G_p)),

    and it is feasible iff :math:`\underline{x}_p \le \overline{x}_p` for every :math:`p`
    (then both bound vectors are solutions). Returns the lower bounds, the upper bounds and
    the feasibility of each chain; :func:`chain_conflict` names the two boxes of a conflict.
    """
    lo = np.asarray(lo, dtype=float)
    hi = np.asarray(hi, dtype=float)
    b, m = lo.shape
    g = np.broadcast_to(np.asarray(gap, dtype=float), (b, max(m - 1, 0)))
    cum = np.concatenate([np.zeros((b, 1)), np.cumsum(g, axis=1)], axis=1)
    lb = np.maximum.accumulate(lo - cum, axis=1) + cum
    ub = np.minimum.accumulate((hi - cum)[:, ::-1], axis=1)[:, ::-1] + cum
    return lb, ub, np.asarray((lb <= ub).all(axis=1))


def chain_conflict(
    lo: FloatArray, hi: FloatArray, gap: int | FloatArray = 1
) -> tuple[int, int] | None:
    """For one infeasible chain (1-d ``lo``, ``hi``, ``gap``): the positions ``(q, q')`` of a
    lower and an upper box that cannot both hold with the order between them (``None``:
    feasible)."""
    g = np.broadcast_to(np.asarray(gap, dtype=float), (max(lo.size - 1, 0),))
    lb, ub, ok = chain_bounds(lo[None], hi[None], g[None])
    if ok[0]:
        return None
    p = int(np.argmax(lb[0] > ub[0]))
    cum = np.concatenate([[0.0], np.cumsum(g)])
    q = int(np.argmax((lo - cum)[: p + 1]))
    q2 = p + int(np.argmin((hi - cum)[p:]))
    return q, q2
