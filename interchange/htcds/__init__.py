"""The Human Trafficking Case Data Standard (HTCDS 2.0, IOM and partners): a
case exported in its field names (JSON and CSV), and imported from them."""
