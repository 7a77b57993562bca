"""`load_demo` refuses a database with real data, and never creates the demo accounts (with
the published password) where real people work."""
import io

import pytest
from django.core.management import CommandError, call_command

from samverkan.demo.loader import real_data


def test_load_demo_refuses_a_database_with_real_users(world):
    # `world` has real users in Eskilstuna and an organisation in Karlshamn.
    assert real_data()
    with pytest.raises(CommandError, match="real data"):
        call_command("load_demo", stdout=io.StringIO())


def test_no_demo_account_where_real_users_work(world, django_user_model):
    from samverkan.demo.loader import ensure_users

    out = io.StringIO()
    ensure_users(actor=None, stdout=out)
    assert not django_user_model.objects.filter(username__in=["samordnare", "karlshamn"]
                                                ).exists()
    assert "real users" in out.getvalue()
