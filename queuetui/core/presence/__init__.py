"""Presence: who else on the floor is on which call now, shared through a store every console writes its own
row to (SQLite on one jump host, PostgreSQL across several). Advisory: the audit trail is the record."""
