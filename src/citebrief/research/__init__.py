"""Web research: find sources for a question through search providers, fetch them, write a brief."""
