from rest_framework.routers import SimpleRouter

from .api import (
    AgreedActionViewSet,
    CaseMemberViewSet,
    CaseViewSet,
    ConsentViewSet,
    ProgrammeViewSet,
    TeamMeetingViewSet,
)

router = SimpleRouter()
router.register("sspf-programmes", ProgrammeViewSet, basename="sspf-programme")
router.register("sspf-cases", CaseViewSet, basename="sspf-case")
router.register("sspf-case-members", CaseMemberViewSet, basename="sspf-casemember")
router.register("sspf-consents", ConsentViewSet, basename="sspf-consent")
router.register("sspf-team-meetings", TeamMeetingViewSet, basename="sspf-teammeeting")
router.register("sspf-agreed-actions", AgreedActionViewSet, basename="sspf-agreedaction")
urlpatterns = router.urls
