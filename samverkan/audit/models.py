from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Action


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        ct = ContentType.objects.get_for_model(type(obj))
        return self.filter(content_type=ct, object_id=str(obj.pk))

    def update(self, **kwargs):  # the log is append-only
        raise TypeError("Audit entries cannot be changed.")

    def delete(self):
        raise TypeError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """One create, change or delete (or a read of a restricted record). Append-only. Who
    reads which entries is the access rule's (`samverkan.core.access.filter_audit` and
    `visible_audit_entries`): the audit app sits below core and knows nothing of roles."""

    timestamp = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # A user with entries is deactivated, never deleted: the actor never becomes empty.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_repr = models.CharField(_("who (name)"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("object type")
    )
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    municipality = models.ForeignKey(
        "organizations.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
    )
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit entries cannot be deleted.")

    @property
    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) for each field whose value changed, with choice values
        shown by their labels, so the history reads like the form."""
        before = self.changes.get("before") or {}
        after = self.changes.get("after") or {}
        model = self.content_type.model_class()
        fields = {}
        if model is not None:
            for field in model._meta.get_fields():
                for key in {getattr(field, "attname", None), field.name} - {None}:
                    fields[key] = field
        rows = []
        for key in sorted(set(before) | set(after)):
            old, new = before.get(key), after.get(key)
            if old == new:
                continue
            field = fields.get(key)
            label = str(getattr(field, "verbose_name", key)) if field is not None else key
            choices = dict(getattr(field, "flatchoices", None) or ())
            if choices:
                old, new = choices.get(old, old), choices.get(new, new)
            rows.append((label.capitalize(), old, new))
        return rows
