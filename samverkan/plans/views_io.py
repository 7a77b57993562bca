"""Pages to import an action plan table into an agreement and to download the plan.

Import is two steps: upload -> a dry-run preview (what the file holds, what would change,
every error by row and column) -> "Importera", which imports the same file (kept in the
session between the steps; plan files are small) in one transaction.
"""
from __future__ import annotations

import base64
import io
import secrets
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from samverkan.agreements.models import Agreement
from samverkan.core import access
from samverkan.core.uploads import check_upload

from .io import exporter
from .io.importer import KINDS, ImportResult, import_plan

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SESSION_KEY = "plans.import"
KIND_LABELS = {
    "focus_area": gettext_lazy("Focus areas"),
    "sub_goal": gettext_lazy("Sub-goals"),
    "activity": gettext_lazy("Activities"),
    "indicator": gettext_lazy("Indicators"),
    "priority_area": gettext_lazy("Priority areas"),
}


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Plan file"),
        help_text=gettext_lazy(
            "An Excel file (.xlsx) or a CSV file (.csv) with a header row such as "
            "Fokusområde, Mål, Aktivitet, Åtgärd kommun, Åtgärd polis, Status."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in (".xlsx", ".xlsm", ".csv", ".txt"):
            raise forms.ValidationError(_("Choose an Excel file (.xlsx) or a CSV file (.csv)."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 5 MB)."))
        check_upload(upload, max_bytes=MAX_UPLOAD_BYTES)
        return upload


def _agreement_to_change(request, pk: int) -> Agreement:
    agreement = access.get_visible_or_404(Agreement.objects.select_related("municipality"),
                                          request.user, pk=pk)
    access.require_change(request.user, agreement)
    return agreement


def _outcome_rows(result: ImportResult) -> list[dict]:
    rows = []
    for kind in KINDS:
        counts = [result.created[kind], result.updated[kind], result.unchanged[kind]]
        if any(counts):
            rows.append({"label": KIND_LABELS[kind], "created": counts[0],
                         "updated": counts[1], "unchanged": counts[2]})
    return rows


def _render(request, agreement, form, result=None, token=None, filename=""):
    return render(request, "plans/plan_import.html", {
        "agreement": agreement,
        "form": form,
        "result": result,
        "outcomes": _outcome_rows(result) if result is not None else [],
        "token": token,
        "filename": filename,
        "export_url_xlsx": _export_url(agreement, "xlsx"),
    }, status=200)


def _export_url(agreement, fmt: str) -> str:
    return f"{reverse('plans:plan_export', args=[agreement.pk])}?format={fmt}"


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request, pk: int):
    """Upload a plan file, see the dry-run preview, then confirm the import."""
    agreement = _agreement_to_change(request, pk)
    if request.method == "GET":
        return _render(request, agreement, PlanUploadForm())

    if "confirm" in request.POST:
        return _confirm(request, agreement)

    form = PlanUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, agreement, form)
    upload = form.cleaned_data["file"]
    data = upload.read()
    result = import_plan(io.BytesIO(data), upload.name, agreement=agreement,
                         actor=request.user, dry_run=True)
    token = None
    if result.ok:
        token = secrets.token_urlsafe(16)
        request.session[SESSION_KEY] = {
            "token": token, "agreement": agreement.pk, "name": upload.name,
            "data": base64.b64encode(data).decode("ascii"),
        }
    else:
        request.session.pop(SESSION_KEY, None)
    return _render(request, agreement, PlanUploadForm(), result, token, upload.name)


def _confirm(request, agreement):
    stored = request.session.get(SESSION_KEY)
    if (not stored or stored.get("agreement") != agreement.pk
            or stored.get("token") != request.POST.get("token")):
        messages.error(request, _("The uploaded file is no longer available. Upload it again."))
        return redirect("plans:plan_import", agreement.pk)
    data = base64.b64decode(stored["data"])
    result = import_plan(io.BytesIO(data), stored["name"], agreement=agreement,
                         actor=request.user)
    if not result.ok:
        # Something changed since the preview: show what now fails, nothing was written.
        return _render(request, agreement, PlanUploadForm(), result, None, stored["name"])
    del request.session[SESSION_KEY]
    if result.changed:
        messages.success(request, _(
            "The plan was imported: %(created)d new and %(updated)d changed records.") % {
            "created": sum(result.created.values()), "updated": sum(result.updated.values())})
    else:
        messages.success(request, _("Nothing changed: the agreement already holds this plan."))
    return redirect(agreement.get_absolute_url())


@login_required
@require_GET
def plan_export(request, pk: int):
    """Download the plan (?format=xlsx|docx|csv) with what the user may see."""
    agreement = access.get_visible_or_404(Agreement.objects.select_related("municipality"),
                                          request.user, pk=pk)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in exporter.FORMATS:
        return HttpResponseBadRequest(_("Choose the format xlsx, docx or csv."))
    data = exporter.export_plan(agreement, fmt, user=request.user)
    response = HttpResponse(data, content_type=exporter.content_type(fmt))
    response["Content-Disposition"] = f'attachment; filename="{exporter.filename(agreement, fmt)}"'
    return response
