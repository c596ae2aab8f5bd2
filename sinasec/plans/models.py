"""Operational plans: a plan (national or a committee's) > strategies > activities, each
activity with one or more parts (responsible institutions, annual goal, programmed
quantity per month).

An activity normally has one part. A cell of the source that holds two values for two
committee types (2010 plan, strategy 4, activity 4: "3 4" for COPROSEC and CODISEC) is
two parts, never one flattened number.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinasec.core.uploads import RandomName

MONTHS = 12


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Plan(models.Model):
    """One year's programme of a plan. A multi-year plan (Directiva 006-2023-IN-DGSC: a
    committee's action plan runs four years, 2024-2027, programmed year by year) is the
    committee's programmes sharing one span, ``start_year``..``end_year``, one row per
    year; a single-year plan is a span of one (``start_year == end_year == year``)."""

    year = models.PositiveSmallIntegerField(_("year"))
    start_year = models.PositiveSmallIntegerField(_("first year of the plan"))
    end_year = models.PositiveSmallIntegerField(_("last year of the plan"))
    # None: the national plan of the council (ST-CONASEC); otherwise a committee's plan.
    committee = models.ForeignKey(
        "committees.Committee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-year", "committee_id"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(committee__isnull=True),
                name="one_national_plan_per_year",
            ),
            models.UniqueConstraint(
                fields=["year", "committee"], name="one_committee_plan_per_year"
            ),
            models.CheckConstraint(
                name="plan_year_within_span",
                condition=models.Q(start_year__lte=models.F("year"))
                & models.Q(end_year__gte=models.F("year")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A plan created with its year only is a single-year plan (every caller before
        # multi-year plans, and the template import of a year outside any span).
        if self.start_year is None:
            self.start_year = self.year
        if self.end_year is None:
            self.end_year = self.year
        super().save(*args, **kwargs)

    @property
    def is_multiyear(self) -> bool:
        return self.end_year > self.start_year

    @property
    def span(self) -> str:
        """``2024-2027``, or ``2010`` for a single-year plan."""
        return f"{self.start_year}-{self.end_year}" if self.is_multiyear else str(self.year)


class Strategy(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="strategies")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.TextField(_("name"))

    class Meta:
        ordering = ["plan_id", "number"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="strategy_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number}) {self.name}"


class Activity(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="activities")
    number = models.PositiveSmallIntegerField(_("number"))
    description = models.TextField(_("description"))
    unit = models.CharField(_("unit of measure"), max_length=80, blank=True)
    services = models.ManyToManyField("catalog.Service", blank=True, related_name="activities")
    source_text = models.TextField(_("source text"), blank=True)

    class Meta:
        ordering = ["strategy__number", "number"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="activity_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description[:60]}"

    @property
    def code(self) -> str:
        return f"{self.strategy.number}.{self.number}"


class ActivityPart(models.Model):
    """Who is responsible, for how much, when: the goal and the monthly schedule."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="parts")
    order = models.PositiveSmallIntegerField(default=1)
    responsible_text = models.CharField(_("responsible, as written"), max_length=200, blank=True)
    institutions = models.ManyToManyField(
        "institutions.Institution", blank=True, related_name="plan_parts"
    )
    goal = models.PositiveIntegerField(_("annual goal"), null=True, blank=True)
    # Twelve programmed quantities, January to December; null where the source cannot
    # be read (kept unknown, never guessed).
    programmed = models.JSONField(_("programmed per month"), default=list)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["activity_id", "order"]
        verbose_name = _("activity part")
        verbose_name_plural = _("activity parts")

    def __str__(self) -> str:
        return f"{self.activity_id}/{self.order} {self.responsible_text}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ExecutionReport(models.Model):
    """What one responsible institution executed of one activity part in one month.

    draft -> submitted -> approved, or returned (with a reason) -> corrected -> submitted.
    An approved month is locked unless the approver reopens it, with a reason.
    """

    part = models.ForeignKey(ActivityPart, on_delete=models.CASCADE, related_name="reports")
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    month = models.PositiveSmallIntegerField(_("month"))
    executed = models.PositiveIntegerField(_("executed"))
    comment = models.TextField(_("comment"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    reason = models.TextField(_("reason for return or reopening"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["part_id", "institution_id", "month"]
        verbose_name = _("execution report")
        verbose_name_plural = _("execution reports")
        constraints = [
            models.UniqueConstraint(
                fields=["part", "institution", "month"], name="one_report_per_month"
            ),
            models.CheckConstraint(
                name="report_month_1_12", condition=models.Q(month__gte=1, month__lte=12)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.part_id} {self.institution_id} {self.month}: {self.executed} ({self.status})"


class Evidence(models.Model):
    report = models.ForeignKey(ExecutionReport, on_delete=models.CASCADE, related_name="evidence")
    # Stored under a random name (core.uploads); served only by the permission-checked view.
    file = models.FileField(_("file"), upload_to=RandomName("plans"))
    original_name = models.CharField(_("file name"), max_length=150, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""


class ExecutionMonth(models.Model):
    """A summary the execution rates read instead of every part and report: per committee,
    year and month, what its programmes of that year schedule (a row with no
    ``approved_on``) and what was approved of it on each day (``executed``). Rebuilt from
    the parts and reports of that committee and year whenever one changes
    (``plans.multiyear.summary``); never edited by hand."""

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    approved_on = models.DateField(null=True)  # local date of the approval; None: programmed
    programmed = models.PositiveIntegerField(default=0)
    executed = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["year", "month", "committee", "approved_on"], name="execution_month_idx"
            ),
            models.Index(fields=["committee", "year"], name="execution_month_cmte_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.year}-{self.month:02d}"
