"""The steering board's table, Gesamtwertung, U30 tallies and dossier (services/board.py)."""

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from app.extensions import db
from app.models import (
    Forwarding,
    Idea,
    IdeaStatus,
    InternalNote,
    OfficialAnswer,
    Role,
    SiteSetting,
    Vote,
)
from app.models.base import utcnow
from app.services import board, charts
from app.services.board import Signals, Weights
from app.services.ranking import wilson_lower_bound
from app.services.text import render_markdown
from app.services.votes import VoteValue, set_assessment, set_vote
from tests.factories import make_comment, make_group, make_idea, make_user

S = IdeaStatus
SVG = "{http://www.w3.org/2000/svg}"


def forward(
    idea: Idea | None = None,
    *,
    group=None,
    title: str | None = None,
    rank: int = 1,
    status: IdeaStatus = S.FORWARDED,
    rationale: str = "Weil es **vielen** hilft.",
    forwarded_at: datetime | None = None,
    returned: bool = False,
    by=None,
) -> Idea:
    """An idea forwarded to the board (a Forwarding row), in `status`."""
    if idea is None:
        idea = make_idea(group, title=title, status=S.FORWARDED)
    db.session.add(
        Forwarding(
            idea_id=idea.id,
            group_id=idea.group_id,
            rank=rank,
            rationale=rationale,
            rationale_html=render_markdown(rationale),
            forwarded_by_id=by.id if by is not None else None,
            forwarded_at=forwarded_at or utcnow(),
            returned_at=utcnow() if returned else None,
        )
    )
    if status is not idea.status:
        idea.status = status
    db.session.commit()
    return idea


def fresh(idea: Idea) -> Idea:
    db.session.expire_all()
    return db.session.get(Idea, idea.id)


def vote(idea: Idea, value: VoteValue, *, u30: bool = False, user=None):
    user = user or make_user(roles_={Role.U30} if u30 else None)
    set_vote(user, idea, value)
    db.session.commit()
    return user


def assess(idea: Idea, benefit: int, feasibility: int, *, u30: bool = False):
    user = make_user(roles_={Role.U30} if u30 else None)
    set_assessment(user, idea, benefit, feasibility)
    db.session.commit()
    return user


def ids(rows) -> list[int]:
    return [row.idea.id for row in rows]


# ---------------------------------------------------------------- the formula


def test_combined_score_is_the_weighted_mean_of_the_signals():
    values = Signals(votes=0.5, benefit=0.75, feasibility=0.25, u30=1.0, discussion=0.5)
    # (3 × 0.5 + 2 × 0.75 + 2 × 0.25 + 1 × 1 + 1 × 0.5) / 9 = 5 / 9
    assert board.combined_score(values, board.DEFAULT_WEIGHTS) == pytest.approx(5 / 9)
    only_u30 = Weights(votes=0, benefit=0, feasibility=0, u30=4, discussion=0)
    assert board.combined_score(values, only_u30) == pytest.approx(1.0)
    assert board.combined_score(values, Weights(0, 0, 0, 0, 0)) == 0.0
    parts = board.contributions(values, board.DEFAULT_WEIGHTS)
    assert sum(parts.values()) == pytest.approx(5 / 9)
    assert parts["votes"] == pytest.approx(1.5 / 9)


def test_weights_are_relative():
    values = Signals(votes=0.2, benefit=0.9, feasibility=0.4, u30=0.0, discussion=1.0)
    doubled = Weights(votes=6, benefit=4, feasibility=4, u30=2, discussion=2)
    assert board.combined_score(values, doubled) == pytest.approx(
        board.combined_score(values, board.DEFAULT_WEIGHTS)
    )


def test_signals_and_score_from_an_ideas_counters():
    idea = forward()
    for _ in range(3):
        vote(idea, VoteValue.UP)
    vote(idea, VoteValue.DOWN)
    vote(idea, VoteValue.UP, u30=True)
    assess(idea, 5, 2)
    assess(idea, 3, 2)
    for _ in range(10):
        make_comment(idea)
    [row] = board.board_rows()
    stored = fresh(idea)
    assert row.signals.votes == stored.score_top == pytest.approx(wilson_lower_bound(4, 1))
    assert row.signals.benefit == pytest.approx((4 - 1) / 4)
    assert row.signals.feasibility == pytest.approx((2 - 1) / 4)
    assert row.signals.u30 == pytest.approx(wilson_lower_bound(1, 0))
    assert row.signals.discussion == pytest.approx(10 / 20)
    expected = (
        3 * wilson_lower_bound(4, 1) + 2 * 0.75 + 2 * 0.25 + 1 * wilson_lower_bound(1, 0) + 0.5
    ) / 9
    assert row.score == pytest.approx(expected)


