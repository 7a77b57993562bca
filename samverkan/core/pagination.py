"""The API's pagination (its own module: DRF imports it while it loads its views)."""
from rest_framework import pagination


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """At most 1,000 records a page; a limit or offset beyond what a database can count is
    clamped instead of failing."""

    max_limit = 1000

    def get_offset(self, request):
        return min(super().get_offset(request), 2**62)
