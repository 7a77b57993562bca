from rest_framework.routers import SimpleRouter

from .api import ActivityViewSet, ContributionViewSet, IndicatorViewSet, MeasurementViewSet

router = SimpleRouter()
router.register("activities", ActivityViewSet, basename="activity")
router.register("contributions", ContributionViewSet, basename="contribution")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("measurements", MeasurementViewSet, basename="measurement")
urlpatterns = router.urls

from .api_io import urlpatterns as io_urlpatterns  # noqa: E402  plan import/export

urlpatterns += io_urlpatterns
