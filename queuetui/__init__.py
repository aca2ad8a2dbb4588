"""queuetui: a terminal console for supervising live calls through the DeepCall Queue API v2."""

__version__ = "0.1.0"
