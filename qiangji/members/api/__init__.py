"""REST API of the members app: the member registry and the roster upload."""
