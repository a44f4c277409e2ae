"""The Django half of newsdesk: it imports the library, never the reverse."""
