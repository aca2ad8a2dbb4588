"""Screens: login, console, barge confirmation, help."""
