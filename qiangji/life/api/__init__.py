"""REST API of organisational life (/api/v1/life/): serializers, views (plans, meetings, compliance), urls."""
