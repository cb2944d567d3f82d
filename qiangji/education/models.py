"""Models of the education app."""
