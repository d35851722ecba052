"""The catalog's tables (SQLAlchemy 2.0 typed models).

Lists in the record format (features, industries, indicators...) are child rows with a
position, so their order survives the round trip. ``based_on`` links are stored by id without
a foreign key: a file may name a project that is imported later, or lives in another catalog.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, DateTime
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from practicebank.catalog.roles import ACCOUNT_ROLES


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Region(Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    federal_district: Mapped[str] = mapped_column(String(32))
    group: Mapped[str] = mapped_column(String(32))


class Industry(Base):
    __tablename__ = "industries"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    label_en: Mapped[str] = mapped_column(String(200))
    label_ru: Mapped[str] = mapped_column(String(200))


class Technology(Base):
    __tablename__ = "technologies"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    label_en: Mapped[str] = mapped_column(String(200))
    label_ru: Mapped[str] = mapped_column(String(200))


class Project(Base):
    __tablename__ = "projects"
    __table_args__ = (
        CheckConstraint("status IS NULL OR status IN ('planned','in_development','in_operation','decommissioned')",
                        name="ck_projects_status"),
        Index("ix_projects_region", "region_code"),
    )

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    status: Mapped[str | None] = mapped_column(String(32))
    start_year: Mapped[int | None] = mapped_column(Integer)
    end_year: Mapped[int | None] = mapped_column(Integer)
    capex: Mapped[float | None] = mapped_column(Float)
    opex_per_year: Mapped[float | None] = mapped_column(Float)
    funding_regional: Mapped[float | None] = mapped_column(Float)
    funding_federal: Mapped[float | None] = mapped_column(Float)
    funding_local: Mapped[float | None] = mapped_column(Float)
    funding_extrabudgetary: Mapped[float | None] = mapped_column(Float)
    owner: Mapped[str | None] = mapped_column(String(500))
    vendor: Mapped[str | None] = mapped_column(String(500))
    contact: Mapped[str | None] = mapped_column(String(500))  # whom a region asks about reuse
    license: Mapped[str | None] = mapped_column(String(32))
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    # "ru" or "en" (NULL in rows older than migration 0003: detected when read), and the
    # texts in other languages: {"ru": {"title", "summary", "description", "features", "translated"}}
    language: Mapped[str | None] = mapped_column(String(8))
    translations: Mapped[dict | None] = mapped_column(JSON)
    curation_state: Mapped[str] = mapped_column(String(32), default="approved")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # Optimistic locking: a concurrent editor's stale write fails instead of overwriting.
    version: Mapped[int] = mapped_column(Integer, default=1)

    region: Mapped[Region] = relationship(lazy="joined")
    features: Mapped[list[Feature]] = relationship(
        order_by="Feature.position", cascade="all, delete-orphan", lazy="selectin")
    industries: Mapped[list[ProjectIndustry]] = relationship(
        order_by="ProjectIndustry.position", cascade="all, delete-orphan", lazy="selectin")
    technologies: Mapped[list[ProjectTechnology]] = relationship(
        order_by="ProjectTechnology.position", cascade="all, delete-orphan", lazy="selectin")
    indicators: Mapped[list[IndicatorRow]] = relationship(
        order_by="IndicatorRow.position", cascade="all, delete-orphan", lazy="selectin")
    sources: Mapped[list[SourceRow]] = relationship(
        order_by="SourceRow.position", cascade="all, delete-orphan", lazy="selectin")
    based_on: Mapped[list[ReuseLink]] = relationship(
        order_by="ReuseLink.position", cascade="all, delete-orphan", lazy="selectin")

    __mapper_args__ = {"version_id_col": version}


class Feature(Base):
    __tablename__ = "project_features"

    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class ProjectIndustry(Base):
    __tablename__ = "project_industries"

    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("industries.code"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class ProjectTechnology(Base):
    __tablename__ = "project_technologies"

    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(ForeignKey("technologies.code"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class IndicatorRow(Base):
    __tablename__ = "project_indicators"

    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    unit: Mapped[str | None] = mapped_column(String(100))
    baseline: Mapped[float | None] = mapped_column(Float)
    target: Mapped[float | None] = mapped_column(Float)
    target_year: Mapped[int | None] = mapped_column(Integer)
    actual: Mapped[float | None] = mapped_column(Float)


class SourceRow(Base):
    __tablename__ = "project_sources"

    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000))


class ReuseLink(Base):
    __tablename__ = "reuse_links"
    __table_args__ = (Index("ix_reuse_links_based_on", "based_on_id"),)

    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    based_on_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)


class CatalogRevision(Base):
    """A single row counting changes; indexes store the revision they were built from."""

    __tablename__ = "catalog_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --------------------------------------------------------------------------- accounts, workflow
# (catalog/accounts.py, catalog/workflow.py, catalog/replication.py, catalog/audit.py)

class User(Base):
    """A person who signs in: a regional editor, a federal curator or an administrator."""

    __tablename__ = "users"
    __table_args__ = (
        # the same text as migration 0002 wrote: ('regional_editor','federal_curator','admin')
        CheckConstraint(f"role IN ({','.join(repr(role.value) for role in ACCOUNT_ROLES)})", name="ck_users_role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    login: Mapped[str] = mapped_column(String(200), unique=True)
    email: Mapped[str | None] = mapped_column(String(320))
    password_hash: Mapped[str] = mapped_column(String(512))
    role: Mapped[str] = mapped_column(String(32))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Moves on logout, password change and disable: a session cookie carrying an older
    # number no longer signs anyone in (web.auth's user loader compares them).
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class LoginThrottle(Base):
    """Failed logins of one account from one client address (catalog.accounts.authenticate).

    The lock is per (account, address): a stranger guessing a password locks only themselves
    out, never the owner signing in from elsewhere.
    """

    __tablename__ = "login_throttle"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """A revocable bearer token for API writes; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WorkflowEvent(Base):
    """One curation transition of a project: who, when, from, to, why."""

    __tablename__ = "workflow_events"
    __table_args__ = (Index("ix_workflow_events_project", "project_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(200))
    comment: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReplicationRequest(Base):
    """A region asking to reuse a practice: requested -> agreed -> piloting -> in_operation."""

    __tablename__ = "replication_requests"
    __table_args__ = (
        CheckConstraint("status IN ('requested','agreed','piloting','in_operation','declined')",
                        name="ck_replication_status"),
        Index("ix_replication_practice", "practice_id"),
        Index("ix_replication_region", "requesting_region"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    practice_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    requesting_region: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    adopting_project_id: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(32), default="requested")
    comment: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class AuditEntry(Base):
    """Every change: who did what to which entity, with the entity before and after (JSON)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity", "entity_type", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(200))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
