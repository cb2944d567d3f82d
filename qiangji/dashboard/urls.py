"""HTML routes of the dashboard (一屏掌控)."""

app_name = "dashboard"
urlpatterns: list = []
