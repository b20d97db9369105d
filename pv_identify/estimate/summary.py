"""Plain-text summary of an estimate result (what ``pv-identify estimate`` prints)."""

from __future__ import annotations

from typing import Any


def _triple(rec: dict[str, Any] | None, pct: bool = False) -> str:
    if not rec or rec.get("estimate") is None:
        return "n/a"
    if pct:
        return (f"{100 * rec['estimate']:5.1f}% [{100 * rec['low']:5.1f}, "
                f"{100 * rec['high']:5.1f}]")
    return f"{rec['estimate']:9,.0f} [{rec['low']:,.0f}, {rec['high']:,.0f}]"


def format_summary(result: dict[str, Any]) -> str:
    """Format the main figures of :func:`pv_identify.estimate.estimate_extract`.

    Parameters
    ----------
    result : dict
        The estimate result.

    Returns
    -------
    str
        Lines for the terminal (no record contents: only counts and estimates).
    """
    level = round(100 * result["method"]["level"])
    design = result["design"]
    lines = [
        f"extract         {result['extract']['rows']:,} offences; {design['annotated']} of "
        f"{design['sampled']} drawn rows annotated in {design['strata']} strata "
        f"({design['allocation']} allocation)",
        f"                estimate [{level}% interval]          counted by rules / "
        "rules+model",
    ]
    for target, name in (("partner_violence", "partner viol."), ("ex_partner", "ex-partner"),
                         ("domestic_violence", "domestic viol.")):
        block = result[target]
        counted = block["counted"]
        lines.append(f"{name:<15} {_triple(block['total']):<26} "
                     f"{_triple(block['share'], pct=True):<24} "
                     f"{counted['rules']:,} / {counted['combined']:,}")
    lines.append("partner-violence flag     precision                 recall")
    for system in ("rules", "model", "combined"):
        block = result.get(system)
        if block is None:
            continue
        name = "rules + model" if system == "combined" else system
        lines.append(f"{name:<15} {_triple(block['precision'], pct=True):<26} "
                     f"{_triple(block['recall'], pct=True)}")
    for note in result.get("warnings", []):
        lines.append(f"warning         {note}")
    return "\n".join(lines)
