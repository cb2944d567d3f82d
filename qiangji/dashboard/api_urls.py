"""API routes of the dashboard: /api/v1/dashboard/…"""

urlpatterns: list = []
