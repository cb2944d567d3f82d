"""REST API for organisations (/api/v1/organisations/): serializers, viewsets and routes."""
