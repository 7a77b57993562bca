from rest_framework.routers import SimpleRouter

from .api import MunicipalityViewSet, OrganizationViewSet

router = SimpleRouter()
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("organizations", OrganizationViewSet, basename="organization")
urlpatterns = router.urls
