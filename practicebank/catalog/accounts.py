"""Users (with a role from catalog.roles) and API tokens.

Passwords are hashed with werkzeug's maintained scrypt implementation (never stored or logged);
API tokens are random, shown once at creation, and stored as their SHA-256 only.

Lockout is per (account, client address): five failed logins in a row from one address lock
that account *from that address* for fifteen minutes. A stranger who knows a login can lock
only themselves out, never the owner signing in from elsewhere (a lock per account alone was
a denial-of-service weapon). Guessing from many addresses is bounded by the per-address
rate limit on /login, the ten-character minimum and scrypt; every failure is logged to
"practicebank.security" for monitoring.

Sessions end: ``users.session_version`` moves on logout, password change and disable
(``end_sessions``), and a web session carrying an older number signs no one in
(``load_session_principal``).

Account changes do not touch catalog data, so they do not move the catalog revision (which
would make every index look stale).
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from practicebank.catalog import audit
from practicebank.catalog.models import ApiToken, LoginThrottle, Region, User, utcnow
from practicebank.catalog.roles import ACCOUNT_ROLES, Role
from practicebank.errors import Refusal, gettext_noop

PASSWORD_METHOD = "scrypt"
MIN_PASSWORD_LENGTH = 10
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
TOKEN_PREFIX = "pbt_"
LOGIN_RE = re.compile(r"^[A-Za-z0-9._@+-]{2,200}$")
# A real hash to check against when the login is unknown, so timing does not tell logins apart.
_DUMMY_HASH = generate_password_hash("not-a-password-" + secrets.token_hex(8), method=PASSWORD_METHOD)


class AccountError(Refusal, ValueError):
    """A request about accounts that cannot be carried out (message is safe to show).

    ``str()`` is English (CLI, logs); ``template``/``params`` translate it (web/messages.py).
    """


@dataclass(frozen=True)
class Principal:
    """Who acts: a snapshot of a user that outlives the database session."""

    id: int | None
    login: str
    role: str
    region: str | None = None
    active: bool = True


ANONYMOUS_PRINCIPAL = Principal(None, "anonymous", Role.ANONYMOUS)


def principal(user: User) -> Principal:
    return Principal(user.id, user.login, user.role, user.region_code, bool(user.active))


def user_dict(user: User) -> dict:
    return {"id": user.id, "login": user.login, "email": user.email, "role": user.role,
            "region": user.region_code, "active": bool(user.active), "failed_logins": user.failed_logins,
            "locked_until": _iso(user.locked_until), "last_login_at": _iso(user.last_login_at),
            "created_at": _iso(user.created_at)}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _aware(value: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes for timezone-aware columns: they were stored in UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def _no_revision(session: Session) -> None:
    """Mark the transaction as not changing catalog data (see catalog.db._bump_revision)."""
    session.info["revision_bumped"] = True


def _check_role_region(session: Session, role: str, region: str | None) -> str | None:
    if role not in ACCOUNT_ROLES:
        raise AccountError(gettext_noop("unknown role %(role)r; one of: %(roles)s"), role=role,
                           roles=", ".join(ACCOUNT_ROLES))
    if role == Role.EDITOR:
        if not region:
            raise AccountError(gettext_noop("a regional editor needs a region (ISO code such as RU-TA)"))
        code = region.strip().upper()
        if session.get(Region, code) is None:
            raise AccountError(gettext_noop("unknown region %(region)r"), region=region)
        return code
    return None


def _check_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(gettext_noop("the password must be at least %(length)s characters long"),
                           length=MIN_PASSWORD_LENGTH)
    if len(password) > 1024:
        raise AccountError(gettext_noop("the password is too long"))


def get_user(session: Session, login: str) -> User | None:
    return session.scalar(select(User).where(User.login == login.strip().lower()))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.login)))


def create_user(session: Session, login: str, password: str, role: str, region: str | None = None,
                email: str | None = None) -> User:
    _no_revision(session)
    login = (login or "").strip().lower()
    if not LOGIN_RE.match(login):
        raise AccountError(gettext_noop("a login is 2-200 characters: letters, digits and . _ @ + -"))
    if get_user(session, login) is not None:
        raise AccountError(gettext_noop("user %(login)r already exists"), login=login)
    _check_password(password)
    region_code = _check_role_region(session, role, region)
    user = User(login=login, email=(email or None), role=role, region_code=region_code, active=True,
                failed_logins=0, password_hash=generate_password_hash(password, method=PASSWORD_METHOD))
    session.add(user)
    session.flush()
    audit.record(session, "user.create", "user", login, None, _public(user))
    return user


def _public(user: User) -> dict:
    data = user_dict(user)
    data.pop("last_login_at", None)
    return data


def _require(session: Session, login: str) -> User:
    user = get_user(session, login)
    if user is None:
        raise AccountError(gettext_noop("no user %(login)r"), login=login)
    return user


def _other_active_admins(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN.value, User.active.is_(True), User.id != user.id)) or 0


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse a change that would leave no active administrator (no one could manage accounts)."""
    if user.role == Role.ADMIN and user.active and _other_active_admins(session, user) == 0:
        raise AccountError(gettext_noop("%(login)s is the last active administrator; make another one first"),
                           login=user.login)


