"""Newsletters: readers subscribe to the Morning and Evening Editions and get them by email."""
