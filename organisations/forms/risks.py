"""Forms for the risk register, laid out with crispy-forms-gds."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.db.models import Q

from core.text_limits import BoundedTextMixin
from organisations.access import Viewer
from organisations.models import Employee, Risk, RiskAction, RiskCategory, Service
from organisations.models.risks import RISK_FORM_FIELDS
from organisations.rules import risks as risk_rules
from organisations.services.risks import assignable_services, may_hold_corporate

SCORE_FIELDS = (
    ("inherent", "Inherent score (before controls)", "How likely and how bad, with no controls in place."),
    (
        "residual",
        "Residual score (with current controls)",
        "How likely and how bad, with the controls in place now.",
    ),
    (
        "target",
        "Target score",
        "Where you aim to bring it: within the organisation's appetite for this category.",
    ),
)
STATUS_CHOICES = [("open", "Open"), ("closed", "Closed")]


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Employee) -> str:
        return f"{obj.full_name}, {obj.job_role.title}" if obj.job_role_id else obj.full_name


def risk_owner_choices(viewer: Viewer, *also: int | None):
    """People who may own a risk or an action: managers, heads of service and
    performance officers (a list a select can hold at 10,000 staff), plus anyone
    named in ``also`` (the current owner, the viewer)."""
    extra = [pk for pk in also if pk]
    return (
        viewer.employees()
        .filter(active=True)
        .filter(
            Q(direct_reports__isnull=False)
            | Q(headed_services__isnull=False)
            | Q(is_performance_officer=True)
            | Q(pk__in=extra)
        )
        .select_related("job_role")
        .distinct()
        .order_by("last_name", "first_name")
    )


class DateField(DateInputField):
    """GOV.UK date input whose impossible dates (31 2 2027, month 14) read as words,
    not as Python's "month must be in 1..12"."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError:
            raise forms.ValidationError(f"{self.label} must be a real date", code="invalid") from None


def date_field(label: str, help_text: str) -> DateInputField:
    field = DateField(label=label, help_text=help_text, require_all_fields=False)
    field.error_messages.update(
        {"required": f"Enter the {label.lower()} date", "incomplete": f"Enter the {label.lower()} date"}
    )
    return field


