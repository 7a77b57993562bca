import pytest

from samverkan.core.testing import build_world


@pytest.fixture
def world(db):
    """Eskilstuna with its coordinator, police officer, contributor, reader; plus a user with
    no role and a coordinator of Karlshamn."""
    return build_world()


@pytest.fixture
def coordinator(world):
    return world.coordinator


@pytest.fixture
def police_officer(world):
    return world.police_officer


@pytest.fixture
def contributor(world):
    return world.contributor


@pytest.fixture
def reader(world):
    return world.reader


@pytest.fixture
def other_municipality_user(world):
    return world.other_municipality_user


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Real hashing costs ~0.2 s per user; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _identity_defaults(settings):
    # The second-factor rule is tested in samverkan/accounts; elsewhere nobody is forced, and
    # the API throttle counts start afresh in every test.
    from django.core.cache import caches

    settings.TWO_FACTOR_REQUIRED_FOR = []
    caches["throttle"].clear()


@pytest.fixture
def run_jobs():
    """Run the background jobs queued so far on the configured task backend."""
    from samverkan.jobs.testing import run_queued_jobs

    return run_queued_jobs