def test_discussion_signal_is_capped():
    idea = forward()
    db.session.execute(db.update(Idea).where(Idea.id == idea.id).values(comments_count=45))
    db.session.commit()
    [row] = board.board_rows()
    assert row.signals.discussion == 1.0


def test_an_idea_without_votes_or_assessments_scores_zero():
    forward()
    [row] = board.board_rows()
    assert row.signals == Signals(0.0, 0.0, 0.0, 0.0, 0.0)
    assert row.score == 0.0
    assert row.idea.benefit_average is None
    assert row.u30 == board.U30Assessments()
    assert row.u30.benefit_average is None


def test_ties_are_ordered_by_id_in_either_direction():
    first, second, third = forward(), forward(), forward()
    rows = board.board_rows()
    assert ids(rows) == [first.id, second.id, third.id]
    for key in ("score", "up", "top", "comments", "days", "status"):
        for descending in (True, False):
            assert ids(board.sort_rows(rows, key, descending=descending)) == [
                first.id,
                second.id,
                third.id,
            ], (key, descending)


def test_higher_score_first_then_ties_by_id():
    low, high, tie = forward(), forward(), forward()
    vote(high, VoteValue.UP)
    vote(tie, VoteValue.UP)
    assert ids(board.board_rows()) == [high.id, tie.id, low.id]


def test_weights_change_the_order():
    popular = forward()  # many votes, no assessments
    for _ in range(6):
        vote(popular, VoteValue.UP)
    valued = forward()  # rated highly, no votes
    assess(valued, 5, 5)
    assess(valued, 5, 4)
    # Defaults: 3 × 0.61 (votes) against 2 × 1 + 2 × 0.875 (assessments).
    assert ids(board.board_rows()) == [valued.id, popular.id]
    board.set_weights(
        {"votes": Decimal(10), "benefit": Decimal(0), "feasibility": Decimal(0)}
        | {"u30": Decimal(0), "discussion": Decimal(0)}
    )
    db.session.commit()
    assert ids(board.board_rows()) == [popular.id, valued.id]
    board.set_weights(
        {"votes": Decimal(3), "benefit": Decimal("0.5"), "feasibility": Decimal("0.5")}
        | {"u30": Decimal(0), "discussion": Decimal(0)}
    )
    db.session.commit()
    assert ids(board.board_rows()) == [popular.id, valued.id]
    board.set_weights(
        {"votes": Decimal(1), "benefit": Decimal(4), "feasibility": Decimal(4)}
        | {"u30": Decimal(0), "discussion": Decimal(0)}
    )
    db.session.commit()
    assert ids(board.board_rows()) == [valued.id, popular.id]


# ---------------------------------------------------------------- the weights


def test_weights_default_until_set_and_survive_a_reload():
    assert board.get_weights() == board.DEFAULT_WEIGHTS == Weights(3, 2, 2, 1, 1)
    stored = board.set_weights(
        {"votes": Decimal("1.5"), "benefit": Decimal(0), "feasibility": Decimal("10")}
        | {"u30": Decimal("0.25"), "discussion": Decimal(2)}
    )
    db.session.commit()
    db.session.expire_all()
    assert board.get_weights() == stored == Weights(1.5, 0, 10, 0.25, 2)
    assert db.session.get(SiteSetting, "board_weight_votes").value == "1.5"


def test_unreadable_stored_weights_fall_back_to_the_default():
    db.session.add(SiteSetting(key="board_weight_votes", value="viel"))
    db.session.add(SiteSetting(key="board_weight_benefit", value="11"))
    db.session.add(SiteSetting(key="board_weight_u30", value="NaN"))
    db.session.add(SiteSetting(key="board_weight_discussion", value="0"))
    db.session.commit()
    assert board.get_weights() == Weights(3, 2, 2, 1, 0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"votes": Decimal("10.5")}, "zwischen 0 und 10"),
        ({"votes": Decimal(-1)}, "zwischen 0 und 10"),
        ({"votes": Decimal("Infinity")}, "zwischen 0 und 10"),
        (dict.fromkeys(board.WEIGHT_NAMES, Decimal(0)), "größer als 0"),
    ],
)
def test_weights_out_of_range_or_all_zero_are_refused(changes, message):
    values = {name: Decimal(1) for name in board.WEIGHT_NAMES} | changes
    with pytest.raises(board.WeightsRefused, match=message):
        board.set_weights(values)
    with pytest.raises(board.WeightsRefused):
        board.set_weights({"votes": Decimal(1)})
    assert board.get_weights() == board.DEFAULT_WEIGHTS


