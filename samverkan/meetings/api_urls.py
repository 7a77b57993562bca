from rest_framework.routers import SimpleRouter

from .api import (
    ActionItemViewSet,
    AgendaItemViewSet,
    AttendanceViewSet,
    ComplianceCheckViewSet,
    ComplianceViewSet,
    DecisionViewSet,
    MeetingViewSet,
)

router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("meeting-attendances", AttendanceViewSet, basename="attendance")
router.register("agenda-items", AgendaItemViewSet, basename="agendaitem")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("action-items", ActionItemViewSet, basename="actionitem")
router.register("compliance-checks", ComplianceCheckViewSet, basename="compliancecheck")
router.register("compliance", ComplianceViewSet, basename="compliance")
urlpatterns = router.urls
