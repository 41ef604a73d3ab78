"""The web front end (static HTML, CSS and ES modules) and the small router that serves it."""