def test_weight_text():
    assert board.weight_text(3) == "3"
    assert board.weight_text(1.5) == "1,5"
    assert board.weight_text(0.25, ".") == "0.25"
    assert board.weight_text(10) == "10"
    assert board.weight_text(0.1 + 0.2) == "0,3"


# ---------------------------------------------------------------- U30 tallies


def test_a_u30_members_vote_counts_in_both_totals_and_retracting_removes_it_from_both():
    idea = forward()
    member = vote(idea, VoteValue.UP, u30=True)
    vote(idea, VoteValue.UP)
    [row] = board.board_rows()
    assert (row.idea.votes_up, row.idea.u30_votes_up) == (2, 1)
    assert row.signals.u30 == pytest.approx(wilson_lower_bound(1, 0))

    set_vote(member, idea, VoteValue.DOWN)
    db.session.commit()
    db.session.expire_all()
    [row] = board.board_rows()
    assert (row.idea.votes_up, row.idea.votes_down) == (1, 1)
    assert (row.idea.u30_votes_up, row.idea.u30_votes_down) == (0, 1)

    set_vote(member, idea, VoteValue.NONE)
    db.session.commit()
    db.session.expire_all()
    [row] = board.board_rows()
    assert (row.idea.votes_up, row.idea.votes_down) == (1, 0)
    assert (row.idea.u30_votes_up, row.idea.u30_votes_down) == (0, 0)
    assert row.signals.u30 == 0.0


def test_u30_assessments_count_in_both_tallies_in_one_grouped_query():
    idea, other = forward(), forward()
    assess(idea, 5, 1, u30=True)
    assess(idea, 3, 3, u30=True)
    assess(idea, 1, 1)
    assess(other, 2, 2)
    rows = {row.idea.id: row for row in board.board_rows()}
    assert rows[idea.id].idea.assessments_count == 3
    assert rows[idea.id].idea.benefit_average == pytest.approx(3)
    assert rows[idea.id].u30 == board.U30Assessments(count=2, benefit_sum=8, feasibility_sum=4)
    assert rows[idea.id].u30.benefit_average == 4
    assert rows[idea.id].u30.feasibility_average == 2
    assert rows[other.id].u30.count == 0


# ---------------------------------------------------------------- who is on the board


def test_which_ideas_are_on_the_board():
    group = make_group()
    on = [
        forward(group=group, status=S.FORWARDED),
        forward(group=group, status=S.PRIORITISED),
        forward(group=group, status=S.IMPLEMENTED),
        forward(group=group, status=S.DECLINED),
    ]
    forward(group=group, status=S.IN_REVIEW)  # taken back by the group
    forward(group=group, status=S.FORWARDED, returned=True)  # sent back by the board
    make_idea(group, status=S.DECLINED)  # declined by the group, never forwarded
    make_idea(group, status=S.FORWARDED)  # no forwarding row
    hidden = forward(group=group)
    hidden.hidden_at = utcnow()
    db.session.commit()
    assert sorted(ids(board.board_rows())) == [idea.id for idea in on]
    assert board.board_row(hidden.id) is None
    assert board.board_row(on[3].id) is not None


def test_filters_by_group_and_status():
    alpha, beta = make_group(), make_group()
    a1 = forward(group=alpha)
    a2 = forward(group=alpha, status=S.PRIORITISED)
    b1 = forward(group=beta)
    assert sorted(ids(board.board_rows(group_id=alpha.id))) == [a1.id, a2.id]
    assert ids(board.board_rows(status=S.PRIORITISED)) == [a2.id]
    assert ids(board.board_rows(group_id=beta.id, status=S.FORWARDED)) == [b1.id]
    assert board.board_rows(group_id=beta.id, status=S.DECLINED) == []


def test_rank_is_the_position_in_the_groups_ranking_while_forwarded():
    group = make_group()
    # Stored ranks with a gap (an idea left the ranking): the board shows 1, 2, as the
    # leads do; a decided idea keeps the rank it had.
    first = forward(group=group, rank=2)
    second = forward(group=group, rank=5)
    decided = forward(group=group, rank=3, status=S.PRIORITISED)
    rows = {row.idea.id: row for row in board.board_rows()}
    assert (rows[first.id].rank, rows[first.id].rank_is_current) == (1, True)
    assert (rows[second.id].rank, rows[second.id].rank_is_current) == (2, True)
    assert (rows[decided.id].rank, rows[decided.id].rank_is_current) == (3, False)
    by_rank = board.sort_rows(list(rows.values()), "rank", descending=False)
    assert ids(by_rank) == [first.id, second.id, decided.id]


