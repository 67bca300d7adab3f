"""Ideenwerk: an open idea platform for a city's participation process."""

import os
import secrets
from collections.abc import Mapping

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import config as app_config
from app.extensions import babel, cache, csrf, db, limiter, login_manager, migrate


def create_app(test_config: Mapping | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI. Nothing else."""
    app = Flask(
        __name__,
        instance_path=os.environ.get(
            "IDEENWERK_INSTANCE_PATH", os.path.join(os.path.dirname(__file__), "..", "instance")
        ),
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.config.from_object(app_config.Defaults)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_mapping(app_config.from_environment())
    else:
        app.config.from_mapping(test_config)
    _configure_secrets(app)
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config.get(
        "SQLALCHEMY_DATABASE_URI"
    ) or app_config.database_uri(app.config["DATABASE_URL"], app.instance_path)

    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from app import i18n, security, web

    babel.init_app(app, locale_selector=i18n.select_locale)
    security.init_app(app)
    web.init_app(app)

    from app.account.views import bp as account_bp
    from app.admin.views import bp as admin_bp
    from app.board.views import bp as board_bp
    from app.comments.views import bp as comments_bp
    from app.decisions.views import bp as decisions_bp
    from app.groups.views import bp as groups_bp
    from app.ideas.views import bp as ideas_bp
    from app.main.views import bp as main_bp
    from app.moderation import bp as moderation_bp
    from app.notifications.views import bp as notifications_bp
    from app.search.views import bp as search_bp
    from app.u30.views import bp as u30_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(account_bp, url_prefix="/account")
    app.register_blueprint(groups_bp, url_prefix="/groups")
    app.register_blueprint(ideas_bp, url_prefix="/ideas")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(board_bp, url_prefix="/board")
    app.register_blueprint(comments_bp, url_prefix="/ideas")
    app.register_blueprint(decisions_bp)
    # Routes spelled in full: /ideas/<id>/follow, /groups/<slug>/follow, /account/notifications.
    app.register_blueprint(notifications_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(moderation_bp)
    # /ideas/<id>/u30-statement: the U30-Beirat's statement on a forwarded idea.
    app.register_blueprint(u30_bp)

    from app.cli import register_cli

    register_cli(app)
    return app


def _configure_secrets(app: Flask) -> None:
    production = app.config["IDEENWERK_ENV"] != "development"
    if production:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        # Flask's default is "http", so a setdefault never applied: links built outside a
        # request (mails sent from the command line) must be https in production.
        if app.config["PREFERRED_URL_SCHEME"] == "http":
            app.config["PREFERRED_URL_SCHEME"] = "https"
    if app.config.get("SECRET_KEY"):
        return
    if production:
        raise RuntimeError("SECRET_KEY muss in der Produktion gesetzt sein (Umgebungsvariable).")
    # Development: a random key, kept in instance/ so that sessions survive restarts.
    path = os.path.join(app.instance_path, "secret_key")
    if not os.path.exists(path):
        os.makedirs(app.instance_path, exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32))
        os.chmod(path, 0o600)
    with open(path, encoding="utf-8") as handle:
        app.config["SECRET_KEY"] = handle.read().strip()
