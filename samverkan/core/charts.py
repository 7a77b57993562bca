"""Charts for documents (DOCX/PDF), drawn with matplotlib's Agg backend into PNG bytes.

Pages draw their charts in the browser with Chart.js; documents need images, and these are
the same charts. Every function returns PNG bytes."""
from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

BLUE = "#1f4e79"
ACCENT = "#2e7d32"
GREY = "#9aa5b1"
RED = "#c62828"


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=150)
    plt.close(fig)
    return buffer.getvalue()


def bar_chart(labels: Sequence[str], values: Sequence[float], *, title: str = "",
              horizontal: bool = True, colors: Sequence[str] | None = None,
              xlabel: str = "") -> bytes:
    height = max(2.2, 0.38 * len(labels) + 1.0) if horizontal else 3.2
    fig, ax = plt.subplots(figsize=(7.0, height))
    colors = list(colors) if colors else [BLUE] * len(labels)
    if horizontal:
        positions = range(len(labels))[::-1]
        ax.barh(list(positions), values, color=colors)
        ax.set_yticks(list(positions), labels=labels)
        ax.set_xlabel(xlabel)
    else:
        ax.bar(range(len(labels)), values, color=colors)
        ax.set_xticks(range(len(labels)), labels=labels, rotation=30, ha="right")
        ax.set_ylabel(xlabel)
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def stacked_bar_chart(labels: Sequence[str], series: dict[str, Sequence[float]], *,
                      colors: dict[str, str] | None = None, title: str = "") -> bytes:
    fig, ax = plt.subplots(figsize=(7.0, max(2.2, 0.38 * len(labels) + 1.2)))
    left = [0.0] * len(labels)
    positions = list(range(len(labels)))[::-1]
    for name, values in series.items():
        ax.barh(positions, values, left=left, label=name,
                color=(colors or {}).get(name))
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_yticks(positions, labels=labels)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def indicator_chart(dates: Sequence, values: Sequence[float], *, baseline: float | None,
                    target: float | None, title: str = "", unit: str = "",
                    baseline_date=None, target_date=None) -> bytes:
    """Measurements over time against the baseline and the target."""
    fig, ax = plt.subplots(figsize=(7.0, 3.0))
    if baseline is not None:
        ax.axhline(float(baseline), color=GREY, linestyle="--", linewidth=1.2)
        ax.annotate(f"{baseline:g}", xy=(0, float(baseline)), xycoords=("axes fraction", "data"),
                    xytext=(2, 3), textcoords="offset points", color=GREY, fontsize=8)
    if target is not None:
        ax.axhline(float(target), color=ACCENT, linestyle="-", linewidth=1.4)
        ax.annotate(f"{target:g}", xy=(1, float(target)), xycoords=("axes fraction", "data"),
                    xytext=(-18, 3), textcoords="offset points", color=ACCENT, fontsize=8)
    xs = list(dates)
    ys = [float(v) for v in values]
    if baseline is not None and baseline_date is not None:
        xs, ys = [baseline_date, *xs], [float(baseline), *ys]
    if xs:
        ax.plot(xs, ys, marker="o", color=BLUE, linewidth=2)
        fig.autofmt_xdate()
    ax.set_ylabel(unit)
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def line_chart(x: Sequence, series: dict[str, Sequence[float]], *, title: str = "",
               ylabel: str = "") -> bytes:
    fig, ax = plt.subplots(figsize=(7.0, 3.0))
    for name, values in series.items():
        ax.plot(list(x), [float(v) if v is not None else float("nan") for v in values],
                marker="o", label=name, linewidth=2)
    if len(series) > 1:
        ax.legend(fontsize=8, frameon=False)
    ax.set_ylabel(ylabel)
    ax.set_title(title, loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def heatmap(matrix, *, row_labels: Sequence[str], col_labels: Sequence[str],
            title: str = "") -> bytes:
    fig, ax = plt.subplots(figsize=(7.5, 2.8))
    image = ax.imshow(matrix, aspect="auto", cmap="Reds")
    ax.set_yticks(range(len(row_labels)), labels=row_labels)
    ax.set_xticks(range(len(col_labels)), labels=col_labels, fontsize=7)
    fig.colorbar(image, ax=ax, fraction=0.03)
    ax.set_title(title, loc="left", fontsize=11)
    return _png(fig)
