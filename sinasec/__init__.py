"""SINASEC: the information system of Peru's National Citizen Security System."""

__version__ = "0.1.0"
