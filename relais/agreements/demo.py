"""Demo data of the agreements app, loaded by `load_demo` after the partners and the accounts."""


def load() -> str:
    """Create the demo records (idempotent) and return a one-line French summary."""
    return ""
