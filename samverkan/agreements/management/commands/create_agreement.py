"""``samverkan create_agreement --municipality KOD --title T --start DATE --end DATE
--party NAME [--party NAME ...] [--status S] [--user USERNAME]``

Creates an agreement through ``samverkan.agreements.services.create_agreement`` and prints
only its id, so that a script can import a plan into it:

    id=$(samverkan create_agreement --municipality 0484 --title "..." --start 2016-01-01 \\
         --end 2018-12-31 --party "Eskilstuna kommun" --party "Lokalpolisområde Eskilstuna")
    samverkan import_plan plan.xlsx --agreement "$id"

Parties are organisations of that municipality, found by name, abbreviation or other name
(case-insensitive). A name not found creates the organisation; its kind and the party's role
are guessed from the name: "kommun" -> municipality, "polis" -> police, else other.
"""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from samverkan.agreements import services
from samverkan.agreements.choices import AgreementStatus, PartyRole
from samverkan.core import access
from samverkan.core.commandline import get_actor
from samverkan.organizations.choices import OrganizationKind
from samverkan.organizations.models import Municipality, Organization
from samverkan.organizations.services import create_organization

ROLE_BY_KIND = {OrganizationKind.MUNICIPALITY: PartyRole.MUNICIPALITY,
                OrganizationKind.COMMITTEE: PartyRole.MUNICIPALITY,
                OrganizationKind.DEPARTMENT: PartyRole.MUNICIPALITY,
                OrganizationKind.POLICE: PartyRole.POLICE}


def guess_kind(name: str) -> str:
    lowered = name.casefold()
    if "polis" in lowered:
        return OrganizationKind.POLICE
    if "kommun" in lowered:
        return OrganizationKind.MUNICIPALITY
    return OrganizationKind.OTHER


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        import argparse

        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def find_organization(municipality, name: str) -> Organization | None:
    name = name.strip()
    orgs = Organization.objects.filter(municipality=municipality)
    found = orgs.filter(Q(name__iexact=name) | Q(abbreviation__iexact=name)).first()
    if found is not None:
        return found
    for org in orgs:
        if any(alias.casefold() == name.casefold() for alias in org.alias_list):
            return org
    return None


class Command(BaseCommand):
    help = "Create an agreement and print its id."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="kommunkod, e.g. 0484")
        parser.add_argument("--title", required=True)
        parser.add_argument("--start", required=True, type=_date, help="YYYY-MM-DD")
        parser.add_argument("--end", required=True, type=_date, help="YYYY-MM-DD")
        parser.add_argument("--party", action="append", default=[], metavar="NAME",
                            help="a party's organisation (repeat for each party)")
        parser.add_argument("--status", choices=AgreementStatus.values,
                            default=AgreementStatus.DRAFT)
        parser.add_argument("--user", help="username of the acting user (default: system)")

    def handle(self, *args, **options):
        actor = get_actor(options["user"])
        try:
            municipality = Municipality.objects.get(pk=options["municipality"])
        except Municipality.DoesNotExist:
            raise CommandError(_("No municipality with code %(code)s.")
                               % {"code": options["municipality"]}) from None
        if actor is not None and not access.can_create(actor, municipality):
            raise CommandError(_("%(user)s may not create agreements in %(municipality)s.")
                               % {"user": actor, "municipality": municipality})
        try:
            with transaction.atomic():
                parties = []
                for name in options["party"]:
                    organization = find_organization(municipality, name)
                    if organization is None:
                        organization = create_organization(
                            actor=actor, municipality=municipality, name=name.strip(),
                            kind=guess_kind(name))
                        self.stderr.write(_("Created the organisation “%(name)s”.")
                                          % {"name": organization.name})
                    role = ROLE_BY_KIND.get(organization.kind, PartyRole.OTHER)
                    if all(o != organization for o, _r in parties):
                        parties.append((organization, role))
                agreement = services.create_agreement(
                    actor=actor, municipality=municipality, parties=parties,
                    title=options["title"], start_date=options["start"],
                    end_date=options["end"], status=options["status"])
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(str(agreement.pk))
