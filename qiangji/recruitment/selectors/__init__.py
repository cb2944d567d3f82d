"""Reads of the development pipeline, always through `.visible_to(user)`: due lists (`due`), the branch
board and case page (`cases`), committee work lists, plans and file audits."""
