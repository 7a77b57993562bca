from django.urls import path

from . import views

app_name = "agreements"


def _child_urls(prefix: str, parent: str, name: str, create, update, delete):
    """new under the parent (`parent_pk`), edit and delete by the record's own pk."""
    return [
        path(f"{parent}<int:parent_pk>/{prefix}/new/", create.as_view(), name=f"{name}_create"),
        path(f"{prefix}/<int:pk>/edit/", update.as_view(), name=f"{name}_update"),
        path(f"{prefix}/<int:pk>/delete/", delete.as_view(), name=f"{name}_delete"),
    ]


urlpatterns = [
    path("", views.AgreementListView.as_view(), name="agreement_list"),
    path("new/", views.AgreementCreateView.as_view(), name="agreement_create"),
    path("<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("<int:pk>/edit/", views.AgreementUpdateView.as_view(), name="agreement_update"),
    path("<int:pk>/delete/", views.AgreementDeleteView.as_view(), name="agreement_delete"),
    path("focus-areas/<int:pk>/", views.FocusAreaDetailView.as_view(),
         name="focusarea_detail"),
    path("forums/<int:pk>/", views.ForumDetailView.as_view(), name="forum_detail"),
    *_child_urls("parties", "", "party", views.PartyCreateView,
                 views.PartyUpdateView, views.PartyDeleteView),
    *_child_urls("signatories", "", "signatory", views.SignatoryCreateView,
                 views.SignatoryUpdateView, views.SignatoryDeleteView),
    *_child_urls("priority-areas", "", "priorityarea", views.PriorityAreaCreateView,
                 views.PriorityAreaUpdateView, views.PriorityAreaDeleteView),
    *_child_urls("data-sources", "", "datasource", views.DataSourceCreateView,
                 views.DataSourceUpdateView, views.DataSourceDeleteView),
    *_child_urls("followup", "", "followupentry", views.FollowUpEntryCreateView,
                 views.FollowUpEntryUpdateView, views.FollowUpEntryDeleteView),
    *_child_urls("focus-areas", "", "focusarea", views.FocusAreaCreateView,
                 views.FocusAreaUpdateView, views.FocusAreaDeleteView),
    *_child_urls("sub-goals", "focus-areas/", "subgoal", views.SubGoalCreateView,
                 views.SubGoalUpdateView, views.SubGoalDeleteView),
    *_child_urls("forums", "", "forum", views.ForumCreateView,
                 views.ForumUpdateView, views.ForumDeleteView),
    *_child_urls("forum-members", "forums/", "forummember", views.ForumMemberCreateView,
                 views.ForumMemberUpdateView, views.ForumMemberDeleteView),
    *_child_urls("commitments", "", "commitment", views.CommitmentCreateView,
                 views.CommitmentUpdateView, views.CommitmentDeleteView),
    *_child_urls("terms", "", "definition", views.DefinitionCreateView,
                 views.DefinitionUpdateView, views.DefinitionDeleteView),
    *_child_urls("practices", "", "practice", views.PracticeCreateView,
                 views.PracticeUpdateView, views.PracticeDeleteView),
]
