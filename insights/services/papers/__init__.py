"""Committee papers: the quarterly report as a Word document and a PDF, shaped
by a committee's template, and the sign-off of a quarter
(docs/COMMITTEE_PAPERS.md)."""
