"""The steering board's view: all forwarded ideas in one ranking table, and each idea's dossier."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.board.forms import BoardFilterForm
from app.models import Idea
from app.permissions import can_see_board, can_see_internal_notes, require
from app.services import board, charts, decisions, u30
from app.services.ideas import STATUS_LABELS
from app.services.listing import excerpt
from app.services.ranking import wilson_lower_bound

bp = Blueprint("board", __name__)

RATIONALE_EXCERPT = 140
# Rows per page of the table. The browser sorts in place when everything fits on one page;
# beyond, each header link asks the server for the first page in that order.
PAGE_SIZE = 100


@dataclass(frozen=True)
class Column:
    key: str | None  # the sort key (None: not sortable)
    label: str
    numeric: bool = True


# The table's columns, left to right; every one but the rationale sorts.
COLUMNS = [
    Column("title", _l("Idee"), numeric=False),
    Column("score", _l("Gesamtwertung")),
    Column("group", _l("Themengruppe"), numeric=False),
    Column("rank", _l("Rang in der Gruppe")),
    Column(None, _l("Begründung der Gruppe"), numeric=False),
    Column("up", _l("Dafür")),
    Column("down", _l("Dagegen")),
    Column("top", _l("Zustimmung (Wilson)")),
    Column("trending", _l("Trend")),
    Column("benefit", _l("Nutzen Ø (Anzahl)")),
    Column("feasibility", _l("Umsetzbarkeit Ø (Anzahl)")),
    Column("comments", _l("Kommentare")),
    Column("u30_votes", _l("U30: dafür / dagegen")),
    Column("u30_benefit", _l("U30: Nutzen Ø (Anzahl)")),
    Column("u30_feasibility", _l("U30: Umsetzbarkeit Ø (Anzahl)")),
    Column("days", _l("Tage seit Weiterleitung")),
    Column("status", _l("Status"), numeric=False),
]
COLUMN_LABELS = {column.key: column.label for column in COLUMNS if column.key}

SIGNAL_LABELS = {
    "votes": _l("Zustimmung"),
    "benefit": _l("Nutzen"),
    "feasibility": _l("Umsetzbarkeit"),
    "u30": _l("U30-Zustimmung"),
    "discussion": _l("Diskussion"),
}


@bp.after_request
def _not_cached(response):
    # Internal notes and unpublished figures: never kept by a shared or browser cache.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


class Numbers:
    """Decimal numbers as Babel formats them for the locale (same rounding), but fast.

    `flask_babel.format_decimal` costs about 10 µs a call; the table formats several
    numbers for each of up to thousands of rows. tests/views/test_board.py checks that
    both agree.
    """

    def __init__(self, locale) -> None:
        self._symbols = str.maketrans(",.", get_group_symbol(locale) + get_decimal_symbol(locale))

    def __call__(self, value: float | None, places: int = 1) -> str:
        if value is None:
            return "–"
        quantum = Decimal(1).scaleb(-places)
        rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_EVEN)
        return f"{rounded:,f}".translate(self._symbols)


def _weights_text(weights: board.Weights) -> dict[str, str]:
    symbol = get_decimal_symbol(get_locale())
    texts = {name: board.weight_text(getattr(weights, name), symbol) for name in board.WEIGHT_NAMES}
    texts["total"] = board.weight_text(weights.total, symbol)
    return texts


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of the table, ready to print: the data, its display texts, its sort values."""

    row: board.BoardRow
    sort: dict[str, str]
    text: dict[str, str]


