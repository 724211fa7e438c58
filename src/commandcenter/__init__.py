"""commandcenter: a city's command-center video wall, described entirely by files in config/."""

__version__ = "0.1.0"
