"""Command line: `flask --app wsgi seed`, `users create`, `mail deliver`."""

import time

import click
from flask import Flask, current_app

from app import demo as demo_data
from app import seed as seed_data
from app.extensions import db
from app.models import Role
from app.services import DomainError, accounts, groups, notifications, roles
from app.services.mail import deliver_pending
from app.services.recount import recount


def register_cli(app: Flask) -> None:
    app.cli.add_command(seed_command)
    app.cli.add_command(users_cli)
    app.cli.add_command(mail_cli)
    app.cli.add_command(recount_command)


@click.command("seed")
@click.option("--demo", is_flag=True, help="Demo-Konten und Beispielinhalte anlegen.")
@click.option("--ideas", type=click.IntRange(min=0), help="Mit --demo: so viele Ideen in Masse.")
@click.option("--votes", type=click.IntRange(min=0), help="Mit --demo: so viele Stimmen.")
@click.option("--comments", type=click.IntRange(min=0), help="Mit --demo: so viele Kommentare.")
def seed_command(demo: bool, ideas: int | None, votes: int | None, comments: int | None) -> None:
    """Lege die Themengruppen an (und mit --demo Beispielinhalte).

    Mit --ideas/--votes/--comments statt der Beispielideen Massendaten für Lasttests
    (fehlende Angaben: 10 Stimmen und 3 Kommentare je Idee); jeder Lauf fügt weitere hinzu.
    """
    bulk = (ideas, votes, comments) != (None, None, None)
    if bulk and not demo:
        raise click.UsageError("--ideas, --votes und --comments gehen nur mit --demo.")
    if demo and current_app.config["IDEENWERK_ENV"] != "development":
        raise click.ClickException("--demo ist nur in der Entwicklungsumgebung erlaubt.")
    created = seed_data.seed_groups()
    seed_data.seed_site_texts()
    seed_data.seed_moderation_reasons()
    click.echo(f"Themengruppen: {created} neu angelegt.")
    if demo:
        emails = seed_data.seed_demo_users()
        click.echo(
            f"Demo-Konten: {len(emails)} neu angelegt (Passwort: {seed_data.DEMO_PASSWORD})."
        )
        for email, name, *_ in seed_data.DEMO_USERS:
            click.echo(f"  {email:48} {name}")
    if demo and bulk:
        ideas = ideas if ideas is not None else 0
        votes = votes if votes is not None else 10 * ideas
        comments = comments if comments is not None else 3 * ideas
        click.echo(f"Massendaten: {ideas} Ideen, {votes} Stimmen, {comments} Kommentare …")
        started = time.perf_counter()
        try:
            result = demo_data.seed_bulk(ideas, votes, comments, progress=click.echo)
        except ValueError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        db.session.commit()
        demo_data.analyze()
        db.session.commit()
        click.echo(
            f"Massendaten angelegt: {result.users} Konten, {result.ideas} Ideen, "
            f"{result.votes} Stimmen, {result.assessments} Einschätzungen, "
            f"{result.comments} Kommentare in {time.perf_counter() - started:.1f} s."
        )
        return
    if demo:
        added = demo_data.seed_showcase()
        click.echo(f"Beispielideen: {added} neu angelegt.")
    db.session.commit()


@click.group("users")
def users_cli() -> None:
    """Konten verwalten."""


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option(
    "--name", "display_name", default=None, help="Anzeigename (Standard: aus der E-Mail)."
)
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.CITIZEN.value,
    show_default=True,
)
@click.option("--group", "group_slug", default=None, help="Themengruppe (für --role lead).")
def create_user(
    email: str, password: str, display_name: str | None, role: str, group_slug: str | None
) -> None:
    """Lege ein bestätigtes Konto an oder gib einem bestehenden eine weitere Rolle."""
    role = Role(role)
    group = None
    if role is Role.LEAD:
        if not group_slug:
            raise click.BadParameter("--role lead braucht --group SLUG.", param_hint="--group")
        group = groups.find_by_slug(group_slug)
        if group is None:
            raise click.BadParameter(f"Unbekannte Gruppe: {group_slug}", param_hint="--group")
    user = accounts.find_by_email(email)
    if user is None:
        name = display_name or email.split("@", 1)[0]
        user = accounts.create_user(email, name, password, confirmed=True)
        click.echo(f"Konto {user.email} angelegt.")
    else:
        click.echo(f"Konto {user.email} besteht bereits; Rollen werden ergänzt.")
    try:
        if group is not None:
            side = groups.add_lead(group, user)
            click.echo(f"Leitung der Gruppe {group.slug} ({side.value}).")
        elif role is not Role.CITIZEN:
            roles.grant_role(user, role)
            click.echo(f"Rolle {role.value} vergeben.")
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()


@click.group("mail")
def mail_cli() -> None:
    """Den Postausgang verarbeiten."""


@mail_cli.command("deliver")
@click.option("--loop", is_flag=True, help="Weiterlaufen und den Postausgang regelmäßig leeren.")
@click.option("--interval", default=10, show_default=True, help="Sekunden zwischen zwei Läufen.")
def deliver(loop: bool, interval: int) -> None:
    """Versende die fälligen E-Mails aus dem Postausgang."""
    while True:
        sent, failed = deliver_pending()
        if sent or failed or not loop:
            click.echo(f"{sent} versendet, {failed} fehlgeschlagen.")
        if not loop:
            break
        time.sleep(interval)


@mail_cli.command("digest")
def digest() -> None:
    """Verschicke die tägliche Zusammenfassung der Benachrichtigungen (einmal am Tag per cron)."""
    if not current_app.config.get("SERVER_NAME"):
        # Outside a request, the links in the mails need the site's address.
        raise click.ClickException(
            "Bitte SERVER_NAME setzen (z. B. ideen.example.de), damit die Links stimmen."
        )
    count = notifications.send_digests()
    db.session.commit()
    click.echo(f"{count} Zusammenfassungen in den Postausgang gelegt.")


@click.command("recount")
@click.option("--verify", is_flag=True, help="Nur prüfen: Unterschiede melden, nichts ändern.")
def recount_command(verify: bool) -> None:
    """Berechne alle gespeicherten Zähler aus den Zeilen neu (mit --verify nur prüfen)."""
    differences = recount(fix=not verify)
    for line in differences[:200]:
        click.echo(line)
    if len(differences) > 200:
        click.echo(f"… und {len(differences) - 200} weitere.")
    if verify:
        if differences:
            raise click.ClickException(f"{len(differences)} Zähler weichen ab.")
        click.echo("Alle Zähler stimmen.")
        return
    db.session.commit()
    click.echo(f"{len(differences)} Zähler korrigiert.")
