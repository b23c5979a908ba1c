"""Which CI transform printed the landmarks: the printed-CI check run on every landmark."""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field

from survkit.printed import Convention
from survkit.trial.spec import Trial


@dataclass(frozen=True)
class MethodFinding:
    """What the printed-CI check found for one landmark."""

    endpoint: str
    time: float
    text: str
    consistent: tuple[str, ...]
    total_events: dict[str, tuple[int, ...] | None]
    n_histories: dict[str, int]
    histories: dict[str, tuple[tuple[int, ...], ...]] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def events_before(self) -> dict[str, tuple[int, ...] | None]:
        """Deprecated name of :attr:`total_events`."""
        warnings.warn(
            "MethodFinding.events_before is deprecated; use total_events",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.total_events


def find_methods(trial: Trial) -> tuple[list[MethodFinding], tuple[str, ...]]:
    """Run the printed-CI check (:func:`survkit.check.ci_check.check_ci`) on every landmark.

    Landmarks are judged under the trial's rounding convention (:attr:`Trial.convention`);
    a landmark printed without a CI is not checked here. Returns the per-landmark findings
    and the transforms consistent with *all* landmarks
    (R's default ``log`` first when it is among them, then survkit's canonical order).
    ``total_events[transform]`` is the set of event counts before the landmark over every
    history the check lists (``None`` when the list was capped, i.e. not exhaustive). The
    latest landmark of the endpoint the history engine lists (the only endpoint, or one with
    events beside deaths) is listed again per event count when its list is capped
    (:func:`survkit.trial.listing.histories_by_count`); when every count's list is complete
    their union is the complete list.
    """
    from survkit.check.ci_check import check_ci
    from survkit.estimate.ci import CONF_TYPES
    from survkit.trial.listing import histories_by_count

    out: list[MethodFinding] = []
    for ep in trial.endpoints:
        with_ci = [lm for lm in ep.landmarks if lm.has_ci]
        # the history engine lists one endpoint's histories: the only one, or one with
        # events beside deaths (its overall survival is derived from the ordering)
        lists = len(trial.endpoints) == 1 or bool(set(ep.events) - {"death"})
        latest = max(with_ci, key=lambda x: x.time) if with_ci and lists else None
        for lm in ep.landmarks:
            if not lm.has_ci:
                continue  # an estimate printed alone says nothing about the CI transform
            rep = lm.reported(trial.convention)
            chk = check_ci(rep, n=trial.n)
            capped = tuple(
                ct
                for ct in chk.consistent
                if ct in chk.methods and ct != HAND and not chk.methods[ct].count_exact
            )
            by_count = (
                histories_by_count(lm.text, trial.n, trial.convention, capped)
                if capped and lm is latest
                else {}
            )
            ev: dict[str, tuple[int, ...] | None] = {}
            nh: dict[str, int] = {}
            hs_all: dict[str, tuple[tuple[int, ...], ...]] = {}
            for ct in chk.consistent:
                hs = list(chk.histories.get(ct, ()))
                total = int(getattr(chk, "n_histories", {}).get(ct, len(hs)))
                nh[ct] = total
                # The listing is complete only when the counting DP's certified upper bound
                # equals the number listed (``count_exact``). ``n_histories`` alone counts the
                # histories LISTED -- a lower bound when the listing search stopped -- so it
                # must not be read as "exhaustive": at n = 58, 35% (23-47) at 24 months rounded
                # to nearest lists 4 of up to 2,774,525 histories, and a history missing from it
                # (one censoring, 23 events before 12 months, 14 more before 24) prints both
                # of Xu 2021's PFS landmarks in R (tests/test_joint_landmarks_recall.py).
                # A capped list may still be completed per event count (trial.listing).
                complete = ct in chk.methods and chk.methods[ct].count_exact
                listed = tuple(tuple(int(x) for x in h.at_risk) for h in hs)
                full = by_count.get(ct)
                if not complete and full is not None:
                    complete, listed = True, full
                    nh[ct] = len(full)
                ev[ct] = tuple(sorted({len(h) for h in listed})) if complete else None
                hs_all[ct] = listed
            out.append(
                MethodFinding(
                    ep.name,
                    lm.time,
                    lm.text,
                    tuple(chk.consistent),
                    ev,
                    nh,
                    hs_all,
                    {c: str(chk.methods[c].reason) for c in CONF_TYPES if c in chk.methods},
                )
            )
    common = [c for c in CONF_TYPES if all(c in f.consistent for f in out)]
    if "log" in common:
        common.remove("log")
        common.insert(0, "log")
    return out, tuple(common)


#: Order in which CI transforms of a cumulative incidence are preferred when several print
#: every incidence landmark: R ``survfit``'s default ``log`` first, then ``cmprsk``'s
#: ``log-log`` (``print.cuminc`` / ``timepoints`` bands), then the rest in survkit's order.
INCIDENCE_PREFERENCE: tuple[str, ...] = ("log", "log-log", "plain", "logit", "arcsin")


@dataclass(frozen=True)
class IncidenceFinding:
    """What the printed-CI check of a cumulative incidence found for one landmark.

    ``consistent`` lists the transforms (R names) that can print the estimate with its CI
    under the trial's rounding convention (:func:`survkit.check.cif.check_cif_ci`, exact:
    a transform not listed cannot print the numbers, whatever the data).
    """

    endpoint: str
    time: float
    text: str
    consistent: tuple[str, ...]


def find_incidence_methods(
    trial: Trial, active: frozenset[object] | None = None
) -> tuple[list[IncidenceFinding], tuple[str, ...]]:
    """Run :func:`survkit.check.cif.check_cif_ci` on every cumulative-incidence landmark.

    Only landmarks printed with a CI and (when ``active`` is given) whose fact key is active
    are checked. Returns the findings and the transforms consistent with all of them, in
    :data:`INCIDENCE_PREFERENCE` order; a paper prints its incidences with one transform,
    the first of these is the one every draw is verified under.
    """
    from survkit.trial.facts import FactKey

    out: list[IncidenceFinding] = []
    for ep in trial.incidence_endpoints:
        for lm in ep.landmarks:
            if not lm.has_ci:
                continue
            if active is not None and FactKey.landmark(ep.name, lm.time) not in active:
                continue
            out.append(
                IncidenceFinding(
                    ep.name, lm.time, lm.text, _incidence_transforms(lm.text, trial.convention)
                )
            )
    common = tuple(c for c in INCIDENCE_PREFERENCE if all(c in f.consistent for f in out))
    return out, common


@functools.lru_cache(maxsize=256)
def _incidence_transforms(text: str, convention: Convention) -> tuple[str, ...]:
    from survkit.check.cif import check_cif_ci
    from survkit.check.parse import parse_endpoint

    rep = parse_endpoint(text, rounding=convention)
    chk = check_cif_ci(rep, rounding=convention)
    ok = {ct for conv, ct in chk.methods if conv == convention}
    return tuple(c for c in INCIDENCE_PREFERENCE if c in ok)


# ----------------------------------------------------------------------------- one software
#: Landmark CI method of a paper that computed its landmark CIs by hand (SPSS prints the
#: estimate and its standard error only; see :mod:`survkit.check.hand`).
HAND: str = "hand"


def hand_method(transform: str) -> str:
    """The engine's method "landmark CIs by hand, medians by band crossing under ``transform``".

    Written ``"hand/<transform>"``: the landmark CIs were computed by hand from rounded
    numbers (their histories are the printed-CI check's ``"hand"`` histories), the medians and
    their CIs by a program whose bands use ``transform`` (R, SAS, Stata: where the bands cross
    1/2).
    """
    return f"{HAND}/{transform}"


def landmark_method(conf_type: str) -> str:
    """The method that made the landmark CIs: ``"hand"`` or a transform."""
    return HAND if conf_type.startswith(HAND + "/") else conf_type


def band_transform(conf_type: str) -> str:
    """The CI transform of the Kaplan-Meier bands (medians, and landmarks unless by hand)."""
    return conf_type.split("/", 1)[1] if conf_type.startswith(HAND + "/") else conf_type


def software_note(conf_type: str) -> str:
    """What the method says about the software, in words (``""`` for a plain transform)."""
    if ": " in conf_type:  # one method per endpoint
        parts = [p.split(": ", 1) for p in conf_type.split("; ")]
        return "one CI method per endpoint (different software for different endpoints): " + (
            "; ".join(f"{ep}: {software_note(m) or m}" for ep, m in parts)
        )
    if landmark_method(conf_type) == HAND:
        return (
            "landmarks computed by hand (SPSS or a spreadsheet: estimate +/- z SE from rounded "
            f"numbers), medians by software (band crossing, {band_transform(conf_type)} bands)"
        )
    return ""


def hand_candidates(
    findings: list[MethodFinding], common: tuple[str, ...], has_median_ci: bool
) -> tuple[str, ...]:
    """The "landmarks by hand, medians by software" methods to try after ``common``.

    Only when every landmark printed with a CI is consistent with a hand calculation
    (:func:`survkit.check.catalogue.common_software` then includes SPSS for the landmarks):
    with printed median CIs, one method per band transform, R's ``log`` first; without, one
    (the transform then only shapes nothing printed).
    """
    from survkit.check.catalogue import common_software
    from survkit.estimate.ci import CONF_TYPES

    if not findings or not all(HAND in f.consistent for f in findings):
        return ()
    surv = set.intersection(*(set(f.consistent) for f in findings))
    if not common_software(sorted(surv)):
        return ()
    order = ["log", *[c for c in CONF_TYPES if c != "log"]]
    if not has_median_ci:
        order = order[:1]
    return tuple(hand_method(c) for c in order if hand_method(c) not in common)


@functools.lru_cache(maxsize=256)
def hand_histories(text: str, n: int, convention: Convention) -> frozenset[tuple[int, ...]] | None:
    """Every history of ``n`` patients whose hand-computed CI prints the landmark ``text``.

    ``None`` when the printed-CI check's list is capped (not exhaustive): then membership
    cannot decide a draw.
    """
    from survkit.check.ci_check import check_ci
    from survkit.check.parse import parse_endpoint

    chk = check_ci(parse_endpoint(text, rounding=convention), n=n)
    hs = list(chk.histories.get(HAND, ()))
    total = int(getattr(chk, "n_histories", {}).get(HAND, len(hs)))
    if total != len(hs):
        return None
    return frozenset(tuple(int(x) for x in h.at_risk) for h in hs)


# ----------------------------------------------------------------------------- per endpoint
def per_endpoint_method(methods: dict[str, str]) -> str:
    """One CI method per endpoint, written ``"EFS: hand/log; OS: log"``.

    A paper may compute different endpoints with different software; within one endpoint
    every landmark and the median share one method. :func:`endpoint_method` reads it back.
    """
    return "; ".join(f"{ep}: {m}" for ep, m in methods.items())


def endpoint_method(conf_type: str, endpoint: str) -> str:
    """The CI method of ``endpoint`` under ``conf_type`` (one method, or one per endpoint).

    An endpoint a per-endpoint method does not name (no landmark printed with a CI) takes
    the first endpoint's method.
    """
    if ": " not in conf_type:
        return conf_type
    parts = [p.split(": ", 1) for p in conf_type.split("; ")]
    for ep, m in parts:
        if ep == endpoint:
            return m
    return parts[0][1]


def endpoint_methods(
    trial: Trial, findings: list[MethodFinding]
) -> dict[str, tuple[str, ...]]:
    """For each endpoint with landmarks printed with a CI, the methods that print all of them.

    Transforms in survkit's order with R's ``log`` first, then "landmarks by hand, medians by
    software" (:func:`hand_candidates`) when every landmark of the endpoint is consistent
    with a hand calculation. An empty tuple: no one method prints every landmark of the
    endpoint (a proven conflict under one method per endpoint).
    """
    from survkit.estimate.ci import CONF_TYPES

    out: dict[str, tuple[str, ...]] = {}
    for ep in trial.endpoints:
        fs = [f for f in findings if f.endpoint == ep.name]
        if not fs:
            continue
        common = [c for c in CONF_TYPES if all(c in f.consistent for f in fs)]
        if "log" in common:
            common.remove("log")
            common.insert(0, "log")
        hand = hand_candidates(fs, tuple(common), ep.median_ci is not None)
        out[ep.name] = (*common, *hand)
    return out
