"""Thematic groups, their tandems and the global roles, tested without HTTP."""

import pytest

from app.extensions import db
from app.models import GroupLead, Role, TandemSide, UserRole
from app.services import DomainError, accounts, groups, roles
from tests import factories

ADMINISTRATION, CIVIC = TandemSide.ADMINISTRATION, TandemSide.CIVIC


def slugs(*, include_archived: bool = True) -> list[str]:
    return [group.slug for group in groups.ordered_groups(include_archived=include_archived)]


# Creating groups


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Bau, Energie und Mobilität", "bau-energie-und-mobilitaet"),
        ("Soziales, Gesundheit, Pflege", "soziales-gesundheit-pflege"),
        ("Größe & Straße", "groesse-strasse"),
        ("  Café für Senior:innen  ", "cafe-fuer-senior-innen"),
        ("Digitale Verwaltung/Politik", "digitale-verwaltung-politik"),
    ],
)
def test_slugify_makes_german_names_into_url_slugs(name, slug):
    assert groups.slugify(name) == slug


def test_slugify_never_ends_in_a_hyphen_when_cut_to_length():
    slug = groups.slugify("a" * 59 + " b")
    assert slug == "a" * 59
    assert groups.SLUG_PATTERN.match(slug)


def test_create_group_generates_the_slug_and_appends_the_group():
    first = groups.create_group("Digitale Schule")
    second = groups.create_group("  Offene Daten ", description="  Mehr Transparenz.  ")
    db.session.commit()
    assert first.slug == "digitale-schule"
    assert (second.slug, second.name, second.description) == (
        "offene-daten",
        "Offene Daten",
        "Mehr Transparenz.",
    )
    assert second.position > first.position
    assert slugs() == ["digitale-schule", "offene-daten"]


def test_create_group_keeps_a_given_slug():
    group = groups.create_group("Digitale Schule", "schule")
    assert group.slug == "schule"
    assert groups.find_by_slug("schule") is group


def test_create_group_refuses_a_duplicate_slug():
    factories.make_group("Alpha", "alpha")
    with pytest.raises(DomainError, match="bereits vergeben"):
        groups.create_group("Ganz anders", "alpha")
    with pytest.raises(DomainError, match="bereits vergeben"):
        groups.create_group("Alpha")  # the generated slug is taken too
    db.session.rollback()
    assert slugs() == ["alpha"]


@pytest.mark.parametrize(
    "slug", ["Gross", "mit leerzeichen", "-vorne", "hinten-", "doppelt--strich", "umlaut-ä", "a_b"]
)
def test_create_group_refuses_a_bad_slug(slug):
    with pytest.raises(DomainError, match="Kleinbuchstaben"):
        groups.create_group("Gruppe", slug)
    assert slugs() == []


def test_create_group_refuses_a_name_without_letters_or_digits():
    with pytest.raises(DomainError):
        groups.create_group("!!!")


def test_update_group_renames_but_keeps_the_slug():
    group = factories.make_group("Alpha", "alpha")
    groups.update_group(group, "  Alpha und Omega ", " Neu. ")
    db.session.commit()
    assert (group.slug, group.name, group.description) == ("alpha", "Alpha und Omega", "Neu.")


# Order


@pytest.fixture
def three_groups():
    return [factories.make_group(name, name.lower()) for name in ("Eins", "Zwei", "Drei")]


def test_move_group_at_the_edges_changes_nothing(three_groups):
    first, _second, last = three_groups
    assert groups.move_group(first, -1) is False
    assert groups.move_group(last, 1) is False
    db.session.commit()
    assert slugs() == ["eins", "zwei", "drei"]


def test_move_group_swaps_with_its_neighbour(three_groups):
    first, second, last = three_groups
    assert groups.move_group(first, 1) is True
    db.session.commit()
    assert slugs() == ["zwei", "eins", "drei"]
    assert groups.move_group(last, -1) is True
    db.session.commit()
    assert slugs() == ["zwei", "drei", "eins"]
    assert groups.move_group(second, -1) is False  # now first
    assert groups.move_group(first, 1) is False  # now last
    db.session.commit()
    assert slugs() == ["zwei", "drei", "eins"]
    positions = [group.position for group in groups.ordered_groups(include_archived=True)]
    assert positions == [1, 2, 3]