class Printer:
    """Turns board rows into display texts; what is the same for every row is done once."""

    def __init__(self) -> None:
        self.numbers = Numbers(get_locale())
        self.status = {status: str(STATUS_LABELS[status]) for status in board.BOARD_STATUSES}
        self.last_rank = _("zuletzt %(rank)s")

    def texts(self, row: board.BoardRow) -> dict[str, str]:
        idea, numbers = row.idea, self.numbers
        return {
            "score": numbers(row.score * 100),
            "rank": str(row.rank) if row.rank_is_current else self.last_rank % {"rank": row.rank},
            "top": numbers(idea.score_top, 2),
            "trending": numbers(idea.score_trending, 2),
            "benefit": numbers(idea.benefit_average),
            "feasibility": numbers(idea.feasibility_average),
            "u30_benefit": numbers(row.u30.benefit_average),
            "u30_feasibility": numbers(row.u30.feasibility_average),
            "status": self.status[idea.status],
            "rationale": excerpt(row.rationale_html, RATIONALE_EXCERPT),
        }

    def table_row(self, row: board.BoardRow) -> TableRow:
        return TableRow(row=row, sort=board.sort_values(row), text=self.texts(row))


def _chosen(form: BoardFilterForm, group_by_slug: dict) -> dict:
    """The filters and sort the URL asks for; anything unknown falls back to the default."""
    group = group_by_slug.get(form.group.data or "")
    statuses = {status.value: status for status in board.BOARD_STATUSES}
    status = statuses.get(form.status.data or "")
    sort = form.sort.data if form.sort.data in board.SORT_KEYS else board.DEFAULT_SORT
    descending = board.SORT_KEYS[sort].descending
    if form.dir.data in ("asc", "desc"):
        descending = form.dir.data == "desc"
    # What the form shows again is what applies.
    form.group.data = group.slug if group else ""
    form.status.data = status.value if status else ""
    form.sort.data = sort
    form.dir.data = "desc" if descending else "asc"
    return {"group": group, "status": status, "sort": sort, "descending": descending}


@bp.get("")
@login_required
def index():
    require(can_see_board(current_user))
    form = BoardFilterForm(formdata=request.args)
    all_groups = board.filter_groups()
    form.group.choices = [SelectChoice("", _("alle Themengruppen"))] + [
        SelectChoice(group.slug, group.name) for group in all_groups
    ]
    form.status.choices = [SelectChoice("", _("alle"))] + [
        SelectChoice(status.value, STATUS_LABELS[status]) for status in board.BOARD_STATUSES
    ]
    chosen = _chosen(form, {group.slug: group for group in all_groups})
    weights = board.get_weights()
    rows = board.table_rows(
        group_id=chosen["group"].id if chosen["group"] else None,
        status=chosen["status"],
        weights=weights,
    )
    rows = board.sort_rows(rows, chosen["sort"], descending=chosen["descending"])
    # Every row is scored and sorted (the order needs them all); only one page is
    # formatted and rendered: the HTML, most of the cost, stays the same at any size.
    pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
    number = request.args.get("page", 1, type=int)
    if not 1 <= number <= pages:
        abort(404)
    first = (number - 1) * PAGE_SIZE
    shown = rows[first : first + PAGE_SIZE]
    printer = Printer()
    filters = {
        "group": form.group.data or None,
        "status": form.status.data or None,
    }

    def sort_url(key: str) -> str:
        if key == chosen["sort"]:
            descending = not chosen["descending"]
        else:
            descending = board.SORT_KEYS[key].descending
        return url_for("board.index", sort=key, dir="desc" if descending else "asc", **filters)

    def page_url(page: int) -> str:
        return url_for(
            "board.index",
            sort=chosen["sort"],
            dir="desc" if chosen["descending"] else "asc",
            page=page if page > 1 else None,
            **filters,
        )

    return render_template(
        "board/index.html",
        form=form,
        rows=[printer.table_row(row) for row in shown],
        total=len(rows),
        page={
            "number": number,
            "count": pages,
            "first": first + 1,
            "last": first + len(shown),
            "previous_url": page_url(number - 1) if number > 1 else None,
            "next_url": page_url(number + 1) if number < pages else None,
        },
        # Built once; each row appends its id (url_for thousands of times is slow).
        dossier_url=url_for("board.dossier", idea_id=0).removesuffix("0"),
        columns=COLUMNS,
        column_labels=COLUMN_LABELS,
        sort=chosen["sort"],
        descending=chosen["descending"],
        default_descending={key: value.descending for key, value in board.SORT_KEYS.items()},
        sort_urls={key: sort_url(key) for key in board.SORT_KEYS},
        filtered=any(filters.values()),
        weights=weights,
        weight_texts=_weights_text(weights),
        signal_labels=SIGNAL_LABELS,
        saturation=board.DISCUSSION_SATURATION,
        examples={
            "few": printer.numbers(wilson_lower_bound(3, 0), 2),
            "many": printer.numbers(wilson_lower_bound(300, 0), 2),
        },
    )


