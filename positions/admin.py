"""Admin for topics, sources, statements and stances."""
