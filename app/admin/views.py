"""The admin area: thematic groups and their tandems, accounts and roles, site texts."""

from babel.numbers import get_decimal_symbol
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.admin.forms import (
    AutoHideForm,
    BoardWeightsForm,
    ConfirmForm,
    GroupArchiveForm,
    GroupCreateForm,
    GroupEditForm,
    GroupMoveForm,
    ReasonMoveForm,
    ReasonTemplateForm,
    SiteTextForm,
    UserRolesForm,
)
from app.extensions import db
from app.models import (
    GroupLead,
    ModerationReason,
    Role,
    SiteSetting,
    TandemSide,
    ThematicGroup,
    User,
    UserRole,
)
from app.permissions import can_administer, require
from app.services import DomainError, accounts, board, groups, moderation, roles, settings

bp = Blueprint("admin", __name__)

SIDE_LABELS = {
    TandemSide.ADMINISTRATION: _l("Stadtverwaltung"),
    TandemSide.CIVIC: _l("Stadtgesellschaft"),
}
ROLE_LABELS = {
    Role.BOARD: _l("Lenkungsgremium"),
    Role.U30: _l("U30-Beirat"),
    Role.ADMIN: _l("Administration"),
}

USERS_PER_PAGE = 50
SEARCH_MAX = 100
# Where each site text is published (routes of the main blueprint).
PUBLIC_TEXT_ENDPOINTS = {
    "accessibility": "main.accessibility",
    "privacy": "main.privacy",
    "imprint": "main.imprint",
}


@bp.get("/")
@login_required
def index():
    require(can_administer(current_user))
    return render_template("admin/index.html", counts=_counts())


def _counts() -> dict[str, int]:
    def count(query) -> int:
        return db.session.scalar(query) or 0

    active_users = User.deleted_at.is_(None)
    by_role: dict[Role, int] = dict(
        db.session.execute(db.select(UserRole.role, db.func.count()).group_by(UserRole.role)).all()
    )
    lead_count = (
        db.select(db.func.count())
        .select_from(GroupLead)
        .where(GroupLead.group_id == ThematicGroup.id)
        .scalar_subquery()
    )
    return {
        "groups": count(db.select(db.func.count(ThematicGroup.id))),
        "archived_groups": count(
            db.select(db.func.count(ThematicGroup.id)).where(ThematicGroup.archived_at.is_not(None))
        ),
        "vacant_groups": count(
            db.select(db.func.count(ThematicGroup.id)).where(
                ThematicGroup.archived_at.is_(None), lead_count < len(TandemSide)
            )
        ),
        "accounts": count(db.select(db.func.count(User.id)).where(active_users)),
        "unconfirmed": count(
            db.select(db.func.count(User.id)).where(active_users, User.confirmed_at.is_(None))
        ),
        "admins": by_role.get(Role.ADMIN, 0),
        "board": by_role.get(Role.BOARD, 0),
        "u30": by_role.get(Role.U30, 0),
        "leads": count(db.select(db.func.count(db.distinct(GroupLead.user_id)))),
    }


# Thematic groups


@bp.get("/groups", endpoint="groups")
@login_required
def list_groups():
    require(can_administer(current_user))
    return _render_groups(GroupCreateForm())


def _render_groups(form: GroupCreateForm):
    return render_template(
        "admin/groups.html",
        groups=groups.ordered_groups(include_archived=True),
        form=form,
        sides=list(TandemSide),
        side_labels=SIDE_LABELS,
    )


@bp.post("/groups")
@login_required
def create_group():
    require(can_administer(current_user))
    form = GroupCreateForm()
    if form.validate_on_submit():
        try:
            group = groups.create_group(form.name.data, form.slug.data, form.description.data)
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            form.slug.errors.append(str(error))
        except IntegrityError:
            # Another admin took the same slug in the same moment.
            db.session.rollback()
            form.slug.errors.append(_("Diese Kurzform ist bereits vergeben."))
        else:
            flash(_("Die Themengruppe „%(name)s“ wurde angelegt.", name=group.name), "success")
            return redirect(url_for("admin.groups", _anchor=f"gruppe-{group.id}"))
    return _render_groups(form)


