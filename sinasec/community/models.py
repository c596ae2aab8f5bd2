"""The committees' community work: Juntas Vecinales of a district, trainings
(capacitaciones) with their participants and certificates, and the public investment
projects the committees formulate.

Nothing is overwritten where a report needs the past: a junta's status and a project's
stage are dated rows, so every count is computed as of a date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sinasec.core.uploads import RandomName


class RecognisedBy(models.TextChoices):
    PNP = "pnp", _("National Police (PNP)")
    MUNICIPALITY = "municipality", _("Municipality")


class Junta(models.Model):
    """A Junta Vecinal de Seguridad Ciudadana of a district, recognised by the PNP or
    the municipality on a date (active from then on, unless a later status says not)."""

    district = models.ForeignKey(
        "territories.Territory", on_delete=models.PROTECT, related_name="juntas"
    )
    name = models.CharField(_("name"), max_length=160)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    coordinator = models.CharField(_("coordinator"), max_length=160, blank=True)
    members = models.PositiveIntegerField(_("members"))
    recognised_by = models.CharField(
        _("recognised by"), max_length=12, choices=RecognisedBy.choices
    )
    recognised_on = models.DateField(_("recognised on"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district_id", "name"]
        verbose_name = _("junta vecinal")
        verbose_name_plural = _("juntas vecinales")
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="junta_name_per_district")
        ]
        indexes = [models.Index(fields=["district", "recognised_on"], name="junta_asof_idx")]

    def __str__(self) -> str:
        return self.name


class JuntaState(models.TextChoices):
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")


class JuntaStatus(models.Model):
    """A change of a junta's status from a date on (deactivated, reactivated)."""

    junta = models.ForeignKey(Junta, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(_("status"), max_length=10, choices=JuntaState.choices)
    since = models.DateField(_("since"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["junta_id", "since", "id"]
        verbose_name = _("junta status")
        verbose_name_plural = _("junta statuses")
        constraints = [
            models.UniqueConstraint(fields=["junta", "since"], name="junta_status_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.junta_id} {self.status} {self.since}"


class Training(models.Model):
    """A training event (capacitación). ``committee``: the committee that records it
    (None: a national event, recorded by the secretariat or the organiser)."""

    event = models.CharField(_("event"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200)
    organiser = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("date"))
    committee = models.ForeignKey(
        "committees.Committee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trainings",
    )
    # The plan activity this training executes (shown beside its execution, never
    # written into an institution's monthly report).
    activity = models.ForeignKey(
        "plans.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainings",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "id"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.UniqueConstraint(fields=["event", "held_on", "organiser"], name="training_once")
        ]

    def __str__(self) -> str:
        return f"{self.event} ({self.held_on})"


class Participation(models.Model):
    """How many people of one committee (or junta) and institution took part."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="participants")
    committee = models.ForeignKey(
        "committees.Committee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_participations",
    )
    junta = models.ForeignKey(
        Junta, on_delete=models.PROTECT, null=True, blank=True, related_name="participations"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    people = models.PositiveIntegerField(_("participants"))

    class Meta:
        ordering = ["training_id", "id"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.CheckConstraint(
                name="participation_names_who",
                condition=models.Q(committee__isnull=False)
                | models.Q(junta__isnull=False)
                | models.Q(institution__isnull=False),
            )
        ]
        indexes = [models.Index(fields=["committee", "training"], name="participation_cmte_idx")]

    def __str__(self) -> str:
        return f"{self.training_id}: {self.people}"


class Certificate(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="certificates")
    # Stored under a random name (core.uploads); served only by the permission-checked view.
    file = models.FileField(_("file"), upload_to=RandomName("community"))
    original_name = models.CharField(_("file name"), max_length=150, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.original_name or self.file.name or ""


class Stage(models.TextChoices):
    """The stages of a public investment project, in order."""

    IDEA = "idea", _("Idea")
    FORMULATED = "formulated", _("Formulated")
    VIABLE = "viable", _("Viable")
    EXECUTION = "execution", _("In execution")
    CLOSED = "closed", _("Closed")


STAGE_ORDER = [s.value for s in Stage]


class Project(models.Model):
    """A public investment project of a committee, by its unique investment code (CUI)."""

    cui = models.CharField(_("investment code (CUI)"), max_length=7, unique=True)
    name = models.CharField(_("name"), max_length=300)
    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.PROTECT, related_name="projects"
    )
    amount = models.DecimalField(_("amount (S/)"), max_digits=14, decimal_places=2)
    is_demo = models.BooleanField(_("demo data"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["committee_id", "cui"]
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")
        constraints = [
            models.CheckConstraint(name="project_amount_positive", condition=models.Q(amount__gt=0))
        ]

    def __str__(self) -> str:
        return f"{self.cui} {self.name}"


class ProjectStage(models.Model):
    """The date a project reached a stage; its stage as of a date is the last reached."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    reached_on = models.DateField(_("reached on"))

    class Meta:
        ordering = ["project_id", "reached_on", "id"]
        verbose_name = _("project stage")
        verbose_name_plural = _("project stages")
        constraints = [
            models.UniqueConstraint(fields=["project", "stage"], name="project_stage_once")
        ]
        indexes = [models.Index(fields=["stage", "reached_on"], name="project_stage_idx")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.stage} {self.reached_on}"
