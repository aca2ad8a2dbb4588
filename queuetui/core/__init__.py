"""The core: everything a front end needs that has nothing to do with how it is drawn. No Textual here."""