@bp.route("/groups/<int:group_id>", methods=["GET", "POST"])
@login_required
def edit_group(group_id: int):
    require(can_administer(current_user))
    group = db.get_or_404(ThematicGroup, group_id)
    # A lead field missing from a post keeps that side as it is; an empty one vacates it.
    current_emails = {
        f"lead_{side.value}": lead.email if (lead := group.lead_on(side)) else ""
        for side in TandemSide
    }
    form = GroupEditForm(obj=group, **current_emails)
    lead_fields = {
        TandemSide.ADMINISTRATION: form.lead_administration,
        TandemSide.CIVIC: form.lead_civic,
    }
    if form.validate_on_submit() and _apply_group_edit(group, form, lead_fields):
        db.session.commit()
        flash(_("Die Themengruppe „%(name)s“ wurde gespeichert.", name=group.name), "success")
        return redirect(url_for("admin.groups", _anchor=f"gruppe-{group.id}"))
    return render_template("admin/group_edit.html", group=group, form=form)


def _apply_group_edit(group: ThematicGroup, form: GroupEditForm, lead_fields: dict) -> bool:
    """Apply a valid form; on a refused lead, put the reason beside its field and roll back."""
    leads: dict[TandemSide, User | None] = {}
    for side, lead_field in lead_fields.items():
        if not lead_field.data:
            leads[side] = None
            continue
        leads[side] = accounts.find_by_email(lead_field.data)
        if leads[side] is None:
            lead_field.errors.append(_("Es gibt kein Konto mit dieser E-Mail-Adresse."))
    if any(lead_field.errors for lead_field in lead_fields.values()):
        return False
    groups.update_group(
        group, form.name.data, form.description.data, premoderation=form.premoderation.data
    )
    try:
        groups.set_tandem(group, leads)
    except groups.TandemError as error:
        db.session.rollback()
        for side, message in error.errors.items():
            lead_fields[side].errors.append(message)
        return False
    return True


@bp.post("/groups/<int:group_id>/move")
@login_required
def move_group(group_id: int):
    require(can_administer(current_user))
    group = db.get_or_404(ThematicGroup, group_id)
    form = GroupMoveForm()
    if not form.validate_on_submit():
        abort(400)
    up = form.direction.data == "up"
    if groups.move_group(group, -1 if up else 1):
        db.session.commit()
        if up:
            message = _("„%(name)s“ steht jetzt eine Stelle weiter oben.", name=group.name)
        else:
            message = _("„%(name)s“ steht jetzt eine Stelle weiter unten.", name=group.name)
        flash(message, "success")
    elif up:
        flash(_("„%(name)s“ steht bereits ganz oben.", name=group.name), "info")
    else:
        flash(_("„%(name)s“ steht bereits ganz unten.", name=group.name), "info")
    return redirect(url_for("admin.groups", _anchor=f"gruppe-{group.id}"))


@bp.post("/groups/<int:group_id>/archive")
@login_required
def archive_group(group_id: int):
    require(can_administer(current_user))
    group = db.get_or_404(ThematicGroup, group_id)
    form = GroupArchiveForm()
    if not form.validate_on_submit():
        abort(400)
    archived = form.archived.data == "1"
    groups.set_archived(group, archived)
    db.session.commit()
    if archived:
        message = _(
            "„%(name)s“ ist archiviert und erscheint nicht mehr in den öffentlichen Listen.",
            name=group.name,
        )
    else:
        message = _("„%(name)s“ ist wieder aktiv.", name=group.name)
    flash(message, "success")
    return redirect(url_for("admin.groups", _anchor=f"gruppe-{group.id}"))


# Accounts and roles


