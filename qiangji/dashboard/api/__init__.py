"""The dashboard's JSON API (/api/v1/dashboard/…): serializers, views and routes."""
