from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api
from .api_emerging import EmergingHotspotsView

router = SimpleRouter()
router.register("situation/categories", api.CategoryViewSet, basename="situation-category")
router.register("situation/areas", api.AreaViewSet, basename="situation-area")
router.register("situation/incidents", api.IncidentViewSet, basename="situation-incident")
router.register("situation/nothing-to-report", api.NothingToReportViewSet,
                basename="situation-nothingtoreport")
router.register("situation/crime-statistics", api.CrimeStatisticViewSet,
                basename="situation-crimestatistic")
router.register("situation/est-notes", api.EstWeekNoteViewSet, basename="situation-estnote")
router.register("situation/est-measures", api.EstMeasureViewSet,
                basename="situation-estmeasure")
router.register("situation/focus-area-watches", api.FocusAreaWatchViewSet,
                basename="situation-focusareawatch")
urlpatterns = [
    path("situation/incidents/import/", api.IncidentImportView.as_view(),
         name="situation-incident-import"),
    path("situation/emerging-hotspots/", EmergingHotspotsView.as_view(),
         name="situation-emerging-hotspots"),
    *router.urls,
]