def test_move_group_counts_archived_groups_too(three_groups):
    _first, second, last = three_groups
    groups.set_archived(second, True)
    groups.move_group(last, -1)
    db.session.commit()
    assert slugs() == ["eins", "drei", "zwei"]
    assert slugs(include_archived=False) == ["eins", "drei"]


def test_a_new_group_goes_after_moved_ones(three_groups):
    groups.move_group(three_groups[2], -1)
    new = groups.create_group("Vier")
    db.session.commit()
    assert slugs()[-1] == new.slug


# Archive


def test_archived_groups_leave_the_public_lists_but_stay_readable(client, three_groups):
    _first, second, _last = three_groups
    groups.set_archived(second, True)
    db.session.commit()
    assert second.is_archived
    assert second not in groups.ordered_groups()
    assert second in groups.ordered_groups(include_archived=True)
    assert "Zwei" not in client.get("/").get_data(as_text=True)
    response = client.get("/groups/zwei")
    assert response.status_code == 200
    assert "archiviert" in response.get_data(as_text=True)

    groups.set_archived(second, False)
    db.session.commit()
    assert slugs(include_archived=False) == ["eins", "zwei", "drei"]


# Tandem leads


@pytest.fixture
def group():
    return factories.make_group("Alpha", "alpha")


def lead_rows() -> set[tuple[int, TandemSide, int]]:
    return {
        (lead.group_id, lead.side, lead.user_id)
        for lead in db.session.scalars(db.select(GroupLead))
    }


def test_set_tandem_lead_sets_replaces_and_vacates_a_side(group):
    first = factories.make_user()
    second = factories.make_user()

    groups.set_tandem_lead(group, ADMINISTRATION, first)
    db.session.commit()
    assert group.lead_on(ADMINISTRATION) == first
    assert group.lead_on(CIVIC) is None
    assert first.lead_group_ids == {group.id}

    groups.set_tandem_lead(group, ADMINISTRATION, second)
    db.session.commit()
    assert group.lead_on(ADMINISTRATION) == second
    assert first.lead_group_ids == set()
    assert lead_rows() == {(group.id, ADMINISTRATION, second.id)}

    groups.set_tandem_lead(group, ADMINISTRATION, None)
    db.session.commit()
    assert group.lead_on(ADMINISTRATION) is None
    assert lead_rows() == set()


def test_set_tandem_lead_again_for_the_same_person_changes_nothing(group):
    person = factories.make_user(lead_of=group, side=CIVIC)
    groups.set_tandem_lead(group, CIVIC, person)
    db.session.commit()
    assert lead_rows() == {(group.id, CIVIC, person.id)}


def test_one_person_cannot_hold_both_sides(group):
    person = factories.make_user(lead_of=group, side=ADMINISTRATION)
    with pytest.raises(DomainError, match="andere Seite"):
        groups.set_tandem_lead(group, CIVIC, person)
    db.session.rollback()
    assert lead_rows() == {(group.id, ADMINISTRATION, person.id)}


def test_unconfirmed_and_deleted_accounts_cannot_lead(group):
    unconfirmed = factories.make_user(confirmed=False)
    with pytest.raises(DomainError, match="bestätigte"):
        groups.set_tandem_lead(group, ADMINISTRATION, unconfirmed)
    deleted = factories.make_user()
    accounts.delete_account(deleted)
    db.session.commit()
    with pytest.raises(DomainError, match="bestätigte"):
        groups.set_tandem_lead(group, CIVIC, deleted)
    db.session.rollback()
    assert lead_rows() == set()


def test_set_tandem_lets_the_two_leads_swap_sides(group):
    first = factories.make_user(lead_of=group, side=ADMINISTRATION)
    second = factories.make_user(lead_of=group, side=CIVIC)
    groups.set_tandem(group, {ADMINISTRATION: second, CIVIC: first})
    db.session.commit()
    assert lead_rows() == {(group.id, ADMINISTRATION, second.id), (group.id, CIVIC, first.id)}


def test_set_tandem_sets_vacates_and_keeps(group):
    kept = factories.make_user(lead_of=group, side=ADMINISTRATION)
    leaving = factories.make_user(lead_of=group, side=CIVIC)
    groups.set_tandem(group, {ADMINISTRATION: kept, CIVIC: None})
    db.session.commit()
    assert lead_rows() == {(group.id, ADMINISTRATION, kept.id)}
    assert leaving.lead_group_ids == set()


