"""The request desk (接诉即办): intake, routing up the ladder, claims, closure, figures."""
