"""What reusing an existing system would save: a deliberately simple, stated formula.

    estimated_savings = budget * overlap / 100 - budget * adaptation_rate,  never below 0

* ``budget`` is the planned system's budget (thousand rubles, as in the catalog): the value
  passed in, else the record's total funding, else its capex. No budget: ``None``, not 0,
  so nobody reads "no savings" where the truth is "unknown".
* ``overlap / 100`` of the functions need not be built again; the assumption is that
  development cost is spread evenly over the functions.
* Taking over a system is not free: licences or source transfer, deployment, integration
  with regional registries, training. ``adaptation_rate`` (the setting
  ``savings_adaptation_rate``: 15 % of the planned budget) stands for that fixed effort; it is what makes a 10 % overlap not worth reusing.
"""
from __future__ import annotations

from dataclasses import dataclass

from practicebank import settings
from practicebank.matcher.records import ProjectRecord


@dataclass(frozen=True)
class SavingsModel:
    """``estimate(budget, overlap)`` in the budget's unit; ``assumptions()`` for the UI/CLI."""

    adaptation_rate: float = settings.SAVINGS_ADAPTATION_RATE
    currency_unit: str = "thousand RUB"

    def __post_init__(self):
        if not 0.0 <= self.adaptation_rate <= 1.0:
            raise ValueError("adaptation_rate must be within 0..1")

    def estimate(self, budget: float | None, overlap: float) -> float | None:
        if budget is None or budget <= 0:
            return None
        share = min(max(overlap, 0.0), 100.0) / 100.0
        return round(max(0.0, budget * share - budget * self.adaptation_rate), 1)

    def assumptions(self) -> dict:
        return {
            "formula": "max(0, budget * overlap / 100 - budget * adaptation_rate)",
            "adaptation_rate": self.adaptation_rate,
            "unit": self.currency_unit,
            "budget_source": "given budget, else the planned record's total funding, else its capex",
            "notes": [
                "development cost is assumed to be spread evenly over the functions",
                "adaptation_rate stands for deployment, integration and training when reusing",
                "no known budget gives null, not zero",
            ],
        }


def planned_budget(record: ProjectRecord | None, budget: float | None = None) -> float | None:
    """The budget a plan is judged by: explicit, else total funding, else capex."""
    if budget is not None:
        return float(budget)
    if record is None:
        return None
    return record.planned_budget or record.capex or None


def estimated_savings(budget: float | None, overlap: float,
                      adaptation_rate: float = settings.SAVINGS_ADAPTATION_RATE) -> float | None:
    return SavingsModel(adaptation_rate).estimate(budget, overlap)
