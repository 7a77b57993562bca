"""The yearly picture's section on emerging hot spots and on how good the hot-spot map is:
months over the trend years, the categorised squares (where, what, since when), and the map of
the year before held against this year's incidents. Shared by the page and the documents."""
from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.db.models import Min
from django.utils.translation import gettext as _

from samverkan.core import numbers

from . import emerging, emerging_text, picture

YEARS = 5
#: Squares listed in the table and the document.
MAX_ROWS = 15


@dataclass
class EmergingSection:
    em: emerging.Emerging
    message: str
    categories: list[dict]
    rows: list[dict]
    geojson: dict
    accuracy: emerging.Accuracy | None
    accuracy_text: str


def build(user, municipality, year: int, *, cell_size: int = picture.DEFAULT_CELL_SIZE
          ) -> EmergingSection:
    """Months of ``year - 4`` .. ``year`` (only what ``user`` may see), from the first month
    with an incident."""
    base = picture.incidents_for(user, municipality)
    first = datetime.date(year - YEARS + 1, 1, 1)
    # Months before the first incident are missing data, not calm months: left out.
    earliest = base.for_hotspots().filter(
        occurred_at__gte=datetime.datetime(first.year, 1, 1, tzinfo=picture.LOCAL_TZ)
    ).aggregate(first=Min("occurred_at"))["first"]
    if earliest is not None:
        first = max(first, earliest.astimezone(picture.LOCAL_TZ).date().replace(day=1))
    # The current month is not complete: it would look calm. The last month is the last
    # complete one.
    today = datetime.datetime.now(picture.LOCAL_TZ).date()
    last = min(datetime.date(year, 12, 31), today.replace(day=1) - datetime.timedelta(days=1))
    em = emerging.emerging(base, "month", first, max(last, first), cell_size)
    labels = emerging_text.labels()
    rows = []
    for row in emerging.cells_with_position(em)[:MAX_ROWS]:
        c = row["cell"]
        rows.append({"category": c.category, "label": labels[c.category],
                     "help": str(emerging_text.CATEGORY_HELP[c.category]),
                     "colour": emerging.CATEGORY_COLOURS[c.category],
                     "since": em.since_label(c.since), "trend_z": c.trend_z,
                     "trend_p": c.trend_p, "count": c.count, "lat": row["lat"],
                     "lon": row["lon"]})
    start = datetime.datetime(year - 1, 1, 1, tzinfo=picture.LOCAL_TZ)
    mid = datetime.datetime(year, 1, 1, tzinfo=picture.LOCAL_TZ)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=picture.LOCAL_TZ)
    acc = emerging.accuracy(base, start, mid, end, cell_size, map_first=str(year - 1),
                            map_last=str(year - 1), next_label=str(year))
    return EmergingSection(
        em=em, message=emerging_text.emerging_message(em),
        categories=emerging.category_rows(em, labels), rows=rows,
        geojson=emerging.emerging_geojson(em, labels), accuracy=acc,
        accuracy_text=emerging_text.accuracy_sentence(acc))


def map_png(section: EmergingSection) -> bytes | None:
    """The categorised squares on a plain grid (SWEREF 99 TM), for the documents."""
    cells = section.em.result.cells
    if not cells:
        return None
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    size = section.em.cell_size
    fig, ax = plt.subplots(figsize=(6.5, 5.5), dpi=120)
    seen = {}
    for c in cells:
        colour = emerging.CATEGORY_COLOURS[c.category]
        ax.add_patch(Rectangle((c.x, c.y), size, size, facecolor=colour, edgecolor="white",
                               linewidth=0.3))
        seen[c.category] = colour
    xs = [c.x for c in cells]
    ys = [c.y for c in cells]
    pad = size * 3
    ax.set_xlim(min(xs) - pad, max(xs) + size + pad)
    ax.set_ylim(min(ys) - pad, max(ys) + size + pad)
    ax.set_aspect("equal")
    ax.ticklabel_format(useOffset=False, style="plain")
    ax.tick_params(labelsize=7)
    ax.set_xlabel(_("East (m, SWEREF 99 TM)"), fontsize=8)
    ax.set_ylabel(_("North (m, SWEREF 99 TM)"), fontsize=8)
    labels = emerging_text.labels()
    ax.legend(handles=[Patch(facecolor=v, label=labels[k]) for k, v in seen.items()],
              fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def add_to_document(doc, section: EmergingSection) -> None:
    """The section in the yearly picture's DOCX/PDF."""
    doc.heading(_("Emerging hot spots"), 2)
    doc.paragraph(_("Is a place getting worse, and since when? Every month is analysed like "
                    "the hot spot map, and the trend of each square is tested (Mann-Kendall). "
                    "See the explanation of the categories below."), italic=True)
    doc.paragraph(section.message)
    if section.categories:
        doc.table([_("Pattern"), _("Squares"), _("What it means")],
                  [[c["label"], c["cells"], str(emerging_text.CATEGORY_HELP[c["category"]])]
                   for c in section.categories], widths=[2.5, 1, 5])
    png = map_png(section)
    if png:
        doc.image(png, width_cm=15, caption=_("Squares with a pattern, %(first)s–%(last)s") % {
            "first": section.em.first_label, "last": section.em.last_label})
    if section.rows:
        doc.table([_("Pattern"), _("Since"), _("Trend (z)"), _("Incidents"),
                   _("Centre (lat, lon)")],
                  [[r["label"], r["since"], numbers.signed(r["trend_z"], 1),
                    r["count"], f"{r['lat']:.5f}, {r['lon']:.5f}"] for r in section.rows],
                  widths=[3, 1.3, 1.2, 1.2, 2.6])
    doc.heading(_("How good is the hot spot map?"), 2)
    doc.paragraph(section.accuracy_text)