def test_set_tandem_names_every_refused_side(group):
    current = factories.make_user(lead_of=group, side=ADMINISTRATION)
    unconfirmed = factories.make_user(confirmed=False)
    other_unconfirmed = factories.make_user(confirmed=False)
    with pytest.raises(groups.TandemError) as refused:
        groups.set_tandem(group, {ADMINISTRATION: unconfirmed, CIVIC: other_unconfirmed})
    assert set(refused.value.errors) == {ADMINISTRATION, CIVIC}
    assert isinstance(refused.value, DomainError)
    db.session.rollback()
    assert lead_rows() == {(group.id, ADMINISTRATION, current.id)}


def test_set_tandem_refuses_the_same_person_on_both_sides(group):
    person = factories.make_user()
    with pytest.raises(groups.TandemError) as refused:
        groups.set_tandem(group, {ADMINISTRATION: person, CIVIC: person})
    assert list(refused.value.errors) == [CIVIC]
    assert "andere Seite" in refused.value.errors[CIVIC]
    db.session.rollback()
    assert lead_rows() == set()


def test_add_lead_fills_the_free_sides_and_refuses_a_third_lead(group):
    first = factories.make_user()
    second = factories.make_user()
    third = factories.make_user()
    assert groups.add_lead(group, first) == ADMINISTRATION
    assert groups.add_lead(group, second) == CIVIC
    assert groups.add_lead(group, first) == ADMINISTRATION  # already a lead: unchanged
    with pytest.raises(DomainError, match="bereits zwei Leitungen"):
        groups.add_lead(group, third)
    db.session.commit()
    assert lead_rows() == {(group.id, ADMINISTRATION, first.id), (group.id, CIVIC, second.id)}


def test_a_person_may_lead_several_groups(group):
    other = factories.make_group("Beta", "beta")
    person = factories.make_user(lead_of=group)
    groups.add_lead(other, person)
    db.session.commit()
    assert person.lead_group_ids == {group.id, other.id}


# Global roles


def role_rows(user) -> set[Role]:
    return set(db.session.scalars(db.select(UserRole.role).where(UserRole.user_id == user.id)))


def test_set_global_roles_adds_and_removes():
    person = factories.make_user()
    roles.set_global_roles(person, {Role.BOARD, Role.U30})
    db.session.commit()
    assert person.global_roles == role_rows(person) == {Role.BOARD, Role.U30}

    roles.set_global_roles(person, {Role.U30, Role.ADMIN})
    db.session.commit()
    assert person.global_roles == role_rows(person) == {Role.U30, Role.ADMIN}

    roles.set_global_roles(person, set())
    db.session.commit()
    assert role_rows(person) == set()


def test_grant_role_adds_to_the_existing_roles():
    person = factories.make_user(roles_={Role.BOARD})
    roles.grant_role(person, Role.U30)
    db.session.commit()
    assert role_rows(person) == {Role.BOARD, Role.U30}


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.LEAD])
def test_only_global_roles_can_be_set(role):
    person = factories.make_user()
    with pytest.raises(DomainError, match="Unbekannte Rolle"):
        roles.set_global_roles(person, {role})
    assert role_rows(person) == set()


def test_an_admin_cannot_remove_their_own_admin_role():
    admin = factories.make_user(roles_={Role.ADMIN})
    with pytest.raises(DomainError, match="nicht selbst entziehen"):
        roles.set_global_roles(admin, {Role.BOARD}, actor=admin)
    db.session.rollback()
    assert role_rows(admin) == {Role.ADMIN}

    # Changing their other roles is fine, and so is another admin taking the role away.
    roles.set_global_roles(admin, {Role.ADMIN, Role.BOARD}, actor=admin)
    db.session.commit()
    assert role_rows(admin) == {Role.ADMIN, Role.BOARD}
    other_admin = factories.make_user(roles_={Role.ADMIN})
    roles.set_global_roles(admin, {Role.BOARD}, actor=other_admin)
    db.session.commit()
    assert role_rows(admin) == {Role.BOARD}
