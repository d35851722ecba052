"""The curation workflow of a practice, and who may do what: the single source of truth.

    draft -> submitted -> approved -> recommended_for_scaling -> federal_standard
    submitted -> returned (with a comment) -> submitted ...;  any state -> archived

``POLICY`` says, for every action, which roles may take it, from which states, into which
state, and whether the actor's region must be the record's. ``can`` answers from it alone;
the web layer, the API and the tests all ask ``can``. Each transition changes the record
(its ``curation_state``, so the catalog revision moves) and is written to the history table
and the audit log in the same transaction.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from practicebank.catalog import audit
from practicebank.catalog.accounts import Principal
from practicebank.catalog.models import Project, WorkflowEvent
from practicebank.catalog.roles import Role
from practicebank import errors
from practicebank.errors import Refusal, gettext_noop
from practicebank.catalog.store import PUBLIC_STATES, get_project, project_dict, upsert_projects
from practicebank.catalog.taxonomy import CURATION_STATES

STATES = tuple(CURATION_STATES)
EDITABLE_STATES = ("draft", "returned")


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    states: frozenset[str]          # the record must be in one of these
    to: str | None = None           # the state after the action (None: the state does not change)
    own_region: bool = False        # the actor's region must be the record's
    comment_required: bool = False


def _rule(roles: Iterable[Role], states: Iterable[str], to: str | None = None, **kw) -> Rule:
    return Rule(frozenset(roles), frozenset(states), to, **kw)


_NOT_ARCHIVED = [s for s in STATES if s != "archived"]

# action -> rule. "view" of a public state is open to everyone (see PUBLIC_STATES) on top of this.
POLICY: dict[str, Rule] = {
    "view": _rule([Role.EDITOR], STATES, own_region=True),
    "view_any": _rule([Role.CURATOR, Role.ADMIN], STATES),
    "create": _rule([Role.EDITOR], ["draft"], "draft", own_region=True),
    "edit": _rule([Role.EDITOR], EDITABLE_STATES, own_region=True),
    "submit": _rule([Role.EDITOR], EDITABLE_STATES, "submitted", own_region=True),
    "approve": _rule([Role.CURATOR], ["submitted"], "approved"),
    "return": _rule([Role.CURATOR], ["submitted"], "returned", comment_required=True),
    "recommend": _rule([Role.CURATOR], ["approved"], "recommended_for_scaling"),
    "make_standard": _rule([Role.CURATOR], ["recommended_for_scaling"], "federal_standard"),
    "archive": _rule([Role.CURATOR], _NOT_ARCHIVED, "archived"),
}
TRANSITIONS = tuple(a for a, r in POLICY.items() if r.to and a != "create")
# The actions a matrix over existing records checks (create is about a region, not a record).
RECORD_ACTIONS = ("view", "edit", *TRANSITIONS)

ACTION_LABELS: dict[str, tuple[str, str]] = {
    "create": ("Create", "Создать"), "edit": ("Edit", "Изменить"),
    "submit": ("Submit for review", "Отправить на рассмотрение"), "approve": ("Approve", "Одобрить"),
    "return": ("Return with comment", "Вернуть с замечаниями"),
    "recommend": ("Recommend for scaling", "Рекомендовать к тиражированию"),
    "make_standard": ("Mark as federal standard", "Признать федеральным стандартом"),
    "archive": ("Archive", "В архив"),
}


class WorkflowError(Refusal):
    """A refused workflow request; ``str()`` is English, ``template``/``params`` translate it.

    Its status is the domain error's it also is (errors.NotFound 404, Forbidden 403, Conflict
    409; 400 otherwise), so every front end answers it alike.
    """


class NotFound(WorkflowError, errors.NotFound):
    """No such record, or one the actor may not see (both look the same from outside)."""

    def __init__(self, what: str):
        super().__init__(gettext_noop("%(what)s: no such record, or not one you may see"), what=what)


class Forbidden(WorkflowError, errors.Forbidden):
    """The actor sees the record but may not do that to it."""


class InvalidTransition(WorkflowError, errors.Conflict):
    """Not possible in the record's current state."""


