from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("safety-walks", api.SafetyWalkViewSet, basename="safetywalk")
router.register("observations", api.ObservationViewSet, basename="observation")
router.register("dialogues", api.DialogueViewSet, basename="dialogue")
router.register("concerns", api.ConcernViewSet, basename="concern")
router.register("pledges", api.PledgeViewSet, basename="pledge")
router.register("pledge-followups", api.PledgeFollowUpViewSet, basename="pledgefollowup")
urlpatterns = router.urls
