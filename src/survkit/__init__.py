"""survkit: reproduce, check and reconstruct the survival endpoints that clinical papers print."""

__version__ = "0.1.0"
