"""The reference data every installation has: 290 municipalities, 21 counties, police areas."""
from django.core.management import call_command

from .models import Municipality


def ensure_reference_data() -> None:
    """Load the fixtures when they are missing (the migration loads them; tests that empty the
    database between runs, such as browser tests, get them back here)."""
    if Municipality.objects.count() < 290:
        call_command("loaddata", "municipalities", "police_areas", verbosity=0)
