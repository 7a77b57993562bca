"""The jobs app's own job kinds (e-mail, documents) are registered when this module is
imported."""
from . import documents, email  # noqa: F401
