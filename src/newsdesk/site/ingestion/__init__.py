"""ingestion app."""
