"""The config file: profiles and preferences, how they are read, checked, shown and remembered, and where the
files live."""
