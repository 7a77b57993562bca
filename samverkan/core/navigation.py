"""The main navigation. Apps add entries here; entries whose URL does not exist are skipped."""
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, minimum role or None)
NAV_ITEMS = [
    (_("Overview"), "home", None),
    (_("Agreements"), "agreements:agreement_list", None),
    (_("Activities"), "plans:activity_list", None),
    (_("Situation picture"), "situation:weekly", None),
    (_("Report incident"), "situation:report", None),
    (_("Follow-up"), "followup:yearwheel", None),
    (_("Meetings"), "meetings:meeting_list", None),
    (_("Residents' voice"), "participation:walk_list", None),
    (_("SSPF/SIG"), "sspf:home", None),
    (_("Organisations"), "organizations:organization_list", None),
    (_("Jobs"), "jobs:job_list", None),
    (_("Fault reports"), "faults:report_list", None),
    (_("Cameras"), "cameras:camera_list", None),
]


def nav_items(request):
    items = []
    for label, name, _minimum in NAV_ITEMS:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = request.path == url or (url != "/" and request.path.startswith(url))
        items.append({"label": label, "url": url, "active": active})
    return items
