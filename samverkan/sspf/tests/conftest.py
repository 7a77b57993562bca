import pytest

from .helpers import team  # noqa: F401 - the fixture


@pytest.fixture(autouse=True)
def _default_throttle_rates(monkeypatch):
    # A test elsewhere may leave DRF's class-level rates lowered for the rest of the worker
    # (SimpleRateThrottle.THROTTLE_RATES is bound when first set); these tests read the API
    # many times and need the configured rates.
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)