def can(actor: Principal, action: str, state: str | None, region: str | None) -> bool:
    """May ``actor`` take ``action`` on a record in ``state`` of ``region``?"""
    if not actor.active:
        return False
    if action == "view":
        if state in PUBLIC_STATES:
            return True
        return _allowed(POLICY["view_any"], actor, state, region) or _allowed(POLICY["view"], actor, state, region)
    rule = POLICY.get(action)
    if rule is None or action == "view_any":
        return False
    return _allowed(rule, actor, state, region)


def _allowed(rule: Rule, actor: Principal, state: str | None, region: str | None) -> bool:
    if actor.role not in rule.roles or state not in rule.states:
        return False
    if rule.own_region and (not actor.region or actor.region != region):
        return False
    return True


def can_view(actor: Principal, row: Project) -> bool:
    return can(actor, "view", row.curation_state, row.region_code)


def can_create(actor: Principal, region: str | None) -> bool:
    return can(actor, "create", "draft", region)


def available_actions(actor: Principal, row: Project) -> list[str]:
    return [a for a in TRANSITIONS if can(actor, a, row.curation_state, row.region_code)]


def visible_project(session: Session, actor: Principal, project_id: str) -> Project:
    row = get_project(session, project_id)
    if row is None or not can_view(actor, row):
        raise NotFound(project_id)
    return row


def transition(session: Session, actor: Principal, project_id: str, action: str,
               comment: str | None = None) -> WorkflowEvent:
    """Take a workflow action on a record, or raise NotFound / Forbidden / InvalidTransition."""
    row = visible_project(session, actor, project_id)
    rule = POLICY.get(action)
    if rule is None or action not in TRANSITIONS:
        raise InvalidTransition(gettext_noop("unknown action %(name)r"), name=action)
    if not can(actor, action, row.curation_state, row.region_code):
        if actor.role in rule.roles and row.curation_state not in rule.states and \
                (not rule.own_region or actor.region == row.region_code):
            raise InvalidTransition(gettext_noop("cannot %(action)s a record that is %(state)s"),
                                    action=action, state=row.curation_state)
        raise Forbidden(gettext_noop("%(role)s may not %(action)s this record"), role=actor.role, action=action)
    comment = (comment or "").strip() or None
    if rule.comment_required and not comment:
        raise InvalidTransition(gettext_noop("%(action)s needs a comment"), action=action)
    before = row.curation_state
    row.curation_state = rule.to
    event = WorkflowEvent(project_id=row.id, action=action, from_state=before, to_state=rule.to,
                          actor=actor.login, comment=comment)
    session.add(event)
    session.flush()
    audit.record(session, f"project.{action}", "project", row.id, {"curation_state": before},
                 {"curation_state": rule.to, "comment": comment}, actor=actor.login)
    return event


def history(session: Session, project_id: str) -> list[dict]:
    rows = session.scalars(select(WorkflowEvent).where(WorkflowEvent.project_id == project_id)
                           .order_by(WorkflowEvent.id))
    return [{"id": e.id, "action": e.action, "from": e.from_state, "to": e.to_state, "actor": e.actor,
             "comment": e.comment, "at": e.at.isoformat() if e.at else None} for e in rows]


def sees_internal_history(actor: Principal, row: Project) -> bool:
    """Whether ``actor`` works on the record (would see it as a draft): curators and
    administrators, and the editors of its region. They see who did what and the review
    comments; everyone else sees only when it became public (see ``history_for``)."""
    return actor.active and (_allowed(POLICY["view_any"], actor, "draft", row.region_code)
                             or _allowed(POLICY["view"], actor, "draft", row.region_code))


