"""API views: `cases` (cases, steps, rules) and `due` (the due list)."""
