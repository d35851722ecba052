"""`practicebank users ...` (accounts and API tokens) and `practicebank audit export`.

Passwords are read from a hidden prompt or the PRACTICEBANK_PASSWORD variable, never from a
command-line argument (which other users of the machine can see). Every change is audited
with the actor "cli:<operating-system user>".
"""
from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

import click

from practicebank.catalog import accounts, audit
from practicebank.catalog.roles import ACCOUNT_ROLES
from practicebank.cli.common import cli_state, home_option, json_option, pass_services
from practicebank.cli.console import console, err_console, print_json, table


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "cli"


def _run(operation):
    """Run a change as the command's user; an AccountError is a refusal the root group reports."""
    services = cli_state().services()
    with audit.acting_as(_actor()), services.db.write() as session:
        return operation(session)


@click.group()
def users() -> None:
    """Accounts: regional editors, federal curators, administrators; API tokens."""


def _password(ask: bool) -> str:
    password = os.environ.get("PRACTICEBANK_PASSWORD")
    if password:
        return password
    if not ask:
        err_console.print("Error: set PRACTICEBANK_PASSWORD or run in a terminal to be asked")
        sys.exit(1)
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users.command("add")
@home_option
@json_option
@click.argument("login")
@click.option("--role", type=click.Choice([role.value for role in ACCOUNT_ROLES]), required=True)
@click.option("--region", default=None, help="ISO code of the editor's region (regional editors only).")
@click.option("--email", default=None)
def add(as_json: bool, login: str, role: str, region: str | None, email: str | None) -> None:
    """Create a user; the password comes from a prompt or PRACTICEBANK_PASSWORD."""
    password = _password(sys.stdin.isatty())
    user = _run(lambda s: accounts.user_dict(accounts.create_user(s, login, password, role, region, email)))
    if as_json:
        print_json({"ok": True, "user": user})
    else:
        console.print(f"User {user['login']} created ({user['role']}{', ' + user['region'] if user['region'] else ''})")


@users.command("list")
@home_option
@json_option
@pass_services
def list_(services, as_json: bool) -> None:
    """Every user with role, region and state."""
    with services.db.read() as session:
        rows = [accounts.user_dict(u) for u in accounts.list_users(session)]
    if as_json:
        print_json({"users": rows})
        return
    console.print(table(f"{len(rows)} users", ["login", "role", "region", "active", "locked until", "last login"],
                        [(u["login"], u["role"], u["region"], "yes" if u["active"] else "no", u["locked_until"],
                          u["last_login_at"]) for u in rows]))


@users.command("set-role")
@home_option
@json_option
@click.argument("login")
@click.argument("role", type=click.Choice([role.value for role in ACCOUNT_ROLES]))
@click.option("--region", default=None, help="ISO code of the region (needed for regional editors).")
def set_role(as_json: bool, login: str, role: str, region: str | None) -> None:
    """Change a user's role (and region)."""
    user = _run(lambda s: accounts.user_dict(accounts.set_role(s, login, role, region)))
    if as_json:
        print_json({"ok": True, "user": user})
    else:
        console.print(f"{user['login']} is now {user['role']}")


@users.command("disable")
@home_option
@json_option
@click.argument("login")
def disable(as_json: bool, login: str) -> None:
    """Disable an account: its web sessions end and its API tokens are revoked (not the last admin)."""
    user = _run(lambda s: accounts.user_dict(accounts.set_active(s, login, False)))
    print_json({"ok": True, "user": user}) if as_json else console.print(f"{login} disabled")


@users.command("enable")
@home_option
@json_option
@click.argument("login")
def enable(as_json: bool, login: str) -> None:
    """Enable an account again (and clear a lockout)."""
    user = _run(lambda s: accounts.user_dict(accounts.set_active(s, login, True)))
    print_json({"ok": True, "user": user}) if as_json else console.print(f"{login} enabled")


@users.command("set-password")
@home_option
@click.argument("login")
def set_password(login: str) -> None:
    """Set a new password (prompt or PRACTICEBANK_PASSWORD); ends the user's sessions, clears lockouts."""
    password = _password(sys.stdin.isatty())
    _run(lambda s: accounts.set_password(s, login, password))
    console.print(f"Password of {login} changed")


@users.command("token-create")
@home_option
@json_option
@click.argument("login")
@click.option("--name", default="api", show_default=True, help="What the token is for.")
def token_create(as_json: bool, login: str, name: str) -> None:
    """A new API token for a user: printed once, stored only as a hash."""
    raw, token_id = _run(lambda s: (lambda pair: (pair[0], pair[1].id))(accounts.create_token(s, login, name)))
    if as_json:
        print_json({"ok": True, "id": token_id, "token": raw})
    else:
        console.print(f"Token #{token_id} for {login} (copy it now, it is not shown again):")
        click.echo(raw)


@users.command("token-revoke")
@home_option
@json_option
@click.argument("token_id", type=int)
def token_revoke(as_json: bool, token_id: int) -> None:
    """Revoke an API token by its number (see token-list)."""
    _run(lambda s: accounts.revoke_token(s, token_id))
    print_json({"ok": True, "id": token_id, "revoked": True}) if as_json else console.print(f"Token #{token_id} revoked")


@users.command("token-list")
@home_option
@json_option
@click.option("--user", "login", default=None)
@pass_services
def token_list(services, as_json: bool, login: str | None) -> None:
    """API tokens (never the tokens themselves: their first characters)."""
    with services.db.read() as session:
        rows = accounts.list_tokens(session, login)
    if as_json:
        print_json({"tokens": rows})
    else:
        console.print(table(f"{len(rows)} tokens", ["id", "user", "name", "starts with", "created", "revoked"],
                            [(t["id"], t["user"], t["name"], t["prefix"] + "…", t["created_at"],
                              "yes" if t["revoked"] else "no") for t in rows]))


@click.group("audit")
def audit_group() -> None:
    """The audit log of every change."""


@audit_group.command("export")
@home_option
@json_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="A .jsonl file: one entry a line, oldest first.")
@pass_services
def audit_export(services, as_json: bool, output: Path) -> None:
    """Write the whole audit log as JSON Lines."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with services.db.read() as session, output.open("w", encoding="utf-8") as out:
        count = audit.export_jsonl(session, out)
    if as_json:
        print_json({"ok": True, "entries": count, "file": str(output)})
    else:
        console.print(f"{count} audit entries written to {output}")
