"""Version of pv_identify."""

__version__ = "0.1.0"
