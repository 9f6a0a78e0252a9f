"""listguard: a listing compliance scanner for e-commerce sellers."""

from scanner.models import Listing, Problem, Severity

__all__ = ["Listing", "Problem", "Severity"]
__version__ = "0.1.0"