@bp.get("/users")
@login_required
def users():
    require(can_administer(current_user))
    q = request.args.get("q", "").strip()[:SEARCH_MAX]
    query = (
        db.select(User)
        .options(selectinload(User.lead_of).selectinload(GroupLead.group))
        .order_by(User.created_at.desc(), User.id.desc())
    )
    if q:
        query = query.where(
            db.or_(
                User.email.icontains(q, autoescape=True),
                User.display_name.icontains(q, autoescape=True),
            )
        )
    page = max(request.args.get("page", 1, type=int), 1)
    pagination = db.paginate(query, page=page, per_page=USERS_PER_PAGE, error_out=False)
    if pagination.page > pagination.pages > 0:
        # A page past the end (the list got shorter, or a hand-made link): show the last one.
        pagination = db.paginate(
            query, page=pagination.pages, per_page=USERS_PER_PAGE, error_out=False
        )
    return render_template(
        "admin/users.html",
        pagination=pagination,
        q=q,
        role_order=list(ROLE_LABELS),
        role_labels=ROLE_LABELS,
    )


def _active_user_or_404(user_id: int) -> User:
    # A deleted account has nothing left to edit: no address, no name, no roles.
    user = db.get_or_404(User, user_id)
    if not user.is_active:
        abort(404)
    return user


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@login_required
def edit_user(user_id: int):
    require(can_administer(current_user))
    user = _active_user_or_404(user_id)
    form = UserRolesForm()
    role_fields = {Role.BOARD: form.board, Role.U30: form.u30, Role.ADMIN: form.admin}
    if request.method == "GET":
        for role, role_field in role_fields.items():
            role_field.data = role in user.global_roles
    if form.validate_on_submit():
        chosen = {role for role, role_field in role_fields.items() if role_field.data}
        try:
            roles.set_global_roles(user, chosen, actor=current_user._get_current_object())
        except DomainError as error:
            db.session.rollback()
            form.admin.errors.append(str(error))
        else:
            db.session.commit()
            flash(
                _("Die Rollen von %(name)s wurden gespeichert.", name=user.display_name), "success"
            )
            return redirect(url_for("admin.edit_user", user_id=user.id))
    lead_groups = sorted(
        ((lead.group, lead.side) for lead in user.lead_of), key=lambda item: item[0].position
    )
    return render_template(
        "admin/user_edit.html",
        user=user,
        form=form,
        lead_groups=lead_groups,
        side_labels=SIDE_LABELS,
    )


# The steering board's Gesamtwertung (services.board)


@bp.route("/board-weights", methods=["GET", "POST"])
@login_required
def board_weights():
    require(can_administer(current_user))
    form = BoardWeightsForm()
    symbol = get_decimal_symbol(get_locale())  # the form takes "1,5" and "1.5" alike
    if request.method == "GET":
        current = board.get_weights()
        for name in board.WEIGHT_NAMES:
            form[name].data = board.weight_text(getattr(current, name), symbol)
    if form.validate_on_submit():
        try:
            board.set_weights(form.weights(board.WEIGHT_NAMES))
        except DomainError as error:
            db.session.rollback()
            form.votes.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Die Gewichte der Gesamtwertung wurden gespeichert."), "success")
            return redirect(url_for("admin.board_weights"))
    defaults = {
        name: board.weight_text(getattr(board.DEFAULT_WEIGHTS, name), symbol)
        for name in board.WEIGHT_NAMES
    }
    return render_template("admin/board_weights.html", form=form, defaults=defaults)


# Site texts


@bp.get("/texts")
@login_required
def texts():
    require(can_administer(current_user))
    edited = {
        setting.key: setting.updated_at
        for setting in db.session.scalars(
            db.select(SiteSetting).where(SiteSetting.key.in_(settings.SITE_TEXTS))
        )
    }
    items = [
        (key, settings.label(key), edited.get(key), PUBLIC_TEXT_ENDPOINTS[key])
        for key in settings.SITE_TEXTS
    ]
    return render_template("admin/texts.html", items=items)


