"""Widgets of the console: mode selector, status header, log panel, sessions table."""
