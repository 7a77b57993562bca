from rest_framework.routers import SimpleRouter

from .api import ActivityReportViewSet, DeviationViewSet, ReminderViewSet, RoundViewSet

router = SimpleRouter()
router.register("followup-rounds", RoundViewSet, basename="followupround")
router.register("activity-reports", ActivityReportViewSet, basename="activityreport")
router.register("deviations", DeviationViewSet, basename="deviation")
router.register("followup-reminders", ReminderViewSet, basename="reminder")
urlpatterns = router.urls
