"""The web front end's richer public views: gallery with search, player profiles, the caller's votes."""
