from django.contrib.auth import views as auth_views
from django.urls import path

from qiangji.core import export_views, notification_views, schedule_views, security, views, workbench_views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("todos/", workbench_views.TodoListView.as_view(), name="todos"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    *security.urlpatterns,  # account/otp/ (second factor)
    path("audit/", views.AuditLogView.as_view(), name="audit-log"),
    path("audit/export/", views.AuditExportView.as_view(), name="audit-export"),
    path("audit/<int:pk>/", views.AuditDetailView.as_view(), name="audit-detail"),
    path("notifications/", notification_views.NotificationListView.as_view(), name="notifications"),
    path(
        "notifications/read-all/",
        notification_views.NotificationReadAllView.as_view(),
        name="notifications-read-all",
    ),
    path(
        "notifications/<int:pk>/read/",
        notification_views.NotificationReadView.as_view(),
        name="notification-read",
    ),
    path("exports/<uuid:pk>/", export_views.ExportJobView.as_view(), name="export-job"),
    path("exports/<uuid:pk>/file/", export_views.ExportFileView.as_view(), name="export-file"),
    path("jobs/schedule/", schedule_views.ScheduleView.as_view(), name="schedule"),
]
