from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("agreements", api.AgreementViewSet, basename="agreement")
router.register("parties", api.PartyViewSet, basename="party")
router.register("signatories", api.SignatoryViewSet, basename="signatory")
router.register("priority-areas", api.PriorityAreaViewSet, basename="priorityarea")
router.register("data-sources", api.DataSourceViewSet, basename="datasource")
router.register("followup-entries", api.FollowUpEntryViewSet, basename="followupentry")
router.register("focus-areas", api.FocusAreaViewSet, basename="focusarea")
router.register("sub-goals", api.SubGoalViewSet, basename="subgoal")
router.register("forums", api.ForumViewSet, basename="forum")
router.register("forum-members", api.ForumMemberViewSet, basename="forummember")
router.register("commitments", api.CommitmentViewSet, basename="commitment")
router.register("terms", api.DefinitionViewSet, basename="definition")
router.register("practices", api.PracticeViewSet, basename="practice")
urlpatterns = router.urls
