from django.contrib.auth import views as auth_views
from django.urls import path

from web import (
    annotations,
    api,
    blame,
    candidates,
    downloads,
    lineage,
    profile,
    reviewers,
    runs,
    search,
    submit,
)

app_name = "pages"

urlpatterns = [
    path("", runs.projects, name="projects"),
    path("login/", auth_views.LoginView.as_view(template_name="pages/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", profile.profile, name="profile"),
    path("p/<slug:slug>/", runs.project, name="project"),
    path("p/<slug:slug>/search/", search.search, name="search"),
    path("runs/<int:run_id>/", runs.run, name="run"),
    path("runs/<int:run_id>/export/<str:fmt>/", downloads.run_export, name="run-export"),
    path("runs/<int:run_id>/lineage/", lineage.run_page, name="run-lineage"),
    path("runs/<int:run_id>/lineage.json", lineage.run_json, name="run-lineage-json"),
    path("runs/<int:run_id>/reviewer-links/", reviewers.create, name="reviewer-link-create"),
    path(
        "runs/<int:run_id>/reviewer-links/<int:link_id>/revoke/",
        reviewers.revoke,
        name="reviewer-link-revoke",
    ),
    path("review/<str:token>/", reviewers.review, name="review"),
    path("exports/progress/<str:token>/", downloads.progress, name="export-progress"),
    path("candidates/<int:pk>/", candidates.candidate, name="candidate"),
    path("candidates/<int:pk>/export/<str:fmt>/", downloads.candidate_export, name="candidate-export"),
    path("candidates/<int:pk>/lineage/", lineage.candidate_page, name="candidate-lineage"),
    path("candidates/<int:pk>/panel/", candidates.panel, name="candidate-panel"),
    path("candidates/<int:pk>/lineage.json", lineage.candidate_json, name="candidate-lineage-json"),
    path("candidates/<int:pk>/blame/", blame.blame_page, name="candidate-blame"),
    path("candidates/<int:pk>/edit/", submit.edit, name="candidate-edit"),
    path("candidates/<int:pk>/edit/check/", submit.check, name="candidate-edit-check"),
    path("api/runs/", api.runs, name="api-runs"),
    path("api/runs/<int:run_id>/", api.run, name="api-run"),
    path("api/runs/<int:run_id>/candidates/", api.candidates, name="api-run-candidates"),
    path("api/runs/<int:run_id>/lineage/", lineage.run_json, name="api-run-lineage"),
    path("api/candidates/<int:pk>/", api.candidate, name="api-candidate"),
    path("api/candidates/<int:pk>/lineage/", lineage.candidate_json, name="api-candidate-lineage"),
    path("notes/<str:target_type>/<int:target_id>/", annotations.annotate, name="annotate"),
]
