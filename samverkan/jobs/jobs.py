"""The jobs app's own job kinds (e-mail) are registered when this module is imported."""
from . import email  # noqa: F401
