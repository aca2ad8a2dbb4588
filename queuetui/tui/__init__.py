"""The Textual front end. It talks to DeepCall only through `queuetui.core.service`, never through httpx."""