def set_role(session: Session, login: str, role: str, region: str | None = None) -> User:
    _no_revision(session)
    user = _require(session, login)
    if role != Role.ADMIN:
        _keep_an_admin(session, user)
    before = _public(user)
    user.region_code = _check_role_region(session, role, region or user.region_code)
    user.role = role
    session.flush()
    audit.record(session, "user.set_role", "user", user.login, before, _public(user))
    return user


def set_active(session: Session, login: str, active: bool) -> User:
    _no_revision(session)
    user = _require(session, login)
    if not active:
        _keep_an_admin(session, user)
    before = _public(user)
    user.active = active
    if active:
        user.failed_logins, user.locked_until = 0, None
        _clear_throttle(session, user)
    else:  # a disabled account's sessions end at once
        _bump_session_version(user)
    session.flush()
    if not active:  # a disabled account's tokens stop working at once
        for token in session.scalars(select(ApiToken).where(ApiToken.user_id == user.id,
                                                            ApiToken.revoked_at.is_(None))):
            token.revoked_at = utcnow()
    audit.record(session, "user.enable" if active else "user.disable", "user", user.login, before, _public(user))
    return user


def set_password(session: Session, login: str, password: str) -> User:
    _no_revision(session)
    user = _require(session, login)
    _check_password(password)
    user.password_hash = generate_password_hash(password, method=PASSWORD_METHOD)
    user.failed_logins, user.locked_until = 0, None
    _clear_throttle(session, user)
    _bump_session_version(user)  # every session signed in with the old password ends
    audit.record(session, "user.set_password", "user", user.login, None, {"password": "changed"})
    return user


@dataclass
class LoginResult:
    user: User | None
    reason: str  # "ok", "unknown", "bad_password", "locked", "disabled"

    @property
    def ok(self) -> bool:
        return self.reason == "ok"


def authenticate(session: Session, login: str, password: str, now: datetime | None = None,
                 address: str = "-") -> LoginResult:
    """Check a password, counting failures per (account, client ``address``); the caller commits.

    An account locked for this address answers "locked" even to the right password, so
    guessing on cannot tell when the password was found; from any other address the owner
    signs in as usual.
    """
    _no_revision(session)
    now = now or utcnow()
    address = (address or "-")[:64]
    user = get_user(session, login or "")
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return LoginResult(None, "unknown")
    throttle = session.get(LoginThrottle, (user.id, address))
    if throttle is not None:
        locked_until = _aware(throttle.locked_until)
        if locked_until is not None and locked_until > now:
            check_password_hash(_DUMMY_HASH, password or "")
            return LoginResult(user, "locked")
        if locked_until is not None or _aware(throttle.last_failure_at) <= now - LOCK_FOR:
            throttle.failures, throttle.locked_until = 0, None  # the lock ran out, or the failures are old
    if not check_password_hash(user.password_hash, password or ""):
        _forget_old_failures(session, now, keep=(user.id, address))
        if throttle is None:
            throttle = LoginThrottle(user_id=user.id, address=address, failures=0)
            session.add(throttle)
        throttle.failures = (throttle.failures or 0) + 1
        throttle.last_failure_at = now
        if throttle.failures >= MAX_FAILURES:
            throttle.locked_until = now + LOCK_FOR
            throttle.failures = 0
            audit.record(session, "user.locked", "user", user.login, None,
                         {"locked_until": throttle.locked_until.isoformat(), "address": address}, actor="system")
            return LoginResult(user, "locked")
        return LoginResult(user, "bad_password")
    if not user.active:
        return LoginResult(user, "disabled")
    if throttle is not None:
        session.delete(throttle)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    return LoginResult(user, "ok")


