from rest_framework.routers import SimpleRouter

from .api import ActivityEvaluationViewSet, IndicatorDefinitionViewSet

router = SimpleRouter()
router.register("indicator-definitions", IndicatorDefinitionViewSet,
                basename="indicatordefinition")
router.register("activity-evaluations", ActivityEvaluationViewSet,
                basename="activityevaluation")
urlpatterns = router.urls
