"""Writers: one module per output format, each taking the in-memory graph."""
