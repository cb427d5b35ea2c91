from tests.url_cases import Case

CASES = [
    Case("organisations:structure"),
    Case("organisations:people"),
    Case(
        "organisations:service_detail",
        kwargs=lambda w: {"pk": w.service.pk},
        other_kwargs=lambda w: {"pk": w.other_service.pk},
    ),
    Case(
        "organisations:person_detail",
        kwargs=lambda w: {"pk": w.staff.pk},
        other_kwargs=lambda w: {"pk": w.outsider.pk},
    ),
]