def test_days_since_forwarding():
    idea = forward(forwarded_at=datetime(2024, 3, 1, 23, 59))
    [row] = board.board_rows(now=datetime(2024, 3, 11, 0, 1))
    assert row.days_since_forwarding == 10
    assert board.board_row(idea.id).days_since_forwarding >= 10


# ---------------------------------------------------------------- sorting


def test_text_sort_folds_case_and_accents():
    names = ["Zebra", "ärger vermeiden", "Apfel", "Öffnungszeiten", "bahn"]
    made = {name: forward(title=name) for name in names}
    rows = board.board_rows()
    ordered = [row.idea.title for row in board.sort_rows(rows, "title", descending=False)]
    assert ordered == ["Apfel", "ärger vermeiden", "bahn", "Öffnungszeiten", "Zebra"]
    backwards = board.sort_rows(rows, "title", descending=True)
    assert [row.idea.title for row in backwards] == list(reversed(ordered))
    assert board.text_key("Straße Ärger") == "strasse arger"
    assert made


def test_missing_values_sort_last_in_both_directions():
    none = forward()
    low, high = forward(), forward()
    assess(low, 2, 2)
    assess(high, 5, 5)
    rows = board.board_rows()
    assert ids(board.sort_rows(rows, "benefit", descending=True)) == [high.id, low.id, none.id]
    assert ids(board.sort_rows(rows, "benefit", descending=False)) == [low.id, high.id, none.id]
    row = next(r for r in rows if r.idea.id == none.id)
    assert board.sort_value(row, "benefit") == ""
    assert board.sort_value(row, "up") == "0"


def test_every_sort_key_sorts_without_error():
    forward()
    forward(status=S.DECLINED)
    rows = board.board_rows()
    for key in board.SORT_KEYS:
        assert len(board.sort_rows(rows, key, descending=True)) == 2


# ---------------------------------------------------------------- the dossier


def test_dossier_gathers_what_the_board_reads():
    lead = make_user()
    board_member = make_user(roles_={Role.BOARD})
    idea = forward(by=lead)
    assess(idea, 5, 1)
    assess(idea, 5, 2, u30=True)
    assess(idea, 3, 2)
    for version in (1, 2):
        db.session.add(
            OfficialAnswer(
                idea_id=idea.id,
                version=version,
                author_id=lead.id,
                body=f"Fassung {version}",
                body_html=f"<p>Fassung {version}</p>",
            )
        )
    db.session.add(
        InternalNote(idea_id=idea.id, author_id=lead.id, body="Intern", body_html="<p>Intern</p>")
    )
    db.session.commit()
    found = board.dossier(idea.id, board_member)
    assert found.row.idea.id == idea.id
    assert found.answer.version == 2
    assert [note.body for note in found.notes] == ["Intern"]
    assert found.benefit_counts == [0, 0, 1, 0, 2]
    assert found.feasibility_counts == [1, 2, 0, 0, 0]
    assert found.u30_benefit_counts == [0, 0, 0, 0, 1]
    assert found.u30_feasibility_counts == [0, 1, 0, 0, 0]
    assert [event.to_status for event in found.events][-1] is S.FORWARDED
    # Someone without the right to read internal notes gets none.
    assert board.dossier(idea.id, make_user()).notes == []
    assert board.dossier(make_idea().id, board_member) is None
    assert board.dossier(10**9, board_member) is None


def test_vote_history_counts_current_votes_by_the_day_they_were_cast():
    idea = forward()
    voters = [vote(idea, VoteValue.UP) for _ in range(3)]
    downer = vote(idea, VoteValue.DOWN)
    changer = voters[2]
    days = {voters[0]: 1, voters[1]: 3, changer: 3, downer: 5}
    start = datetime(2024, 5, 1, 12, 0)
    for user, day in days.items():
        db.session.execute(
            db.update(Vote)
            .where(Vote.user_id == user.id, Vote.idea_id == idea.id)
            .values(created_at=start + timedelta(days=day))
        )
    db.session.commit()
    set_vote(changer, idea, VoteValue.DOWN)  # changed later: counts as down on day 3
    set_vote(voters[1], idea, VoteValue.NONE)  # retracted: gone
    db.session.commit()
    history = board.vote_history(fresh(idea))
    assert [(entry.day, entry.up, entry.down) for entry in history] == [
        (date(2024, 5, 2), 1, 0),
        (date(2024, 5, 4), 0, 1),
        (date(2024, 5, 6), 0, 1),
    ]
    assert (history[-1].total_up, history[-1].total_down) == (
        fresh(idea).votes_up,
        fresh(idea).votes_down,
    )


