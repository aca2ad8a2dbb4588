"""The Textual front end. It talks to DeepCall only through `queuetui.service`, never through httpx."""
