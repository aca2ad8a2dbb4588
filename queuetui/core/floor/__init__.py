"""The floor: the live calls on the list, where they come from, how they are read, kept fresh and laid out."""