def test_comments_with_the_most_replies_first_and_only_public_ones():
    idea = forward()
    quiet = make_comment(idea)
    busy = make_comment(idea)
    medium = make_comment(idea)
    for _ in range(3):
        make_comment(idea, parent=busy)
    make_comment(idea, parent=medium)
    gone = make_comment(idea)
    gone.deleted_at = utcnow()
    db.session.commit()
    found = board.most_replied_comments(idea)
    assert [comment.id for comment in found] == [busy.id, medium.id, quiet.id]
    assert all(comment.parent_id is None for comment in found)
    assert len(board.most_replied_comments(idea, limit=2)) == 2


# ---------------------------------------------------------------- charts


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 (our own markup, under test)


def test_histogram_bars_are_proportional_to_the_counts():
    svg = parse(charts.histogram("h", "Nutzen", "Verteilung", list("12345"), [2, 0, 4, 1, 8]))
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Nutzen"
    assert svg.find(f"{SVG}desc").text == "Verteilung"
    assert svg.get("aria-labelledby") == "h-titel h-beschreibung"
    bars = svg.findall(f"{SVG}rect")
    heights = [float(bar.get("height")) for bar in bars]
    assert [int(bar.get("data-count")) for bar in bars] == [2, 0, 4, 1, 8]
    assert heights[4] == pytest.approx(charts.HIST_PLOT_HEIGHT)
    for height, count in zip(heights, [2, 0, 4, 1, 8], strict=True):
        assert height == pytest.approx(charts.HIST_PLOT_HEIGHT * count / 8, abs=0.01)
    # Bars stand on one baseline.
    bottoms = {round(float(bar.get("y")) + float(bar.get("height")), 1) for bar in bars}
    assert len(bottoms) == 1
    assert "style" not in str(charts.histogram("h", "t", "d", ["1"], [1]))


def test_histogram_without_data_draws_empty_bars():
    svg = parse(charts.histogram("h", "Nutzen", "keine", list("12345"), [0] * 5))
    assert [float(bar.get("height")) for bar in svg.findall(f"{SVG}rect")] == [0.0] * 5
    with pytest.raises(ValueError):
        charts.histogram("h", "t", "d", ["1", "2"], [1])


def test_chart_text_is_escaped():
    markup = str(charts.histogram('x"><script>', "<b>Titel</b> & mehr", "a < b", ["<1>"], [1]))
    assert "<script>" not in markup and "<b>" not in markup
    svg = parse(markup)
    assert svg.find(f"{SVG}title").text == "<b>Titel</b> & mehr"
    assert svg.get("id") == 'x"><script>'


def test_line_chart_draws_running_totals_as_steps():
    days = [date(2024, 1, 1), date(2024, 1, 3), date(2024, 1, 11)]
    svg = parse(
        charts.line_chart(
            "v",
            "Verlauf",
            "Stimmen",
            days,
            [
                charts.Series("dafür", "#166534", [1, 3, 4]),
                charts.Series("dagegen", "#b42318", [0, 0, 2], dash="7 4"),
            ],
            lambda day: day.isoformat(),
        )
    )
    assert svg.get("role") == "img"
    up_line, down_line = svg.findall(f"{SVG}polyline")
    points = [tuple(map(float, point.split(","))) for point in up_line.get("points").split()]
    assert len(points) == 5  # three days, two steps
    top = charts.LINE_TOP
    plot = charts.LINE_PLOT_HEIGHT
    assert points[-1][1] == pytest.approx(top)  # 4 of 4: the top
    assert points[0][1] == pytest.approx(top + plot * (1 - 1 / 4), abs=0.01)
    # x is spaced by date: day 3 is a fifth of the way from day 1 to day 11.
    left, width = charts.LINE_LEFT, charts.LINE_PLOT_WIDTH
    assert points[1][0] == pytest.approx(left + width * 2 / 10, abs=0.01)
    assert down_line.get("stroke-dasharray") == "7 4"
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert "2024-01-01" in texts and "2024-01-11" in texts and "dafür" in texts


def test_line_chart_with_one_day():
    svg = parse(
        charts.line_chart(
            "v", "t", "d", [date(2024, 1, 1)], [charts.Series("dafür", "#000", [2])], str
        )
    )
    assert svg.findall(f"{SVG}polyline") == []
    assert len(svg.findall(f"{SVG}circle")) == 1
