from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("cameras/cameras", api.CameraViewSet, basename="cameras-camera")
router.register("cameras/policies", api.CameraPolicyViewSet, basename="cameras-policy")
router.register("cameras/holds", api.RetentionHoldViewSet, basename="cameras-hold")
router.register("cameras/periods", api.RecordingPeriodViewSet, basename="cameras-period")
router.register("cameras/retention-runs", api.RetentionRunViewSet,
                basename="cameras-retentionrun")
router.register("cameras/accesses", api.RecordingAccessViewSet, basename="cameras-access")
router.register("cameras/still-requests", api.StillRequestViewSet,
                basename="cameras-stillrequest")
urlpatterns = router.urls
