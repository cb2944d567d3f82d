"""REST API of the mobility app (/api/v1/mobility/): serializers, views and the URL routes."""
