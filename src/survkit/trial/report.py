"""The Markdown report of a reconstruction (:meth:`survkit.trial.ensemble.Ensemble.report`)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from survkit.trial.methods import endpoint_method, landmark_method, software_note
from survkit.trial.status import STATUS_NAMES

if TYPE_CHECKING:
    from survkit.trial.ensemble import Ensemble

#: Histories listed by name in the report (the rest are counted; all are in the CSV).
TOP_HISTORIES = 10


def _convention_text(t: Any) -> str:
    conv = t.convention
    what = "rounded to nearest (half-up or half-even)" if conv == "nearest" else "truncated"
    if t.rounding == "unknown":
        if conv == "nearest":
            return what + " (the spec's rounding is unknown: nearest was tried first and holds)"
        return what + " (the spec's rounding is unknown: rounding to nearest was proven impossible)"
    return what + (" (the spec's default)" if conv == "nearest" else "")


def _pct(x: float) -> str:
    return f"{100 * x:.3g}%"


def render_report(ens: Ensemble, *, spec_name: str = "", sampler: str = "exact") -> str:
    """The Markdown report of an ensemble.

    Sections: the trial and the run (seed included, so the run can be repeated), printed vs
    reproduced numbers, the CI method and why, the histories (how many, and the ten most
    frequent among the draws; the full list is :meth:`Ensemble.history_table`, written as
    ``histories.csv`` by the CLI), the readings and follow-up definitions, the data
    dictionary of ``patients.csv`` and the assumptions. ``spec_name`` is printed as given:
    pass a file name, not a machine path.
    """
    t = ens.trial
    u = t.unit
    abc = getattr(ens, "kind", "exact") == "abc"
    lines: list[str] = []
    w = lines.append
    w(f"# {t.id}: reconstruction report\n")
    if t.title:
        w(f"{t.title}\n")
    w(
        f"- spec: `{spec_name}`; n = {t.n}; accrual (time origin) {t.accrual_start} to "
        f"{t.accrual_end}; data cutoff {t.cutoff}; time origin: {t.origin}; unit: {u}"
        + (" (365.25/12 days)" if u == "months" else "")
    )
    w(
        f"- sampler: **{sampler}**; draws: {ens.draws}; seed: {ens.seed}; candidates "
        f"simulated: {ens.proposals:,}; accepted: {ens.accepted:,} (acceptance rate "
        f"{ens.acceptance_rate:.3g}); time {ens.elapsed:.2f} s"
    )
    w(f"- rounding: every number judged {_convention_text(t)}")
    if getattr(ens, "rounding_note", ""):
        w(f"- {ens.rounding_note}")
    for note in getattr(ens, "notes", ()):
        w(f"- {note}")
    if getattr(ens, "partial", False):
        w(
            "- **PARTIAL**: the budget ran out before every requested draw was found and no "
            "conflict was proven (feasibility not decided); the draws below each print every "
            "number, but there are fewer of them than asked for."
        )
    for src in t.sources:
        w(f"- source: {src}")
    if abc:
        w(
            "\nABC draws are *simulated to be consistent*: trials simulated from parametric "
            "models that print every printed Kaplan-Meier number (landmarks with CIs, medians). "
            "Counts, follow-up and individual event times are not conditioned on; the table "
            "below shows how far they fall from the printed values."
        )
    else:
        w(
            "\nEvery draw is a patient-level table that, re-analysed with Kaplan-Meier and the CI "
            "method below, prints **every** number of the spec (verified for every draw from "
            "the final table)."
        )

    w("\n## Printed vs reproduced\n")
    chk = ens.check()
    w(
        "Allowed interval = every true value that prints as the printed number under the "
        f"paper's one rounding convention, **{_convention_text(t)}**. Reproduced = min / "
        "median / max over the draws."
    )
    w("")
    w("| quantity | printed | allowed interval | reproduced min | median | max | draws | all ok |")
    w("|---|---|---|---|---|---|---|---|")
    for _, r in chk.iterrows():
        hi = "inf" if math.isinf(r["hi"]) else f"{r['hi']:.4g}"
        w(
            f"| {r['quantity']} | {r['printed']} | [{r['lo']:.4g}, {hi}] | {r['min']:.4g} | "
            f"{r['median']:.4g} | {r['max']:.4g} | {r['draws']} | "
            f"{'yes' if r['all_ok'] else 'NO'} |"
        )

    w("\n## CI method\n")
    for f in ens.findings:
        w(
            f"- {f.endpoint} at {f.time:g} {u}, printed `{f.text}`: consistent with "
            f"**{', '.join(f.consistent) or 'no transform'}** for n = {t.n}."
        )
        for ct, why in getattr(f, "reasons", {}).items():
            if ct not in f.consistent and why:
                w(f"  - {ct} excluded: {why}")
    w(
        f"\nTransforms consistent with every landmark: {', '.join(ens.methods_consistent)}; "
        f"used: **{ens.conf_type}**"
        + (" (also R survival's default)" if ens.conf_type == "log" else "")
        + (f" -- {software_note(ens.conf_type)}" if software_note(ens.conf_type) else "")
        + ". Found by `survkit.check.ci_check.check_ci`: an exact search over every event "
        f"history (risk-set sizes at the events before the landmark) of n = {t.n} patients, "
        "each history giving S = prod (r-1)/r and Greenwood's var(log S) = sum 1/(r(r-1))."
    )

    w("\n## Histories\n")
    w(
        "Event histories (numbers at risk at each event up to the landmark) that print each "
        f"landmark, and the {TOP_HISTORIES} most frequent among the draws (every history "
        "seen, with its count, is in `histories.csv`):\n"
    )
    for f in ens.findings:
        ep_ct = endpoint_method(ens.conf_type, f.endpoint)
        lm_method = landmark_method(ep_ct)
        total = f.n_histories.get(lm_method, len(f.histories.get(lm_method, ())))
        vc = ens.histories(f.endpoint, f.time).value_counts()
        w(
            f"- {f.endpoint} at {f.time:g} {u}: {total} possible "
            + ("history" if total == 1 else "histories")
            + f" under {ep_ct}; {len(vc)} seen among the draws"
        )
        for k, v in list(vc.items())[:TOP_HISTORIES]:
            w(f"  - at risk {k}: {v} draws ({_pct(v / ens.draws)})")
        if len(vc) > TOP_HISTORIES:
            rest = int(vc.iloc[TOP_HISTORIES:].sum())
            w(
                f"  - {len(vc) - TOP_HISTORIES} more histories: {rest} draws "
                f"({_pct(rest / ens.draws)})"
            )

    if not abc:
        w("\n## Readings of conflicting facts\n")
        for rd in ens.readings:
            if rd.feasible:
                w(
                    f"- **{rd.name}**: consistent ({rd.draws} draws; {rd.accepted:,} of "
                    f"{rd.proposals:,} candidates accepted). {rd.description}."
                )
            elif rd.proof:
                w(
                    f"- **{rd.name}**: NOT consistent, shown by {rd.proof}. A smallest set of "
                    "conflicting facts: " + "; ".join(rd.conflict) + f". ({rd.description}.)"
                )
            else:
                w(
                    f"- **{rd.name}**: not decided: no draw found in {rd.proposals:,} candidates "
                    f"(feasibility not decided; nothing was proven). ({rd.description}.)"
                )
        strata = [s_ for s_ in ens.strata if s_.definition]
        if strata:
            w("\n## Follow-up definition\n")
            w(
                f"The spec's follow-up definition is `{t.followup.definition}`"
                + (
                    " (not printed): every definition is tried."
                    if t.followup.definition == "unknown"
                    else "."
                )
                + " Every (reading, definition) stratum in which a draw was found gets an "
                "equal share of the draws (weight 1 in the table; 0 where none was found, which "
                "proves nothing). The acceptance rate (accepted / candidates) says how easily "
                "the constructed candidates of each definition print every number.\n"
            )
            w("| reading | definition | candidates | accepted | draws | evidence | weight |")
            w("|---|---|---|---|---|---|---|")
            tot = sum(s_.evidence for s_ in strata if s_.evidence == s_.evidence) or 1.0
            for s_ in strata:
                ev = s_.evidence if s_.evidence == s_.evidence else 0.0
                w(
                    f"| {s_.reading} | {s_.definition} | {s_.proposals:,} | {s_.accepted:,} | "
                    f"{s_.draws} | {ev:.3g} | {_pct(ev / tot)} |"
                )
            for s_ in strata:
                if s_.accepted == 0:
                    w(
                        f"\n- {s_.definition} ({s_.reading}): no reconstruction among "
                        f"{s_.proposals:,} candidates. This is evidence, not proof: the facts "
                        "may still be met under this definition with small prior probability."
                    )
                elif s_.draws and s_.accepted and s_.evidence / tot > s_.draws / ens.draws * 1.5:
                    w(
                        f"\n- {s_.definition}: fits (found {s_.accepted} times) but filled only "
                        f"{s_.draws} of its share within the budget; the other definitions "
                        "supplied the rest."
                    )
    else:
        a = ens.abc
        w("\n## ABC: plausibility and posterior\n")
        for st in a.statements():
            w(f"- {st}")
        w(
            f"\nPrior: a model uniformly among {', '.join(a.models)}; each endpoint's parameters "
            f"log-normal around the model's fit to the printed numbers (SD {a.spread} on the log "
            "scale). OS and DFS times share one uniform variate (comonotone), so a DFS event "
            "comes at or before death.\n"
        )
        post = a.posterior
        w("| model | parameter | posterior median | 2.5% | 97.5% | kept draws |")
        w("|---|---|---|---|---|---|")
        for m, g in post.groupby("model", sort=False):
            for c in g.columns:
                if c in ("draw", "model") or g[c].isna().all():
                    continue
                x = g[c].dropna().to_numpy()
                q = np.quantile(x, [0.5, 0.025, 0.975])
                w(f"| {m} | {c} | {q[0]:.4g} | {q[1]:.4g} | {q[2]:.4g} | {x.size} |")

    w("\n## Data dictionary of patients.csv\n")
    w("| column | meaning |")
    w("|---|---|")
    for col, meaning in data_dictionary(ens).items():
        w(f"| `{col}` | {meaning} |")

    w("\n## Assumptions\n")
    for a_ in t.assumptions:
        w(f"- {a_}")
    if not abc and getattr(ens, "engine", "") == "history":
        w(
            "- Sampling (`survkit.trial.history`): the discrete layer lists every history of "
            "the endpoint (risk sets at its events, where each landmark falls, which events "
            "are the median and its CI limits) that prints its landmarks jointly and its "
            "median; a history proven impossible by its time constraints is excluded. Each "
            "draw: a history uniformly among those kept, then the ordering's choices (each "
            "event patient's last contact uniformly among the slots after its event; the "
            "patient of a printed censored time uniformly among those whose time can lie in "
            "its window), kept when its difference constraints on whole days are feasible; "
            "then the days uniformly over the ordering's integer points (Gibbs sampler). "
            "Every draw was re-analysed and prints every number."
        )
    elif not abc and getattr(ens, "engine", "") == "search":
        w(
            "- Sampling (`survkit.trial.search`): Markov chains over whole patient tables. "
            "Prior per patient: entry uniform over the accrual window; status uniform; death "
            "day uniform up to the potential follow-up; relapse day uniform before death or "
            "the end of observation; early censoring (when allowed) with probability 1/2 at a "
            "uniform day. A chain searches (simulated annealing) until its table prints every "
            "number, then moves by Metropolis-Hastings with the prior as target and every "
            "printed fact as a constraint: the draws are Markov-chain samples of the prior "
            "conditioned on every printed fact. Every draw was re-analysed and prints every "
            "number."
        )
    elif not abc:
        w(
            "- Sampling (`survkit.trial.exact`): draws are built, then verified. Within a "
            "(reading, follow-up definition) stratum: a composition of patient statuses "
            "uniformly among those passing exact event counting; an OS history uniformly among "
            "those the printed-CI check lists; the days uniformly given the history, with the "
            "printed follow-up values (median, range, or the reverse-KM crossing) anchored "
            "uniformly in their rounding windows; a DFS history uniformly, then relapse days "
            "uniformly. It is uniform over histories, then over days given them: a documented "
            "construction, not a posterior. Every draw was re-analysed and prints every number."
        )
    return "\n".join(lines) + "\n"


def data_dictionary(ens: Ensemble) -> dict[str, str]:
    """Column -> meaning for the ensemble's patient table (``patients.csv``)."""
    t = ens.trial
    u = t.unit
    unit = f"{u} (1 month = 365.25/12 days)" if u == "months" else u
    out = {
        "draw": "reconstruction number (0-based); each draw is one complete trial of n patients",
        "patient": "patient number within the draw, 1 = first entered (longest follow-up)",
        "infusion_date": f"entry date (time origin: {t.origin}), a whole day in the accrual window",
    }
    for ep in t.endpoints:
        key = ep.name.lower()
        out[f"{key}_{u}"] = (
            f"{ep.name} observed time in {unit}: first of {' / '.join(ep.events)}, or censoring"
        )
        out[f"{key}_event"] = f"1 if the {ep.name} time is an event, 0 if censored"
    out[f"relapse_{u}"] = f"time of the (first) relapse in {unit}; empty when none"
    out[f"death_{u}"] = f"time of death in {unit}; empty when alive at cutoff"
    out[f"followup_{u}"] = f"potential follow-up (data cutoff - entry) in {unit}"
    out["status"] = "status at cutoff: " + "; ".join(
        f"{i} = {name}" for i, name in enumerate(STATUS_NAMES)
    )
    out["event_id"] = "the printed individual event this patient carries (spec id), if any"
    out["reading"] = "the reading of conflicting facts the draw satisfies"
    out["rounding"] = (
        "the rounding convention under which the draw prints every number (one per paper)"
    )
    out["followup_definition"] = (
        "the follow-up definition under which the draw prints the follow-up"
    )
    cols = list(ens.patients.columns)
    return {k: out.get(k, "") for k in cols}
