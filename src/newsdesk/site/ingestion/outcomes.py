"""What became of one input item: the words the ingest report and the API use."""

INGESTED, UPDATED, DUPLICATE, REJECTED, SKIPPED = (
    "ingested",
    "updated",
    "duplicate",
    "rejected",
    "skipped",
)
OUTCOMES = (INGESTED, DUPLICATE, REJECTED, UPDATED, SKIPPED)  # the summary line's order
