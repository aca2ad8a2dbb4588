"""Headless commands: thin printers of the core's outcomes. Never imports Textual."""
