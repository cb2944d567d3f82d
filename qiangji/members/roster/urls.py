from django.urls import path

from qiangji.members.roster import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportNewView.as_view(), name="new"),
    path("template.xlsx", views.template_xlsx, name="template-xlsx"),
    path("template.csv", views.template_csv, name="template-csv"),
    path("jobs/<uuid:pk>/", views.JobView.as_view(), name="job"),
    path("jobs/<uuid:pk>/progress/", views.JobProgressView.as_view(), name="job-progress"),
    path("export/members/", views.members_export, name="members-export"),
]
