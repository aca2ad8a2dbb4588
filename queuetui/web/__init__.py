"""The demo in a browser: `queuetui serve` gives every tab its own console (`queuetui --demo`) through
textual-serve. It starts consoles as processes and never imports them."""
