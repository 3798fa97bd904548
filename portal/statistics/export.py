"""CSV export of one statistics table."""

import csv

from django.http import HttpResponse

from portal.statistics.selectors import Scope, Table


def csv_filename(table: Table, scope: Scope) -> str:
    parts = ["statistics", table.slug]
    if scope.employer_id is not None:
        parts.append(f"employer-{scope.employer_id}")
    if scope.start:
        parts.append(f"from-{scope.start.isoformat()}")
    if scope.end:
        parts.append(f"to-{scope.end.isoformat()}")
    return "-".join(parts) + ".csv"


def csv_response(table: Table, scope: Scope) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{csv_filename(table, scope)}"'
    # A byte-order mark, so Excel (what most HR offices open CSV files with) reads the
    # Japanese labels as UTF-8 instead of Shift_JIS.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([str(column.label) for column in table.columns])
    writer.writerows([_cell(value) for value in row] for row in table.rows)
    return response


# Issuer and field names come from applicants' uploads; a cell starting with one of these
# would run as a formula when an administrator opens the file in a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
