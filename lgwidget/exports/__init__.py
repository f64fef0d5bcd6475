"""Layer 5, keeping and sharing a run: JSON Lines and their replay, the HTML
page and nbconvert's export, the DataFrame, the text listing, the timings."""
