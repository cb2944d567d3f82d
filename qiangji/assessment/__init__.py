"""The assessment: star ratings from live records, weak organisations, secretaries' review, recognition."""