def history_for(session: Session, actor: Principal, row: Project) -> list[dict]:
    """The history ``actor`` may read: all of it for those who work on the record; for the
    public only the changes into a public state, with no logins and no comments (internal
    review notes and who reviewed are not published)."""
    events = history(session, row.id)
    if sees_internal_history(actor, row):
        return events
    return [{"action": e["action"], "from": e["from"], "to": e["to"], "at": e["at"]}
            for e in events if e["to"] in PUBLIC_STATES]


def save_draft(session: Session, actor: Principal, record: dict, create: bool) -> Project:
    """Create (``create``) or edit a record as the regional editor ``actor``.

    ``record`` is the SPEC's JSON object; the region is always the editor's own on creation
    and may not change on edit.
    """
    project = validate_record(session, record)
    existing = get_project(session, project.id)
    if create:
        # Permission first, then one answer for any taken id, visible or not: the reply must not
        # tell a hidden draft's id from a free one (it was 409 "taken" against 403 before).
        if not can_create(actor, project.region):
            raise Forbidden(gettext_noop("editors create records of their own region only"))
        if existing is not None:
            raise InvalidTransition(gettext_noop("a record with id %(project_id)r already exists"),
                                    project_id=project.id)
        before = None
    else:
        if existing is None or not can_view(actor, existing):
            raise NotFound(project.id)
        if not can(actor, "edit", existing.curation_state, existing.region_code):
            raise Forbidden(gettext_noop("this record cannot be edited now"))
        if project.region != existing.region_code:
            raise Forbidden(gettext_noop("the region of a record cannot be changed"))
        before = project_dict(existing)
    upsert_projects(session, [project], curation_state="draft")
    session.flush()
    row = get_project(session, project.id)
    if create:
        session.add(WorkflowEvent(project_id=row.id, action="create", from_state=None, to_state="draft",
                                  actor=actor.login, comment=None))
    audit.record(session, "project.create" if create else "project.edit", "project", row.id, before,
                 project_dict(row), actor=actor.login)
    return row


def region_queue(session: Session, actor: Principal) -> list[Project]:
    """The non-public records the actor works on: own region for editors, all for curators."""
    query = select(Project).where(Project.curation_state.not_in(PUBLIC_STATES)).order_by(Project.id)
    if actor.role == Role.EDITOR:
        query = query.where(Project.region_code == actor.region)
    elif actor.role not in (Role.CURATOR, Role.ADMIN):
        return []
    return list(session.scalars(query))


def count_in_state(session: Session, state: str, region: str | None = None) -> int:
    """How many records are in ``state`` (in ``region`` only, when given): what awaits a role."""
    query = select(func.count()).select_from(Project).where(Project.curation_state == state)
    if region is not None:
        query = query.where(Project.region_code == region)
    return int(session.scalar(query) or 0)


def last_return_comment(session: Session, project_id: str) -> str | None:
    """The curator's comment of the last return of a record (what the editor is to correct)."""
    return session.scalar(select(WorkflowEvent.comment).where(
        WorkflowEvent.project_id == project_id, WorkflowEvent.action == "return")
        .order_by(WorkflowEvent.id.desc()).limit(1))


class RecordInvalid(WorkflowError):
    """The record breaks the SPEC's format; ``errors`` says where and why.

    The errors come from the import's validation (catalog.files) and stay English.
    """
    status = 400

    def __init__(self, errors: list[str], details: list | None = None):
        self.errors = errors
        self.details = list(details or [])  # the RecordErrors (field, code, params): a form's own messages
        super().__init__("; ".join(errors))


def validate_record(session: Session, record: dict):
    """One record checked exactly as import checks it (regions by code or name)."""
    from practicebank.catalog.files import validate_projects
    from practicebank.catalog.regions import make_resolver
    from practicebank.catalog.store import region_dicts

    valid, errors = validate_projects([(1, record)], make_resolver(region_dicts(session)))
    if errors or not valid:
        raise RecordInvalid([f"{e.field}: {e.message}" if e.field else e.message for e in errors] or ["invalid"],
                            errors)
    return valid[0][1]
