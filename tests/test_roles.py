"""The one Role enum: its values are the stored and sent strings, every role has both labels,
and everything that names roles (workflow policy, the users table, the view decorators) uses it."""
from __future__ import annotations

import json

import pytest

from practicebank.catalog import workflow
from practicebank.catalog.accounts import ANONYMOUS_PRINCIPAL
from practicebank.catalog.models import User
from practicebank.catalog.roles import ACCOUNT_ROLES, LABELS, Role
from practicebank.web.auth import login_required_role, rate_limited, token_required


def test_role_values_are_the_stored_strings():
    assert [role.value for role in Role] == ["anonymous", "regional_editor", "federal_curator", "admin"]
    assert Role("federal_curator") is Role.CURATOR and Role.CURATOR == "federal_curator"
    assert json.dumps({"role": Role.EDITOR}) == '{"role": "regional_editor"}'
    assert f"{Role.ADMIN}" == "admin" and ANONYMOUS_PRINCIPAL.role == "anonymous"


def test_every_role_has_an_english_and_a_russian_label():
    for role in Role:
        english, russian = role.labels
        assert english and russian and english != russian
        assert role.label("ru") == russian and role.label("en") == english
        assert LABELS[role.value] == role.labels


def test_the_users_table_accepts_exactly_the_account_roles():
    check = next(c for c in User.__table__.constraints if c.name == "ck_users_role")
    assert str(check.sqltext) == "role IN ('regional_editor','federal_curator','admin')"  # as migration 0002 wrote it
    assert Role.ANONYMOUS not in ACCOUNT_ROLES


def test_the_workflow_policy_names_only_roles():
    for rule in workflow.POLICY.values():
        assert rule.roles and all(isinstance(role, Role) for role in rule.roles)


def test_a_misspelt_role_or_limit_fails_at_import():
    with pytest.raises(ValueError):
        login_required_role("admn")
    with pytest.raises(ValueError):
        token_required("editor")
    with pytest.raises(KeyError):
        rate_limited("enigne")