class RiskForm(BoundedTextMixin, forms.ModelForm):
    review_due = date_field("Review due", "For example, 31 3 2027. When the owner next reviews the scores.")
    flag = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Risk
        fields = list(RISK_FORM_FIELDS)
        labels = {
            "title": "Risk title",
            "reference": "Reference (optional)",
            "service": "Register",
            "owner": "Risk owner",
            "response": "Response",
            "controls": "Controls in place",
        }
        help_texts = {
            "title": "A short name, for example 'Cyber attack disrupts council services'.",
            "reference": "For example CR03 or HO-07.",
            "description": "Cause, event and consequence: 'Because of ..., there is a risk that ..., leading to ...'.",
            "service": "The service whose register holds the risk. Corporate risks sit on the strategic register.",
            "response": "Tolerate, treat, transfer or terminate (the four Ts).",
            "controls": "What already reduces the risk. Planned work goes in actions.",
        }
        field_classes = {"owner": EmployeeChoiceField}
        widgets = {"response": forms.RadioSelect}
        error_messages = {
            "title": {"required": "Enter a title for the risk"},
            "description": {"required": "Describe the risk: its cause, event and consequence"},
            "category": {"required": "Choose a category"},
            "service": {
                "required": "Choose the service whose register holds the risk",
                "invalid_choice": "Choose a service you are responsible for",
            },
            "owner": {"invalid_choice": "Choose a risk owner from the list"},
            "response": {"required": "Choose a response"},
            **{
                f"{stage}_{part}": {"required": f"Choose the {stage} {part}"}
                for stage in ("inherent", "residual", "target")
                for part in ("likelihood", "impact")
            },
        }

    def __init__(self, *args: Any, viewer: Viewer, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.viewer = viewer
        current: Risk = self.instance
        services = assignable_services(viewer)
        if current.service_id:
            services = services | viewer.services().filter(pk=current.service_id)
        service_field = self.fields["service"]
        service_field.queryset = services.order_by("name")
        corporate_allowed = may_hold_corporate(viewer) or (editing and current.service_id is None)
        service_field.required = not corporate_allowed
        service_field.empty_label = (
            "Corporate (strategic register)" if corporate_allowed else "Choose a service"
        )
        owner_field = self.fields["owner"]
        owner_field.queryset = risk_owner_choices(viewer, current.owner_id, viewer.employee.pk)
        owner_field.empty_label = "No owner yet"
        self.fields["category"].choices = [("", "Choose a category"), *RiskCategory.choices]
        for stage, _legend, _hint in SCORE_FIELDS:
            self.fields[f"{stage}_likelihood"].label = "Likelihood"
            self.fields[f"{stage}_impact"].label = "Impact"
            for part in ("likelihood", "impact"):
                field = self.fields[f"{stage}_{part}"]
                field.choices = [("", "Choose"), *list(field.choices)[1:]]
        if editing:
            self.fields["status"] = forms.ChoiceField(
                label="Status",
                choices=STATUS_CHOICES,
                initial="open" if current.is_open else "closed",
                help_text="Close a risk that has gone away or been terminated. Its flags resolve.",
                widget=forms.RadioSelect,
            )
            self.fields["closing_note"] = forms.CharField(
                label="Why it is closed (optional)", required=False, max_length=80
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        scores = [
            Fieldset(
                Field.select(f"{stage}_likelihood"),
                Field.select(f"{stage}_impact"),
                legend=legend,
                legend_size=Size.SMALL,
            )
            for stage, legend, _hint in SCORE_FIELDS
        ]
        tail = (
            [Field.radios("status", legend_size=Size.SMALL, inline=True), Field.text("closing_note")]
            if editing
            else []
        )
        self.helper.layout = Layout(
            Field.text("title"),
            Field.text("reference", field_width=10),
            Field.textarea("description", rows=4),
            Field.select("category"),
            Field.select("service"),
            Field.select("owner"),
            *scores,
            Field.radios("response", legend_size=Size.SMALL),
            Field.textarea("controls", rows=4),
            Field("review_due"),
            *tail,
            "flag",
            Button("submit", "Save risk"),
        )

    def risk_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    @property
    def closing(self) -> bool:
        return self.cleaned_data.get("status") == "closed"


def prefill_from_request(params, viewer: Viewer) -> dict[str, Any]:
    """Initial values for a new risk from ``?title=&description=&category=&service=&flag=``
    (a flag's "record as a risk" link). Values that do not fit are ignored."""
    initial: dict[str, Any] = {}
    if title := params.get("title", "").strip():
        initial["title"] = title[:200]
    if description := params.get("description", "").strip():
        initial["description"] = description[:4000]
    if (category := params.get("category", "")) in RiskCategory.values:
        initial["category"] = category
    service_id = params.get("service", "")
    if service_id.isdigit() and assignable_services(viewer).filter(pk=int(service_id)).exists():
        initial["service"] = int(service_id)
    if (flag := params.get("flag", "")).isdigit():
        initial["flag"] = int(flag)
    return initial


class RiskActionForm(BoundedTextMixin, forms.ModelForm):
    due = date_field("Due", "For example, 30 6 2027.")

    class Meta:
        model = RiskAction
        fields = ["description", "owner", "due"]
        labels = {"description": "What will be done", "owner": "Action owner"}
        field_classes = {"owner": EmployeeChoiceField}
        error_messages = {"description": {"required": "Enter what will be done"}}

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = risk_owner_choices(viewer, viewer.employee.pk)
        self.fields["owner"].empty_label = "No owner yet"
        self.fields["description"].widget = forms.Textarea(attrs={"rows": 3})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.textarea("description", rows=3),
            Field.select("owner"),
            Field("due"),
            Button("submit", "Add action"),
        )


class RiskFilterForm(BoundedTextMixin, forms.Form):
    """The register's filters (GET). Invalid values are ignored, not an error page."""

    q = forms.CharField(label="Reference or title contains", required=False, max_length=100)
    service = forms.ChoiceField(label="Register", required=False)
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "All categories"), *RiskCategory.choices]
    )
    band = forms.ChoiceField(
        label="Residual band",
        required=False,
        choices=[("", "All bands"), *((b, risk_rules.BAND_LABELS[b]) for b in reversed(risk_rules.BANDS))],
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("open", "Open"), ("closed", "Closed"), ("all", "Open and closed")],
    )
    owner = forms.ChoiceField(label="Owner", required=False)
    overdue = forms.BooleanField(label="Only risks overdue for review", required=False)
    likelihood = forms.TypedChoiceField(
        required=False, coerce=int, choices=[(k, k) for k in risk_rules.SCALE], widget=forms.HiddenInput
    )
    impact = forms.TypedChoiceField(
        required=False, coerce=int, choices=[(k, k) for k in risk_rules.SCALE], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, services: list[tuple[str, str]], owners: list[Employee], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [
            ("", "All registers"),
            ("corporate", "Corporate (strategic)"),
            *services,
        ]
        self.fields["owner"].choices = [("", "Anyone"), *((str(e.pk), e.full_name) for e in owners)]


def service_options(services: list[Service]) -> list[tuple[str, str]]:
    """The service tree as select options, indented by depth, each followed by
    its children in name order."""
    children: dict[int | None, list[Service]] = {}
    for s in services:
        children.setdefault(s.parent_id, []).append(s)
    options: list[tuple[str, str]] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for s in sorted(children.get(parent, []), key=lambda s: s.name):
            if s.pk in seen:
                continue
            seen.add(s.pk)
            options.append((str(s.pk), f"{'– ' * depth}{s.name}"))
            walk(s.pk, depth + 1)

    walk(None, 0)
    return options
