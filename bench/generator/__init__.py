"""The sections of bench/generate_academie.py."""
