"""Stories, sections, editions: the newsroom's content."""
