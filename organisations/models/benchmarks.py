"""Benchmarks: other councils' published figures for a measure (an LG Inform
style file), imported for a comparator group, so a KPI linked to the measure
(``KPI.benchmark_measure``) shows its quartile position among them."""

from __future__ import annotations

from django.db import models

from core.clock import now
from organisations.models.people import Employee
from organisations.models.scoping import ScopedQuerySet
from organisations.models.structure import Organisation


class ComparatorGroup(models.TextChoices):
    # In the order pages prefer them: a scorecard and the committee report show a
    # KPI against the first group that has figures for its measure.
    NEAREST_NEIGHBOURS = "nearest_neighbours", "CIPFA nearest neighbours"
    SAME_TYPE = "same_type", "Councils of the same type (such as all English unitaries)"
    REGION = "region", "Councils in the same region"
    ENGLAND = "england", "England (all English councils)"


GROUP_ORDER = [code for code, _ in ComparatorGroup.choices]


class BenchmarkImport(models.Model):
    """One file of benchmark figures: who imported it, when, and what it held.
    Its figures replace those of the same measure, group and period."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="benchmark_imports")
    comparator_group = models.CharField(max_length=30, choices=ComparatorGroup.choices)
    measures = models.JSONField(default=list, help_text="The measure codes the file held.")
    source = models.CharField(
        max_length=300, blank=True, help_text="Where the figures were published, e.g. LG Inform."
    )
    filename = models.CharField(max_length=255)
    rows = models.PositiveIntegerField(default=0, help_text="Figures imported.")
    skipped = models.PositiveIntegerField(default=0, help_text="Rows with no figure published.")
    imported_by = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="benchmark_imports"
    )
    imported_at = models.DateTimeField(default=now)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_comparator_group_display()})"


class BenchmarkFigure(models.Model):
    """One council's figure for a measure and period, in a comparator group."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="benchmark_figures")
    benchmark_import = models.ForeignKey(BenchmarkImport, on_delete=models.CASCADE, related_name="figures")
    measure = models.CharField(max_length=60)
    measure_name = models.CharField(max_length=200, blank=True)
    comparator_group = models.CharField(max_length=30, choices=ComparatorGroup.choices)
    area_code = models.CharField(max_length=12)
    area_name = models.CharField(max_length=200, blank=True)
    period = models.CharField(max_length=40, help_text="The period as the file names it.")
    period_end = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=4)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["measure", "comparator_group", "-period_end", "area_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "measure", "comparator_group", "period_end", "area_code"],
                name="benchmark_figure_one_per_area",
            )
        ]
        indexes = [models.Index(fields=["organisation", "measure"])]

    def __str__(self) -> str:
        return f"{self.measure} {self.period} {self.area_code}: {self.value}"
