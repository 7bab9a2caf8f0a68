from . import incidents, units

__all__ = ["incidents", "units"]
