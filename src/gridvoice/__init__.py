"""gridvoice (电网之声): the service command center platform."""

__version__ = "0.1.0"