def _forget_old_failures(session: Session, now: datetime, keep: tuple[int, str]) -> None:
    """Drop throttle rows nobody needs any more (their lock and failures are long past),
    except ``keep``, the row this login attempt is counting on."""
    session.execute(delete(LoginThrottle).where(
        LoginThrottle.last_failure_at < now - 2 * LOCK_FOR,
        ~and_(LoginThrottle.user_id == keep[0], LoginThrottle.address == keep[1]),
    ).execution_options(synchronize_session=False))


def _clear_throttle(session: Session, user: User) -> None:
    session.execute(delete(LoginThrottle).where(LoginThrottle.user_id == user.id)
                    .execution_options(synchronize_session=False))


def _bump_session_version(user: User) -> None:
    user.session_version = (user.session_version or 0) + 1


def end_sessions(session: Session, user_id: int) -> None:
    """Sign the user out everywhere: every web session saved before this stops working."""
    _no_revision(session)
    user = session.get(User, user_id)
    if user is not None:
        _bump_session_version(user)


def load_principal(session: Session, user_id: int) -> Principal | None:
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    return principal(user)


def load_session_principal(session: Session, user_id: int, version: object) -> Principal | None:
    """The active user of a web session, or None when the session is from before the user's
    last logout, password change or disable (its version is not the user's)."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    if not isinstance(version, int) or isinstance(version, bool) or version != (user.session_version or 0):
        return None
    return principal(user)


# ------------------------------------------------------------------------------- API tokens
def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def create_token(session: Session, login: str, name: str = "api") -> tuple[str, ApiToken]:
    """A new token for a user: (the raw token, shown once; the stored row)."""
    _no_revision(session)
    user = _require(session, login)
    if not user.active:
        raise AccountError(gettext_noop("user %(login)r is disabled"), login=login)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=(name or "api")[:200], token_hash=_token_hash(raw), prefix=raw[:12])
    session.add(token)
    session.flush()
    audit.record(session, "token.create", "api_token", str(token.id), None,
                 {"user": user.login, "name": token.name, "prefix": token.prefix})
    return raw, token


def revoke_token(session: Session, token_id: int) -> ApiToken:
    _no_revision(session)
    token = session.get(ApiToken, token_id)
    if token is None:
        raise AccountError(gettext_noop("no token %(token_id)s"), token_id=token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(session, "token.revoke", "api_token", str(token.id), {"revoked": False}, {"revoked": True})
    return token


def list_tokens(session: Session, login: str | None = None) -> list[dict]:
    query = select(ApiToken, User.login).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
    if login:
        query = query.where(User.login == login.strip().lower())
    return [{"id": t.id, "user": user_login, "name": t.name, "prefix": t.prefix, "created_at": _iso(t.created_at),
             "last_used_at": _iso(t.last_used_at), "revoked": t.revoked_at is not None}
            for t, user_login in session.execute(query)]


TOKEN_USE_RESOLUTION = timedelta(minutes=1)  # a token's last_used_at is written at most once a minute


def principal_for_token(session: Session, raw: str, *, touch: bool = False) -> Principal | None:
    """The active user behind a live token, or None (unknown, revoked, disabled user).

    With ``touch`` (callers holding a write transaction) the token's ``last_used_at`` is set
    to now, at most once a ``TOKEN_USE_RESOLUTION``; read transactions never write."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(raw)))
    if token is None or token.revoked_at is not None:
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        return None
    now = utcnow()
    if touch and (token.last_used_at is None or _aware(token.last_used_at) <= now - TOKEN_USE_RESOLUTION):
        token.last_used_at = now
    return principal(user)