# ---------------------------------------------------------------- the dossier

RATINGS = ["1", "2", "3", "4", "5"]


def _day(value: date) -> str:
    return format_date(value, "medium")


def _charts(dossier: board.Dossier, idea: Idea) -> dict:
    """The dossier's SVG charts, with their titles and descriptions in the reader's language."""

    def histogram(chart_id: str, name: str, counts: list[int]):
        described = ", ".join(
            _("%(rating)s: %(count)d", rating=rating, count=count)
            for rating, count in zip(RATINGS, counts, strict=True)
        )
        return charts.histogram(
            chart_id,
            _("Verteilung der Einschätzungen: %(name)s", name=name),
            _(
                "Anzahl der Einschätzungen je Wert von 1 (gering) bis 5 (sehr hoch): %(counts)s.",
                counts=described,
            ),
            RATINGS,
            counts,
        )

    days = [entry.day for entry in dossier.vote_days]
    if days:
        last = dossier.vote_days[-1]
        history_description = _(
            "Stimmen dafür und dagegen, aufsummiert nach dem Tag ihrer Abgabe, vom %(first)s "
            "bis %(last)s: am Ende %(up)d dafür und %(down)d dagegen.",
            first=_day(days[0]),
            last=_day(days[-1]),
            up=last.total_up,
            down=last.total_down,
        )
    else:
        history_description = _("Noch keine Stimmen.")
    return {
        "benefit": histogram("verteilung-nutzen", _("Nutzen"), dossier.benefit_counts),
        "feasibility": histogram(
            "verteilung-umsetzbarkeit", _("Umsetzbarkeit"), dossier.feasibility_counts
        ),
        "history": charts.line_chart(
            "abstimmungsverlauf",
            _("Abstimmungsverlauf: Stimmen dafür und dagegen"),
            history_description,
            days,
            [
                charts.Series(
                    _("dafür"), "#166534", [entry.total_up for entry in dossier.vote_days]
                ),
                charts.Series(
                    _("dagegen"),
                    "#b42318",
                    [entry.total_down for entry in dossier.vote_days],
                    dash="7 4",
                ),
            ],
            _day,
        )
        if days
        else None,
    }


@bp.get("/ideas/<int:idea_id>")
@login_required
def dossier(idea_id: int):
    require(can_see_board(current_user))
    weights = board.get_weights()
    found = board.dossier(idea_id, current_user, weights=weights)
    if found is None:
        abort(404)
    idea = found.idea
    printer = Printer()
    numbers = printer.numbers
    return render_template(
        "board/dossier.html",
        dossier=found,
        row=found.row,
        idea=idea,
        text=printer.texts(found.row),
        numbers=numbers,
        charts=_charts(found, idea),
        ratings=RATINGS,
        weights=weights,
        weight_texts=_weights_text(weights),
        contributions=board.contributions(found.row.signals, weights),
        signal_labels=SIGNAL_LABELS,
        may_see_notes=can_see_internal_notes(current_user, idea),
        u30_top=numbers(found.row.signals.u30, 2),
        # The board's decisions on the idea (templates/board/_decision_panel.html).
        board_decisions=decisions.for_dossier(idea),
        # The U30-Beirat's statement with its endorsers (templates/board/_u30_statement.html).
        u30_statement=u30.for_dossier(idea),
    )
