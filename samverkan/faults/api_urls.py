from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("faults/categories", api.FaultCategoryViewSet, basename="faults-category")
router.register("faults/deadline-rules", api.DeadlineRuleViewSet, basename="faults-deadlinerule")
router.register("faults/routing-rules", api.RoutingRuleViewSet, basename="faults-routingrule")
router.register("faults/open311-clients", api.Open311ClientViewSet,
                basename="faults-open311client")
router.register("faults/reports", api.FaultReportViewSet, basename="faults-report")
urlpatterns = [
    path("faults/statistics/", api.DeadlineStatisticsView.as_view(), name="faults-statistics"),
    *router.urls,
]
