"""Forms of committee papers: a committee's template, and a quarter's sign-off."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Size
from django import forms

from core.form_layout import small_form_helper
from core.text_limits import BoundedTextMixin
from insights.models import CommitteeTemplate, PaperSection
from insights.models.papers import validate_distribution
from insights.selectors.report import MONTH_NAMES
from organisations.rules import years as year_rules


class CommitteeTemplateForm(BoundedTextMixin, forms.ModelForm):
    sections = forms.MultipleChoiceField(
        label="Sections",
        help_text="What the committee's paper holds, in this order.",
        choices=PaperSection.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one section"},
    )

    class Meta:
        model = CommitteeTemplate
        fields = ["name", "sections", "intro", "distribution"]
        labels = {"name": "Committee"}
        help_texts = {
            "name": "For example, Cabinet or Overview and scrutiny committee.",
            "intro": "Printed at the top of the paper, before its first section.",
            "distribution": "Who is sent the paper's link when a quarter is signed off: one email address a line.",
        }
        error_messages = {"name": {"required": "Enter the committee's name"}}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["distribution"].validators = [validate_distribution]
        self.helper = small_form_helper(
            Field.text("name"),
            Field.checkboxes("sections", legend_size=Size.SMALL, small=True),
            Field.textarea("intro", rows=4),
            Field.textarea("distribution", rows=4),
            button="save",
            submit="Save committee",
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = CommitteeTemplate.objects.in_organisation(self.organisation).filter(name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("There is already a committee with this name")
        return name

    def values(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("name", "sections", "intro", "distribution")}


class QuarterSignOffForm(BoundedTextMixin, forms.Form):
    financial_year = forms.TypedChoiceField(
        label="Financial year", coerce=int, error_messages={"required": "Choose the financial year"}
    )
    quarter = forms.TypedChoiceField(
        label="Quarter", coerce=int, error_messages={"required": "Choose the quarter"}
    )
    template = forms.ModelChoiceField(
        label="Committee",
        queryset=CommitteeTemplate.objects.none(),
        empty_label=None,
        help_text="Its distribution list is sent the link to its paper.",
        error_messages={"required": "Choose the committee", "invalid_choice": "Choose the committee"},
    )
    note = forms.CharField(
        label="Note for the committee (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Added to the email, above the link.",
    )

    def __init__(self, *args, years: list[int], start_month: int, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = [(y, year_rules.fy_label(y, start_month)) for y in years]
        quarters = []
        for q in range(1, 5):
            start, end = year_rules.quarter_bounds(years[0], q, start_month)
            quarters.append((q, f"Q{q} ({MONTH_NAMES[start.month - 1]} to {MONTH_NAMES[end.month - 1]})"))
        self.fields["quarter"].choices = quarters
        self.fields["template"].queryset = templates
        self.helper = small_form_helper(
            Field.select("financial_year"),
            Field.select("quarter"),
            Field.select("template"),
            Field.textarea("note"),
            button="save",
            submit="Sign off and send the link",
        )
