"""Synthetic, pseudonymous data for the demo and the benchmarks: fixtures, kept
out of the interface layer. Nothing here is a real person."""
