"""Import and export of action plan tables (XLSX/CSV)."""

from samverkan.plans.io.table import (
    CANONICAL_HEADERS,
    COLUMNS,
    ParsedActivity,
    ParsedFocusArea,
    ParsedIndicator,
    ParsedPlan,
    ParsedSubGoal,
    RowError,
    parse_plan_table,
    plan_to_rows,
)

__all__ = [
    "CANONICAL_HEADERS",
    "COLUMNS",
    "ParsedActivity",
    "ParsedFocusArea",
    "ParsedIndicator",
    "ParsedPlan",
    "ParsedSubGoal",
    "RowError",
    "parse_plan_table",
    "plan_to_rows",
]
