from tests.url_cases import Case

CASES = [
    # A complete subject access export: the data protection officer only (not a
    # persona of the matrix; tests/insights/test_subject_access.py signs one in).
    # Everyone here is refused, and another organisation's person is a 404.
    Case(
        "insights:subject_access",
        kwargs=lambda w: {"pk": w.staff.pk},
        other_kwargs=lambda w: {"pk": w.outsider.pk},
        methods=("GET", "POST"),
        default=403,
        post_data=lambda w: {"export_format": "json"},
    ),
]
