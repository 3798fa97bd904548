"""The plain-language explanation of a credential: ``explain(record) -> Explanation``."""

from credentials.explanation.explain import explain
from credentials.explanation.result import (
    ChecklistItem,
    Completeness,
    Detail,
    ElementStatus,
    Explanation,
)

__all__ = ["ChecklistItem", "Completeness", "Detail", "ElementStatus", "Explanation", "explain"]
