"""Build-time tools that regenerate the committed data tables under filters/data/tables/."""
