"""Pages of 100 rows by default (``page_size`` up to 1,000), with ``next`` and
``previous`` links in the body and in a ``Link`` header (RFC 8288), so a CSV
reader, which sees only the rows, can follow them too."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        links = []
        if response.data.get("next"):
            links.append(f'<{response.data["next"]}>; rel="next"')
        if response.data.get("previous"):
            links.append(f'<{response.data["previous"]}>; rel="prev"')
        if links:
            response["Link"] = ", ".join(links)
        response["X-Total-Count"] = str(response.data["count"])
        return response
