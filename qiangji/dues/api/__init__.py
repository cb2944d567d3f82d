"""REST API of the dues app (/api/v1/dues/): serializers, views and the URL routes."""
