"""``samverkan export_followup --round ID --format docx|pdf --output FILE [--user NAME]``

Writes the follow-up report of a round (period, summary counts, per focus area the
activities with status, what was done, who collaborated, effects, deviations, indicator
charts, the reports still missing). Without --user the report is made with the server
operator's view (everything in the round's municipality)."""
from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from samverkan.followup.documents import followup_report
from samverkan.followup.models import FollowUpRound


class _Operator:
    """The server operator running a command: sees every record, like a superuser."""

    is_authenticated = True
    is_superuser = True
    is_active = True
    pk = None


class Command(BaseCommand):
    help = "Export the follow-up report of a round as DOCX or PDF."

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, required=True, help="The round's id.")
        parser.add_argument("--format", choices=["docx", "pdf"], default="docx")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument("--user", help="Make the report as this user sees the data.")

    def handle(self, *args, **options):
        user = _Operator()
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as exc:
                raise CommandError(f"No user {options['user']!r}.") from exc
        round = FollowUpRound.objects.visible_to(user).filter(pk=options["round"]).first()
        if round is None:
            raise CommandError(f"No follow-up round {options['round']}.")
        document = followup_report(round, user)
        data = document.to_docx() if options["format"] == "docx" else document.to_pdf()
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"{options['output']}: {len(data)} bytes")
