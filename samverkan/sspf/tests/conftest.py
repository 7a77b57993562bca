from .helpers import team  # noqa: F401 - the fixture
