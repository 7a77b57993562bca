from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# The token scheme of the API's schema registers itself on import: here, next to the schema's
# views, rather than in the app's ready(), so that commands and job workers do not pay for
# drf-spectacular (0.24 s of every process start, docs/performance.md).
from samverkan.accounts import schema as _api_token_scheme  # noqa: F401
from samverkan.accounts.oidc import SamverkanLoginView, SamverkanLogoutView
from samverkan.agreements import views as agreement_views

DOMAIN_APPS = ["organizations", "agreements", "plans", "situation", "followup", "meetings",
               "evaluation"]
DOMAIN_APPS += ["surveys", "participation"]
DOMAIN_APPS += ["sspf"]

handler404 = "samverkan.core.views.not_found"

urlpatterns = [
    path("", agreement_views.home, name="home"),
    path("login/", SamverkanLoginView.as_view(), name="login"),
    path("logout/", SamverkanLogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("core/", include("samverkan.core.urls")),
    path("admin/", admin.site.urls),
    path("jobs/", include("samverkan.jobs.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its script as a file: no inline script under the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(
        url_name="api-schema", template_name="core/swagger_ui.html"), name="api-docs"),
]
urlpatterns += [path(f"{app}/", include(f"samverkan.{app}.urls")) for app in DOMAIN_APPS]
urlpatterns += [path("api/v1/", include(f"samverkan.{app}.api_urls")) for app in DOMAIN_APPS]
urlpatterns += [path("api/v1/", include("samverkan.jobs.api_urls"))]

urlpatterns += [path("", include("samverkan.accounts.urls"))]
urlpatterns += [path("", include("samverkan.operations.urls"))]
urlpatterns += [path("faults/", include("samverkan.faults.urls"))]
urlpatterns += [path("api/v1/", include("samverkan.faults.api_urls"))]
urlpatterns += [path("open311/v2/", include("samverkan.faults.open311_urls"))]
urlpatterns += [path("cameras/", include("samverkan.cameras.urls"))]
urlpatterns += [path("api/v1/", include("samverkan.cameras.api_urls"))]
