"""Spec evolution: the diff of two spec versions, its rule table, the version gate and the changelog."""
