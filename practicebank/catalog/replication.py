"""Replication requests: a region asks to reuse a practice, and the reuse is tracked to the end.

    requested -> agreed -> piloting -> in_operation        (or declined on the way)

The owner region (the practice's) and the federal curators see and answer a request; the
requesting region moves it on once agreed. On ``in_operation`` the adopting region's record is
linked to the practice with ``based_on`` (a draft is created in that region when none is
named), so the reuse counts — and with them the scaling board — pick it up by themselves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from practicebank.catalog import audit
from practicebank.catalog.accounts import Principal
from practicebank.catalog.models import Project, ReplicationRequest, ReuseLink, WorkflowEvent
from practicebank.errors import gettext_noop
from practicebank.catalog.schema import ProjectIn
from practicebank.catalog.store import PUBLIC_STATES, get_project, project_dict, upsert_projects
from practicebank.catalog.roles import Role
from practicebank.catalog.workflow import Forbidden, InvalidTransition, NotFound, can_view

STATUSES = ("requested", "agreed", "piloting", "in_operation", "declined")
OPEN_STATUSES = ("requested", "agreed", "piloting")
STATUS_LABELS: dict[str, tuple[str, str]] = {
    "requested": ("Requested", "Запрошено"), "agreed": ("Agreed", "Согласовано"),
    "piloting": ("Piloting", "Пилотирование"), "in_operation": ("In operation", "В эксплуатации"),
    "declined": ("Declined", "Отклонено"),
}


@dataclass(frozen=True)
class Step:
    states: tuple[str, ...]
    to: str
    parties: tuple[str, ...]  # "owner" (the practice's region), "requester" (the asking region), "curator"


# action -> who moves a request from which statuses to which one.
STEPS: dict[str, Step] = {
    "agree": Step(("requested",), "agreed", ("owner", "curator")),
    "decline": Step(("requested", "agreed", "piloting"), "declined", ("owner", "curator")),
    "start_pilot": Step(("agreed",), "piloting", ("requester", "curator")),
    "put_in_operation": Step(("piloting",), "in_operation", ("requester", "curator")),
}
ACTION_LABELS: dict[str, tuple[str, str]] = {
    "agree": ("Agree", "Согласовать"), "decline": ("Decline", "Отклонить"),
    "start_pilot": ("Start the pilot", "Начать пилот"),
    "put_in_operation": ("Put into operation", "Ввести в эксплуатацию"),
}


def _parties(actor: Principal, request: ReplicationRequest, owner_region: str) -> set[str]:
    parties: set[str] = set()
    if actor.role == Role.CURATOR:
        parties.add("curator")
    if actor.role == Role.EDITOR and actor.region:
        if actor.region == owner_region:
            parties.add("owner")
        if actor.region == request.requesting_region:
            parties.add("requester")
    return parties


def can_see(actor: Principal, request: ReplicationRequest, owner_region: str) -> bool:
    return actor.active and (actor.role in (Role.CURATOR, Role.ADMIN) or bool(_parties(actor, request, owner_region)))


def allowed_steps(actor: Principal, request: ReplicationRequest, owner_region: str) -> list[str]:
    parties = _parties(actor, request, owner_region)
    return [a for a, s in STEPS.items() if request.status in s.states and parties & set(s.parties)]


def request_dict(request: ReplicationRequest, practice: Project | None = None) -> dict:
    return {"id": request.id, "practice_id": request.practice_id,
            "practice_title": practice.title if practice else None,
            "owner_region": practice.region_code if practice else None,
            "requesting_region": request.requesting_region, "status": request.status,
            "adopting_project_id": request.adopting_project_id, "comment": request.comment,
            "requested_by": request.requested_by,
            "created_at": request.created_at.isoformat() if request.created_at else None,
            "updated_at": request.updated_at.isoformat() if request.updated_at else None}


def create_request(session: Session, actor: Principal, practice_id: str, comment: str | None = None,
                   adopting_project_id: str | None = None) -> ReplicationRequest:
    practice = get_project(session, practice_id)
    if practice is None or not can_view(actor, practice):
        raise NotFound(practice_id)
    if actor.role != Role.EDITOR or not actor.region:
        raise Forbidden(gettext_noop("only a regional editor asks to reuse a practice for their region"))
    if practice.curation_state not in PUBLIC_STATES:
        raise InvalidTransition(gettext_noop("only approved practices can be reused"))
    if practice.region_code == actor.region:
        raise InvalidTransition(gettext_noop("this practice is already your region's"))
    open_request = session.scalar(select(ReplicationRequest).where(
        ReplicationRequest.practice_id == practice_id, ReplicationRequest.requesting_region == actor.region,
        ReplicationRequest.status.in_(OPEN_STATUSES)))
    if open_request is not None:
        raise InvalidTransition(
            gettext_noop("your region already has an open request for this practice (#%(request_id)s)"),
            request_id=open_request.id)
    if adopting_project_id:
        _check_adopting(session, adopting_project_id, actor.region)
    request = ReplicationRequest(practice_id=practice_id, requesting_region=actor.region, status="requested",
                                 comment=(comment or "").strip() or None, requested_by=actor.login,
                                 adopting_project_id=adopting_project_id or None)
    session.add(request)
    session.flush()
    audit.record(session, "replication.request", "replication_request", str(request.id), None,
                 request_dict(request, practice), actor=actor.login)
    return request


def _check_adopting(session: Session, project_id: str, region: str) -> Project:
    row = get_project(session, project_id)
    if row is None or row.region_code != region:
        raise InvalidTransition(gettext_noop("%(project_id)r is not a record of region %(region)s"),
                                project_id=project_id, region=region)
    return row


def advance(session: Session, actor: Principal, request_id: int, action: str, comment: str | None = None,
            adopting_project_id: str | None = None) -> ReplicationRequest:
    request = session.get(ReplicationRequest, request_id)
    practice = get_project(session, request.practice_id) if request else None
    if request is None or practice is None or not can_see(actor, request, practice.region_code):
        raise NotFound(str(request_id))
    step = STEPS.get(action)
    if step is None:
        raise InvalidTransition(gettext_noop("unknown action %(name)r"), name=action)
    if action not in allowed_steps(actor, request, practice.region_code):
        if request.status not in step.states:
            raise InvalidTransition(gettext_noop("cannot %(request_action)s a request that is %(status)s"),
                                    request_action=action, status=request.status)
        raise Forbidden(gettext_noop("%(role)s may not %(request_action)s this request"), role=actor.role,
                        request_action=action)
    before = request_dict(request, practice)
    if adopting_project_id:
        _check_adopting(session, adopting_project_id, request.requesting_region)
        request.adopting_project_id = adopting_project_id
    request.status = step.to
    if comment and comment.strip():
        request.comment = ((request.comment + "\n") if request.comment else "") + f"{actor.login}: {comment.strip()}"
    if step.to == "in_operation":
        request.adopting_project_id = _link_adoption(session, actor, request, practice)
    session.flush()
    audit.record(session, f"replication.{action}", "replication_request", str(request.id), before,
                 request_dict(request, practice), actor=actor.login)
    return request


def _link_adoption(session: Session, actor: Principal, request: ReplicationRequest, practice: Project) -> str:
    if request.adopting_project_id:
        row = _check_adopting(session, request.adopting_project_id, request.requesting_region)
        if practice.id not in [b.based_on_id for b in row.based_on]:
            before = project_dict(row)
            row.based_on.append(ReuseLink(based_on_id=practice.id, position=len(row.based_on)))
            session.flush()
            audit.record(session, "project.link_reuse", "project", row.id, before, project_dict(row),
                         actor=actor.login)
        return row.id
    record = project_dict(practice)
    new_id = _free_id(session, f"{practice.id}-{request.requesting_region.lower().removeprefix('ru-')}")
    draft = {k: record[k] for k in ("title", "summary", "description", "features", "industries", "technologies",
                                    "license", "vendor") if k in record}
    draft.update(id=new_id, region=request.requesting_region, status="planned", based_on=[practice.id],
                 synthetic=bool(record.get("synthetic")))
    upsert_projects(session, [ProjectIn.model_validate(draft, context={"regions": lambda code: code})],
                    curation_state="draft")
    session.flush()
    session.add(WorkflowEvent(project_id=new_id, action="create", from_state=None, to_state="draft",
                              actor=actor.login, comment=f"adopted from {practice.id} (replication #{request.id})"))
    audit.record(session, "project.create", "project", new_id, None, draft, actor=actor.login)
    return new_id


def _free_id(session: Session, base: str) -> str:
    base = re.sub(r"[^a-z0-9._-]", "-", base.lower())[:110]
    candidate, n = base, 1
    while session.get(Project, candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def requests_for(session: Session, actor: Principal, practice_id: str | None = None) -> list[dict]:
    """The requests the actor may see (all for curators and admins), newest first."""
    query = select(ReplicationRequest, Project).join(Project, Project.id == ReplicationRequest.practice_id)
    if practice_id:
        query = query.where(ReplicationRequest.practice_id == practice_id)
    if actor.role == Role.EDITOR and actor.region:
        query = query.where(or_(ReplicationRequest.requesting_region == actor.region,
                                Project.region_code == actor.region))
    elif actor.role not in (Role.CURATOR, Role.ADMIN):
        return []
    out = []
    for request, practice in session.execute(query.order_by(ReplicationRequest.id.desc())):
        item = request_dict(request, practice)
        item["actions"] = allowed_steps(actor, request, practice.region_code)
        out.append(item)
    return out
