"""Parents' "wrongly blocked" / "should have been blocked" marks, counted by rule across families.

Only the rule (`lexicon:PACK:TERM`, a PII kind, a model label) and the category are counted: never a
child's words. `kidsafe fleet feedback` prints the table for the word-pack maintainers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from parent_portal.models import Feedback, Parent


@dataclass(frozen=True, slots=True)
class RuleFeedback:
    verdict: str
    rule: str
    category: str
    marks: int
    families: int

    def to_json(self) -> dict:
        return asdict(self)


def aggregate(db: Session, minimum: int = 1) -> list[RuleFeedback]:
    """Marks per (verdict, rule, category), most marked first; `families` counts distinct families."""
    rows = db.execute(
        select(Feedback.verdict, Feedback.rule, Feedback.category, func.count(Feedback.id),
               func.count(distinct(Parent.family_id)))
        .outerjoin(Parent, Parent.id == Feedback.parent_id)
        .group_by(Feedback.verdict, Feedback.rule, Feedback.category)
        .having(func.count(Feedback.id) >= minimum)
        .order_by(func.count(Feedback.id).desc(), Feedback.rule)
    ).all()
    return [RuleFeedback(verdict=v, rule=r, category=c, marks=int(n), families=int(f)) for v, r, c, n, f in rows]
