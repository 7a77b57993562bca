from rest_framework.routers import SimpleRouter

from .api import IndexBandsViewSet, SurveyResultViewSet, SurveyViewSet

router = SimpleRouter()
router.register("surveys", SurveyViewSet, basename="survey")
router.register("survey-results", SurveyResultViewSet, basename="surveyresult")
router.register("index-bands", IndexBandsViewSet, basename="indexbands")
urlpatterns = router.urls