@bp.route("/texts/<key>", methods=["GET", "POST"])
@login_required
def edit_text(key: str):
    require(can_administer(current_user))
    if key not in settings.SITE_TEXTS:
        abort(404)
    form = SiteTextForm()
    if request.method == "GET":
        form.body.data = settings.text_source(key)
    if form.validate_on_submit():
        settings.set_text(key, form.body.data)
        db.session.commit()
        flash(_("„%(label)s“ wurde gespeichert.", label=settings.label(key)), "success")
        return redirect(url_for("admin.texts"))
    return render_template(
        "admin/text_edit.html",
        key=key,
        label=settings.label(key),
        public_endpoint=PUBLIC_TEXT_ENDPOINTS[key],
        form=form,
    )


# Moderation: reason templates and the auto-hide threshold


@bp.get("/moderation")
@login_required
def moderation_settings():
    require(can_administer(current_user))
    return _render_moderation()


def _render_moderation(
    threshold_form: AutoHideForm | None = None, reason_form: ReasonTemplateForm | None = None
):
    if threshold_form is None:
        threshold_form = AutoHideForm(
            formdata=None, threshold=str(moderation.auto_hide_threshold())
        )
    return render_template(
        "admin/moderation.html",
        threshold_form=threshold_form,
        reason_form=reason_form or ReasonTemplateForm(formdata=None),
        templates=moderation.reason_templates(),
        threshold_min=moderation.AUTO_HIDE_MIN,
        threshold_max=moderation.AUTO_HIDE_MAX,
    )


@bp.post("/moderation/threshold")
@login_required
def moderation_threshold():
    require(can_administer(current_user))
    form = AutoHideForm()
    if form.validate_on_submit():
        try:
            moderation.set_auto_hide_threshold(int(form.threshold.data))
        except DomainError as error:
            db.session.rollback()
            form.threshold.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Die Schwelle für das automatische Ausblenden ist gespeichert."), "success")
            return redirect(url_for("admin.moderation_settings"))
    return _render_moderation(threshold_form=form)


@bp.post("/moderation/reasons")
@login_required
def create_reason():
    require(can_administer(current_user))
    form = ReasonTemplateForm()
    if form.validate_on_submit():
        try:
            template = moderation.create_template(form.label.data, form.text.data)
        except DomainError as error:
            db.session.rollback()
            form.label.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Die Vorlage „%(label)s“ wurde angelegt.", label=template.label), "success")
            return redirect(url_for("admin.moderation_settings", _anchor=f"vorlage-{template.id}"))
    return _render_moderation(reason_form=form)


@bp.route("/moderation/reasons/<int:reason_id>", methods=["GET", "POST"])
@login_required
def edit_reason(reason_id: int):
    require(can_administer(current_user))
    template = db.get_or_404(ModerationReason, reason_id)
    form = ReasonTemplateForm(obj=template)
    if form.validate_on_submit():
        try:
            moderation.update_template(template, form.label.data, form.text.data)
        except DomainError as error:
            db.session.rollback()
            form.label.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Die Vorlage „%(label)s“ wurde gespeichert.", label=template.label), "success")
            return redirect(url_for("admin.moderation_settings", _anchor=f"vorlage-{template.id}"))
    return render_template("admin/reason_edit.html", template=template, form=form)


@bp.post("/moderation/reasons/<int:reason_id>/move")
@login_required
def move_reason(reason_id: int):
    require(can_administer(current_user))
    template = db.get_or_404(ModerationReason, reason_id)
    form = ReasonMoveForm()
    if not form.validate_on_submit():
        abort(400)
    if moderation.move_template(template, -1 if form.direction.data == "up" else 1):
        db.session.commit()
        flash(_("Die Reihenfolge der Vorlagen ist gespeichert."), "success")
    return redirect(url_for("admin.moderation_settings", _anchor=f"vorlage-{template.id}"))


@bp.post("/moderation/reasons/<int:reason_id>/delete")
@login_required
def delete_reason(reason_id: int):
    require(can_administer(current_user))
    template = db.get_or_404(ModerationReason, reason_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    label = template.label
    moderation.delete_template(template)
    db.session.commit()
    flash(_("Die Vorlage „%(label)s“ wurde gelöscht.", label=label), "success")
    return redirect(url_for("admin.moderation_settings"))
