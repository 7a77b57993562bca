"""Writes for organisations and memberships."""
from __future__ import annotations

from django.db import transaction

from samverkan.core import access, services

from .models import Membership, Organization


def create_organization(*, actor, municipality, **fields) -> Organization:
    return services.create(Organization, actor=actor, data=fields, municipality=municipality)


def update_organization(organization: Organization, *, actor, **fields) -> Organization:
    return services.update(organization, actor=actor, data=fields)


def delete_organization(organization: Organization, *, actor) -> None:
    services.delete(organization, actor=actor)


@transaction.atomic
def add_membership(*, actor, user, organization: Organization, role: str, title: str = "")\
        -> Membership:
    membership = services.create(Membership, actor=actor, data={
        "user": user, "organization": organization, "role": role, "title": title})
    access.forget(user)
    return membership


def update_membership(membership: Membership, *, actor, **fields) -> Membership:
    membership = services.update(membership, actor=actor, data=fields)
    access.forget(membership.user)
    return membership


def remove_membership(membership: Membership, *, actor) -> None:
    services.delete(membership, actor=actor)
    access.forget(membership.user)
