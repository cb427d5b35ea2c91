from tests.url_cases import Case

CASES = [
    Case("insights:my_data"),
    Case(
        "insights:history",
        kwargs=lambda w: {"model_label": "organisations.employee", "pk": w.staff.pk},
        other_kwargs=lambda w: {"model_label": "organisations.employee", "pk": w.outsider.pk},
    ),
]
