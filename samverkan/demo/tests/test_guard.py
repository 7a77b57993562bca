"""The demo stays a demo: it is not loaded into a database with real work, its accounts are
never created where real people work, and `load_demo --remove` takes it away again."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from samverkan.agreements.models import Agreement
from samverkan.audit.models import AuditEntry
from samverkan.demo.guard import _rows, find_real_data, scoped_models
from samverkan.demo.loader import (
    DEMO_MUNICIPALITIES,
    DEMO_PASSWORD,
    DEMO_USERNAMES,
    ensure_users,
)
from samverkan.followup.tests.test_demo import load_demo_base
from samverkan.organizations.models import Municipality, Organization
from samverkan.organizations.services import add_membership, create_organization
from samverkan.situation.models import Category, Incident

pytestmark = pytest.mark.django_db


def real_person(code: str, org_name: str):
    user = get_user_model().objects.create_user("anna.real", password="x-long-password-1")
    organization = Organization.objects.get(municipality_id=code, name=org_name)
    add_membership(actor=None, user=user, organization=organization, role="coordinator",
                   title="Trygghetssamordnare")
    return user


def demo_records() -> int:
    return sum(_rows(m).filter(municipality_id__in=DEMO_MUNICIPALITIES).count()
               for m in scoped_models())


def test_a_fresh_database_holds_no_real_work():
    # Every municipality has its default EST categories from the migrations: not real work.
    assert Category.objects.exclude(municipality_id__in=DEMO_MUNICIPALITIES).exists()
    assert not find_real_data(DEMO_MUNICIPALITIES, DEMO_USERNAMES)


def test_refuses_a_database_with_real_users_and_changes_nothing():
    load_demo_base()
    real_person("0484", "Eskilstuna kommun")
    before = demo_records()
    with pytest.raises(CommandError) as raised:
        call_command("load_demo", stdout=io.StringIO())
    assert "anna.real" in str(raised.value) and "Eskilstuna" in str(raised.value)
    assert demo_records() == before and not Incident.objects.exists()


def test_refuses_records_in_a_municipality_the_demo_does_not_use():
    stockholm = Municipality.objects.get(code="0180")
    create_organization(actor=None, municipality=stockholm, name="Stockholms stad",
                        kind="municipality")
    found = find_real_data(DEMO_MUNICIPALITIES, DEMO_USERNAMES)
    assert dict(found.records) == {"0180": 1}
    with pytest.raises(CommandError, match="Stockholm: 1 records"):
        call_command("load_demo", stdout=io.StringIO())


def test_no_demo_account_where_real_people_work():
    load_demo_base()
    get_user_model().objects.filter(username="karlshamn").delete()
    real_person("1082", "Karlshamns kommun")
    found = find_real_data(DEMO_MUNICIPALITIES, DEMO_USERNAMES)
    assert found.municipalities_with_people() == {"1082"}
    logins = ensure_users(actor=None, skip=found.municipalities_with_people())
    assert "karlshamn" not in [u for u, _d in logins]
    assert not get_user_model().objects.filter(username="karlshamn").exists()


def test_remove_takes_the_demo_away_and_it_comes_back():
    load_demo_base()
    assert Agreement.objects.filter(municipality="0484").exists()
    out = io.StringIO()
    call_command("load_demo", "--remove", stdout=out)
    assert "Demo removed" in out.getvalue()
    assert demo_records() == 0
    # The default categories stay: a real user's first report finds them.
    assert Category.objects.filter(municipality="0484").count() > 0
    users = get_user_model().objects.filter(username__in=DEMO_USERNAMES)
    assert users.count() == 6 and not users.filter(is_active=True).exists()
    assert not any(u.check_password(DEMO_PASSWORD) for u in users)
    notes = AuditEntry.objects.filter(object_repr__in=["Eskilstuna", "Karlshamn"],
                                      action="delete")
    assert notes.count() == 2
    assert notes.first().changes["after"]["demo removed"]["agreements.Agreement"] >= 1

    load_demo_base()
    samordnare = get_user_model().objects.get(username="samordnare")
    assert samordnare.is_active and samordnare.check_password(DEMO_PASSWORD)


def test_remove_refuses_when_real_people_work_there():
    load_demo_base()
    real_person("0484", "Eskilstuna kommun")
    with pytest.raises(CommandError, match="anna.real"):
        call_command("load_demo", "--remove", stdout=io.StringIO())
    assert Agreement.objects.filter(municipality="0484").exists()
